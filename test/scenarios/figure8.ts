// The Figure 8 schedule of the Raft paper (section 5.4.2), built step by step
// with partitions and crashes. It reaches state (c): entries of an old term
// stored on a majority under a newer leader that has not committed them, then
// (d): a leader that never had them overwrites them. A Raft that commits
// old-term entries by counting replicas acknowledges those writes at (c) and
// loses them at (d); the reference must acknowledge none of them.
//
// One difference from the paper's picture: a new leader's first message to a
// follower carries the old entries and the leader's own new entry together,
// so the old ones can only reach a majority first when the repair takes more
// than one message. So step (a) writes 70 entries, more than one message holds.

import { expect } from 'vitest'
import type { Simulator } from '../../src/main/sim/simulator'
import { entriesPerMessageMax } from '../../src/workers/algorithms/raft/raft'
import { logOf, raft, waitForLeader } from './helpers'

export const oldWrites = 70
export const firstOldMsgId = 9_001

export interface Figure8Nodes {
  /** The leader of (c), which stored the old entries on a majority. */
  leaderC: string
  /** The leader of (b) and (d), which never had them. */
  leaderD: string
  /** The follower that held the old entries on the majority at (c), then lost them. */
  overwritten: string
  /** The commit index of leaderC at (c). */
  commitIndexAtC: number
}

const oldValue = (i: number): string => `t1-${i}`
const holdsOldEntries = (sim: Simulator, id: string, upTo: number): boolean =>
  logOf(sim, id)[upTo - 1]?.command?.value === oldValue(upTo - 2)

export async function playFigure8(sim: Simulator): Promise<Figure8Nodes> {
  expect(oldWrites).toBeGreaterThan(entriesPerMessageMax)
  const s1 = waitForLeader(sim)
  sim.advance(200) // the no-op of term t1 commits everywhere: index 1
  const [s2, s3, s4, s5] = sim.nodeIds().filter((id) => id !== s1)

  // (a) s1 leads term t1 and stores entries 2..71 on itself and s2 only. The
  // others are paused meanwhile, so that, as in the paper, nothing happens there.
  await sim.partition([
    [s1, s2],
    [s3, s4, s5],
  ])
  for (const id of [s3, s4, s5]) await sim.pause(id)
  for (let i = 0; i < oldWrites; i++) {
    const body = { type: 'write', key: 'x', value: oldValue(i), msg_id: firstOldMsgId + i }
    await sim.request(s1, body, { timeoutMs: 0 }) // all sent at once; no reply can come
  }
  sim.advance(50)
  for (const id of [s3, s4, s5]) await sim.resume(id)
  expect(logOf(sim, s2), '(a) s2 holds the old entries').toHaveLength(oldWrites + 1)

  // (b) s1 crashes. s3, s4, s5 elect a leader, which stores a different entry
  // 2 (its no-op) on itself only: it is cut off the moment it leads.
  await sim.kill(s1)
  await sim.partition([[s2], [s3, s4, s5]])
  const leaderD = waitForLeader(sim, 2_000, [s3, s4, s5])
  const [a, b] = [s3, s4, s5].filter((id) => id !== leaderD)
  await sim.partition([[leaderD], [s2], [a, b]])

  // (c) leaderD crashes, s1 restarts, and s1 or s2 (the only ones with the
  // longest logs) leads a later term. The other node with the old entries gets
  // the new leader's own entry; `a` gets the old entries in a first message and
  // is cut off once its acknowledgment is in, before the rest arrives; `b`
  // votes and is cut off at once.
  await sim.kill(leaderD)
  await sim.partition([[s1, s2, a, b], [leaderD]])
  await sim.restart(s1)
  const leaderC = waitForLeader(sim, 3_000, [s1, s2])
  await sim.partition([[leaderC, s1, s2, a], [b], [leaderD]])
  const firstBatchEnd = 1 + entriesPerMessageMax
  sim.runUntil(() => (raft(sim, leaderC)?.matchIndex[a] ?? 0) >= firstBatchEnd, 1_000)
  await sim.partition([[leaderC, s1, s2], [a], [b], [leaderD]])
  const holders = [s1, s2, a].filter((id) => holdsOldEntries(sim, id, firstBatchEnd))
  expect(holders, '(c) old entries 2..65 are on a majority').toHaveLength(3)
  const newEntry = logOf(sim, leaderC).at(-1)
  expect(newEntry?.term, '(c) the leader has an entry of its own term').toBe(
    raft(sim, leaderC)?.currentTerm,
  )
  expect(logOf(sim, a), '(c) the cut-off follower lacks it').toHaveLength(firstBatchEnd)
  const commitIndexAtC = raft(sim, leaderC)?.commitIndex ?? 0

  // (d) leaderC crashes. leaderD restarts and, with a and b, wins: their logs
  // end in term t1, older than its own entry 2. It overwrites a's old entries.
  await sim.kill(leaderC)
  const other = leaderC === s1 ? s2 : s1
  await sim.partition([[leaderD, a, b], [other], [leaderC]])
  await sim.restart(leaderD)
  waitForLeader(sim, 5_000, [leaderD])
  sim.runUntil(() => (raft(sim, leaderD)?.commitIndex ?? 0) >= 3, 2_000)
  expect(
    raft(sim, leaderD)?.commitIndex,
    '(d) the new leader commits its entries',
  ).toBeGreaterThanOrEqual(3)
  expect(holdsOldEntries(sim, a, 2), '(d) the old entry 2 is gone from a').toBe(false)
  return { leaderC, leaderD, overwritten: a, commitIndexAtC }
}
