// Contract 1: after every handler the persistent fields are saved, before any
// message leaves. Arrays are saved by splices found by a backward scan (see
// NodeRunner.arrayChange), so saving costs the same per entry however long the
// log is. These tests check that every change a log file allows (append, cut
// the end, both) is saved exactly, that any other change is caught and named
// within the audit window, and that a pure append saves just the new entries.

import { isDeepStrictEqual } from 'node:util'
import { describe, expect, it } from 'vitest'
import { randomStream, type Random } from '../../src/shared/random'
import type { AnyNodeDefinition } from '../../src/shared/node-api'
import type { FieldChange } from '../../src/shared/trace'
import { auditSlotsPerHandler, NodeRunner } from '../../src/workers/runtime/node-runner'
import { NodeStorage } from '../../src/workers/runtime/node-storage'

interface Item {
  term: number
  n: number
}
interface LogState {
  log: Item[]
  term: number
  meta: { note: string } | null
}

/** A node that applies whatever mutation the test puts in the message body. */
function mutatingNode(
  mutate: (state: LogState, random: Random) => void,
  random: Random,
): AnyNodeDefinition {
  return {
    name: 'mutating',
    persistent: ['log', 'term', 'meta'],
    init: (_ctx, saved) => {
      const s = saved as Partial<LogState> | undefined
      return { log: s?.log ?? [], term: s?.term ?? 0, meta: s?.meta ?? null }
    },
    onMessage: (state) => mutate(state as LogState, random),
    onTimer: () => {},
  }
}

type Mutation = (state: LogState, random: Random, n: number) => void

/** Changes a log file can make: append, cut the end, or both. */
const logFileChanges: Mutation[] = [
  (s, _r, n) => s.log.push({ term: s.term, n }),
  (s, _r, n) => s.log.push({ term: s.term, n }, { term: s.term, n: n + 1 }),
  (s, r) => {
    s.log.length = Math.floor(r() * (s.log.length + 1))
  },
  (s, r) => {
    s.log.splice(Math.floor(r() * (s.log.length + 1)))
  },
  (s, r, n) => {
    s.log.length = Math.floor(r() * (s.log.length + 1))
    s.log[s.log.length] = { term: s.term, n } // cut, then append by index
  },
  (s) => {
    s.log.pop()
  },
  (s) => {
    s.log.shift() // every entry moves: saved again from the start
  },
  (s, _r, n) => {
    s.log.unshift({ term: 0, n })
  },
  (s) => {
    s.log = s.log.filter((item) => item.n % 2 === 0) // a new array in place of the old
  },
  (s) => {
    s.log = [...s.log] // a copy with the same entries: nothing to save
  },
  (s) => {
    s.term += 1
  },
  (s, _r, n) => {
    s.meta = { note: `note ${n}` }
  },
  (s) => {
    if (s.meta !== null) s.meta = { ...s.meta, note: s.meta.note + '!' }
  },
  () => {}, // a handler that changes nothing
]

/** Changes no log file makes: an entry rewritten in the middle. */
const inPlaceChanges: Mutation[] = [
  (s, r, n) => {
    if (s.log.length > 0) s.log[Math.floor(r() * s.log.length)] = { term: s.term, n }
  },
  (s, r, n) => {
    s.log.splice(Math.floor(r() * s.log.length), 1, { term: 9, n })
  },
  (s) => {
    s.log.reverse()
  },
]

function runnerFor(
  mutationsToUse: Mutation[],
  seed: number,
): { runner: NodeRunner; storage: NodeStorage } {
  const random = randomStream(seed, 'persistence-test')
  let step = 0
  const node = mutatingNode((state, r) => {
    mutationsToUse[Math.floor(r() * mutationsToUse.length)](state, r, step++)
  }, random)
  const storage = new NodeStorage()
  const runner = new NodeRunner(node, 'n1', [], { now: () => 0, random })
  const started = runner.start(undefined)
  if (!started.ok) throw new Error(started.error.message)
  storage.apply(started.effects.state?.changes ?? [])
  return { runner, storage }
}

const go = { src: 'c1', dest: 'n1', body: { type: 'go' } }

