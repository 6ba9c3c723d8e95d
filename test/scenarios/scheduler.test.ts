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
})
