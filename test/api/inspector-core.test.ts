// The inspector's requests through the core, as either transport hands them
// over: `inspect` (a node live, or at a past moment rebuilt from the recorded
// run) and `check` (the invariants and the history's linearizability, as data).
// Clusters run in the simulator with fixed seeds, so every answer is exact.

import { describe, expect, it } from 'vitest'
import { RefusedRequest } from '../../src/main/api/core'
import { requestSchemas, type RequestArgs, type RequestName } from '../../src/shared/api'
import { useCore } from './core-fixture'

const fixture = useCore('inspector')

async function type(...lines: string[]): Promise<void> {
  for (const line of lines) {
    const result = await fixture.core.request('run', { line })
    if (!result.ok) throw new Error(`${line}: ${result.lines.join(' ')}`)
  }
}

/** Validates the arguments as a transport does, then asks the core. */
function ask<Name extends RequestName>(name: Name, args: RequestArgs<Name>) {
  const parsed = requestSchemas[name].args.safeParse(args)
  if (!parsed.success) throw new Error(parsed.error.message)
  return fixture.core.request(name, parsed.data as RequestArgs<Name>)
}

describe('inspect', () => {
  it("shows the live leader's whole state and its log, committed entries marked", async () => {
    await type('start raft 5 --sim --seed 3', 'wait 500', 'put x 1', 'put x 2', 'wait 100')
    const leader = await ask('inspect', { node: 'leader' })
    expect(requestSchemas.inspect.result.safeParse(leader).success).toBe(true)
    expect(leader).toMatchObject({ node: 'n3', status: 'up', at: null, source: 'live' })
    expect(leader.summary).toMatchObject({ role: 'leader', term: 1, commitIndex: 3 })
    // Live, the volatile fields are there too: the state machine and the leader's bookkeeping.
    expect(leader.state).toMatchObject({ role: 'leader', commitIndex: 3, kv: { x: 2 } })
    expect(leader.log).toEqual({
      field: 'log',
      termName: 'term',
      length: 3,
      committed: 3,
      commitKnown: true,
      entries: [
        { index: 1, term: '1', text: 'no-op', committed: true },
        { index: 2, term: '1', text: 'put x 1', committed: true },
        { index: 3, term: '1', text: 'put x 2', committed: true },
      ],
    })
  })

  it('marks what a cut-off leader appended but could not commit', async () => {
    await type('start raft 5 --sim --seed 3', 'wait 500', 'put x 1')
    await type('partition n3 | n1,n2,n4,n5', 'wait 1000', 'put x 2 --on n1')
    // The old leader takes a write it can never commit (the client gives up on it).
    await fixture.core.request('run', { line: 'put x 9 --on n3' })
    const old = await ask('inspect', { node: 'n3' })
    const entries = old.log?.entries ?? []
    expect(entries.map((entry) => [entry.text, entry.committed])).toEqual([
      ['no-op', true],
      ['put x 1', true],
      ['put x 9', false],
    ])
  })

  it('rebuilds a node at a past moment from the recorded run', async () => {
    await type('start raft 5 --sim --seed 3', 'wait 500', 'put x 1', 'wait 200', 'put x 2')
    const live = await ask('inspect', { node: 'n3' })
    const before = await ask('inspect', { node: 'n3', at: 600 })
    expect(before).toMatchObject({ node: 'n3', at: 600, source: 'trace', status: 'up' })
    expect(before.summary).toMatchObject({ role: 'leader', term: 1 })
    // The persistent fields, exactly, and nothing that was never recorded.
    expect(before.state).toEqual({
      currentTerm: 1,
      votedFor: 'n3',
      log: [
        { term: 1, command: null },
        { term: 1, command: { op: 'write', key: 'x', client: 'c1', msg_id: 1, value: 1 } },
      ],
    })
    expect(before.log?.entries.map((entry) => entry.text)).toEqual(['no-op', 'put x 1'])
    expect(live.log?.entries.map((entry) => entry.text)).toEqual(['no-op', 'put x 1', 'put x 2'])
    expect(before.notes.join(' ')).toMatch(/persistent fields and its summary/)
    // Before the election, n3 was a follower with an empty log.
    const start = await ask('inspect', { node: 'n3', at: 0 })
    expect(start.summary).toMatchObject({ role: 'follower', term: 0 })
    expect(start.log).toMatchObject({ length: 0, entries: [] })
    // `leader` means the leader then.
    expect((await ask('inspect', { node: 'leader', at: 600 })).node).toBe('n3')
  })

  it('shows a dead node as its storage holds it, and when it died in the past', async () => {
    await type('start raft 3 --sim --seed 3', 'wait 500', 'put x 1', 'kill n2', 'wait 100')
    const dead = await ask('inspect', { node: 'n2' })
    expect(dead).toMatchObject({ status: 'dead', source: 'saved' })
    expect(Object.keys(dead.state as object).sort()).toEqual(['currentTerm', 'log', 'votedFor'])
    expect(dead.notes[0]).toMatch(/^n2 is down; this is what its storage holds/)
    const past = await ask('inspect', { node: 'n2', at: 100_000 })
    expect(past.status).toBe('dead')
  })

  it('answers bad requests with one sentence', async () => {
    const bad = (args: unknown) => requestSchemas.inspect.args.safeParse(args).success
    expect(bad({ node: 'n1' })).toBe(true)
    expect(bad({ node: 'n1', at: null })).toBe(true)
    expect(bad({ node: '' })).toBe(false)
    expect(bad({ node: 'n1', at: -1 })).toBe(false)
    expect(bad({ node: 'n1', at: Number.POSITIVE_INFINITY })).toBe(false)
    expect(bad({ node: 'n1', extra: 1 })).toBe(false)
    expect(bad({ node: 'x'.repeat(1_000) })).toBe(false)

    await expect(ask('inspect', { node: 'n1' })).rejects.toThrow(
      new RefusedRequest('no cluster is running; start one first, e.g. start raft 5 --sim'),
    )
    await type('start raft 3 --sim --seed 3', 'wait 500')
    await expect(ask('inspect', { node: 'n9' })).rejects.toThrow(
      'there is no node n9; the nodes are n1, n2, n3.',
    )
    await expect(ask('inspect', { node: 'n9', at: 400 })).rejects.toThrow(
      'there was no node n9 at 400 ms; the nodes were n1, n2, n3.',
    )
    await expect(ask('inspect', { node: 'n9', at: 400 })).rejects.toBeInstanceOf(RefusedRequest)
  })
})

