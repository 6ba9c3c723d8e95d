// A Raft-aware nemesis aimed at the trap of Figure 8 (Raft section 5.4.2): an
// entry of an earlier term stored on a majority can still be overwritten by a
// later leader, so a Raft that commits it by counting replicas loses it. The
// shape it builds, with the paper's servers S1..S5 (which node plays which part
// is decided when the run gets there):
//
//   (a) split-leader: the leader S1 is cut off with one follower S2 and sent a
//       burst of writes, which only those two store.
//   (b) crash-next-leader: S3, S4, S5 elect S5, which is cut off alone and
//       crashes the moment it wins, so that its entry of the newer term stays
//       on it alone; S1 and S2 rejoin S3 and S4. S5 restarts, still cut off.
//   (c) cut-repair: S1 or S2 wins a later term and repairs S3 and S4. A new
//       leader's first message to a follower carries the old entries and its
//       own no-op together (raft.ts becomeLeader), so the old entries reach a
//       majority first only when the repair takes several messages, that is
//       when the burst is longer than one AppendEntries holds. In the middle of
//       that repair the leader is cut off, with the followers that have its
//       own entry, from those that do not have it yet, and crashes.
//   (d) S5, whose last term is newer than theirs, wins with S3 and S4 and
//       overwrites the old entries. If the leader of (c) committed them, the
//       invariants see a leader without a committed entry.
//
// The cut-off leaders of (b) and (c) crash, as in the paper. Left running, they
// would still call themselves leaders of terms the others have left behind, and
// the invariant checks hold every leader of a later term than an entry's to
// that entry once it commits, even one cut off before the commit.
//
// Each step is a fault of its own at a random time, so a schedule may hold the
// steps at any distance and shrinking can drop what a failure does not need.
// The moments (b) and (c) aim at last one message delay (1-3 ms), so those
// steps watch the cluster every millisecond for a while and act when they see
// the moment, deciding from the nodes' state as the other Raft-aware faults do.

import { randomInt, type Random } from '../../shared/random'
import type { RaftState } from '../../workers/algorithms/raft/raft'
import type { Simulator } from '../sim/simulator'

export type Figure8Fault =
  /** Bring every node back; cut the leader off with the `follower`-th (0-3) of the others and send it `writes` writes. */
  | { at: number; action: 'split-leader'; follower: number; writes: number }
  /** Watch for a leader of a newer term than now; the moment it wins, cut it off alone, crash it, and restart it `downMs` later. */
  | { at: number; action: 'crash-next-leader'; watchMs: number; downMs: number }
  /** Watch for a leader repairing a follower over several messages; cut it off mid-repair and crash it. */
  | { at: number; action: 'cut-repair'; watchMs: number }

/** The burst goes to a key of its own from a client of its own, outside the checked history. */
const burstKey = 'figure8'
const burstClient = 'c99'
/**
 * From (a) to the end of (d) takes about this long. Each election takes 150-300
 * ms when it goes well, but can take a second or more: a candidate whose log is
 * too short to win still makes the others wait again (becomeFollower resets the
 * election timer).
 */
export const figure8Ms = 3_000

/** The three steps, at random times drawn from `random`, within `faultsMs`. */
export function figure8Faults(random: Random, faultsMs: number): Figure8Fault[] {
  const start = Math.floor(random() * Math.max(1, faultsMs - figure8Ms))
  return [
    {
      at: start,
      action: 'split-leader',
      follower: randomInt(random, 0, 3),
      // Around one AppendEntries' worth (64): too few, and the repair of (c) takes one message.
      writes: randomInt(random, 48, 192),
    },
    {
      at: start + randomInt(random, 0, 100),
      action: 'crash-next-leader',
      watchMs: randomInt(random, 500, 1_500),
      downMs: randomInt(random, 1, 300),
    },
    {
      at: start + randomInt(random, 100, 500),
      action: 'cut-repair',
      watchMs: randomInt(random, 1_000, 2_500),
    },
  ]
}

/**
 * Runs one step; it does nothing when the cluster is not in a shape it can use.
 * It watches no longer than `faultsEndMs`, when the faults stop and the run settles.
 */
