// Log replication and commitment, Raft paper sections 5.3 and 5.4, in the
// simulator. Each test states its fault schedule; each ends with the
// invariant checks (Figure 3) clean.

import { describe, expect, it } from 'vitest'
import { startWorkload } from '../../src/main/client/workload'
import { randomStream } from '../../src/shared/random'
import {
  collectReplies,
  expectLogsConverged,
  expectNoViolations,
  expectRepliesMatchLog,
  logOf,
  perform,
  raft,
  raftCluster,
  waitForLeader,
  writesIn,
} from './helpers'
import { firstOldMsgId, oldWrites, playFigure8 } from './figure8'

describe('Raft log replication (sections 5.3, 5.4)', () => {
  it('basic agreement: every write commits at the same index on every node', async () => {
    // Faults: none.
    const sim = await raftCluster(5, 11)
    waitForLeader(sim)
    const client = sim.client('c1')
    for (let i = 0; i < 20; i++) {
      expect(perform(sim, client, { f: 'write', key: 'x', value: i }).type).toBe('ok')
    }
    expect(perform(sim, client, { f: 'read', key: 'x' })).toEqual({ type: 'ok', value: 19 })
    sim.advance(200) // followers learn the last commit index with the next heartbeat
    expectLogsConverged(sim)
    expect(writesIn(logOf(sim, 'n1'), 'x')).toEqual([...Array(20).keys()])
    expectNoViolations(sim)
  })

  it('agrees with a follower down, and the follower catches up when it returns', async () => {
    // Faults: kill one follower for ten writes, then restart it.
    const sim = await raftCluster(5, 12)
    const leader = waitForLeader(sim)
    const follower = sim.nodeIds().find((id) => id !== leader) as string
    await sim.kill(follower)
    const client = sim.client('c1', undefined, leader)
    for (let i = 0; i < 10; i++) {
      expect(perform(sim, client, { f: 'write', key: 'k', value: i }).type).toBe('ok')
    }
    await sim.restart(follower)
    sim.advance(1_000)
    expectLogsConverged(sim)
    expect(writesIn(logOf(sim, follower), 'k')).toEqual([...Array(10).keys()])
    expectNoViolations(sim)
  })

  it('commits nothing without a majority, and agrees again once it is back', async () => {
    // Faults: kill three of five followers; a write to the leader cannot
    // commit; restart them.
    const sim = await raftCluster(5, 13)
    const leader = waitForLeader(sim)
    const client = sim.client('c1', { timeoutMs: 500, operationMsMax: 1_000, retryMs: 10 }, leader)
    expect(perform(sim, client, { f: 'write', key: 'x', value: 'before' }).type).toBe('ok')
    const commitBefore = raft(sim, leader)?.commitIndex
    const followers = sim.nodeIds().filter((id) => id !== leader)
    for (const id of followers.slice(0, 3)) await sim.kill(id)

    const outcome = perform(sim, client, { f: 'write', key: 'x', value: 'lonely' })
    expect(outcome.type).toBe('info') // no reply: the write's fate is unknown to the client
    expect(raft(sim, leader)?.commitIndex).toBe(commitBefore)
    expect(writesIn(logOf(sim, leader), 'x')).toContain('lonely') // appended, never committed

    for (const id of followers.slice(0, 3)) await sim.restart(id)
    waitForLeader(sim)
    expect(perform(sim, client, { f: 'write', key: 'x', value: 'after' }).type).toBe('ok')
    sim.advance(500)
    expectLogsConverged(sim)
    expectNoViolations(sim)
  })

  it('serves concurrent clients: every reply is what the log order gives', async () => {
    // Faults: none. 16 clients, 2,000 operations: reads, writes and cas on 3 keys.
    const sim = await raftCluster(5, 14)
    const replies = collectReplies(sim)
    waitForLeader(sim)
    const clients = Array.from({ length: 16 }, (_, i) => sim.client(`c${i + 1}`))
    let done = false
    const { result } = startWorkload(
      clients,
      {
        operations: 2_000,
        keys: ['x', 'y', 'z'],
        mix: { read: 2, write: 2, cas: 1 },
        valuesMax: 5,
      },
      randomStream(14, 'workload'),
      () => sim.now(),
      () => {
        done = true
      },
    )
    expect(sim.runUntil(() => done, 60_000)).toBe(true)
    expect(result.info).toBe(0)
    expect(result.ok).toBeGreaterThan(1_500) // the rest are cas that found another value
    sim.advance(200)
    expectLogsConverged(sim)
    expect(expectRepliesMatchLog(logOf(sim, 'n1'), replies)).toBe(2_000)
    expectNoViolations(sim)
  })

  it('a stale leader cut off from the majority commits nothing, and steps down on healing', async () => {
    // Faults: partition the leader alone; the majority elects a new leader and
    // commits; the old leader still accepts a write it can never commit; heal.
    const sim = await raftCluster(5, 15)
    const old = waitForLeader(sim)
    const oldTerm = raft(sim, old)?.currentTerm ?? 0
    const rest = sim.nodeIds().filter((id) => id !== old)
    await sim.partition([[old], rest])

    const toOld = sim.client('c1', { timeoutMs: 300, operationMsMax: 600, retryMs: 10 }, old)
    expect(perform(sim, toOld, { f: 'write', key: 'x', value: 'stale' }).type).toBe('info')
    expect(raft(sim, old)?.role).toBe('leader') // it does not know yet

    const next = waitForLeader(sim, 2_000, rest)
    expect(raft(sim, next)?.currentTerm).toBeGreaterThan(oldTerm)
    const toNew = sim.client('c2', undefined, next)
    expect(perform(sim, toNew, { f: 'write', key: 'x', value: 'fresh' }).type).toBe('ok')

    await sim.heal()
    sim.advance(1_000)
    expect(raft(sim, old)?.role).toBe('follower')
    expect(writesIn(logOf(sim, old), 'x')).not.toContain('stale') // replaced (5.3)
    expect(perform(sim, toNew, { f: 'read', key: 'x' })).toEqual({ type: 'ok', value: 'fresh' })
    sim.advance(200)
    expectLogsConverged(sim)
    expectNoViolations(sim)
  })

  it('repairs 60 conflicting entries with a handful of rejections (fast back-off, end of 5.3)', async () => {
    // Faults: partition the leader alone and feed it 60 writes it cannot
    // commit; the majority commits 5 writes under a new leader; heal.
    const sim = await raftCluster(5, 16)
    const old = waitForLeader(sim)
    const rest = sim.nodeIds().filter((id) => id !== old)
    await sim.partition([[old], rest])
    // Straight to the old leader (a client would move on to other nodes after a timeout).
    for (let i = 0; i < 60; i++) {
      await sim.request(old, { type: 'write', key: 'x', value: `old-${i}` }, { timeoutMs: 5 })
    }
    const next = waitForLeader(sim, 2_000, rest)
    const toNew = sim.client('c2', undefined, next)
    for (let i = 0; i < 5; i++) perform(sim, toNew, { f: 'write', key: 'x', value: `new-${i}` })
    const oldTerm = raft(sim, old)?.currentTerm
    const conflicting = logOf(sim, old).filter((e) => e.term === oldTerm && e.command !== null)
    expect(conflicting.length).toBe(60)
    expect(raft(sim, next)?.currentTerm).toBeGreaterThan(oldTerm ?? 0)

    let rejections = 0
    sim.events((event) => {
      if (
        event.kind === 'recv' &&
        event.src === old &&
        event.body.type === 'append_entries_result'
      ) {
        if (event.body.success === false) rejections++
      }
    })
    await sim.heal()
    sim.advance(1_000)
    expectLogsConverged(sim)
    // One entry at a time would take over 50 rejections; skipping a term at a time takes 1 or 2.
    expect(rejections).toBeGreaterThan(0)
    expect(rejections).toBeLessThanOrEqual(3)
    expectNoViolations(sim)
  })

  it('keeps every committed write through a crash of all nodes (persistent state, Figure 2)', async () => {
    // Faults: kill all five nodes after ten writes; restart all.
    const sim = await raftCluster(5, 17)
    waitForLeader(sim)
    const client = sim.client('c1')
    for (let i = 1; i <= 10; i++) perform(sim, client, { f: 'write', key: 'x', value: i })
    const termsBefore = sim.nodeIds().map((id) => raft(sim, id)?.currentTerm ?? 0)
    for (const id of sim.nodeIds()) await sim.kill(id)
    for (const id of sim.nodeIds()) await sim.restart(id)
    sim.nodeIds().forEach((id, i) => {
      expect(raft(sim, id)?.currentTerm, `${id} kept its term`).toBeGreaterThanOrEqual(
        termsBefore[i],
      )
      expect(writesIn(logOf(sim, id), 'x').length, `${id} kept its log`).toBeGreaterThanOrEqual(6)
    })
    waitForLeader(sim)
    // Reads go through the log: the new leader's first entry commits everything before it.
    expect(perform(sim, client, { f: 'read', key: 'x' })).toEqual({ type: 'ok', value: 10 })
    expectNoViolations(sim)
  })
})

describe('the Figure 8 trap (section 5.4.2)', () => {
  it('never acknowledges an old-term entry that a later leader can overwrite', async () => {
    // Faults: the partitions and crashes of playFigure8, then heal and restart all.
    const sim = await raftCluster(5, 18)
    const replies = collectReplies(sim)
    const { leaderC, commitIndexAtC } = await playFigure8(sim)

    // At (c) the entries were on a majority, yet the leader did not commit
    // them: counting replicas is not enough for an earlier term's entries.
    expect(commitIndexAtC).toBe(1)
    // So no client was told its write happened, and losing them broke nothing.
    for (let i = 0; i < oldWrites; i++) {
      expect(replies.get(`c1:${firstOldMsgId + i}`)?.type, `write ${i}`).not.toBe('write_ok')
    }
    await sim.heal()
    for (const id of sim.nodeIds()) if (sim.status(id) === 'dead') await sim.restart(id)
    sim.advance(2_000)
    expectLogsConverged(sim)
    expect(writesIn(logOf(sim, leaderC), 'x')).toEqual([])
    expectNoViolations(sim)
  })
})
