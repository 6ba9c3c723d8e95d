// Three-phase commit in the simulator: where two-phase commit blocks, the
// participants finish without the coordinator; and a partition, which its
// timeouts take for a crash, splits the decision.
//
// Reference: Skeen, "Nonblocking Commit Protocols", 1981; Bernstein,
// Hadzilacos and Goodman, "Concurrency Control and Recovery", section 7.5.

import { describe, expect, it } from 'vitest'
import { Simulator } from '../../src/main/sim/simulator'
import type { Body } from '../../src/shared/envelope'
import type { ThreePcState } from '../../src/workers/algorithms/twopc/three-phase'

async function bank(): Promise<Simulator> {
  const sim = new Simulator()
  await sim.start({ algorithm: '3pc', nodes: 3, seed: 1 })
  return sim
}

function node(sim: Simulator, id: string): Readonly<ThreePcState> {
  const state = sim.peekState<ThreePcState>(id)
  if (state === undefined) throw new Error(`${id} is down`)
  return state
}

const transfer: Body = { type: 'transfer', from: 'a', to: 'c', amount: 10, msg_id: 1 }

function rules(sim: Simulator): string[] {
  return [...new Set(sim.violations.map((v) => v.rule))].sort()
}

describe('three-phase commit (3pc)', () => {
  it('commits a transfer through prepare, pre-commit and commit', async () => {
    const sim = await bank()
    const kinds: string[] = []
    sim.events((e) => {
      if (e.kind === 'send' && e.src === 'n1' && e.dest === 'n2') kinds.push(e.body.type)
    })
    const reply = await sim.request('n1', transfer)
    expect(reply.ok && reply.body).toMatchObject({ type: 'transfer_ok', tx: 't1' })
    sim.advance(10)
    expect(kinds).toEqual(['prepare', 'pre_commit', 'decision'])
    expect(node(sim, 'n2').accounts.a.balance).toBe(90)
    expect(node(sim, 'n3').accounts.c.balance).toBe(110)
    expect(node(sim, 'n2').committable).toEqual({})
    expect(sim.violations).toEqual([])
  })

  it('does not block: the coordinator dies after the votes, and the participants abort without it', async () => {
    // The scenario in which 2PC blocks (twopc.test.ts). Both are uncertain;
    // nobody can have committed, since nobody got pre_commit: abort.
    const sim = await bank()
    sim.post('c1', 'n1', transfer)
    const prepared = (): boolean =>
      ['n2', 'n3'].every((id) => node(sim, id).prepared.t1 !== undefined)
    expect(sim.runUntil(prepared, 1_000)).toBe(true)
    await sim.kill('n1')
    sim.advance(2_000)
    for (const id of ['n2', 'n3']) {
      expect(node(sim, id).log, id).toEqual([{ tx: 't1', record: 'abort' }])
      expect(node(sim, id).prepared, `${id} released its locks`).toEqual({})
    }
    await sim.restart('n1') // it aborts t1 too: it never sent pre_commit
    sim.advance(1_000)
    expect(node(sim, 'n1').decided.t1).toBe('abort')
    expect(sim.violations).toEqual([])
  })

  it('does not block: the coordinator dies after pre_commit, and the participants commit without it', async () => {
    const sim = await bank()
    sim.post('c1', 'n1', transfer)
    const committable = (): boolean => ['n2', 'n3'].every((id) => node(sim, id).committable.t1)
    expect(sim.runUntil(committable, 1_000)).toBe(true)
    await sim.kill('n1')
    sim.advance(2_000)
    expect(node(sim, 'n2').accounts.a.balance).toBe(90)
    expect(node(sim, 'n3').accounts.c.balance).toBe(110)
    await sim.restart('n1') // its log says pre_commit went out: it commits too
    sim.advance(1_000)
    expect(node(sim, 'n1').decided.t1).toBe('commit')
    expect(sim.violations).toEqual([])
  })

  it('is unsafe under a partition: cut n3 off as pre_commit goes out, and the two sides decide apart', async () => {
    // n1 hears no ack from n3, takes it for dead and commits with n2; n3,
    // uncertain and hearing nobody, takes everyone else for dead and aborts.
    const sim = await bank()
    sim.post('c1', 'n1', transfer)
    expect(sim.runUntil(() => node(sim, 'n1').committable.t1 === true, 1_000)).toBe(true)
    await sim.partition([['n1', 'n2'], ['n3']])
    sim.advance(2_000)
    expect(node(sim, 'n2').log).toEqual([{ tx: 't1', record: 'commit' }])
    expect(node(sim, 'n3').log).toEqual([{ tx: 't1', record: 'abort' }])
    expect(rules(sim)).toEqual(['Atomicity', 'Money Conserved'])
  })
})
