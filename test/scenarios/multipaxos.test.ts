// Multi-Paxos in the simulator (Lamport, "Paxos Made Simple", section 3): a
// leader elected by one phase 1 for every slot, writes committed by phase 2
// alone, a leader killed and replaced, a partition healed, lagging and
// restarted replicas catching up, and a gap in the log filled with a no-op.
// Each test reads init / act / check; the invariant checker
// (src/main/check/multipaxos-invariants.ts) watches every run.

import { describe, expect, it } from 'vitest'
import { Simulator } from '../../src/main/sim/simulator'
import type { TraceEvent } from '../../src/shared/trace'
import type { MultiPaxosState } from '../../src/workers/algorithms/multipaxos/multipaxos'
import { expectNoViolations, waitForLeader } from './helpers'

async function multipaxos(nodes: number, seed: number): Promise<Simulator> {
  const sim = new Simulator()
  await sim.start({ algorithm: 'multipaxos', nodes, seed })
  return sim
}

function node(sim: Simulator, id: string): Readonly<MultiPaxosState> {
  const state = sim.peekState<MultiPaxosState>(id)
  if (state === undefined) throw new Error(`${id} is down`)
  return state
}

/**
 * The leader once the election has settled. Two nodes can run phase 1 at
 * nearly the same time; the higher ballot then wins even after the lower one
 * has heard its promises (Paxos has no "one vote per term"), so wait a little.
 */
function settledLeader(sim: Simulator, limitMs = 2_000, among?: string[]): string {
  waitForLeader(sim, limitMs, among)
  sim.advance(100)
  return waitForLeader(sim, limitMs, among)
}

/** One request to `id`, run to its reply: the reply's type (or value, for reads), or 'timeout'. */
async function ask(sim: Simulator, id: string, body: Record<string, unknown>, timeoutMs = 500) {
  const reply = await sim.request(id, { type: String(body.type), ...body }, { timeoutMs })
  if (!reply.ok) return 'timeout'
  return reply.body.type === 'read_ok' ? reply.body.value : reply.body.type
}

const write = (sim: Simulator, id: string, key: string, value: unknown, timeoutMs?: number) =>
  ask(sim, id, { type: 'write', key, value }, timeoutMs)
const read = (sim: Simulator, id: string, key: string) => ask(sim, id, { type: 'read', key })

/** Every live node has learned the same commands and holds the same store. */
function expectConverged(sim: Simulator): void {
  const live = sim.nodeIds().filter((id) => sim.status(id) === 'up')
  const first = node(sim, live[0])
  for (const id of live) {
    expect(node(sim, id).chosen, `what ${id} learned`).toEqual(first.chosen)
    expect(node(sim, id).kv, `the store of ${id}`).toEqual(first.kv)
    expect(node(sim, id).applied).toBe(first.chosen.length)
  }
}

/** Counts the messages of each type sent from now on. */
function countSends(sim: Simulator): Map<string, number> {
  const counts = new Map<string, number>()
  sim.events((event: TraceEvent) => {
    if (event.kind === 'send') counts.set(event.body.type, (counts.get(event.body.type) ?? 0) + 1)
  })
  return counts
}

describe('Multi-Paxos: election and replication (section 3)', () => {
  it('elects a leader with one phase 1, then commits writes with phase 2 alone', async () => {
    const sim = await multipaxos(5, 1)
    const leader = settledLeader(sim)
    const sends = countSends(sim)
    for (let i = 1; i <= 20; i++) expect(await write(sim, leader, 'x', i)).toBe('write_ok')
    expect(await read(sim, leader, 'x')).toBe(20)
    expect(await ask(sim, leader, { type: 'cas', key: 'x', from: 20, to: 21 })).toBe('cas_ok')
    expect(await ask(sim, leader, { type: 'cas', key: 'x', from: 20, to: 22 })).toBe('error')
    sim.advance(200)
    // A stable leader skips phase 1: 23 commands, no Prepare, no Promise.
    expect(sends.get('prepare') ?? 0).toBe(0)
    expect(sends.get('promise') ?? 0).toBe(0)
    expect(sends.get('accept')).toBeGreaterThan(0)
    expectConverged(sim)
    expect(node(sim, leader).kv).toEqual({ x: 21 })
    expectNoViolations(sim)
  })

  it('points a client at the leader, and answers a read of a missing key with code 20', async () => {
    const sim = await multipaxos(3, 2)
    const leader = settledLeader(sim)
    const follower = sim.nodeIds().find((id) => id !== leader) ?? ''
    const reply = await sim.request(follower, { type: 'write', key: 'x', value: 1 })
    expect(reply.ok && reply.body).toMatchObject({ type: 'error', code: 11, leader })
    const missing = await sim.request(leader, { type: 'read', key: 'nothing' })
    expect(missing.ok && missing.body).toMatchObject({ type: 'error', code: 20 })
  })

  it('replaces a killed leader; the new one keeps every chosen write', async () => {
    const sim = await multipaxos(5, 3)
    const first = settledLeader(sim)
    for (let i = 1; i <= 5; i++) expect(await write(sim, first, 'x', i)).toBe('write_ok')
    await sim.kill(first)
    const second = settledLeader(sim)
    expect(second).not.toBe(first)
    expect(node(sim, second).ballot.round).toBeGreaterThan(1)
    expect(await read(sim, second, 'x')).toBe(5)
    expect(await write(sim, second, 'x', 6)).toBe('write_ok')
    // The old leader comes back as a follower and learns what it missed.
    await sim.restart(first)
    sim.advance(500)
    expect(node(sim, first).role).toBe('follower')
    expectConverged(sim)
    expect(node(sim, first).kv).toEqual({ x: 6 })
    expectNoViolations(sim)
  })

  it('commits in the majority of a partition, not in the minority; all agree after heal', async () => {
    const sim = await multipaxos(5, 4)
    const old = settledLeader(sim)
    expect(await write(sim, old, 'x', 'before')).toBe('write_ok')
    const others = sim.nodeIds().filter((id) => id !== old)
    const minority = [old, others[0]]
    const majority = others.slice(1)
    await sim.partition([minority, majority])
    // The old leader still thinks it leads, but no majority accepts its proposal.
    expect(await write(sim, old, 'x', 'minority')).toBe('timeout')
    const next = settledLeader(sim, 2_000, majority)
    expect(await write(sim, next, 'x', 'majority')).toBe('write_ok')
    await sim.heal()
    sim.advance(500)
    // The old leader saw the higher ballot and stepped down; its proposal was never chosen.
    expect(node(sim, old).role).toBe('follower')
    expectConverged(sim)
    expect(node(sim, old).kv).toEqual({ x: 'majority' })
    expect(JSON.stringify(node(sim, old).chosen)).not.toContain('"minority"')
    expectNoViolations(sim)
  })
})

