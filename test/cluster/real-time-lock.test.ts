// The lock service in the real-time cluster: Raft's log in worker threads over
// TCP, real timers. One holder at a time, tokens that grow, and a lock that
// survives its leader's crash. Waits are bounded generously: behaviour, not speed.

import { afterEach, describe, expect, it } from 'vitest'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import type { Body } from '../../src/shared/envelope'
import { waitForLeader } from './helpers'

let cluster: RealTimeCluster | null = null
afterEach(async () => {
  await cluster?.stop()
  cluster = null
})

/** Sends a lock request to whoever leads, following a change of leader (code 11). */
async function ask(c: RealTimeCluster, body: Body): Promise<Body> {
  for (let attempt = 0; attempt < 40; attempt++) {
    const leader = await waitForLeader(c)
    const reply = await c.request(leader, body, { timeoutMs: 3_000 })
    if (reply.ok && !(reply.body.type === 'error' && reply.body['code'] === 11)) return reply.body
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`no leader answered ${JSON.stringify(body)}`)
}

describe('the real-time cluster runs the lock service', { timeout: 60_000 }, () => {
  it('grants one holder at a time, with growing fencing tokens, across a leader crash', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    await c.start({ algorithm: 'lock', nodes: 3, seed: 1 })
    const lease = { lease_ms: 30_000 }
    const first = await ask(c, { type: 'acquire', key: 'l', client: 'c1', ...lease })
    expect(first).toMatchObject({ type: 'acquire_ok' })
    const token = first['token'] as number
    expect(await ask(c, { type: 'acquire', key: 'l', client: 'c2', ...lease })).toMatchObject({
      type: 'error',
      code: 22,
    })

    // The grant is in the log: a new leader still knows who holds the lock.
    await c.kill(await waitForLeader(c))
    expect(await ask(c, { type: 'acquire', key: 'l', client: 'c2', ...lease })).toMatchObject({
      type: 'error',
      code: 22,
    })
    expect(await ask(c, { type: 'release', key: 'l', client: 'c1' })).toMatchObject({
      type: 'release_ok',
    })
    const second = await ask(c, { type: 'acquire', key: 'l', client: 'c2', ...lease })
    expect(second).toMatchObject({ type: 'acquire_ok' })
    expect(second['token'] as number).toBeGreaterThan(token)
    expect(c.violations).toEqual([])
  })
})
