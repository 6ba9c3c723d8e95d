// The task scheduler on Raft: the leader assigns through the log, workers run
// tasks under leases. Each test reads init / act / check; faults are ordered
// by the test, on fixed seeds.

import { describe, expect, it } from 'vitest'
import { SchedulerInvariants } from '../../src/main/check/scheduler-invariants'
import { Simulator } from '../../src/main/sim/simulator'
import type { Body } from '../../src/shared/envelope'
import type { NodeOptions } from '../../src/shared/node-api'
import type { SchedulerState, Task } from '../../src/workers/algorithms/scheduler/scheduler'
import { expectNoViolations, waitForLeader } from './helpers'

async function schedulerCluster(
  seed: number,
  options: NodeOptions = {},
  variant?: string,
): Promise<{ sim: Simulator; leader: string; check: SchedulerInvariants }> {
  const sim = new Simulator()
  await sim.start({
    algorithm: 'scheduler',
    nodes: 4,
    seed,
    options,
    ...(variant ? { variant } : {}),
  })
  const check = new SchedulerInvariants()
  sim.events((event) => void check.observe(event))
  const leader = waitForLeader(sim)
  sim.advance(200) // a few heartbeats: every worker is known to be live
  return { sim, leader, check }
}

async function submit(sim: Simulator, node: string, task: string, cost: number): Promise<Body> {
  const result = await sim.request(
    node,
    { type: 'submit', task, cost },
    { client: 'c1', timeoutMs: 1_000 },
  )
  if (!result.ok) throw new Error(`no answer to submit ${task}`)
  return result.body
}

function table(sim: Simulator, node: string): Record<string, Task> {
  return sim.peekState<SchedulerState>(node)?.tasks ?? {}
}

describe('scheduler on Raft', () => {
  it('spreads tasks least-loaded, runs them and records completion', async () => {
    const { sim, leader, check } = await schedulerCluster(1)
    for (const [i, cost] of [400, 100, 100, 100, 100].entries()) {
      expect(await submit(sim, leader, `t${i}`, cost)).toMatchObject({
        type: 'submit_ok',
        task: `t${i}`,
      })
    }
    sim.advance(200)
    const workers = Object.values(table(sim, leader)).map((t) => t.worker)
    expect(new Set(workers).size).toBe(4)
    sim.advance(1_000)
    expect(Object.values(table(sim, leader)).map((t) => t.state)).toEqual(Array(5).fill('done'))
    expect(check.unfinished()).toEqual([])
    expectNoViolations(sim)
  })

  it('round-robin deals tasks to workers in turn', async () => {
    const { sim, leader } = await schedulerCluster(2, { policy: 'round-robin' })
    for (let i = 0; i < 8; i++) await submit(sim, leader, `t${i}`, 2_000)
    sim.advance(300)
    const count: Record<string, number> = {}
    for (const t of Object.values(table(sim, leader)))
      count[String(t.worker)] = (count[String(t.worker)] ?? 0) + 1
    expect(count).toEqual({ n1: 2, n2: 2, n3: 2, n4: 2 })
  })

  it('weighted gives a heavier worker more of the load', async () => {
    const { sim, leader } = await schedulerCluster(3, { policy: 'weighted', weights: 'n1=5,n2=5' })
    for (let i = 0; i < 12; i++) await submit(sim, leader, `t${i}`, 2_000)
    sim.advance(300)
    const on = (w: string): number =>
      Object.values(table(sim, leader)).filter((t) => t.worker === w).length
    expect(on('n1') + on('n2')).toBeGreaterThan(on('n3') + on('n4'))
  })

  it('reassigns a killed worker’s task after the timeout, and it completes', async () => {
    const { sim, leader, check } = await schedulerCluster(4)
    await submit(sim, leader, 'a', 400)
    await submit(sim, leader, 'b', 400)
    sim.advance(100)
    const victim = Object.values(table(sim, leader)).find((t) => t.worker !== leader)?.worker
    if (victim === undefined || victim === null) throw new Error('no task on a follower')
    await sim.kill(victim)
    sim.advance(2_000)
    for (const t of Object.values(table(sim, leader))) {
      expect(t.state, t.task).toBe('done')
      expect(t.worker).not.toBe(victim)
    }
    expect(Object.values(table(sim, leader)).some((t) => t.attempts === 2)).toBe(true)
    expect(check.unfinished()).toEqual([])
    expectNoViolations(sim)
  })

  it('a partitioned old leader cannot assign (Raft 5.4: its entries never commit)', async () => {
    const { sim, leader, check } = await schedulerCluster(5)
    await submit(sim, leader, 'before', 300)
    const others = sim.nodeIds().filter((id) => id !== leader)
    await sim.partition([[leader], others])
    // A submission reaches the stranded leader: it appends it, but cannot commit it.
    sim.post('c9', leader, { type: 'submit', task: 'stray', cost: 100, msg_id: 1 })
    let runs = 0
    sim.events((e) => {
      if (e.kind === 'send' && e.body.type === 'run' && e.body.task === 'stray') runs++
    })
    const newLeader = waitForLeader(sim, 2_000, others)
    sim.advance(1_000)
    expect(runs).toBe(0)
    expect(table(sim, newLeader).stray).toBeUndefined()
    await sim.heal()
    sim.advance(1_000)
    expect(runs).toBe(0)
    expect(table(sim, leader).stray).toBeUndefined() // its uncommitted entry was overwritten
    expect(table(sim, newLeader).before?.state).toBe('done')
    expect(check.unfinished()).toEqual([])
    expectNoViolations(sim)
  })

  it('a cut-off worker stops at its lease before its task moves; the broken variant runs it twice', async () => {
    for (const variant of [undefined, 'reassign-at-once']) {
      const { sim, leader, check } = await schedulerCluster(6, {}, variant)
      await submit(sim, leader, 'long', 1_500)
      sim.advance(100)
      const worker = table(sim, leader).long?.worker
      if (worker === undefined || worker === null || worker === leader)
        throw new Error(`long went to ${String(worker)}`)
      await sim.partition([[worker], sim.nodeIds().filter((id) => id !== worker)])
      sim.advance(1_000)
      await sim.heal()
      sim.advance(3_000)
      const rules = sim.violations.map((v) => v.rule)
      if (variant === undefined) {
        expect(rules).toEqual([])
        expect(table(sim, leader).long).toMatchObject({ state: 'done', attempts: 2 })
        expect(check.unfinished()).toEqual([])
      } else {
        expect(rules).toContain('Exclusive Run')
        expect(sim.violations[0].message).toContain('two workers at once')
      }
    }
  })
})
