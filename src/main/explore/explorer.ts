// The fault explorer ("nemesis"): runs a workload in the simulator under a
// random schedule of faults (crashes, restarts, pauses, partitions, lossy and
// slow links), seed after seed, and judges each run by the algorithm's
// invariants, its nodes' own failures, and the linearizability of what the
// clients saw. When a run fails, it shrinks it: fewer faults, fewer operations,
// less time, for as long as it still fails the same way. What it returns
// replays exactly: a seed and a schedule.

import type { NodeId } from '../../shared/envelope'
import { randomStream, type Random } from '../../shared/random'
import type { LinkShape, TraceEvent } from '../../shared/trace'
import { HistoryRecorder } from '../check/history-import'
import { checkHistory, reportLines } from '../check/check-history'
import { startWorkload } from '../client/workload'
import { Simulator } from '../sim/simulator'
import {
  applyFigure8,
  describeFigure8,
  figure8Faults,
  figure8Ms,
  type Figure8Fault,
} from './nemesis-figure8'

export type Fault =
  | { at: number; action: 'kill' | 'restart' | 'pause' | 'resume'; node: NodeId }
  /** Kill and restart at once, as `kill -9` and a supervisor would: a node back within one election. */
  | { at: number; action: 'bounce'; node: NodeId; downMs: number }
  /** The same aimed at whoever leads at that moment (decided when the run gets there: still exact). */
  | { at: number; action: 'bounce-leader'; downMs: number }
  | { at: number; action: 'kill-leader' | 'restart-all' | 'isolate-leader' }
  /**
   * Raft-aware: when a node has voted in a term in which another candidate
   * still asks for votes, kill it and restart it at once, so that it comes
   * back within the same term. A node that forgot its vote votes again.
   */
  | { at: number; action: 'bounce-voter'; downMs: number; waitedMs?: number }
  | { at: number; action: 'partition'; groups: NodeId[][] }
  | { at: number; action: 'heal' }
  | { at: number; action: 'link'; shape: Partial<LinkShape> }
  /** Raft-aware: the steps of Figure 8 (section 5.4.2), in nemesis-figure8.ts. */
  | Figure8Fault

export interface Schedule {
  algorithm: string
  variant?: string
  seed: number
  nodes: number
  clients: number
  operations: number
  /** Faults happen within this much virtual time; then everything heals and settles. */
  faultsMs: number
  faults: Fault[]
}

export interface Failure {
  kind: 'invariant' | 'linearizability' | 'node failed'
  message: string
  /** More lines to show under the message: for linearizability, the slice that cannot be ordered. */
  details?: string[]
}

export interface RunResult {
  failure: Failure | null
  /** True when the history was too hard to check in the step budget: neither passed nor failed. */
  unchecked: boolean
  operations: number
  events: number
}

/** Search steps the linearizability check may take per run (about a second at worst). */
export const checkStepsMax = 1_000_000

const settleMs = 3_000

/** A random schedule of faults, all drawn from `seed`. */
export function randomSchedule(algorithm: string, seed: number, variant?: string): Schedule {
  const random = randomStream(seed, 'explore')
  const nodes = 5
  const ids = Array.from({ length: nodes }, (_, i) => `n${i + 1}`)
  const faultsMs = 4_000
  const faults: Fault[] = []
  const count = 4 + Math.floor(random() * 8)
  for (let i = 0; i < count; i++)
    faults.push(randomFault(random, ids, Math.floor(random() * faultsMs)))
  // Now and then one shape aimed at on purpose (two would undo each other): an
  // election forced, with a voter bounced in the middle of it; or Figure 8, old
  // entries on a majority then overwritten, with no other fault in its way.
  const aim = random()
  if (aim < 0.5) {
    const start = Math.floor(random() * (faultsMs - 500))
    faults.push({ at: start, action: 'isolate-leader' })
    // Slow links make elections overlap: two candidates in one term, the case a forgetful voter breaks.
    faults.push({ at: start, action: 'link', shape: { delayMsMin: 5, delayMsMax: 60 } })
    faults.push({
      at: start + 150 + Math.floor(random() * 200),
      action: 'bounce-voter',
      downMs: 1 + Math.floor(random() * 10),
    })
    faults.push({ at: start + 600, action: 'heal' })
    faults.push({ at: start + 600, action: 'link', shape: { delayMsMin: 1, delayMsMax: 3 } })
  } else if (aim < 0.75) {
    const shape = figure8Faults(random, faultsMs)
    const from = shape[0].at
    const clear = faults.filter((fault) => fault.at < from || fault.at >= from + figure8Ms)
    faults.splice(0, faults.length, ...clear, ...shape)
  }
  faults.sort((a, b) => a.at - b.at)
  return {
    algorithm,
    ...(variant === undefined ? {} : { variant }),
    seed,
    nodes,
    clients: 4,
    operations: 200,
    faultsMs,
    faults,
  }
}

