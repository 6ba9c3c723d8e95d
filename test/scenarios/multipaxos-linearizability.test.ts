// Multi-Paxos serves the same lin-kv workload as Raft, through the same
// clients, and its histories must be linearizable under faults: a lossy,
// reordering network, a crashed node, a partition that cuts off the leader's
// side, a heal and a restart. The history is exported as JSON Lines and
// imported again, as a learner's run file would be, before it is checked.

import { describe, expect, it } from 'vitest'
import { checkHistory } from '../../src/main/check/check-history'
import { importHistory } from '../../src/main/check/history-import'
import { startWorkload } from '../../src/main/client/workload'
import { Simulator } from '../../src/main/sim/simulator'
import { randomStream } from '../../src/shared/random'

async function linearizableRun(seed: number) {
  const sim = new Simulator()
  const lines: string[] = []
  sim.events((event) => {
    if (['invoke', 'ok', 'fail', 'info'].includes(event.kind)) lines.push(JSON.stringify(event))
  })
  await sim.start({ algorithm: 'multipaxos', nodes: 5, seed })
  await sim.setLink('*', '*', { loss: 0.05, delayMsMin: 1, delayMsMax: 20, reorder: 0.1 })
  const clients = Array.from({ length: 6 }, (_, i) =>
    sim.client(`c${i + 1}`, { timeoutMs: 300, operationMsMax: 600, retryMs: 10 }),
  )
  let done = false
  const { result } = startWorkload(
    clients,
    { operations: 600, keys: ['x', 'y'], mix: { read: 2, write: 2, cas: 1 }, valuesMax: 4 },
    randomStream(seed, 'w'),
    () => sim.now(),
    () => {
      done = true
    },
  )
  sim.schedule(500, () => void sim.kill('n1'))
  sim.schedule(1_500, () => {
    // Cut the leader off with one other node: the other three elect a new one.
    const leader = sim.leader() ?? 'n2'
    const others = sim.nodeIds().filter((id) => id !== leader && id !== 'n1')
    void sim.partition([
      [leader, others[0]],
      ['n1', ...others.slice(1)],
    ])
  })
  sim.schedule(2_500, () => void sim.heal())
  sim.schedule(2_600, () => void sim.restart('n1'))
  sim.runUntil(() => done, 120_000)
  const { operations, format } = importHistory(lines.join('\n'))
  return { sim, done, result, operations, format }
}

describe("Multi-Paxos's histories", () => {
  it('are linearizable under faults in the simulator (seed 3)', async () => {
    const { sim, done, result, operations, format } = await linearizableRun(3)
    expect(done).toBe(true)
    expect(format).toBe('json-lines')
    expect(operations.length).toBeGreaterThan(300)
    // The faults cost some operations, but most succeed: the cluster made progress throughout.
    expect(result.ok).toBeGreaterThan(400)
    const report = checkHistory({ model: 'kv', operations, stepsMax: 5_000_000 })
    expect(report.result).toBe('linearizable')
    expect(sim.violations).toEqual([])
  })
})
