// Two logs compared the way a learner needs after a partition heals: where
// they agree, where they first conflict, what each holds that the other lacks.

import { describe, expect, it } from 'vitest'
import { diffLogs } from '../../src/renderer/inspector/log-diff'
import { rowWindow } from '../../src/renderer/inspector/virtual-rows'
import type { LogView } from '../../src/shared/inspection'

/** A Raft log from `term:text` words; the first `committed` entries committed. */
function log(words: string[], committed: number, from = 1, length?: number): LogView {
  return {
    field: 'log',
    termName: 'term',
    length: length ?? words.length,
    committed,
    commitKnown: true,
    entries: words.map((word, i) => {
      const [term, text] = word.split(':')
      return { index: from + i, term, text, committed: from + i <= committed }
    }),
  }
}

describe('diffLogs', () => {
  it('finds the shared prefix, the first conflict, and what each side holds past it', () => {
    // n1 led term 1 alone in a minority; n3 led term 2 in the majority.
    const n1 = log(['1:no-op', '1:put x 1', '1:put x 9', '1:put x 10'], 2)
    const n3 = log(['1:no-op', '1:put x 1', '2:no-op'], 3)
    const diff = diffLogs('n1', n1, 'n3', n3)
    expect(diff.rows.map((row) => `${row.index} ${row.kind}`)).toEqual([
      '1 same',
      '2 same',
      '3 conflict',
      '4 only-a',
    ])
    expect(diff).toMatchObject({ agreeThrough: 2, firstConflict: 3, onlyA: 2, onlyB: 1 })
    expect(diff.sentences).toEqual([
      'n1 and n3 agree on entries 1–2.',
      'They first conflict at index 3: n1 has term 1 put x 9, n3 has term 2 no-op (committed).',
      'n1 has 2 entries n3 does not (3–4).',
      'n3 has 1 entry n1 does not (3), 1 of them committed.',
    ])
  })

  it('tells a lagging follower from a conflict', () => {
    const diff = diffLogs('n2', log(['1:no-op'], 1), 'n1', log(['1:no-op', '1:put x 1'], 2))
    expect(diff).toMatchObject({ agreeThrough: 1, firstConflict: null, onlyA: 0, onlyB: 1 })
    expect(diff.sentences).toEqual([
      'n2 and n1 agree on entry 1.',
      'n1 has 1 entry n2 does not (2), 1 of them committed.',
    ])
  })

  it('says when the logs are the same, or both empty, or share nothing', () => {
    const same = log(['1:no-op', '1:put x 1'], 2)
    expect(diffLogs('a', same, 'b', same).sentences).toEqual(['a and b hold the same 2 entries.'])
    expect(diffLogs('a', log([], 0), 'b', log([], 0)).sentences).toEqual(['Both logs are empty.'])
    const apart = diffLogs('a', log(['1:put x 1'], 0), 'b', log(['2:put x 2'], 0))
    expect(apart).toMatchObject({ agreeThrough: null, firstConflict: 1 })
    expect(apart.sentences[0]).toBe('a and b agree on no entry.')
  })

  it('compares the same command in different terms as a conflict', () => {
    const diff = diffLogs('a', log(['1:put x 1'], 0), 'b', log(['2:put x 1'], 0))
    expect(diff.rows[0].kind).toBe('conflict')
  })

  it('says where the comparison starts when only the newest entries came', () => {
    const a = log(['5:put x 1', '5:put x 2'], 0, 9_001, 9_002)
    const b = log(['5:put x 1'], 0, 9_001, 9_001)
    expect(diffLogs('a', a, 'b', b).sentences).toEqual([
      'Only the newest entries came; the comparison starts at index 9001.',
      'a and b agree on entry 9001.',
      'a has 1 entry b does not (9002).',
    ])
  })
})

describe('rowWindow', () => {
  it('draws the rows in view and a few either side, never past the ends', () => {
    expect(rowWindow(0, 240, 24, 20_000)).toEqual({ first: 0, end: 27 })
    expect(rowWindow(24 * 1_000, 240, 24, 20_000)).toEqual({ first: 992, end: 1_019 })
    expect(rowWindow(24 * 19_990, 240, 24, 20_000)).toEqual({ first: 19_982, end: 20_000 })
    expect(rowWindow(0, 240, 24, 3)).toEqual({ first: 0, end: 3 })
    expect(rowWindow(500, 240, 24, 0)).toEqual({ first: 0, end: 0 })
  })
})
