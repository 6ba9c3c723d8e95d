// Two-phase commit in the simulator: transfers that happen at every
// participant or at none, balances, the blocking that a coordinator's crash
// causes, recovery from the coordinator's log, the two concurrency controls
// compared, and the broken variants each caught by the checker.
//
// Reference: Bernstein, Hadzilacos and Goodman, "Concurrency Control and
// Recovery in Database Systems", 1987, chapter 7 (section numbers below).

import { describe, expect, it } from 'vitest'
import { Simulator } from '../../src/main/sim/simulator'
import type { Body } from '../../src/shared/envelope'
import type { TwoPcState } from '../../src/workers/algorithms/twopc/twopc'

/** A bank of `nodes` nodes: n1 coordinates, n2 holds a and b, n3 c and d, ... */
async function bank(
  algorithm: string,
  options: { nodes?: number; seed?: number; variant?: string } = {},
): Promise<Simulator> {
  const sim = new Simulator()
  await sim.start({
    algorithm,
    nodes: options.nodes ?? 3,
    seed: options.seed ?? 1,
    ...(options.variant === undefined ? {} : { variant: options.variant }),
  })
  return sim
}

function node(sim: Simulator, id: string): Readonly<TwoPcState> {
  const state = sim.peekState<TwoPcState>(id)
  if (state === undefined) throw new Error(`${id} is down`)
  return state
}

/** One request, run to its reply; the reply's body, or 'timeout'. */
async function ask(
  sim: Simulator,
  to: string,
  body: Body,
  timeoutMs = 2_000,
): Promise<Body | 'timeout'> {
  const result = await sim.request(to, body, { timeoutMs })
  return result.ok ? result.body : 'timeout'
}

const transfer = (from: string, to: string, amount: number): Body => ({
  type: 'transfer',
  from,
  to,
  amount,
})
const balance = (account: string): Body => ({ type: 'balance', account })

async function balanceOf(sim: Simulator, account: string, via = 'n1'): Promise<unknown> {
  const reply = await ask(sim, via, balance(account))
  return reply === 'timeout' || reply.type !== 'balance_ok' ? reply : reply.balance
}

function rules(sim: Simulator): string[] {
  return [...new Set(sim.violations.map((v) => v.rule))].sort()
}

/** Runs until `id` has voted yes on `tx` (its yes is on the wire). */
function untilPrepared(sim: Simulator, ids: string[], tx: string): void {
  const prepared = (): boolean => ids.every((id) => node(sim, id).prepared[tx] !== undefined)
  expect(sim.runUntil(prepared, 1_000), `${ids.join(', ')} did not prepare ${tx}`).toBe(true)
}