describe('check', () => {
  it('reports a broken invariant with the events that broke it, and their moments', async () => {
    await type('start raft 5 --sim --seed 3 --variant votes-twice', 'wait 500')
    const result = await ask('check', {})
    expect(requestSchemas.check.result.safeParse(result).success).toBe(true)
    expect(result.algorithm).toBe('raft')
    expect(result.checkers).toEqual(['raft invariants'])
    expect(result.violationCount).toBeGreaterThan(0)
    const first = result.violations[0]
    expect(first.rule).toBe('Election Safety')
    expect(first.message).toMatch(/voted for both n\d and n\d in term 1/)
    expect(first.events.length).toBe(2)
    for (const event of first.events) {
      expect(event.t).not.toBeNull()
      expect(event.t ?? Infinity).toBeLessThanOrEqual(first.t)
      expect(event.line).toMatch(/ ms n\d->n\d sends Vote term=1 granted=true$/)
    }
    expect(result.history).toBeNull()
  })

  it('draws a history that is not linearizable, each operation with its moment', async () => {
    await type('start raft 5 --sim --seed 3 --variant local-reads', 'wait 500', 'put x 1')
    await type('partition n3 | n1,n2,n4,n5', 'wait 1000', 'put x 2 --on n1', 'get x --on n3')
    const result = await ask('check', {})
    expect(result.violationCount).toBe(0)
    const history = result.history
    expect(history?.result).toBe('not linearizable')
    expect(history?.sentence).toMatch(/^Not linearizable on key x: the read of x that returned 1/)
    expect(history?.timeline[0]).toMatch(
      /^c1 +\|- write x 1 -+\| .*<- read x → 1 cannot be placed$/,
    )
    expect(history?.slice.map((op) => [op.label, op.conflict])).toEqual([
      ['write x 1', false],
      ['write x 2', false],
      ['read x → 1', true],
    ])
    expect(history?.slice[0].call).toBeGreaterThanOrEqual(500)
  })

  it('says the history is linearizable when it is, and refuses without a cluster', async () => {
    await expect(ask('check', {})).rejects.toThrow(/^no cluster is running/)
    expect(requestSchemas.check.args.safeParse({ deep: true }).success).toBe(false)
    await type('start raft 3 --sim --seed 3', 'wait 500', 'put x 1', 'get x')
    const result = await ask('check', {})
    expect(result.violations).toEqual([])
    expect(result.history).toMatchObject({ result: 'linearizable', operations: 2, slice: [] })
    expect(result.history?.sentence).toMatch(/^linearizable: 2 operations/)
  })
})