function randomFault(random: Random, ids: NodeId[], at: number): Fault {
  const node = ids[Math.floor(random() * ids.length)]
  const roll = random()
  if (roll < 0.1) return { at, action: 'kill', node }
  if (roll < 0.15) return { at, action: 'kill-leader' }
  if (roll < 0.25) return { at, action: 'restart', node }
  if (roll < 0.3) return { at, action: 'bounce', node, downMs: 1 + Math.floor(random() * 30) }
  if (roll < 0.35) return { at, action: 'bounce-leader', downMs: 1 + Math.floor(random() * 30) }
  if (roll < 0.45) return { at, action: 'pause', node }
  if (roll < 0.55) return { at, action: 'resume', node }
  if (roll < 0.75) {
    const shuffled = [...ids].sort(() => random() - 0.5)
    const cut = 1 + Math.floor(random() * (ids.length - 1))
    return { at, action: 'partition', groups: [shuffled.slice(0, cut), shuffled.slice(cut)] }
  }
  if (roll < 0.85) return { at, action: 'heal' }
  return {
    at,
    action: 'link',
    shape: {
      loss: Math.floor(random() * 30) / 100,
      delayMsMin: 1,
      delayMsMax: 1 + Math.floor(random() * 40),
      reorder: 0.1,
    },
  }
}

/** Runs one schedule in the simulator and judges it. Exactly repeatable. */
export async function runSchedule(schedule: Schedule): Promise<RunResult> {
  const sim = new Simulator()
  const history = new HistoryRecorder()
  let nodeFailure: string | null = null
  let events = 0
  sim.events((event: TraceEvent) => {
    events++
    if (
      event.kind === 'invoke' ||
      event.kind === 'ok' ||
      event.kind === 'fail' ||
      event.kind === 'info'
    ) {
      history.add(event)
    } else if (event.kind === 'crash' && event.error !== undefined && nodeFailure === null) {
      nodeFailure = `${event.node} failed: ${event.error.message}`
    }
  })
  await sim.start({
    algorithm: schedule.algorithm,
    nodes: schedule.nodes,
    seed: schedule.seed,
    ...(schedule.variant === undefined ? {} : { variant: schedule.variant }),
  })
  for (const fault of schedule.faults) {
    sim.schedule(fault.at, () => apply(sim, fault, schedule.faultsMs))
  }
  const clients = Array.from({ length: schedule.clients }, (_, i) =>
    sim.client(`c${i + 1}`, { timeoutMs: 300, operationMsMax: 600, retryMs: 20 }),
  )
  let done = false
  startWorkload(
    clients,
    {
      operations: schedule.operations,
      keys: ['x', 'y'],
      mix: { read: 2, write: 2, cas: 1 },
      valuesMax: 5,
    },
    randomStream(schedule.seed, 'explore-workload'),
    () => sim.now(),
    () => {
      done = true
    },
  )
  sim.advance(schedule.faultsMs)
  // The faults stop: everything heals, and the clients finish.
  await sim.heal()
  await sim.setLink('*', '*', { loss: 0, delayMsMin: 1, delayMsMax: 3, reorder: 0, duplicate: 0 })
  for (const id of sim.nodeIds()) {
    if (sim.status(id) === 'paused') await sim.resume(id)
    if (sim.status(id) === 'dead') await sim.restart(id)
  }
  sim.runUntil(() => done, settleMs * 10)
  sim.advance(settleMs)

  const operations = history.operations()
  const violation = sim.violations[0]
  if (violation !== undefined) {
    return {
      failure: { kind: 'invariant', message: `${violation.rule}: ${violation.message}` },
      unchecked: false,
      operations: operations.length,
      events,
    }
  }
  if (nodeFailure !== null) {
    return {
      failure: { kind: 'node failed', message: nodeFailure },
      unchecked: false,
      operations: operations.length,
      events,
    }
  }
  const report = checkHistory({ model: 'kv', operations, stepsMax: checkStepsMax })
  if (report.result === 'not linearizable') {
    return {
      failure: {
        kind: 'linearizability',
        message: `key ${report.part}: ${report.explanation}`,
        details: reportLines(report).slice(2),
      },
      unchecked: false,
      operations: operations.length,
      events,
    }
  }
  return {
    failure: null,
    unchecked: report.result === 'unknown',
    operations: operations.length,
    events,
  }
}