describe('two-phase commit (2pc)', () => {
  it('commits a transfer at both participants; the balances add up', async () => {
    // Section 7.3: all vote yes, the decision is commit, both apply it.
    const sim = await bank('2pc')
    expect(await ask(sim, 'n1', transfer('a', 'c', 10))).toMatchObject({
      type: 'transfer_ok',
      tx: 't1',
    })
    sim.advance(10) // the client hears of the decision as the participants do, not after
    expect(await balanceOf(sim, 'a')).toBe(90)
    expect(await balanceOf(sim, 'c', 'n3')).toBe(110)
    const total = await Promise.all(['a', 'b', 'c', 'd'].map((a) => balanceOf(sim, a)))
    expect(total.reduce((sum: number, b) => sum + Number(b), 0)).toBe(400)
    expect(node(sim, 'n1').log.map((r) => r.record)).toEqual(['start', 'commit'])
    expect(node(sim, 'n2').log).toEqual([{ tx: 't1', record: 'commit' }])
    expect(node(sim, 'n2').accounts.a).toEqual({ balance: 90, version: 1 })
    expect(sim.violations).toEqual([])
  })

  it('aborts (code 14) when the payer lacks the money, and changes nothing', async () => {
    const sim = await bank('2pc')
    const reply = await ask(sim, 'n1', transfer('a', 'c', 150))
    expect(reply).toMatchObject({ type: 'error', code: 14 })
    expect((reply as Body).text).toBe('t1 aborted: n2 voted no: a holds 100, not 150')
    expect(await balanceOf(sim, 'a')).toBe(100)
    expect(await balanceOf(sim, 'c')).toBe(100)
    expect(node(sim, 'n3').log).toEqual([{ tx: 't1', record: 'abort' }])
    expect(sim.violations).toEqual([])
  })

  it('runs a transfer between two accounts of one participant with one vote', async () => {
    const sim = await bank('2pc')
    expect(await ask(sim, 'n1', transfer('b', 'a', 30))).toMatchObject({ type: 'transfer_ok' })
    sim.advance(10) // the client hears of the decision as the participants do, not after
    expect(node(sim, 'n2').accounts).toEqual({
      a: { balance: 130, version: 1 },
      b: { balance: 70, version: 1 },
    })
    expect(node(sim, 'n3').log).toEqual([])
  })

  it('answers bad requests with a clear error and no transaction', async () => {
    const sim = await bank('2pc')
    expect(await ask(sim, 'n1', transfer('a', 'z', 1))).toMatchObject({
      code: 20,
      text: 'there is no account z',
    })
    expect(await ask(sim, 'n1', transfer('a', 'a', 1))).toMatchObject({ code: 12 })
    expect(await ask(sim, 'n1', transfer('a', 'c', -5))).toMatchObject({ code: 12 })
    expect(await ask(sim, 'n1', transfer('a', 'c', 1.5))).toMatchObject({ code: 12 })
    expect(await ask(sim, 'n2', transfer('a', 'c', 1))).toMatchObject({
      code: 11,
      text: 'only the coordinator n1 runs transfers',
    })
    expect(await ask(sim, 'n3', balance('q'))).toMatchObject({ code: 20 })
    expect(node(sim, 'n1').log).toEqual([])
  })

  it('answers a balance read at the holder, whichever node was asked', async () => {
    const sim = await bank('2pc', { nodes: 4 })
    const result = await sim.request('n2', balance('e'))
    expect(result.ok && result.from).toBe('n4') // n2 passed it on to n4, which holds e
    expect(result.ok && result.body).toMatchObject({
      type: 'balance_ok',
      account: 'e',
      balance: 100,
      version: 0,
    })
  })

  it('blocks: the coordinator dies after both voted yes; they stay in doubt, locked, until it restarts', async () => {
    // Section 7.3: a participant that voted yes cannot decide alone. It keeps
    // its locks and asks the coordinator again and again.
    const sim = await bank('2pc')
    sim.post('c1', 'n1', { ...transfer('a', 'c', 10), msg_id: 1 })
    untilPrepared(sim, ['n2', 'n3'], 't1')
    await sim.kill('n1') // the votes are on their way to a dead node
    let asked = 0
    sim.events((e) => {
      if (e.kind === 'send' && e.body.type === 'decision_request') asked++
    })
    sim.advance(5_000)
    for (const id of ['n2', 'n3']) {
      expect(node(sim, id).prepared.t1, `${id} is still in doubt`).toBeDefined()
      expect(node(sim, id).log).toEqual([])
    }
    expect((await sim.inspect('n2')).summary).toMatchObject({
      inDoubt: 1,
      held: 'a',
      balances: 'a=100 b=100',
    })
    expect((await sim.inspect('n3')).summary).toMatchObject({ inDoubt: 1, held: 'c' })
    expect(asked).toBeGreaterThanOrEqual(2 * Math.floor(5_000 / 300))
    // The locked accounts cannot even be read; the others can.
    expect(await ask(sim, 'n2', balance('a'))).toMatchObject({
      type: 'error',
      code: 11,
      text: 'a is locked by t1, in doubt',
    })
    expect(await balanceOf(sim, 'b', 'n2')).toBe(100)

    // Section 7.4: the restarted coordinator finds t1 started and undecided:
    // nobody can have committed it, so it aborts, and the locks go.
    await sim.restart('n1')
    expect(
      sim.runUntil(() => node(sim, 'n2').log.length + node(sim, 'n3').log.length === 2, 1_000),
    ).toBe(true)
    expect(node(sim, 'n2').log).toEqual([{ tx: 't1', record: 'abort' }])
    expect(node(sim, 'n3').log).toEqual([{ tx: 't1', record: 'abort' }])
    expect(await balanceOf(sim, 'a')).toBe(100)
    expect(await ask(sim, 'n1', transfer('a', 'c', 10))).toMatchObject({
      type: 'transfer_ok',
      tx: 't2',
    })
    expect(sim.violations).toEqual([])
  })

  it('a restarted coordinator repeats the decision in its log to participants in doubt', async () => {
    const sim = await bank('2pc')
    sim.post('c1', 'n1', { ...transfer('a', 'c', 10), msg_id: 1 })
    expect(sim.runUntil(() => node(sim, 'n1').decided.t1 === 'commit', 1_000)).toBe(true)
    // Cut n1 off as it sends "commit", then let it die: the decision is only in its log.
    await sim.partition([['n1'], ['n2', 'n3']])
    await sim.kill('n1')
    sim.advance(100)
    await sim.heal()
    sim.advance(2_000)
    expect(node(sim, 'n2').prepared.t1).toBeDefined()
    await sim.restart('n1')
    expect(
      sim.runUntil(() => node(sim, 'n2').log.length + node(sim, 'n3').log.length === 2, 1_000),
    ).toBe(true)
    expect(await balanceOf(sim, 'a')).toBe(90)
    expect(await balanceOf(sim, 'c')).toBe(110)
    expect(sim.violations).toEqual([])
  })
})

