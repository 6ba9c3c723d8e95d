// The workload's --rate: operation i starts no earlier than i / rate seconds
// in, whatever the number of clients; without a rate, clients go at once.

import { describe, expect, it } from 'vitest'
import type { Completion, KvClient } from '../../src/main/client/kv-client'
import { startWorkload } from '../../src/main/client/workload'
import type { Operation } from '../../src/shared/trace'

/** Clients that answer when told to, and a clock the test moves. */
function harness(count: number) {
  let time = 0
  const started: { client: string; at: number }[] = []
  const pending: ((completion: Completion) => void)[] = []
  const clients = Array.from(
    { length: count },
    (_, i) =>
      ({
        invoke(_op: Operation, done: (completion: Completion) => void) {
          started.push({ client: `c${i + 1}`, at: time })
          pending.push(done)
        },
      }) as unknown as KvClient,
  )
  return {
    clients,
    started,
    now: () => time,
    /** Moves the clock and answers every operation under way. */
    advance(ms: number) {
      time += ms
      for (const done of pending.splice(0)) done({ type: 'ok' })
    },
  }
}

const spec = {
  operations: 10,
  keys: ['x'],
  mix: { read: 1, write: 1, cas: 0 },
  valuesMax: 10,
}

describe('workload', () => {
  it('starts every client at once without a rate', () => {
    const h = harness(4)
    startWorkload(h.clients, spec, () => 0.5, h.now)
    expect(h.started.map((s) => s.at)).toEqual([0, 0, 0, 0])
  })

  it('starts operation i no earlier than i / rate seconds in, and finishes them all', () => {
    const h = harness(4)
    let finished = false
    const workload = startWorkload(
      h.clients,
      { ...spec, ratePerSecond: 100 }, // one every 10 ms
      () => 0.5,
      h.now,
      () => {
        finished = true
      },
    )
    expect(h.started).toHaveLength(1) // the first is due at once; the others wait
    expect(workload.due()).toBe(false)
    for (let step = 0; step < 40 && !finished; step++) {
      h.advance(5)
      workload.releaseDue()
    }
    expect(finished).toBe(true)
    expect(workload.result.ok).toBe(10)
    h.started.forEach((start, i) => expect(start.at).toBeGreaterThanOrEqual(i * 10))
    // Four clients, yet one start per 10 ms: the rate, not the clients, sets the pace.
    expect(h.started.at(-1)?.at).toBeGreaterThanOrEqual(90)
    expect(h.started.at(-1)?.at).toBeLessThan(100)
  })

  it('refuses a rate that is not above 0', () => {
    const h = harness(1)
    expect(() => startWorkload(h.clients, { ...spec, ratePerSecond: 0 }, () => 0.5, h.now)).toThrow(
      'a workload rate must be above 0',
    )
  })
})
