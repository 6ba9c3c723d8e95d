// The task scheduler in the real-time cluster: Raft in worker threads over TCP,
// workers running tasks under leases kept by real timers. The leader dies
// while every other worker runs a task, so the new leader is a worker whose
// own task must stop when the old leader's lease runs out (a real timer may
// fire a little early: see test/scenarios/scheduler-lease.test.ts) before the
// new leader gives that task to someone else. Waits are bounded generously.

import { afterEach, describe, expect, it } from 'vitest'
import { SchedulerInvariants } from '../../src/main/check/scheduler-invariants'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import type { Body } from '../../src/shared/envelope'
import { waitForLeader } from './helpers'

let cluster: RealTimeCluster | null = null
afterEach(async () => {
  await cluster?.stop()
  cluster = null
})

/** Asks whichever node leads, again while the answer is "not the leader" (code 11) or none. */
async function askLeader(c: RealTimeCluster, body: Body): Promise<Body> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const reply = await c.request(await waitForLeader(c), body, { timeoutMs: 2_000 })
    if (reply.ok && reply.body['code'] !== 11) return reply.body
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`no leader answered ${JSON.stringify(body)}`)
}

async function allDone(c: RealTimeCluster, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs
  while (Date.now() < deadline) {
    const answer = await askLeader(c, { type: 'tasks' })
    const tasks = answer['tasks'] as { state: string }[]
    if (tasks.length > 0 && tasks.every((task) => task.state === 'done')) return true
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return false
}

describe('the real-time cluster runs the scheduler', { timeout: 60_000 }, () => {
  it('finishes every task after its leader dies, never running one on two workers at once', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    const check = new SchedulerInvariants()
    c.events((event) => void check.observe(event))
    await c.start({ algorithm: 'scheduler', nodes: 4, seed: 1 })
    await waitForLeader(c)
    await new Promise((resolve) => setTimeout(resolve, 300)) // a few heartbeats: workers are live
    for (const task of ['build', 'test', 'lint']) {
      expect(await askLeader(c, { type: 'submit', task, cost: 1_500 })).toMatchObject({
        type: 'submit_ok',
      })
    }
    await new Promise((resolve) => setTimeout(resolve, 300)) // the tasks are assigned and run

    await c.kill(await waitForLeader(c))
    expect(await allDone(c, 15_000)).toBe(true)
    expect(c.violations).toEqual([])
    expect(check.unfinished()).toEqual([])
  })
})