/** `faultsEndMs`: when the faults stop, for the faults that watch the cluster for a while. */
function apply(sim: Simulator, fault: Fault, faultsEndMs = Infinity): void {
  // Synchronous on purpose: the simulator acts at once (its promises are
  // already settled), and anything after an `await` here would run only when
  // the whole advance() returns, long after the moment the fault names.
  // A fault that makes no sense at that moment (killing a dead node) is skipped, as a nemesis would.
  try {
    switch (fault.action) {
      case 'kill':
      case 'restart':
      case 'pause':
      case 'resume':
        void sim[fault.action](fault.node)
        return
      case 'bounce':
        void sim.kill(fault.node)
        sim.schedule(fault.downMs, () => apply(sim, { at: 0, action: 'restart', node: fault.node }))
        return
      case 'bounce-leader':
      case 'kill-leader': {
        const leader = sim.leader()
        if (leader === null) return
        void sim.kill(leader)
        if (fault.action === 'bounce-leader') {
          sim.schedule(fault.downMs, () => apply(sim, { at: 0, action: 'restart', node: leader }))
        }
        return
      }
      case 'restart-all':
        for (const id of sim.nodeIds()) if (sim.status(id) === 'dead') void sim.restart(id)
        return
      case 'isolate-leader': {
        const leader = sim.leader()
        if (leader !== null) void sim.partition([[leader]])
        return
      }
      case 'bounce-voter': {
        // Wait (up to votingWindowMs) for the moment that matters: a node has
        // voted in a term in which another candidate still asks for votes.
        const voter = splitVoteVoter(sim)
        if (voter === undefined) {
          const waited = (fault.waitedMs ?? 0) + 1
          if (waited < votingWindowMs) {
            sim.schedule(1, () => apply(sim, { ...fault, waitedMs: waited }))
          }
          return
        }
        void sim.kill(voter)
        sim.schedule(fault.downMs, () => apply(sim, { at: 0, action: 'restart', node: voter }))
        return
      }
      case 'partition':
        void sim.partition(fault.groups)
        return
      case 'heal':
        void sim.heal()
        return
      case 'link':
        void sim.setLink('*', '*', fault.shape)
        return
      case 'split-leader':
      case 'crash-next-leader':
      case 'cut-repair':
        applyFigure8(sim, fault, faultsEndMs)
        return
    }
  } catch {
    // skipped
  }
}

/** How long a bounce-voter fault waits for a split vote before it gives up. */
const votingWindowMs = 400

/** A follower that voted in a term where another node is still a candidate. */
function splitVoteVoter(sim: Simulator): NodeId | undefined {
  interface Peek {
    role?: unknown
    currentTerm?: unknown
    votedFor?: unknown
  }
  const up = sim.nodeIds().filter((id) => sim.status(id) === 'up')
  const states = new Map(up.map((id) => [id, sim.peekState<Peek>(id)]))
  return up.find((id) => {
    const state = states.get(id)
    if (state?.role !== 'follower' || typeof state.votedFor !== 'string' || state.votedFor === id)
      return false
    return up.some((other) => {
      const rival = states.get(other)
      return (
        other !== state.votedFor &&
        other !== id &&
        rival?.role === 'candidate' &&
        rival.currentTerm === state.currentTerm
      )
    })
  })
}

/** Runs a shrink may take: each is one simulator run. */
export const shrinkRunsMax = 200

/**
 * A smaller schedule that still fails the same way: drop faults one at a time,
 * then halve the operations, then the time, for as long as any of that keeps
 * the failure. Each try is one run of the simulator.
 */