describe('persistent fields are saved exactly', () => {
  it('saves every change a log file can make exactly, after every handler', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const { runner, storage } = runnerFor(logFileChanges, seed)
      for (let i = 0; i < 300; i++) {
        const outcome = runner.deliver(go)
        if (!outcome.ok) throw new Error(`seed ${seed} step ${i}: ${outcome.error.message}`)
        storage.apply(outcome.effects.state?.changes ?? [])
        expect(storage.peek(), `seed ${seed} step ${i}`).toEqual(runner.snapshot())
      }
    }
  })

  it('stops a node that rewrites a saved entry in place, within the audit window, with a clear sentence', () => {
    let caught = 0
    for (let seed = 1; seed <= 20; seed++) {
      const fresh = runnerFor([...logFileChanges, ...inPlaceChanges], seed)
      const storage = fresh.storage
      let runner = fresh.runner
      let divergedAt: number | null = null
      for (let i = 0; i < 300; i++) {
        const outcome = runner.deliver(go)
        if (!outcome.ok) {
          expect(outcome.error.message).toMatch(
            /log\[\d+\] was replaced in place.*add to its end, or cut it/,
          )
          // No false alarms: what was caught really differs from what was saved.
          const unsaved = !isDeepStrictEqual(storage.peek(), runner.snapshot())
          expect(
            unsaved,
            `seed ${seed} step ${i}: stopped a node whose changes were all saved`,
          ).toBe(true)
          caught++
          // The node crashed: it restarts from what was saved, as a real one would.
          const restarted = new NodeRunner(runner.definition, 'n1', [], {
            now: () => 0,
            random: Math.random,
          })
          const started = restarted.start(storage.load())
          if (!started.ok) throw new Error(started.error.message)
          storage.apply(started.effects.state?.changes ?? [])
          runner = restarted
          divergedAt = null
          continue
        }
        storage.apply(outcome.effects.state?.changes ?? [])
        const same = isDeepStrictEqual(storage.peek(), runner.snapshot())
        if (same) {
          divergedAt = null
        } else {
          divergedAt ??= i
          const logLength = (runner.snapshot() as LogState).log.length
          const window = Math.ceil(logLength / auditSlotsPerHandler) + 1
          expect(
            i - divergedAt,
            `seed ${seed} step ${i}: unsaved change went unnoticed`,
          ).toBeLessThanOrEqual(window)
        }
      }
    }
    expect(caught).toBeGreaterThan(10)
  })

  it('saves a pure append as only the new entries, however long the log', () => {
    const node = mutatingNode(
      (state, _r) => state.log.push({ term: 1, n: state.log.length }),
      Math.random,
    )
    const runner = new NodeRunner(node, 'n1', [], { now: () => 0, random: () => 0.5 })
    const saved = {
      log: Array.from({ length: 100_000 }, (_, n) => ({ term: 1, n })),
      term: 1,
      meta: null,
    }
    expect(runner.start(saved).ok).toBe(true)
    const outcome = runner.deliver({ src: 'c1', dest: 'n1', body: { type: 'go' } })
    if (!outcome.ok) throw new Error(outcome.error.message)
    const appended: FieldChange[] = outcome.effects.state?.changes ?? []
    expect(appended).toEqual([
      { field: 'log', op: 'splice', from: 100_000, append: [{ term: 1, n: 100_000 }] },
    ])
  })

  it('saves nothing from a handler that throws', () => {
    const node = mutatingNode((state) => {
      state.log.push({ term: 5, n: 5 })
      state.term = 5
      throw new Error('halfway')
    }, Math.random)
    const storage = new NodeStorage()
    const runner = new NodeRunner(node, 'n1', [], { now: () => 0, random: () => 0.5 })
    const started = runner.start({ log: [{ term: 1, n: 1 }], term: 1, meta: null })
    if (!started.ok) throw new Error(started.error.message)
    storage.apply(started.effects.state?.changes ?? [])
    const outcome = runner.deliver({ src: 'c1', dest: 'n1', body: { type: 'go' } })
    expect(outcome.ok).toBe(false)
    expect(storage.load()).toEqual({ log: [{ term: 1, n: 1 }], term: 1, meta: null })
  })
})