describe('locking (2pc) against optimistic version checks (2pc-occ)', () => {
  /**
   * t1 moves a to c while n3 is slow to answer; t2 moves b to a at n2 alone,
   * started just after. Reference: Kung and Robinson 1981 for the optimistic side.
   */
  async function race(algorithm: string): Promise<{ sim: Simulator; t1: Body; t2: Body }> {
    const sim = await bank(algorithm, { seed: 3 })
    await sim.setLink('*', '*', { delayMsMin: 1, delayMsMax: 1 })
    await sim.setLink('n3', 'n1', { delayMsMin: 20, delayMsMax: 20 })
    const replies = new Map<number, Body>()
    sim.events((e) => {
      if (e.kind === 'recv' && e.node === 'c1') replies.set(Number(e.body.in_reply_to), e.body)
    })
    sim.client('c1') // so that replies to c1 are delivered (we read them from the trace)
    sim.post('c1', 'n1', { ...transfer('a', 'c', 10), msg_id: 1 })
    sim.advance(2)
    sim.post('c1', 'n1', { ...transfer('b', 'a', 5), msg_id: 2 })
    expect(sim.runUntil(() => replies.size === 2, 2_000)).toBe(true)
    return { sim, t1: replies.get(1) as Body, t2: replies.get(2) as Body }
  }

  it('locking: t1 holds the lock on a while n3 is slow, so t2 finds it taken and aborts', async () => {
    const { sim, t1, t2 } = await race('2pc')
    expect(t1).toMatchObject({ type: 'transfer_ok', tx: 't1' })
    expect(t2).toMatchObject({
      type: 'error',
      code: 14,
      text: 't2 aborted: n2 voted no: a is locked by t1',
    })
    expect(sim.violations).toEqual([])
  })

  it('optimistic: t2 commits during t1 read phase, so t1 finds a version moved and aborts', async () => {
    const { sim, t1, t2 } = await race('2pc-occ')
    expect(t2).toMatchObject({ type: 'transfer_ok', tx: 't2' })
    expect(t1).toMatchObject({
      type: 'error',
      code: 14,
      text: 't1 aborted: n2 voted no: a changed since it was read (version 0, now 1)',
    })
    expect(node(sim, 'n2').accounts.a).toEqual({ balance: 105, version: 1 })
    expect(sim.violations).toEqual([])
  })

  it('optimistic: an account in doubt can still be read (its committed balance)', async () => {
    const sim = await bank('2pc-occ')
    sim.post('c1', 'n1', { ...transfer('a', 'c', 10), msg_id: 1 })
    untilPrepared(sim, ['n2', 'n3'], 't1')
    await sim.kill('n1')
    sim.advance(1_000)
    expect(await ask(sim, 'n2', balance('a'))).toMatchObject({
      type: 'balance_ok',
      balance: 100,
      version: 0,
    })
    expect((await sim.inspect('n2')).summary).toMatchObject({ inDoubt: 1, held: 'a' })
  })
})