export async function shrink(
  schedule: Schedule,
  failure: Failure,
  runsMax = shrinkRunsMax,
  onRun?: (done: number, runsMax: number) => void,
): Promise<{ schedule: Schedule; failure: Failure; runs: number }> {
  let best = schedule
  let bestFailure = failure
  let runs = 0
  const stillFails = async (candidate: Schedule): Promise<Failure | null> => {
    runs++
    onRun?.(runs, runsMax)
    const result = await runSchedule(candidate)
    return result.failure?.kind === failure.kind ? result.failure : null
  }
  let improved = true
  while (improved && runs < runsMax) {
    improved = false
    for (let i = 0; i < best.faults.length && runs < runsMax; i++) {
      const candidate = { ...best, faults: best.faults.filter((_, j) => j !== i) }
      const found = await stillFails(candidate)
      if (found !== null) {
        best = candidate
        bestFailure = found
        improved = true
        i--
      }
    }
    if (best.operations > 10 && runs < runsMax) {
      const candidate = { ...best, operations: Math.floor(best.operations / 2) }
      const found = await stillFails(candidate)
      if (found !== null) {
        best = candidate
        bestFailure = found
        improved = true
      }
    }
    const lastFault = best.faults.reduce((latest, fault) => Math.max(latest, fault.at), 0)
    if (best.faultsMs > lastFault + 100 && runs < runsMax) {
      const candidate = {
        ...best,
        faultsMs: Math.max(lastFault + 100, Math.floor(best.faultsMs / 2)),
      }
      const found = await stillFails(candidate)
      if (found !== null) {
        best = candidate
        bestFailure = found
        improved = true
      }
    }
  }
  return { schedule: best, failure: bestFailure, runs }
}

export interface ExploreReport {
  runs: number
  /** Runs whose history could not be checked for linearizability in the step budget. */
  unchecked: number
  /** The first failure found, shrunk, or null when every run passed. */
  found: { seed: number; failure: Failure; shrunk: Schedule; shrinkRuns: number } | null
}

/** Runs seeds `firstSeed`.. until one fails or `runs` have passed; shrinks the failure. */
export async function explore(
  algorithm: string,
  options: {
    variant?: string
    runs: number
    firstSeed?: number
    onRun?: (done: number, failed: boolean) => void
    /** Each run of the shrink, out of at most `runsMax`. */
    onShrinkRun?: (done: number, runsMax: number) => void
  },
): Promise<ExploreReport> {
  const first = options.firstSeed ?? 1
  let unchecked = 0
  for (let i = 0; i < options.runs; i++) {
    const schedule = randomSchedule(algorithm, first + i, options.variant)
    const result = await runSchedule(schedule)
    if (result.unchecked) unchecked++
    options.onRun?.(i + 1, result.failure !== null)
    if (result.failure !== null) {
      const shrunk = await shrink(schedule, result.failure, shrinkRunsMax, options.onShrinkRun)
      const found = {
        seed: schedule.seed,
        failure: shrunk.failure,
        shrunk: shrunk.schedule,
        shrinkRuns: shrunk.runs,
      }
      return { runs: i + 1, unchecked, found }
    }
  }
  return { runs: options.runs, unchecked, found: null }
}

/** A schedule as the commands that replay it in the terminal. */
export function scheduleScript(schedule: Schedule): string[] {
  const variant = schedule.variant === undefined ? '' : ` --variant ${schedule.variant}`
  const lines = [
    `start ${schedule.algorithm} ${schedule.nodes} --sim --seed ${schedule.seed}${variant}`,
  ]
  let now = 0
  for (const fault of schedule.faults) {
    if (fault.at > now) lines.push(`wait ${fault.at - now}`)
    now = Math.max(now, fault.at)
    switch (fault.action) {
      case 'partition':
        lines.push(`partition ${fault.groups.map((group) => group.join(',')).join(' | ')}`)
        break
      case 'heal':
        lines.push('heal')
        break
      case 'bounce':
        lines.push(`kill ${fault.node}`, `wait ${fault.downMs}`, `restart ${fault.node}`)
        break
      case 'bounce-leader':
        lines.push('kill leader', `wait ${fault.downMs}`, 'restart all')
        break
      case 'kill-leader':
        lines.push('kill leader')
        break
      case 'restart-all':
        lines.push('restart all')
        break
      case 'isolate-leader':
        lines.push('(cut the leader off from the others)')
        break
      case 'bounce-voter':
        lines.push(
          `(when a node has voted while another candidate still asks, kill it and restart it ${fault.downMs} ms later)`,
        )
        break
      case 'split-leader':
      case 'crash-next-leader':
      case 'cut-repair':
        lines.push(describeFigure8(fault))
        break
      case 'link':
        lines.push(
          `drop ${Math.round((fault.shape.loss ?? 0) * 100)}%`,
          `delay ${fault.shape.delayMsMin ?? 0}-${fault.shape.delayMsMax ?? 0}ms`,
        )
        break
      default:
        lines.push(`${fault.action} ${fault.node}`)
    }
  }
  return lines
}
