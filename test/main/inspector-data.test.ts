// The inspector's data, made on the core's side: a state cut to a size a page
// can take (saying what was cut), and any log-based algorithm's log as rows
// with terms or ballots and committed entries marked.

import { describe, expect, it } from 'vitest'
import { boundedJson } from '../../src/main/api/bounded-json'
import { entryText, logViewOf } from '../../src/main/api/log-view'

describe('boundedJson', () => {
  it('keeps a small state whole', () => {
    const state = { role: 'leader', log: [1, 2, 3], gone: undefined, nested: { a: [true, null] } }
    expect(boundedJson(state, 1_000)).toEqual({
      value: { role: 'leader', log: [1, 2, 3], nested: { a: [true, null] } },
      note: null,
    })
  })

  it('cuts long arrays and strings to fit, and says so', () => {
    const state = {
      log: Array.from({ length: 50_000 }, (_, i) => ({ term: 1, i })),
      name: 'x'.repeat(9_000),
    }
    const { value, note } = boundedJson(state, 64 * 1024)
    const text = JSON.stringify(value)
    expect(text.length).toBeLessThanOrEqual(64 * 1024)
    const log = (value as { log: unknown[] }).log
    expect(log[0]).toEqual({ term: 1, i: 0 })
    expect(log[log.length - 1]).toMatch(/^… \d+ more items$/)
    expect((value as { name: string }).name).toMatch(/^x+… \(\d+ more characters\)$/)
    expect(note).toMatch(
      /^The state is larger than 64 KiB of JSON: long arrays show their first \d+ items/,
    )
  })

  it('turns what JSON cannot carry into null', () => {
    expect(boundedJson([Number.NaN, Number.POSITIVE_INFINITY, () => 1], 100).value).toEqual([
      null,
      null,
      null,
    ])
  })
})

describe('logViewOf', () => {
  it("reads Raft's log: terms, indices from 1, committed up to commitIndex", () => {
    const state = {
      commitIndex: 1,
      log: [
        { term: 1, command: null },
        { term: 2, command: { op: 'cas', key: 'x', from: 1, to: 'two', client: 'c1' } },
      ],
    }
    expect(logViewOf(state, {})).toEqual({
      field: 'log',
      termName: 'term',
      length: 2,
      committed: 1,
      commitKnown: true,
      entries: [
        { index: 1, term: '1', text: 'no-op', committed: true },
        { index: 2, term: '2', text: 'cas x 1 "two"', committed: false },
      ],
    })
  })

  it('takes the commit index from the summary at a past moment', () => {
    const view = logViewOf({ log: [{ term: 1, command: null }] }, { commitIndex: 1 })
    expect(view?.entries[0].committed).toBe(true)
  })

  it('reads Multi-Paxos slots: ballots, slots from 0, chosen below chosen.length', () => {
    const state = {
      chosen: [null],
      accepted: [
        { ballot: { round: 2, node: 'n1' }, command: null },
        { ballot: { round: 2, node: 'n1' }, command: { op: 'write', key: 'k', value: [1] } },
        { ballot: { round: 0, node: '' }, command: null },
      ],
    }
    expect(logViewOf(state, {})?.entries).toEqual([
      { index: 0, term: '2.n1', text: 'no-op', committed: true },
      { index: 1, term: '2.n1', text: 'put k [1]', committed: false },
      { index: 2, term: null, text: 'no-op', committed: false },
    ])
  })

  it("reads 2PC's decision log, which has no commit index", () => {
    const view = logViewOf({ log: [{ tx: 't1', record: 'commit' }] }, {})
    expect(view).toMatchObject({ commitKnown: false, committed: 0 })
    expect(view?.entries).toEqual([
      { index: 1, term: null, text: '{"tx":"t1","record":"commit"}', committed: false },
    ])
  })

  it('has no log for a state without one', () => {
    expect(logViewOf({ promisedBallot: { round: 1 } }, {})).toBeNull()
    expect(logViewOf(null, {})).toBeNull()
  })

  it('keeps the newest entries of a very long log', () => {
    const log = Array.from({ length: 25_000 }, () => ({ term: 3, command: null }))
    const view = logViewOf({ log, commitIndex: 24_999 }, {})
    expect(view?.length).toBe(25_000)
    expect(view?.entries.length).toBe(20_000)
    expect(view?.entries[0].index).toBe(5_001)
    expect(view?.entries.at(-1)).toMatchObject({ index: 25_000, committed: false })
    expect(view?.entries.at(-2)).toMatchObject({ index: 24_999, committed: true })
  })
})

describe('entryText', () => {
  it("names services' commands in the terminal's words", () => {
    expect(entryText({ term: 1, command: { op: 'read', key: 'x', client: 'c1' } })).toBe('get x')
    expect(
      entryText({
        term: 1,
        command: null,
        lock: { op: 'acquire', key: 'l', client: 'c2', leaseMs: 2000, at: 5, replyTo: 'c2' },
      }),
    ).toBe('acquire l leaseMs=2000')
    expect(
      entryText({ term: 1, command: null, sched: { op: 'assign', task: 't1', worker: 'n2' } }),
    ).toBe('assign task=t1 worker=n2')
    expect(
      entryText({ term: 1, command: { op: 'write', key: 'x', value: 'v'.repeat(500) } }),
    ).toHaveLength(200)
  })
})
