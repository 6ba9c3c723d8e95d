// Leader election, Raft paper section 5.2, in the simulator. Each test states
// its fault schedule; all run with fixed seeds and end by checking that no
// invariant (Figure 3) was broken.

import { describe, expect, it } from 'vitest'
import { randomStream } from '../../src/shared/random'
import { expectNoViolations, raft, raftCluster, waitForLeader } from './helpers'

describe('Raft leader election (section 5.2)', () => {
  it('elects one leader, which all agree on and which keeps leading while nothing fails', async () => {
    // Faults: none.
    const sim = await raftCluster(5, 1)
    const leader = waitForLeader(sim, 1_000)
    sim.advance(500) // heartbeats reach everyone
    const term = raft(sim, leader)?.currentTerm
    for (const id of sim.nodeIds()) {
      expect(raft(sim, id)?.currentTerm, id).toBe(term)
      expect(raft(sim, id)?.leaderId, id).toBe(leader)
    }
    // Ten quiet seconds: heartbeats hold off every election timer (5.2).
    sim.advance(10_000)
    expect(sim.leader()).toBe(leader)
    for (const id of sim.nodeIds()) expect(raft(sim, id)?.currentTerm, id).toBe(term)
    expectNoViolations(sim)
  })

  it('elects a new leader of a higher term after the leader dies, and the old one rejoins as a follower', async () => {
    // Faults: kill the leader; after a new election, restart it.
    const sim = await raftCluster(5, 2)
    const first = waitForLeader(sim)
    const firstTerm = raft(sim, first)?.currentTerm ?? 0
    await sim.kill(first)
    const second = waitForLeader(sim, 1_000)
    expect(second).not.toBe(first)
    expect(raft(sim, second)?.currentTerm).toBeGreaterThan(firstTerm)
    await sim.restart(first)
    sim.advance(500)
    expect(raft(sim, first)?.role).toBe('follower')
    expect(raft(sim, first)?.currentTerm).toBe(raft(sim, second)?.currentTerm)
    expect(sim.leader()).toBe(second)
    expectNoViolations(sim)
  })

  it('elects no leader without a majority, and one as soon as a majority is back', async () => {
    // Faults: kill three of five nodes; later restart one of them.
    const sim = await raftCluster(5, 3)
    const leader = waitForLeader(sim)
    const others = sim.nodeIds().filter((id) => id !== leader)
    await sim.kill(leader)
    await sim.kill(others[0])
    await sim.kill(others[1])
    // The two survivors keep starting elections, and can never win one: 2 of 5.
    sim.advance(5_000)
    expect(sim.leader()).toBeNull()
    expect(raft(sim, others[2])?.currentTerm).toBeGreaterThan(3)
    await sim.restart(others[0])
    const next = waitForLeader(sim, 2_000)
    expect([others[0], others[2], others[3]]).toContain(next)
    expectNoViolations(sim)
  })

  it('keeps electing leaders through many random crashes and restarts', async () => {
    // Faults: 30 rounds, each killing a random node and restarting a dead one,
    // keeping at least a majority alive; a round lasts 1 s of virtual time.
    const sim = await raftCluster(5, 4)
    const random = randomStream(4, 'test-crashes')
    const ids = sim.nodeIds()
    let elections = 0
    for (let round = 0; round < 30; round++) {
      const up = ids.filter((id) => sim.status(id) === 'up')
      const down = ids.filter((id) => sim.status(id) === 'dead')
      if (down.length > 0 && random() < 0.6)
        await sim.restart(down[Math.floor(random() * down.length)])
      if (up.length > 3) await sim.kill(up[Math.floor(random() * up.length)])
      const leader = waitForLeader(sim, 2_000)
      expect(sim.status(leader)).toBe('up')
      elections++
      sim.advance(1_000)
    }
    expect(elections).toBe(30)
    expectNoViolations(sim)
  })

  it('resolves split votes thanks to randomized timeouts', async () => {
    // Faults: slow links (20-60 ms) in a four-node cluster, so that candidates
    // often overlap and split the vote (no one gets 3 of 4). A split shows as a
    // leader elected in a term above 1. Randomized timeouts must end every split.
    let splits = 0
    for (let seed = 1; seed <= 40; seed++) {
      const sim = await raftCluster(4, seed, { delayMsMin: 20, delayMsMax: 60 })
      const leader = waitForLeader(sim, 5_000)
      if ((raft(sim, leader)?.currentTerm ?? 0) > 1) splits++
      expectNoViolations(sim)
    }
    expect(splits, 'no seed produced a split vote: the test would prove nothing').toBeGreaterThan(0)
  })
})
