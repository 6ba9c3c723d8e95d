// Multi-Paxos in the real-time cluster: every node a worker thread, talking
// over TCP on 127.0.0.1, with real timers. Waits are bounded generously: these
// tests check behaviour, not speed.

import { afterEach, describe, expect, it } from 'vitest'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import { leaderOf, waitForLeader, write } from './helpers'

let cluster: RealTimeCluster | null = null
afterEach(async () => {
  await cluster?.stop()
  cluster = null
})

/** Writes through whichever node leads, following a change of leader; the reply's type. */
async function writeThroughLeader(c: RealTimeCluster, key: string, value: unknown) {
  for (let attempt = 0; attempt < 20; attempt++) {
    const leader = await waitForLeader(c)
    const reply = await write(c, leader, key, value)
    // That node had just lost its leadership to a higher ballot (code 11, or no
    // answer): ask the new leader. Writing the same value twice is harmless here.
    if (reply === 'write_ok') return reply
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  return 'no leader would take it'
}

describe('the real-time cluster runs Multi-Paxos', { timeout: 30_000 }, () => {
  it('elects a leader, commits writes, and a new leader keeps them after the old one is killed', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    await c.start({ algorithm: 'multipaxos', nodes: 5, seed: 1 })
    expect(await writeThroughLeader(c, 'x', 1)).toBe('write_ok')
    const first = await waitForLeader(c)
    const read = await c.request(first, { type: 'read', key: 'x' })
    expect(read.ok && read.body).toMatchObject({ type: 'read_ok', value: 1 })

    await c.kill(first)
    expect(await writeThroughLeader(c, 'x', 2)).toBe('write_ok')
    const second = await leaderOf(c)
    expect(second).not.toBeNull()
    expect(second).not.toBe(first)
    const after = await c.request(second ?? 'n1', { type: 'read', key: 'x' })
    expect(after.ok && after.body).toMatchObject({ type: 'read_ok', value: 2 })

    // What the dead leader's acceptor promised and accepted is on its storage.
    const saved = (await c.inspect(first)).saved as {
      promised: { round: number }
      accepted: unknown[]
    }
    expect(saved.promised.round).toBeGreaterThan(0)
    expect(saved.accepted.length).toBeGreaterThan(0)
    expect(c.violations).toEqual([])
  })
})
