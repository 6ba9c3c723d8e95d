// A workload: a number of operations spread over concurrent clients, each
// client doing one operation at a time, as Jepsen's lin-kv workload does.
// It runs on any runtime that can make clients; its randomness is seeded.
// With a rate (Maelstrom's --rate), operation i may not start before
// i / rate seconds into the workload: a client whose next operation is not
// due yet waits, and whoever drives time (the interpreter's wait) calls
// `releaseDue` as time passes. The workload itself keeps no timers.

import type { Random } from '../../shared/random'
import type { Operation } from '../../shared/trace'
import type { Completion, KvClient } from './kv-client'

export interface WorkloadSpec {
  /** How many operations in all. */
  operations: number
  /** Keys to spread operations over. Few keys make more contention (and more to check). */
  keys: readonly string[]
  /** The share of reads, writes and cas (they need not add up to 1). */
  mix: { read: number; write: number; cas: number }
  /** Values written are drawn from 0..valuesMax-1. */
  valuesMax: number
  /** Operations started per second, at most, in all; absent: as fast as the clients go. */
  ratePerSecond?: number
}

export const writeHeavy: WorkloadSpec = {
  operations: 1000,
  keys: ['x'],
  mix: { read: 0, write: 1, cas: 0 },
  valuesMax: 1_000_000,
}

export interface WorkloadResult {
  invoked: number
  ok: number
  fail: number
  info: number
  /** Latency of each completed operation, in ms, in completion order. */
  latenciesMs: number[]
}

/** A workload under way. */
export interface Workload {
  readonly result: WorkloadResult
  /** True when a waiting client's next operation is due (only with a rate). */
  due(): boolean
  /** Starts every operation that is due. */
  releaseDue(): void
  /** Starts no more operations (those under way finish on their own). */
  stop(): void
}

/** Starts the workload; `onDone` runs when every operation has completed. */
export function startWorkload(
  clients: readonly KvClient[],
  spec: WorkloadSpec,
  random: Random,
  now: () => number,
  onDone: (result: WorkloadResult) => void = () => {},
): Workload {
  if (clients.length === 0) throw new Error('a workload needs at least one client')
  if (!(spec.operations >= 0) || spec.keys.length === 0) {
    throw new Error('a workload needs a number of operations >= 0 and at least one key')
  }
  const result: WorkloadResult = { invoked: 0, ok: 0, fail: 0, info: 0, latenciesMs: [] }
  const total = spec.mix.read + spec.mix.write + spec.mix.cas
  if (!(total > 0))
    throw new Error('the operation mix needs a share above 0 for read, write or cas')
  const rate = spec.ratePerSecond
  if (rate !== undefined && !(rate > 0)) throw new Error('a workload rate must be above 0')
  const startedAt = now()
  /** When operation `index` (from 0) may start. */
  const dueAt = (index: number): number =>
    rate === undefined ? Number.NEGATIVE_INFINITY : startedAt + (index * 1000) / rate
  /** Clients whose next operation is not due yet, in the order they asked. */
  const waiting: KvClient[] = []
  let stopped = false

  const nextOperation = (): Operation => {
    const key = spec.keys[Math.floor(random() * spec.keys.length)]
    const pick = random() * total
    const value = (): number => Math.floor(random() * spec.valuesMax)
    if (pick < spec.mix.read) return { f: 'read', key }
    if (pick < spec.mix.read + spec.mix.write) return { f: 'write', key, value: value() }
    return { f: 'cas', key, from: value(), to: value() }
  }

  const next = (client: KvClient): void => {
    if (stopped) return
    if (result.invoked >= spec.operations) {
      if (result.ok + result.fail + result.info === spec.operations) onDone(result)
      return
    }
    if (now() < dueAt(result.invoked)) {
      waiting.push(client)
      return
    }
    result.invoked++
    const invokedAt = now()
    client.invoke(nextOperation(), (completion: Completion) => {
      result[completion.type]++
      result.latenciesMs.push(now() - invokedAt)
      next(client)
    })
  }
  if (spec.operations === 0) onDone(result)
  for (const client of clients) next(client)
  return {
    result,
    due: () => waiting.length > 0 && now() >= dueAt(result.invoked),
    releaseDue() {
      while (!stopped && waiting.length > 0 && now() >= dueAt(result.invoked)) {
        next(waiting.shift() as KvClient)
      }
    },
    stop() {
      stopped = true
      waiting.length = 0
    },
  }
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]
}
