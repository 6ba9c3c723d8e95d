// A verdict a learner can read: the smallest slice of a history that cannot be
// linearized, the operation that cannot be placed, a sentence, and a drawing.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { checkHistory, reportLines } from '../../src/main/check/check-history'
import { importHistory } from '../../src/main/check/history-import'
import type { HistoryOperation } from '../../src/main/check/linearizability'
import { timelineText } from '../../src/main/check/timeline'
import { randomStream } from '../../src/shared/random'
import { op } from './helpers'

const write = (client: string, call: number, ret: number, value: unknown): HistoryOperation =>
  op(client, call, ret, { f: 'write', key: 'x', value })
const read = (client: string, call: number, ret: number, value: unknown): HistoryOperation =>
  op(client, call, ret, { f: 'read', key: 'x' }, value)

/** A busy, linearizable history on x: clients take turns writing and reading back. */
function busyHistory(operations: number, seed: number): HistoryOperation[] {
  const random = randomStream(seed, 'busy')
  const history: HistoryOperation[] = []
  let value: unknown = null
  let t = 0
  for (let i = 0; i < operations; i++) {
    const client = `c${1 + Math.floor(random() * 4)}`
    // It starts with a write, so that it can follow anything.
    if (i === 0 || random() < 0.5) {
      value = i
      history.push(write(client, t, t + 1, value))
    } else {
      history.push(read(client, t, t + 1, value))
    }
    t += 2
  }
  return history
}

describe('the smallest slice that cannot be linearized', () => {
  it('finds the three operations of a stale read buried in 300 others', () => {
    // Reference: Herlihy and Wing's definition; the story is "write 1, write 2, then a read of 1".
    const history = busyHistory(300, 7)
    const last = history[history.length - 1].ret
    history.push(
      write('c7', last + 10, last + 11, 'one'),
      write('c8', last + 12, last + 13, 'two'),
      read('c9', last + 14, last + 15, 'one'),
      ...busyHistory(100, 8).map((o) => ({
        ...o,
        call: o.call + last + 20,
        ret: o.ret + last + 20,
      })),
    )
    const report = checkHistory({ model: 'kv', operations: history })
    expect(report.result).toBe('not linearizable')
    if (report.result !== 'not linearizable') return
    expect(report.minimal).toBe(true)
    expect(report.slice.map((bar) => `${bar.client} ${bar.label}`)).toEqual([
      'c7 write x "one"',
      'c8 write x "two"',
      'c9 read x → "one"',
    ])
    expect(report.slice.filter((bar) => bar.conflict).map((bar) => bar.client)).toEqual(['c9'])
    expect(report.explanation).toBe(
      'the read of x that returned "one" by c9 cannot be placed: the write of "one" to x by c7 and the write of "two" to x by c8 had completed before it began, which leave the value "two".',
    )
  })

  it('keeps the write a read saw: a slice must tell the same story as the history', () => {
    // Dropping the write of 1 would leave "a read of 1 that nobody wrote": smaller, but a different story.
    const history = [write('c1', 0, 1, 1), write('c2', 2, 3, 2), read('c3', 4, 5, 1)]
    const report = checkHistory({ model: 'kv', operations: history })
    expect(report.result === 'not linearizable' && report.slice).toHaveLength(3)
  })

  it('shrinks to one operation when its answer is impossible outright', () => {
    const history = [...busyHistory(50, 3), read('c9', 1_000, 1_001, 'never written')]
    const report = checkHistory({ model: 'kv', operations: history })
    expect(report.result).toBe('not linearizable')
    if (report.result !== 'not linearizable') return
    expect(report.slice).toHaveLength(1)
    expect(report.explanation).toBe(
      'the read of x that returned "never written" by c9 cannot be explained: no operation on x leaves the value where that answer could come from.',
    )
  })

  it('names what came too late when nothing had to come first', () => {
    const report = checkHistory({
      model: 'kv',
      operations: [read('c1', 0, 1, 5), write('c2', 2, 3, 5)],
    })
    expect(report.result === 'not linearizable' && report.explanation).toBe(
      'the read of x that returned 5 by c1 cannot be placed: it completed before the write of 5 to x by c2 began, and nothing begun earlier explains what it saw.',
    )
  })

  it('gives the reference histories a slice no bigger than the history, with a culprit', () => {
    const reference = fileURLToPath(
      new URL('../../../shared/reference/porcupine-test-data/', import.meta.url),
    )
    for (const file of ['jepsen/etcd_000.log', 'jepsen/etcd_001.log', 'kv/c01-bad.txt']) {
      const { operations, initial } = importHistory(readFileSync(`${reference}${file}`, 'utf8'))
      const report = checkHistory({ model: 'kv', initial, operations })
      expect(report.result, file).toBe('not linearizable')
      if (report.result !== 'not linearizable') continue
      expect(report.slice.length, file).toBeLessThanOrEqual(5)
      expect(
        report.slice.filter((bar) => bar.conflict),
        file,
      ).toHaveLength(1)
      // The slice alone is not linearizable either: it is evidence, not decoration.
      const sliceOps = operations.filter((o) =>
        report.slice.some((bar) => bar.client === o.client && bar.call === o.call),
      )
      expect(checkHistory({ model: 'kv', initial, operations: sliceOps }).result, file).toBe(
        'not linearizable',
      )
    }
  })
})

