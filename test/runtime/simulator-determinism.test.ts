// The simulator's promise: one seed and one list of inputs give one trace,
// event for event. Everything else (replays, shrinking, the explorer) rests on it.

import { describe, expect, it } from 'vitest'
import { startWorkload, type WorkloadSpec } from '../../src/main/client/workload'
import { Simulator } from '../../src/main/sim/simulator'
import { randomStream } from '../../src/shared/random'
import type { TraceEvent } from '../../src/shared/trace'

const workload: WorkloadSpec = {
  operations: 300,
  keys: ['x', 'y', 'z'],
  mix: { read: 1, write: 1, cas: 1 },
  valuesMax: 5,
}

/** A run with faults of every kind, driven only by `seed`. */
async function run(seed: number): Promise<TraceEvent[]> {
  const sim = new Simulator({ traceCapacity: 1_000_000 })
  const events: TraceEvent[] = []
  sim.events((event) => events.push(event))
  await sim.start({ algorithm: 'raft', nodes: 5, seed })
  await sim.setLink('*', '*', {
    loss: 0.05,
    delayMsMin: 1,
    delayMsMax: 20,
    reorder: 0.1,
    duplicate: 0.05,
  })
  const clients = [sim.client('c1'), sim.client('c2'), sim.client('c3')]
  let done = false
  startWorkload(
    clients,
    workload,
    randomStream(seed, 'workload'),
    () => sim.now(),
    () => {
      done = true
    },
  )
  sim.schedule(300, () => void sim.kill('n1'))
  sim.schedule(900, () => void sim.restart('n1'))
  sim.schedule(1200, () => void sim.partition([['n2', 'n3']]))
  sim.schedule(2000, () => void sim.heal())
  sim.schedule(2500, () => void sim.pause('n4'))
  sim.schedule(2800, () => void sim.resume('n4'))
  sim.runUntil(() => done, 60_000)
  return events
}

describe('the simulator is deterministic', () => {
  it('gives identical traces for one seed, event for event', async () => {
    const first = await run(42)
    const second = await run(42)
    expect(first.length).toBeGreaterThan(10_000)
    expect(second.length).toBe(first.length)
    // Compare as JSON: every field of every event, including message bodies and times.
    for (let i = 0; i < first.length; i++) {
      if (JSON.stringify(first[i]) !== JSON.stringify(second[i])) {
        expect.fail(
          `event ${i} differs:\n${JSON.stringify(first[i])}\n${JSON.stringify(second[i])}`,
        )
      }
    }
  })

  it('gives a different trace for a different seed', async () => {
    const a = await run(1)
    const b = await run(2)
    const differs =
      a.length !== b.length || a.some((e, i) => JSON.stringify(e) !== JSON.stringify(b[i]))
    expect(differs).toBe(true)
  })

  it('replays a workload to the same final state on every node', async () => {
    const finalStates = async (): Promise<string> => {
      const sim = new Simulator()
      await sim.start({ algorithm: 'raft', nodes: 3, seed: 9 })
      for (let i = 0; i < 20; i++) {
        const leader = sim.leader() ?? 'n1'
        await sim.request(leader, { type: 'write', key: 'k', value: i })
      }
      sim.advance(500)
      return JSON.stringify(await Promise.all(sim.nodeIds().map((id) => sim.inspect(id))))
    }
    expect(await finalStates()).toBe(await finalStates())
  })
})