describe('Multi-Paxos: learners catch up', () => {
  it('a replica that was down learns every slot it missed, in batches', async () => {
    const sim = await multipaxos(5, 5)
    const leader = settledLeader(sim)
    const lagging = sim.nodeIds().find((id) => id !== leader) ?? ''
    await sim.kill(lagging)
    // More slots than one Accept carries (slotsPerMessageMax is 64).
    for (let i = 0; i < 150; i++) expect(await write(sim, leader, `k${i % 7}`, i)).toBe('write_ok')
    await sim.restart(lagging)
    expect(node(sim, lagging).chosen).toEqual([]) // learning is volatile: it starts over
    sim.advance(1_000)
    expect(node(sim, lagging).chosen).toHaveLength(node(sim, leader).chosen.length)
    expectConverged(sim)
    expectNoViolations(sim)
  })

  it('a restarted replica learns from a later leader the slots an earlier one chose (Chosen)', async () => {
    const sim = await multipaxos(5, 6)
    const first = settledLeader(sim)
    for (let i = 0; i < 10; i++) expect(await write(sim, first, 'x', i)).toBe('write_ok')
    sim.advance(100) // heartbeats tell everyone what is chosen
    const lagging = sim.nodeIds().find((id) => id !== first) ?? ''
    await sim.kill(lagging)
    await sim.kill(first)
    const second = settledLeader(sim)
    // The new leader's phase 1 began past the slots it knew were chosen.
    expect(node(sim, second).firstSlot).toBeGreaterThanOrEqual(10)
    const sends = countSends(sim)
    await sim.restart(lagging)
    sim.advance(500)
    // Those slots hold the first leader's ballot at the lagging replica, so only
    // a Chosen message can teach it them.
    expect(sends.get('chosen')).toBeGreaterThan(0)
    expectConverged(sim)
    expect(node(sim, lagging).kv).toEqual({ x: 9 })
    expectNoViolations(sim)
  })

  it('loses nothing chosen when every node restarts: phase 1 recovers it all', async () => {
    const sim = await multipaxos(3, 7)
    const leader = settledLeader(sim)
    for (let i = 0; i < 30; i++) expect(await write(sim, leader, `k${i % 3}`, i)).toBe('write_ok')
    for (const id of sim.nodeIds()) await sim.kill(id)
    for (const id of sim.nodeIds()) await sim.restart(id)
    const next = settledLeader(sim)
    expect(node(sim, next).firstSlot).toBe(0) // it knew nothing: phase 1 from slot 0
    expect(await read(sim, next, 'k2')).toBe(29)
    expect(node(sim, next).kv).toEqual({ k0: 27, k1: 28, k2: 29 })
    expectNoViolations(sim)
  })

  it('fills a gap that phase 1 finds with a no-op, and keeps the slot after it', async () => {
    const sim = await multipaxos(5, 8)
    const old = settledLeader(sim)
    const [f1, ...rest] = sim.nodeIds().filter((id) => id !== old)
    expect(await write(sim, old, 'x', 'first')).toBe('write_ok')
    const gap = node(sim, old).nextSlot
    // Slot `gap` reaches no one but the leader; slot `gap + 1` reaches f1 only.
    for (const id of rest) await sim.setLink(old, id, { loss: 1 })
    await sim.setLink(old, f1, { loss: 1 })
    sim.post('c1', old, { type: 'write', key: 'x', value: 'lost', msg_id: 101 })
    sim.advance(5)
    await sim.setLink(old, f1, { loss: 0 })
    sim.post('c2', old, { type: 'write', key: 'y', value: 'kept', msg_id: 102 })
    sim.advance(5) // before the next heartbeat sends slot `gap` again
    expect(node(sim, f1).accepted[gap].ballot.round).toBe(0)
    expect(node(sim, f1).accepted[gap + 1].command).toMatchObject({ key: 'y', value: 'kept' })
    await sim.kill(old)
    await sim.setLink('*', '*', { loss: 0 })
    const next = settledLeader(sim)
    sim.advance(200)
    // Section 3: the new leader proposes a no-op in the gap, and f1's command after it.
    expect(node(sim, next).chosen[gap]).toBeNull()
    expect(node(sim, next).chosen[gap + 1]).toMatchObject({ key: 'y', value: 'kept' })
    expect(node(sim, next).kv).toEqual({ x: 'first', y: 'kept' })
    expectNoViolations(sim)
  })
})