export function applyFigure8(sim: Simulator, fault: Figure8Fault, faultsEndMs: number): void {
  if (fault.action === 'split-leader') return splitLeader(sim, fault.follower, fault.writes)
  const until = Math.min(sim.now() + fault.watchMs, faultsEndMs)
  if (fault.action === 'cut-repair') {
    const tookOffice = new Map<string, number>()
    return watch(sim, until, () => cutRepair(sim, tookOffice))
  }
  const termBefore = leaderTerm(sim)
  watch(sim, until, () => {
    const leader = sim.leader()
    if (leader === null || leaderTerm(sim) <= termBefore) return false
    // Its first AppendEntries, with its no-op, is on the way: the partition drops
    // it (a crash alone would not: a message sent is sent). The others rejoin.
    void sim.partition([[leader]])
    void sim.kill(leader)
    sim.schedule(fault.downMs, () => {
      if (sim.status(leader) === 'dead') void sim.restart(leader)
    })
    return true
  })
}

export function describeFigure8(fault: Figure8Fault): string {
  switch (fault.action) {
    case 'split-leader':
      return `(restart and resume every node; cut the leader off with one follower, and send the leader ${fault.writes} writes)`
    case 'crash-next-leader':
      return `(within ${fault.watchMs} ms: the moment a new leader wins, cut it off alone, the others together, and kill it; restart it ${fault.downMs} ms later)`
    case 'cut-repair':
      return `(within ${fault.watchMs} ms: when the leader has repaired a follower only part way, cut it off with the followers that have its own entries, and kill it)`
  }
}

function splitLeader(sim: Simulator, pick: number, writes: number): void {
  const leader = sim.leader()
  if (leader === null) return
  // As in Figure 8 (a), all five take part: the majority must be able to elect.
  for (const id of sim.nodeIds()) {
    if (sim.status(id) === 'dead') void sim.restart(id)
    if (sim.status(id) === 'paused') void sim.resume(id)
  }
  const followers = sim.nodeIds().filter((id) => id !== leader)
  void sim.partition([[leader, followers[pick % followers.length]]])
  for (let i = 0; i < writes; i++) {
    sim.post(burstClient, leader, { type: 'write', key: burstKey, value: i, msg_id: i + 1 })
  }
}

/**
 * Acts at the moment of Figure 8 (c): the leader has stored entries of earlier
 * terms on a majority, past what was committed when it took office (`tookOffice`
 * remembers that, per leader and term), but not yet an entry of its own term.
 */
function cutRepair(sim: Simulator, tookOffice: Map<string, number>): boolean {
  const leader = sim.leader()
  const state = leader === null ? undefined : sim.peekState<RaftState>(leader)
  // Another algorithm's leader has no Raft log to look at: nothing to do.
  if (leader === null || state === undefined || !Array.isArray(state.log)) return false
  const office = `${leader}:${state.currentTerm}`
  const committedBefore = tookOffice.get(office) ?? state.commitIndex
  tookOffice.set(office, committedBefore)
  // The first entry of the leader's own term (its no-op), searched from the end.
  let ownFirst = 0
  for (let index = state.log.length; index > 0; index--) {
    if (state.log[index - 1].term !== state.currentTerm) break
    ownFirst = index
  }
  const peers = sim.nodeIds().filter((id) => id !== leader)
  const matched = (id: string): number => state.matchIndex[id] ?? 0
  // The highest index stored on a majority: the median of what each server holds.
  const held = [state.log.length, ...peers.map(matched)].sort((a, b) => b - a)
  const onMajority = held[Math.floor(held.length / 2)]
  if (ownFirst === 0 || onMajority >= ownFirst || onMajority <= committedBefore) return false
  void sim.partition([[leader, ...peers.filter((id) => matched(id) >= ownFirst)]])
  void sim.kill(leader)
  return true
}

function leaderTerm(sim: Simulator): number {
  const leader = sim.leader()
  return leader === null ? 0 : (sim.peekState<RaftState>(leader)?.currentTerm ?? 0)
}

/** Calls `act` now and every millisecond after, until it acts or the time is `until`. */
function watch(sim: Simulator, until: number, act: () => boolean): void {
  const poll = (): void => {
    if (act() || sim.now() >= until) return
    sim.schedule(1, poll)
  }
  poll()
}
