// A workload profile: everything the explorer needs to know about one module.
// How many nodes it runs on, which faults make sense for it, how to start its
// clients, and which checks judge a run. One profile per kind of service
// (profiles/), so there is one way to drive each module, here and in the
// sweep tests.

import { checkHistory, reportLines } from '../check/check-history'
import type { HistoryOperation } from '../check/linearizability'
import type { ModelName } from '../check/models'
import type { NodeOptions } from '../../shared/node-api'
import type { Random } from '../../shared/random'
import type { LinkShape } from '../../shared/trace'
import type { Simulator } from '../sim/simulator'
import type { FaultMenu } from './faults'

export interface Failure {
  /**
   * invariant: a rule of the protocol broke, as the trace shows it.
   * linearizability: what the clients saw fits no order of one copy.
   * node failed: a node's own code threw.
   * convergence: replicas still disagree after the faults healed.
   * liveness: something that must happen once the faults heal did not.
   */
  kind: 'invariant' | 'linearizability' | 'node failed' | 'convergence' | 'liveness'
  /** A sentence for a learner, starting with the name of the check that failed. */
  message: string
  /** More lines to show under the message: for linearizability, the slice that cannot be ordered. */
  details?: string[]
}

/** What the profile's own checks make of a run (the invariants are judged for every profile). */
export interface Judgement {
  failure: Failure | null
  /** True when the history was too hard to check in the step budget: neither passed nor failed. */
  unchecked: boolean
}

/** Passed, and fully checked. */
export const passed: Judgement = { failure: null, unchecked: false }

/** One run of a workload, made before the cluster starts so that its checks see every event. */
export interface WorkloadRun {
  /** Starts the clients, once the cluster runs. */
  begin(): void
  /** True when every client has finished. */
  done(): boolean
  /** After the faults healed and the run settled: whatever more the checks need to see. */
  afterSettle?(): void
  /** The client operations the run did (completed or of unknown outcome). */
  operations(): number
  judge(): Judgement
}

/** What a workload reads of a schedule. */
export interface RunPlan {
  seed: number
  clients: number
  operations: number
  faultsMs: number
}

/** The shape of one module's runs. */
export interface WorkloadProfile {
  /** What the clients do, as the learner reads it after "with 4 clients": "writing". */
  clientsDo: string
  nodes: number
  /** Faults strike only the first this many nodes (the others serve the clients directly). */
  faultNodes?: number
  clients: number
  /** Client operations in a run: writes, proposals, transfers, lock cycles, tasks. */
  operations: number
  /** Faults happen within this much virtual time; then everything heals and settles. */
  faultsMs: number
  faultCount: { min: number; max: number }
  menu: FaultMenu
  /** How long the cluster runs on, all healed, after the clients finish. */
  settleMs: number
  /** The links' shape when the run starts (between nodes; clients are outside faults). */
  link?: Partial<LinkShape>
  /** The module's options for a run, drawn from `random` where they vary. */
  options?(random: Random): NodeOptions
  /** The `start` flags that set `options` in the terminal, and what the terminal cannot set. */
  startFlags?(options: NodeOptions): string
  workload(sim: Simulator, plan: RunPlan): WorkloadRun
}

/** The invariants' first violation, as a failure, or null. */
export function invariantFailure(sim: Simulator): Failure | null {
  const violation = sim.violations[0]
  return violation === undefined
    ? null
    : { kind: 'invariant', message: `${violation.rule}: ${violation.message}` }
}

/** Search steps the linearizability check may take per run (about a second at worst). */
export const checkStepsMax = 1_000_000

/** The clients' history judged for linearizability under `model`. */
export function historyJudgement(model: ModelName, operations: HistoryOperation[]): Judgement {
  const report = checkHistory({ model, operations, stepsMax: checkStepsMax })
  if (report.result === 'not linearizable') {
    return {
      failure: {
        kind: 'linearizability',
        message: `key ${report.part}: ${report.explanation}`,
        details: reportLines(report).slice(2),
      },
      unchecked: false,
    }
  }
  return { failure: null, unchecked: report.result === 'unknown' }
}
