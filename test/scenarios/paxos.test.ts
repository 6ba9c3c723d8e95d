// Single-decree Paxos in the simulator (Lamport, "Paxos Made Simple"): the
// reference chooses one value and tells every client that value; each broken
// variant is driven into the exact crash, partition or timing that breaks it,
// and the invariant checker (src/main/check/paxos-invariants.ts) must say so.
// The same script run on the reference must break nothing.

import { describe, expect, it } from 'vitest'
import { Simulator } from '../../src/main/sim/simulator'
import type { PaxosState } from '../../src/workers/algorithms/paxos/paxos'

async function paxos(nodes: number, seed: number, variant?: string): Promise<Simulator> {
  const sim = new Simulator()
  await sim.start({
    algorithm: 'paxos',
    nodes,
    seed,
    ...(variant === undefined ? {} : { variant }),
  })
  return sim
}

/** Asks `node` to propose `value` and runs until the answer: the chosen value, or 'timeout'. */
async function propose(sim: Simulator, node: string, value: unknown, client = 'c1') {
  const reply = await sim.request(node, { type: 'propose', value }, { client, timeoutMs: 1_000 })
  return reply.ok ? reply.body.value : 'timeout'
}

function paxosState(sim: Simulator, id: string): Readonly<PaxosState> {
  const state = sim.peekState<PaxosState>(id)
  if (state === undefined) throw new Error(`${id} is down`)
  return state
}

const rules = (sim: Simulator): string[] => sim.violations.map((v) => v.rule)

/** Cuts the link between two nodes both ways (a partial partition: each still reaches the rest). */
async function cut(sim: Simulator, a: string, b: string): Promise<void> {
  await sim.setLink(a, b, { loss: 1 })
  await sim.setLink(b, a, { loss: 1 })
}

describe('Paxos (reference)', () => {
  it('chooses the first value proposed, and answers every later proposer with it (2.2)', async () => {
    const sim = await paxos(3, 1)
    expect(await propose(sim, 'n1', 'A')).toBe('A')
    // Phase 1 finds A accepted, and rule P2c makes the second proposer propose A.
    expect(await propose(sim, 'n2', 'B', 'c2')).toBe('A')
    expect(await propose(sim, 'n3', 'C', 'c3')).toBe('A')
    sim.advance(100)
    for (const id of sim.nodeIds()) expect(paxosState(sim, id).chosen).toEqual({ value: 'A' })
    expect(sim.violations).toEqual([])
  })

  it('chooses in a majority, not in a minority; the minority learns the value after heal (2.3)', async () => {
    const sim = await paxos(5, 2)
    await sim.partition([
      ['n1', 'n2'],
      ['n3', 'n4', 'n5'],
    ])
    expect(await propose(sim, 'n1', 'minority')).toBe('timeout')
    expect(await propose(sim, 'n4', 'majority', 'c2')).toBe('majority')
    await sim.heal()
    // n1 still retries for its client; its next ballot finds the chosen value.
    expect(sim.runUntil(() => paxosState(sim, 'n1').chosen !== null, 2_000)).toBe(true)
    expect(paxosState(sim, 'n1').chosen).toEqual({ value: 'majority' })
    expect(await propose(sim, 'n2', 'late', 'c3')).toBe('majority')
    expect(sim.violations).toEqual([])
  })

  it('keeps its promise and its accepted value across a restart (2.3)', async () => {
    const sim = await paxos(3, 3)
    expect(await propose(sim, 'n1', 'A')).toBe('A')
    await sim.kill('n2')
    const saved = (await sim.inspect('n2')).saved
    expect(saved).toMatchObject({
      promisedBallot: { round: 1, node: 'n1' },
      acceptedBallot: { round: 1, node: 'n1' },
      acceptedValue: 'A',
    })
    await sim.restart('n2')
    await sim.kill('n1')
    // n1's acceptance is gone with it: n2 and n3 must still find A, from n2's saved state.
    expect(await propose(sim, 'n3', 'B', 'c2')).toBe('A')
    expect(sim.violations).toEqual([])
  })
})

/**
 * Forgets-promise: n3 promises n2's ballot 1.n2, crashes and restarts having
 * forgotten it, then promises and accepts n1's lower ballot 1.n1 (A is chosen
 * by n1 and n3); n2's delayed Accept 1.n2 then arrives, and n3 accepts B too (B
 * is chosen by n2 and n3). n1 and n2 cannot hear each other, so neither learns
 * of the other's proposal through its own acceptor.
 */
async function forgottenPromise(variant?: string): Promise<Simulator> {
  const sim = await paxos(3, 4, variant)
  await cut(sim, 'n1', 'n2')
  sim.post('c2', 'n2', { type: 'propose', value: 'B', msg_id: 1 })
  const promised = () => paxosState(sim, 'n3').promisedBallot.node === 'n2'
  expect(sim.runUntil(promised, 100)).toBe(true)
  await sim.setLink('n2', 'n3', { delayMsMin: 50, delayMsMax: 50 }) // n2's Accept will be late
  await sim.kill('n3')
  await sim.restart('n3')
  sim.post('c1', 'n1', { type: 'propose', value: 'A', msg_id: 1 })
  sim.advance(1_000)
  return sim
}

