// Real traces for the benchmarks to store, export and import: one simulator
// run, repeated with seq and time running on, so a million events cost seconds
// to make and look like a cluster's.

import { startWorkload, writeHeavy } from '../src/main/client/workload'
import { Simulator } from '../src/main/sim/simulator'
import { randomStream } from '../src/shared/random'
import type { TraceEvent } from '../src/shared/trace'

/**
 * A real trace to repeat: 5-node Raft, 16 clients writing 4,000 operations,
 * the leader killed and restarted.
 */
export async function raftTrace(): Promise<TraceEvent[]> {
  const sim = new Simulator()
  const events: TraceEvent[] = []
  sim.events((event) => events.push(event))
  await sim.start({ algorithm: 'raft', nodes: 5, seed: 3 })
  sim.runUntil(() => sim.leader() !== null, 5_000)
  const leader = sim.leader()
  if (leader === null) throw new Error('the benchmark run elected no leader')
  const clients = Array.from({ length: 16 }, (_, i) => sim.client(`c${i + 1}`, undefined, leader))
  let done = false
  startWorkload(
    clients,
    { ...writeHeavy, operations: 4_000 },
    randomStream(3, 'workload'),
    () => sim.now(),
    () => {
      done = true
    },
  )
  sim.advance(200)
  await sim.kill(leader)
  sim.advance(500)
  await sim.restart(leader)
  sim.runUntil(() => done, 600_000)
  if (!done) throw new Error('the benchmark workload did not finish')
  return events
}

/** `count` events: the real trace over and over, seq renumbered from 1 and time running on. */
export function* repeated(trace: TraceEvent[], count: number): Generator<TraceEvent> {
  const span = trace[trace.length - 1].t + 1
  for (let i = 0; i < count; i++) {
    const event = trace[i % trace.length]
    yield { ...event, seq: i + 1, t: event.t + span * Math.floor(i / trace.length) }
  }
}
