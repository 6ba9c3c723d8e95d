// The objects a history can be checked against besides the key-value store:
// a counter, and a lock with fencing tokens. Each with histories whose answer
// is known by hand, and read from the formats a learner may bring.

import { describe, expect, it } from 'vitest'
import { checkHistory } from '../../src/main/check/check-history'
import { importHistory } from '../../src/main/check/history-import'
import type { HistoryOperation } from '../../src/main/check/linearizability'
import { modelForOperations, type ModelName } from '../../src/main/check/models'
import { op } from './helpers'

const verdict = (model: ModelName, operations: HistoryOperation[]): string =>
  checkHistory({ model, operations }).result

describe('the counter model', () => {
  const add = (client: string, call: number, ret: number, value: number): HistoryOperation =>
    op(client, call, ret, { f: 'add', key: 'x', value })
  const read = (client: string, call: number, ret: number, value: number): HistoryOperation =>
    op(client, call, ret, { f: 'read', key: 'x' }, value)

  it('accepts reads that see any subset of the concurrent adds', () => {
    const adds = [add('c1', 0, 10, 1), add('c2', 0, 10, 2)]
    for (const seen of [0, 1, 2, 3]) {
      expect(verdict('counter', [...adds, read('c3', 5, 6, seen)]), `read ${seen}`).toBe(
        'linearizable',
      )
    }
    expect(verdict('counter', [...adds, read('c3', 5, 6, 4)])).toBe('not linearizable')
  })

  it('rejects a read that misses an add that had completed (a lost update)', () => {
    const history = [add('c1', 0, 1, 5), add('c2', 2, 3, -2), read('c3', 4, 5, 5)]
    const report = checkHistory({ model: 'counter', operations: history })
    expect(report.result).toBe('not linearizable')
    expect(report.result === 'not linearizable' && report.explanation).toBe(
      'the read of x that returned 5 by c3 cannot be placed: the add of 5 to x by c1 and the add of -2 to x by c2 had completed before it began, which leave the counter 3.',
    )
  })

  it('lets an add of unknown outcome count or not', () => {
    const history = [add('c1', 0, Infinity, 5), read('c2', 1, 2, 0), read('c2', 3, 4, 5)]
    expect(verdict('counter', history)).toBe('linearizable')
    expect(verdict('counter', [...history, read('c2', 5, 6, 0)])).toBe('not linearizable')
  })
})

describe('the lock model', () => {
  const acquire = (client: string, call: number, ret: number, token?: number): HistoryOperation =>
    op(client, call, ret, { f: 'acquire', key: 'l' }, token)
  const release = (client: string, call: number, ret: number): HistoryOperation =>
    op(client, call, ret, { f: 'release', key: 'l' })

  it('accepts turns taken one at a time, with growing tokens', () => {
    const history = [
      acquire('c1', 0, 1, 1),
      release('c1', 2, 3),
      acquire('c2', 2, 5, 2),
      release('c2', 6, 7),
      acquire('c1', 8, 9, 3),
    ]
    expect(verdict('lock', history)).toBe('linearizable')
  })

  it('rejects two holders at once (mutual exclusion)', () => {
    const history = [acquire('c1', 0, 1, 1), acquire('c2', 2, 3, 2), release('c1', 4, 5)]
    const report = checkHistory({ model: 'lock', operations: history })
    expect(report.result).toBe('not linearizable')
    expect(report.result === 'not linearizable' && report.explanation).toMatch(
      /^the acquire of l with token 2 by c2 cannot be placed: the acquire of l with token 1 by c1 had completed before it began, which leaves the lock held by c1/,
    )
  })

  it('rejects a fencing token that does not grow', () => {
    const history = [acquire('c1', 0, 1, 7), release('c1', 2, 3), acquire('c2', 4, 5, 7)]
    expect(verdict('lock', history)).toBe('not linearizable')
    expect(verdict('lock', [...history.slice(0, 2), acquire('c2', 4, 5, 8)])).toBe('linearizable')
  })

  it('rejects a release by a client that does not hold the lock', () => {
    expect(verdict('lock', [acquire('c1', 0, 1, 1), release('c2', 2, 3)])).toBe('not linearizable')
  })

  it('lets an acquire of unknown outcome hold the lock, or not', () => {
    // c1 may have got the lock (then c2 must wait for a release that never comes) or not.
    const history = [acquire('c1', 0, Infinity), acquire('c2', 1, 2, 5)]
    expect(verdict('lock', history)).toBe('linearizable')
  })
})

describe('choosing and reading models', () => {
  it('says so when a history has operations the model does not know', () => {
    const history = [op('c1', 0, 1, { f: 'add', key: 'x', value: 1 })]
    const report = checkHistory({ model: 'kv', operations: history })
    expect(report).toMatchObject({
      result: 'unknown',
      reason:
        'the value model has no add operation (it knows read, write, cas, append); try another --model.',
    })
  })

  it('picks the model that fits the operations', () => {
    expect(modelForOperations([op('c', 0, 1, { f: 'add', key: 'x', value: 1 })])).toBe('counter')
    expect(modelForOperations([op('c', 0, 1, { f: 'acquire', key: 'l' }, 1)])).toBe('lock')
    expect(modelForOperations([op('c', 0, 1, { f: 'read', key: 'x' }, 1)])).toBe('kv')
  })

  it('reads counter and lock histories from Jepsen logs, EDN and our JSON Lines', () => {
    const log = [
      'INFO  jepsen.util - 0\t:invoke\t:add\t3',
      'INFO  jepsen.util - 0\t:ok\t:add\t3',
      'INFO  jepsen.util - 1\t:invoke\t:read\tnil',
      'INFO  jepsen.util - 1\t:ok\t:read\t3',
    ].join('\n')
    const counter = importHistory(log)
    expect(counter.operations.map((o) => o.input.f)).toEqual(['add', 'read'])
    expect(verdict('counter', counter.operations)).toBe('linearizable')

    const edn = [
      '{:process 0, :type :invoke, :f :acquire, :key "l", :value nil}',
      '{:process 0, :type :ok, :f :acquire, :key "l", :value 1}',
      '{:process 1, :type :invoke, :f :acquire, :key "l", :value nil}',
      '{:process 1, :type :ok, :f :acquire, :key "l", :value 2}',
    ].join('\n')
    const lock = importHistory(edn)
    expect(lock.operations[1].output).toEqual({ value: 2 })
    expect(verdict('lock', lock.operations)).toBe('not linearizable')

    const jsonLines = [
      { kind: 'invoke', opId: 1, client: 'c1', t: 0, op: { f: 'acquire', key: 'l' } },
      { kind: 'ok', opId: 1, client: 'c1', t: 3, op: { f: 'acquire', key: 'l' }, value: 9 },
    ]
      .map((event) => JSON.stringify(event))
      .join('\n')
    const ours = importHistory(jsonLines)
    expect(ours.operations[0].output).toEqual({ value: 9 })
  })

  it('names an operation it cannot check, with its line', () => {
    expect(() =>
      importHistory('{:process 0, :type :invoke, :f :frobnicate, :value 1}'),
    ).toThrowError(/^line 1: :frobnicate is not an operation Consensus Lab checks/)
  })
})