describe('Paxos variants: each breaks a rule the checker sees', () => {
  it('forgets-promise: after a restart, n3 accepts a lower ballot; two values are chosen (seed 4)', async () => {
    const sim = await forgottenPromise('forgets-promise')
    expect(rules(sim)).toContain('Only a single value is chosen')
    expect(sim.violations[0].message).toMatch(
      /"A" was chosen in ballot 1\.n1, and then "B" in ballot 1\.n2/,
    )
  })

  it('the reference keeps its promise through the same crash: one value (seed 4)', async () => {
    const sim = await forgottenPromise()
    expect(sim.violations).toEqual([])
    const chosen = sim.nodeIds().map((id) => paxosState(sim, id).chosen)
    expect(new Set(chosen.map((c) => JSON.stringify(c))).size).toBe(1)
  })

  /**
   * Ignores-accepted: A is chosen by n1 and n2 while n3 is cut off; then n3,
   * with n2 only, runs a higher ballot. n2's promise reports (1.n1, A).
   */
  async function secondProposer(variant?: string): Promise<{ sim: Simulator; second: unknown }> {
    const sim = await paxos(3, 5, variant)
    await sim.partition([['n1', 'n2'], ['n3']])
    expect(await propose(sim, 'n1', 'A')).toBe('A')
    await sim.partition([['n1'], ['n2', 'n3']])
    const second = await propose(sim, 'n3', 'B', 'c2')
    return { sim, second }
  }

  it('ignores-accepted: the second proposer proposes its own value; two are chosen (seed 5)', async () => {
    const { sim, second } = await secondProposer('ignores-accepted')
    expect(second).toBe('B')
    expect(rules(sim)).toContain('Only a single value is chosen')
  })

  it('the reference proposes the accepted value it was told of (P2c, seed 5)', async () => {
    const { sim, second } = await secondProposer()
    expect(second).toBe('A')
    expect(sim.violations).toEqual([])
  })

  /** Minority-quorum: two of five learn A on their own; the other three choose B. */
  async function twoMinorities(variant?: string) {
    const sim = await paxos(5, 6, variant)
    await sim.partition([
      ['n1', 'n2'],
      ['n3', 'n4', 'n5'],
    ])
    const first = await propose(sim, 'n1', 'A')
    const second = await propose(sim, 'n3', 'B', 'c2')
    return { sim, first, second }
  }

  it('minority-quorum: two of five learn a value no majority accepted (seed 6)', async () => {
    const { sim, first, second } = await twoMinorities('minority-quorum')
    expect([first, second]).toEqual(['A', 'B'])
    expect(rules(sim)).toContain('Learn only what is chosen')
    expect(sim.violations[0].message).toMatch(/n[12] learned "A", but no majority/)
  })

  it('the reference chooses nothing in the minority (seed 6)', async () => {
    const { sim, first, second } = await twoMinorities()
    expect([first, second]).toEqual(['timeout', 'B'])
    expect(sim.violations).toEqual([])
  })
})

describe('dueling proposers (section 2.4)', () => {
  /**
   * Every node of three proposes at once, over links that all take exactly
   * 5 ms: the most even race there is. How far they got after 5 s.
   */
  async function duel(variant?: string) {
    const sim = await paxos(3, 7, variant)
    await sim.setLink('*', '*', { delayMsMin: 5, delayMsMax: 5 })
    for (const [i, node] of ['n1', 'n2', 'n3'].entries()) {
      sim.post(`c${i + 1}`, node, { type: 'propose', value: node, msg_id: 1 })
    }
    sim.advance(5_000)
    const rounds = Math.max(...sim.nodeIds().map((id) => paxosState(sim, id).promisedBallot.round))
    const chosen = sim.nodeIds().filter((id) => paxosState(sim, id).chosen !== null)
    return { sim, rounds, chosen }
  }

  it('no-backoff: proposers that retry at once pre-empt each other and choose nothing (seed 7)', async () => {
    const { sim, rounds, chosen } = await duel('no-backoff')
    expect(chosen).toEqual([])
    expect(rounds).toBeGreaterThan(100) // ballot after ballot, each cut short by the next
    expect(sim.violations).toEqual([]) // a livelock is not unsafe: nothing is chosen at all
  })

  it('the reference backs off for a random time and chooses in a few rounds (seed 7)', async () => {
    const { sim, rounds, chosen } = await duel()
    expect(chosen).toHaveLength(3)
    expect(rounds).toBeLessThan(10)
    expect(sim.violations).toEqual([])
  })
})
