// The lock service (Chubby-style, on Raft) and the naive single-server lock,
// told as Kleppmann's "How to do distributed locking" tells it: a client holds
// a lock, pauses past its lease, another client acquires it, and the first one
// wakes and writes. Without fencing the resource takes both writes; with
// fencing tokens it refuses the stale one.

import { describe, expect, it } from 'vitest'
import { Simulator } from '../../src/main/sim/simulator'
import type { LockState } from '../../src/workers/algorithms/lock/lock'
import { expectNoViolations, waitForLeader } from './helpers'
import { ask } from './lock-helpers'

async function lockCluster(seed: number): Promise<{ sim: Simulator; leader: string }> {
  // n1-n3 run Raft and serve locks; n4 is the protected resource.
  const sim = new Simulator()
  await sim.start({ algorithm: 'lock', nodes: 4, seed, options: { resource: 'n4' } })
  return { sim, leader: waitForLeader(sim, 2_000, ['n1', 'n2', 'n3']) }
}

describe('lock service on Raft', () => {
  it('grants one holder at a time, with tokens that grow, and frees on release', async () => {
    const { sim, leader } = await lockCluster(1)
    const first = await ask(sim, leader, 'c1', {
      type: 'acquire',
      key: 'L',
      client: 'c1',
      lease_ms: 1_000,
    })
    expect(first).toMatchObject({ type: 'acquire_ok' })
    const held = await ask(sim, leader, 'c2', {
      type: 'acquire',
      key: 'L',
      client: 'c2',
      lease_ms: 1_000,
    })
    expect(held).toMatchObject({ type: 'error', code: 22 })
    expect(await ask(sim, leader, 'c2', { type: 'release', key: 'L', client: 'c2' })).toMatchObject(
      { code: 22 },
    )
    expect(await ask(sim, leader, 'c1', { type: 'release', key: 'L', client: 'c1' })).toMatchObject(
      {
        type: 'release_ok',
      },
    )
    const second = await ask(sim, leader, 'c2', {
      type: 'acquire',
      key: 'L',
      client: 'c2',
      lease_ms: 1_000,
    })
    expect(second).toMatchObject({ type: 'acquire_ok' })
    expect(second.token as number).toBeGreaterThan(first.token as number)
    // Every Raft replica applied the same lock table from the log.
    sim.advance(200)
    for (const id of ['n1', 'n2', 'n3']) {
      expect(sim.peekState<LockState>(id)?.locks.L?.holder, id).toBe('c2')
    }
  })

  it('keeps a lease alive through renewals and frees it once they stop', async () => {
    const { sim, leader } = await lockCluster(2)
    const grant = await ask(sim, leader, 'c1', {
      type: 'acquire',
      key: 'L',
      client: 'c1',
      lease_ms: 100,
    })
    expect(grant).toMatchObject({ type: 'acquire_ok' })
    for (let i = 0; i < 5; i++) {
      sim.advance(60)
      const renewed = await ask(sim, leader, 'c1', { type: 'renew', key: 'L', client: 'c1' })
      expect(renewed).toMatchObject({ type: 'renew_ok', token: grant.token })
    }
    expect(
      await ask(sim, leader, 'c2', { type: 'acquire', key: 'L', client: 'c2', lease_ms: 100 }),
    ).toMatchObject({ code: 22 })
    sim.advance(150) // no renewals: the lease, measured in the log's time, runs out
    expect(await ask(sim, leader, 'c1', { type: 'renew', key: 'L', client: 'c1' })).toMatchObject({
      code: 22,
    })
    expect(
      await ask(sim, leader, 'c2', { type: 'acquire', key: 'L', client: 'c2', lease_ms: 100 }),
    ).toMatchObject({ type: 'acquire_ok' })
  })

  it('refuses the paused holder’s stale write by its fencing token', async () => {
    const { sim, leader } = await lockCluster(3)
    const a = await ask(sim, leader, 'c1', {
      type: 'acquire',
      key: 'L',
      client: 'c1',
      lease_ms: 100,
    })
    expect(
      await ask(sim, 'n4', 'c1', {
        type: 'store',
        key: 'file',
        value: 1,
        holder: 'c1',
        token: a.token,
      }),
    ).toMatchObject({ type: 'store_ok' })
    sim.advance(300) // c1 pauses (a long GC): no renewals, its lease runs out
    const b = await ask(sim, leader, 'c2', {
      type: 'acquire',
      key: 'L',
      client: 'c2',
      lease_ms: 100,
    })
    expect(b).toMatchObject({ type: 'acquire_ok' })
    expect(
      await ask(sim, 'n4', 'c2', {
        type: 'store',
        key: 'file',
        value: 2,
        holder: 'c2',
        token: b.token,
      }),
    ).toMatchObject({ type: 'store_ok' })
    // c1 wakes up believing it still holds the lock, and writes.
    const stale = await ask(sim, 'n4', 'c1', {
      type: 'store',
      key: 'file',
      value: 3,
      holder: 'c1',
      token: a.token,
    })
    expect(stale).toMatchObject({ type: 'error', code: 22 })
    expect(sim.peekState<LockState>('n4')?.store.values.file).toBe(2)
    // Status and the cluster view show n4 as the resource it is, not a Raft follower.
    expect((await sim.inspect('n4')).summary).toEqual({
      role: 'resource',
      stored: 'file=2',
      tokens: `file:${String(b.token)}`,
    })
    expect((await sim.inspect(leader)).summary.role).toBe('leader')
    expectNoViolations(sim)
  })
})

describe('lock-naive (SET NX PX, no fencing)', () => {
  it('lets a paused holder write after its TTL: two holders at once, and the check says so', async () => {
    // n1 is the lock server, n2 the resource.
    const sim = new Simulator()
    await sim.start({ algorithm: 'lock-naive', nodes: 2, seed: 4, options: { resource: 'n2' } })
    expect(
      await ask(sim, 'n1', 'c1', { type: 'acquire', key: 'L', client: 'c1', lease_ms: 100 }),
    ).toMatchObject({
      type: 'acquire_ok',
    })
    expect(
      await ask(sim, 'n2', 'c1', { type: 'store', key: 'file', value: 1, holder: 'c1' }),
    ).toMatchObject({
      type: 'store_ok',
    })
    sim.advance(300) // c1 pauses past its TTL
    expect(
      await ask(sim, 'n1', 'c2', { type: 'acquire', key: 'L', client: 'c2', lease_ms: 100 }),
    ).toMatchObject({
      type: 'acquire_ok',
    })
    expect(
      await ask(sim, 'n2', 'c2', { type: 'store', key: 'file', value: 2, holder: 'c2' }),
    ).toMatchObject({
      type: 'store_ok',
    })
    // c1 wakes and writes: with no token, the resource cannot tell it is stale.
    expect(
      await ask(sim, 'n2', 'c1', { type: 'store', key: 'file', value: 3, holder: 'c1' }),
    ).toMatchObject({
      type: 'store_ok',
    })
    expect(sim.violations.map((v) => v.rule)).toEqual(['Mutual Exclusion'])
    expect(sim.violations[0].message).toContain('two holders at once')
  })
})