describe('broken variants of 2pc, each caught by the checker', () => {
  it('no-persist-vote: a participant that restarts after voting yes forgets it (seed 1)', async () => {
    // n2 votes yes on t1, crashes and comes straight back, before the commit
    // arrives. The reference kept its promise in stable storage; the variant
    // has none on record, so it aborts its half while n3 commits.
    async function run(variant?: string): Promise<Simulator> {
      const sim = await bank('2pc', { seed: 1, ...(variant === undefined ? {} : { variant }) })
      sim.post('c1', 'n1', { ...transfer('a', 'c', 10), msg_id: 1 })
      untilPrepared(sim, ['n2'], 't1')
      await sim.kill('n2')
      await sim.restart('n2')
      sim.advance(1_000)
      return sim
    }
    const reference = await run()
    expect(reference.violations).toEqual([])
    expect(node(reference, 'n2').accounts.a.balance).toBe(90)

    const broken = await run('no-persist-vote')
    expect(node(broken, 'n2').log).toEqual([{ tx: 't1', record: 'abort' }])
    expect(node(broken, 'n3').log).toEqual([{ tx: 't1', record: 'commit' }])
    expect(rules(broken)).toEqual([
      'Atomicity',
      'Decision Origin',
      'Durable Vote',
      'Money Conserved',
    ])
    expect(broken.violations.find((v) => v.rule === 'Atomicity')?.message).toBe(
      't1 was committed at n1 and aborted at n2; all must decide alike (AC1).',
    )
  })

  it('decide-before-all-votes: the coordinator commits on the first yes (seed 1)', async () => {
    // a holds 100, so n2 votes no on a transfer of 150; n2's link to n1 is
    // slow, so n3's yes arrives first.
    async function run(variant?: string): Promise<{ sim: Simulator; reply: Body | 'timeout' }> {
      const sim = await bank('2pc', { seed: 1, ...(variant === undefined ? {} : { variant }) })
      await sim.setLink('n2', 'n1', { delayMsMin: 20, delayMsMax: 20 })
      const reply = await ask(sim, 'n1', transfer('a', 'c', 150))
      sim.advance(500)
      return { sim, reply }
    }
    const reference = await run()
    expect(reference.reply).toMatchObject({ code: 14 })
    expect(reference.sim.violations).toEqual([])

    const broken = await run('decide-before-all-votes')
    expect(broken.reply).toMatchObject({ type: 'transfer_ok' })
    expect(rules(broken.sim)).toEqual(['Atomicity', 'Commit Validity', 'Money Conserved'])
    expect(broken.sim.violations.find((v) => v.rule === 'Commit Validity')?.message).toBe(
      'n1 committed t1 without a yes vote from n2 (AC3).',
    )
  })

  it('participant-decides-alone: a participant cut off from the decision aborts alone (seed 1)', async () => {
    // n1 decides commit; n3 is cut off before the decision reaches it.
    async function run(variant?: string): Promise<Simulator> {
      const sim = await bank('2pc', { seed: 1, ...(variant === undefined ? {} : { variant }) })
      sim.post('c1', 'n1', { ...transfer('a', 'c', 10), msg_id: 1 })
      expect(sim.runUntil(() => node(sim, 'n1').decided.t1 === 'commit', 1_000)).toBe(true)
      await sim.partition([['n1', 'n2'], ['n3']])
      sim.advance(2_000)
      await sim.heal()
      sim.advance(1_000)
      return sim
    }
    const reference = await run()
    expect(reference.violations).toEqual([])
    expect(node(reference, 'n3').log).toEqual([{ tx: 't1', record: 'commit' }])

    const broken = await run('participant-decides-alone')
    expect(node(broken, 'n3').log).toEqual([{ tx: 't1', record: 'abort' }])
    expect(rules(broken)).toEqual(['Atomicity', 'Decision Origin', 'Money Conserved'])
  })

  it('participant-decides-alone: aborting before the coordinator decided breaks Decision Origin (seed 1)', async () => {
    const sim = await bank('2pc', { seed: 1, variant: 'participant-decides-alone' })
    sim.post('c1', 'n1', { ...transfer('a', 'c', 10), msg_id: 1 })
    untilPrepared(sim, ['n2', 'n3'], 't1')
    await sim.kill('n1')
    sim.advance(1_000)
    await sim.restart('n1') // it aborts t1 too: the outcomes agree, but the participants did not wait
    sim.advance(1_000)
    expect(rules(sim)).toEqual(['Decision Origin'])
    expect(sim.violations[0].message).toBe(
      'n2 aborted t1 after voting yes, but the coordinator sent it no decision.',
    )
  })
})
