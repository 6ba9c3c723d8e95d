// Contract 1: after every handler the persistent fields are saved, before any
// message leaves. The saving is done by splices (tracked-array.ts) so that it
// costs the same per entry however long the log is. These tests check that the
// splices always describe the change exactly, whatever the handler did to the
// array, and that a pure append is reported as just the new entries.

import { describe, expect, it } from 'vitest'
import { randomStream, type Random } from '../../src/shared/random'
import type { AnyNodeDefinition } from '../../src/shared/node-api'
import type { FieldChange } from '../../src/shared/trace'
import { NodeRunner } from '../../src/workers/runtime/node-runner'
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
function mutatingNode(mutate: (state: LogState, random: Random) => void, random: Random): AnyNodeDefinition {
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

const mutations: ((state: LogState, random: Random, n: number) => void)[] = [
  (s, _r, n) => s.log.push({ term: s.term, n }),
  (s, _r, n) => s.log.push({ term: s.term, n }, { term: s.term, n: n + 1 }),
  (s, r) => {
    s.log.length = Math.floor(r() * (s.log.length + 1))
  },
  (s, r, n) => {
    if (s.log.length > 0) s.log[Math.floor(r() * s.log.length)] = { term: s.term, n }
  },
  (s, r) => {
    s.log.splice(Math.floor(r() * (s.log.length + 1)))
  },
  (s, r, n) => {
    s.log.splice(Math.floor(r() * (s.log.length + 1)), 1, { term: 9, n })
  },
  (s) => {
    s.log.pop()
  },
  (s) => {
    s.log.shift()
  },
  (s, _r, n) => {
    s.log.unshift({ term: 0, n })
  },
  (s) => {
    s.log.reverse()
  },
  (s) => {
    s.log = s.log.filter((item) => item.n % 2 === 0) // a new array in place of the old
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

describe('persistent fields are saved exactly', () => {
  it('keeps storage equal to the live state after every handler, whatever the handler did', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = randomStream(seed, 'persistence-test')
      let step = 0
      const node = mutatingNode((state, r) => {
        const mutate = mutations[Math.floor(r() * mutations.length)]
        mutate(state, r, step++)
      }, random)
      const storage = new NodeStorage()
      const runner = new NodeRunner(node, 'n1', [], { now: () => 0, random })
      const started = runner.start(undefined)
      if (!started.ok) throw new Error(started.error.message)
      storage.apply(started.effects.state?.changes ?? [])
      for (let i = 0; i < 300; i++) {
        const outcome = runner.deliver({ src: 'c1', dest: 'n1', body: { type: 'go' } })
        if (!outcome.ok) throw new Error(`seed ${seed} step ${i}: ${outcome.error.message}`)
        storage.apply(outcome.effects.state?.changes ?? [])
        expect(storage.peek(), `seed ${seed} step ${i}`).toEqual(runner.snapshot())
      }
    }
  })

  it('reports a pure append as only the new entries, however long the log', () => {
    let appended: FieldChange[] = []
    const node = mutatingNode((state, _r) => state.log.push({ term: 1, n: state.log.length }), Math.random)
    const runner = new NodeRunner(node, 'n1', [], { now: () => 0, random: () => 0.5 })
    const saved = { log: Array.from({ length: 100_000 }, (_, n) => ({ term: 1, n })), term: 1, meta: null }
    expect(runner.start(saved).ok).toBe(true)
    const outcome = runner.deliver({ src: 'c1', dest: 'n1', body: { type: 'go' } })
    if (!outcome.ok) throw new Error(outcome.error.message)
    appended = outcome.effects.state?.changes ?? []
    expect(appended).toEqual([{ field: 'log', op: 'splice', from: 100_000, append: [{ term: 1, n: 100_000 }] }])
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