describe('timelines', () => {
  it('draws one lane per client, bars in call and return order, the culprit marked', () => {
    const report = checkHistory({
      model: 'kv',
      operations: [write('c1', 0, 10, 1), write('c1', 20, 30, 2), read('c2', 40, 50, 1)],
    })
    expect(report.result).toBe('not linearizable')
    if (report.result !== 'not linearizable') return
    expect(timelineText(report.slice)).toEqual([
      'c1  |- write x 1 --| |- write x 2 --|',
      'c2                                    |= read x → 1 ==|  <- read x → 1 cannot be placed',
      '    time → (from 0 to 50 ms, not to scale)',
    ])
  })

  it('draws an operation of unknown outcome as a bar that never ends', () => {
    const report = checkHistory({
      model: 'kv',
      // The write of 3 may take effect late, but only once: the reads see 3, then 4, after 4 was written.
      operations: [
        write('c1', 0, Infinity, 3),
        write('c3', 1, 2, 4),
        read('c2', 3, 4, 3),
        read('c2', 5, 6, 4),
      ],
    })
    expect(report.result === 'not linearizable' && report.slice).toHaveLength(4)
    const lines = reportLines(report)
    expect(lines.join('\n')).toMatch(/c1 +\|-+ write x 3 \? -+…/)
  })

  it('gives a client a second lane when it starts again before an unknown outcome', () => {
    const report = checkHistory({
      model: 'kv',
      operations: [write('c1', 0, Infinity, 3), read('c1', 5, 6, 4), write('c2', 8, 9, 4)],
    })
    if (report.result !== 'not linearizable') throw new Error(report.result)
    expect(report.slice.map((bar) => `${bar.client}/${bar.lane}`)).toContain('c1/0')
    expect(timelineText(report.slice).some((line) => line.startsWith("c1'"))).toBe(
      report.slice.some((bar) => bar.lane === 1),
    )
  })
})

describe('a pass', () => {
  it('comes with one linearization order', () => {
    const history = [write('c1', 0, 10, 1), read('c2', 5, 15, 1), read('c3', 20, 30, 1)]
    const report = checkHistory({ model: 'kv', operations: history })
    expect(report.result).toBe('linearizable')
    if (report.result !== 'linearizable') return
    expect(report.order.map((o) => o.client)).toEqual(['c1', 'c2', 'c3'])
    expect(reportLines(report)[0]).toBe(
      'linearizable: 3 operations (kv model); one valid order: c1 write x 1, c2 read x → 1, c3 read x → 1',
    )
  })
})
