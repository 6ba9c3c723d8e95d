// The fault explorer ("nemesis"): runs a module's workload in the simulator
// under a random schedule of faults (crashes, restarts, pauses, partitions,
// lossy and slow links), seed after seed, and judges each run by the module's
// invariants, its nodes' own failures, and the checks of its workload profile
// (profiles/): linearizability for the key-value stores and the lock service,
// convergence for gossip, every transaction decided, every task run. When a
// run fails, it shrinks it: fewer faults, fewer operations, less time, for as
// long as it still fails the same way. What it returns replays exactly: a seed
// and a schedule.

import type { AnyNodeDefinition, NodeOptions } from '../../shared/node-api'
import { randomStream } from '../../shared/random'
import type { TraceEvent } from '../../shared/trace'
import { Simulator } from '../sim/simulator'
import { applyFault, faultLines, randomFaults, type Fault } from './faults'
import { invariantFailure, type Failure } from './profile'
import { profileFor } from './profiles'

export type { Fault } from './faults'
export type { Failure } from './profile'

export interface Schedule {
  algorithm: string
  variant?: string
  seed: number
  nodes: number
  /** The module's options for this run, where its profile draws them (the gossip store's quorums). */
  options?: NodeOptions
  clients: number
  operations: number
  /** Faults happen within this much virtual time; then everything heals and settles. */
  faultsMs: number
  faults: Fault[]
}

export interface RunResult {
  failure: Failure | null
  /** True when the history was too hard to check in the step budget: neither passed nor failed. */
  unchecked: boolean
  operations: number
  events: number
}

/** A random schedule of faults for `algorithm`'s profile, all drawn from `seed`. */
export function randomSchedule(algorithm: string, seed: number, variant?: string): Schedule {
  const profile = profileFor(algorithm)
  const random = randomStream(seed, 'explore')
  const ids = Array.from({ length: profile.faultNodes ?? profile.nodes }, (_, i) => `n${i + 1}`)
  const faults = randomFaults(random, ids, profile.menu, profile.faultsMs, profile.faultCount)
  const options = profile.options?.(randomStream(seed, 'explore-options'))
  return {
    algorithm,
    ...(variant === undefined ? {} : { variant }),
    seed,
    nodes: profile.nodes,
    ...(options === undefined ? {} : { options }),
    clients: profile.clients,
    operations: profile.operations,
    faultsMs: profile.faultsMs,
    faults,
  }
}

/**
 * Runs one schedule in the simulator and judges it. Exactly repeatable.
 * `definition`: the node module to run instead of the registry's (a
 * learner's code, loaded on the job thread); the schedule's algorithm still
 * chooses the workload and the invariants.
 */
export async function runSchedule(
  schedule: Schedule,
  definition?: AnyNodeDefinition,
): Promise<RunResult> {
  const profile = profileFor(schedule.algorithm)
  const sim = new Simulator(definition === undefined ? {} : { resolve: () => definition })
  let nodeFailure: string | null = null
  let events = 0
  sim.events((event: TraceEvent) => {
    events++
    if (event.kind === 'crash' && event.error !== undefined && nodeFailure === null) {
      nodeFailure = `${event.node} failed: ${event.error.message}`
    }
  })
  const run = profile.workload(sim, schedule)
  await sim.start({
    algorithm: schedule.algorithm,
    nodes: schedule.nodes,
    seed: schedule.seed,
    ...(schedule.variant === undefined ? {} : { variant: schedule.variant }),
    ...(schedule.options === undefined ? {} : { options: schedule.options }),
    ...(profile.link === undefined ? {} : { link: profile.link }),
  })
  for (const fault of schedule.faults) {
    sim.schedule(fault.at, () => applyFault(sim, fault, schedule.faultsMs))
  }
  run.begin()
  sim.advance(schedule.faultsMs)
  // The faults stop: everything heals, and the clients finish.
  await sim.heal()
  await sim.setLink('*', '*', { loss: 0, delayMsMin: 1, delayMsMax: 3, reorder: 0, duplicate: 0 })
  for (const id of sim.nodeIds()) {
    if (sim.status(id) === 'paused') await sim.resume(id)
    if (sim.status(id) === 'dead') await sim.restart(id)
  }
  sim.runUntil(() => run.done(), profile.settleMs * 10)
  sim.advance(profile.settleMs)
  run.afterSettle?.()

  const failure =
    invariantFailure(sim) ??
    (nodeFailure === null ? null : { kind: 'node failed' as const, message: nodeFailure })
  const operations = run.operations()
  if (failure !== null) return { failure, unchecked: false, operations, events }
  return { ...run.judge(), operations, events }
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
  definition?: AnyNodeDefinition,
): Promise<{ schedule: Schedule; failure: Failure; runs: number }> {
  let best = schedule
  let bestFailure = failure
  let runs = 0
  const stillFails = async (candidate: Schedule): Promise<Failure | null> => {
    runs++
    onRun?.(runs, runsMax)
    const result = await runSchedule(candidate, definition)
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
    /** The node module to run instead of the registry's (see runSchedule). */
    definition?: AnyNodeDefinition
  },
): Promise<ExploreReport> {
  const first = options.firstSeed ?? 1
  let unchecked = 0
  for (let i = 0; i < options.runs; i++) {
    const schedule = randomSchedule(algorithm, first + i, options.variant)
    const result = await runSchedule(schedule, options.definition)
    if (result.unchecked) unchecked++
    options.onRun?.(i + 1, result.failure !== null)
    if (result.failure !== null) {
      const shrunk = await shrink(
        schedule,
        result.failure,
        shrinkRunsMax,
        options.onShrinkRun,
        options.definition,
      )
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
  const profile = profileFor(schedule.algorithm)
  const variant = schedule.variant === undefined ? '' : ` --variant ${schedule.variant}`
  const flags = profile.startFlags?.(schedule.options ?? {}) ?? ''
  const lines = [
    `start ${schedule.algorithm} ${schedule.nodes} --sim --seed ${schedule.seed}${variant}${flags}`,
  ]
  let now = 0
  for (const fault of schedule.faults) {
    if (fault.at > now) lines.push(`wait ${fault.at - now}`)
    now = Math.max(now, fault.at)
    lines.push(...faultLines(fault))
  }
  return lines
}
