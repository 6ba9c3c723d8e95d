// The linearizability checker: the right verdict on every reference history
// (real Jepsen runs on etcd, and key-value histories, with Porcupine's
// verdicts), on small histories whose answer is known by hand, and on the
// histories our own Raft produces in the simulator.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { importHistory, type History } from '../../src/main/check/history-import'
import { kvModel } from '../../src/main/check/models/key-value'
import { checkHistory } from '../../src/main/check/check-history'
import { checkLinearizable } from '../../src/main/check/linearizability'
import { startWorkload } from '../../src/main/client/workload'
import { Simulator } from '../../src/main/sim/simulator'
import { randomStream } from '../../src/shared/random'
import { op } from './helpers'

const reference = fileURLToPath(
  new URL('../../../shared/reference/porcupine-test-data/', import.meta.url),
)
const expected = readFileSync(`${reference}EXPECTED.tsv`, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => line.split('\t') as [string, string])

function verdictOf(history: History, initial: unknown = null): string {
  const now = (): number => performance.now()
  return checkLinearizable(kvModel(initial), history, { deadline: now() + 60_000, now }).result
}

describe('the linearizability checker on the reference histories', () => {
  it.each(expected)('%s is linearizable: %s', (file, linearizable) => {
    const { operations, initial } = importHistory(readFileSync(`${reference}${file}`, 'utf8'))
    expect(operations.length).toBeGreaterThan(0)
    expect(verdictOf(operations, initial)).toBe(
      linearizable === 'true' ? 'linearizable' : 'not linearizable',
    )
  })
})

describe('the linearizability checker on small histories', () => {
  it('accepts a read that overlaps a write and sees either value', () => {
    const history = [
      op('c1', 0, 10, { f: 'write', key: 'x', value: 1 }),
      op('c2', 5, 15, { f: 'read', key: 'x' }, 1),
    ]
    expect(verdictOf(history)).toBe('linearizable')
    expect(verdictOf([history[0], op('c2', 5, 15, { f: 'read', key: 'x' }, null)])).toBe(
      'linearizable',
    )
  })

  it('rejects a stale read, and says which operation cannot be placed', () => {
    // write 1, then write 2 completes, then a read returns 1: no order explains it.
    const history = [
      op('c1', 0, 1, { f: 'write', key: 'x', value: 1 }),
      op('c1', 2, 3, { f: 'write', key: 'x', value: 2 }),
      op('c2', 4, 5, { f: 'read', key: 'x' }, 1),
    ]
    const report = checkHistory({ model: 'kv', operations: history })
    expect(report.result).toBe('not linearizable')
    if (report.result !== 'not linearizable') return
    expect(report.part).toBe('x')
    expect(report.explanation).toBe(
      'the read of x that returned 1 by c2 cannot be placed: the write of 1 to x by c1 and the write of 2 to x by c1 had completed before it began, which leave the value 2.',
    )
  })

  it('lets an operation of unknown outcome take effect late, or never', () => {
    const write = op('c1', 0, Infinity, { f: 'write', key: 'x', value: 7 })
    expect(verdictOf([write, op('c2', 50, 60, { f: 'read', key: 'x' }, 7)])).toBe('linearizable')
    expect(verdictOf([write, op('c2', 50, 60, { f: 'read', key: 'x' }, null)])).toBe('linearizable')
    // But it cannot take effect before it was invoked.
    expect(verdictOf([op('c2', 0, 5, { f: 'read', key: 'x' }, 7), { ...write, call: 10 }])).toBe(
      'not linearizable',
    )
  })

  it('applies cas only when the value matches', () => {
    const history = [
      op('c1', 0, 1, { f: 'write', key: 'x', value: 1 }),
      op('c1', 2, 3, { f: 'cas', key: 'x', from: 1, to: 2 }),
      op('c2', 4, 5, { f: 'read', key: 'x' }, 2),
    ]
    expect(verdictOf(history)).toBe('linearizable')
    expect(
      verdictOf([history[0], op('c1', 2, 3, { f: 'cas', key: 'x', from: 5, to: 2 }), history[2]]),
    ).toBe('not linearizable')
  })

  it('answers unknown when out of time, never a guess', () => {
    const history = Array.from({ length: 400 }, (_, i) =>
      op(`c${i}`, 0, 1_000, { f: 'write', key: 'x', value: i }),
    )
    history.push(op('r', 2_000, 2_001, { f: 'read', key: 'x' }, -1))
    let clock = 0
    const verdict = checkLinearizable(kvModel(), history, { deadline: 1, now: () => clock++ })
    expect(verdict.result).toBe('unknown')
    expect(checkLinearizable(kvModel(), history, { stepsMax: 10_000 }).result).toBe('unknown')
  })
})

describe("our Raft's histories", () => {
  it('are linearizable under faults in the simulator', async () => {
    const sim = new Simulator()
    const lines: string[] = []
    sim.events((event) => {
      if (['invoke', 'ok', 'fail', 'info'].includes(event.kind)) lines.push(JSON.stringify(event))
    })
    await sim.start({ algorithm: 'raft', nodes: 5, seed: 3 })
    await sim.setLink('*', '*', { loss: 0.05, delayMsMin: 1, delayMsMax: 20, reorder: 0.1 })
    const clients = Array.from({ length: 6 }, (_, i) =>
      sim.client(`c${i + 1}`, { timeoutMs: 300, operationMsMax: 600, retryMs: 10 }),
    )
    let done = false
    startWorkload(
      clients,
      { operations: 600, keys: ['x', 'y'], mix: { read: 2, write: 2, cas: 1 }, valuesMax: 4 },
      randomStream(3, 'w'),
      () => sim.now(),
      () => {
        done = true
      },
    )
    sim.schedule(500, () => void sim.kill('n1'))
    sim.schedule(
      1_500,
      () =>
        void sim.partition([
          ['n2', 'n3'],
          ['n1', 'n4', 'n5'],
        ]),
    )
    sim.schedule(2_500, () => void sim.heal())
    sim.schedule(2_600, () => void sim.restart('n1'))
    sim.runUntil(() => done, 120_000)
    expect(done).toBe(true)
    const { operations, format } = importHistory(lines.join('\n'))
    expect(format).toBe('json-lines')
    expect(operations.length).toBeGreaterThan(300)
    expect(verdictOf(operations)).toBe('linearizable')
  })
})
