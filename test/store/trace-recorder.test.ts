// Trace recording (issue 5, "Trace recording that keeps up"): the producer
// only pushes; batches are written after its turn of the event loop, or after
// flushMs; a full buffer makes the producer write (nothing lost); a database
// that cannot be written loses events only counted, into the run's record;
// close() writes everything. And the compact event JSON reads back exactly.

import Database from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compactEventJson, eventLine } from '../../src/main/store/event-json'
import type { LabStore } from '../../src/main/store/store'
import type { TraceEvent } from '../../src/shared/trace'
import { sampleEvent, sampleEvents, storeAt, useTempFolder } from './helpers'

const folder = useTempFolder()

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function newRun(store: LabStore): number {
  return store.createRun({ spec: { algorithm: 'raft', nodes: 5 }, runtime: 'real-time' })
}

describe('the trace recorder', () => {
  it('writes a batch after the producer is done for this turn, not inside record()', async () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const run = newRun(store)
    const flushed: number[] = []
    const recorder = store.recorder(run, {
      flushEvents: 100,
      flushMs: 60_000,
      onFlushed: ({ lastSeq }) => flushed.push(lastSeq),
    })
    for (const event of sampleEvents(1, 250)) recorder.record(event)
    expect(recorder.stats()).toMatchObject({ received: 250, written: 0 })
    expect(store.getRun(run)?.recording).toBe(true)
    await nextTurn()
    expect(recorder.stats()).toMatchObject({ written: 250, flushes: 1, lastSeqWritten: 250 })
    expect(flushed).toEqual([250])
    expect(store.getRun(run)?.eventCount).toBe(250)
    recorder.close()
    expect([...store.events(run)]).toEqual(sampleEvents(1, 250))
    store.close()
  })

  it('writes a trickle of events within flushMs', async () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const run = newRun(store)
    const recorder = store.recorder(run, { flushEvents: 1_000, flushMs: 10 })
    for (const event of sampleEvents(1, 3)) recorder.record(event)
    // Liveness only: generous bound, no speed asserted.
    for (let waited = 0; recorder.stats().written < 3 && waited < 5_000; waited += 10) {
      await sleep(10)
    }
    expect(recorder.stats()).toMatchObject({ written: 3, flushes: 1 })
    recorder.record(sampleEvent(4))
    for (let waited = 0; recorder.stats().written < 4 && waited < 5_000; waited += 10) {
      await sleep(10)
    }
    expect(recorder.stats()).toMatchObject({ written: 4, flushes: 2 })
    recorder.close()
    store.close()
  })

  it('makes a producer that never yields write the full buffer itself, losing nothing', () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const run = newRun(store)
    const recorder = store.recorder(run, { bufferEventsMax: 50, flushEvents: 10_000 })
    // Like the simulator: one long synchronous run, no turn of the event loop.
    for (const event of sampleEvents(1, 1_000)) recorder.record(event)
    const stats = recorder.close()
    expect(stats).toMatchObject({ received: 1_000, written: 1_000, dropped: 0 })
    expect(stats.producerFlushes).toBe(19)
    expect(stats.bufferHighWater).toBe(50)
    expect(store.getRun(run)).toMatchObject({ eventCount: 1_000, eventsLost: 0 })
    store.close()
  })

  it('counts the events it cannot store while the database is locked, into the run', () => {
    const file = join(folder(), 'lab.db')
    const store = storeAt(file)
    const run = newRun(store)
    // Another process holds the write lock; this connection does not wait for it.
    store.db.pragma('busy_timeout = 0')
    const other = new Database(file)
    other.exec('BEGIN IMMEDIATE')
    const recorder = store.recorder(run, { bufferEventsMax: 10, flushEvents: 1_000 })
    for (const event of sampleEvents(1, 25)) recorder.record(event)
    expect(recorder.stats()).toMatchObject({ received: 25, written: 0, dropped: 15 })
    expect(recorder.stats().failedFlushes).toBe(1)
    expect(recorder.stats().lastError).toBe('database is locked')
    other.exec('COMMIT')
    other.close()
    // The buffered ten are written on close; the fifteen lost are on the run's record.
    expect(recorder.close()).toMatchObject({ written: 10, dropped: 15 })
    expect(store.getRun(run)).toMatchObject({ eventCount: 10, eventsLost: 15 })
    expect([...store.events(run)]).toEqual(sampleEvents(1, 10))
    store.close()
  })

  it('keeps an event it cannot turn into JSON as a log event saying so', () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const run = newRun(store)
    const recorder = store.recorder(run)
    const unencodable: TraceEvent = {
      seq: 1,
      t: 5,
      node: 'n1',
      kind: 'send',
      mid: 1,
      src: 'n1',
      dest: 'n2',
      body: { type: 'big', n: 10n },
    }
    recorder.record(unencodable)
    recorder.record(sampleEvent(2))
    expect(recorder.close()).toMatchObject({ written: 2, unencodable: 1 })
    expect([...store.events(run)]).toEqual([
      {
        seq: 1,
        t: 5,
        node: 'n1',
        kind: 'log',
        text: 'this send event could not be stored as JSON: Do not know how to serialize a BigInt',
      },
      sampleEvent(2),
    ])
    store.close()
  })

  it('refuses what would break a run: out-of-order seq, a second recorder, a closed one', () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const run = newRun(store)
    store.appendEvents(run, sampleEvents(1, 10))
    const recorder = store.recorder(run)
    expect(() => store.recorder(run)).toThrow(`run ${run} is already being recorded.`)
    expect(() => store.appendEvents(run, [sampleEvent(11)])).toThrow(
      `run ${run} is being recorded; its events come from its recorder.`,
    )
    // It carries on after the events already stored.
    expect(() => recorder.record(sampleEvent(10))).toThrow(
      'event seq 10 cannot be stored after seq 10',
    )
    recorder.record(sampleEvent(11))
    store.finishRun(run, 'done')
    expect(() => recorder.record(sampleEvent(12))).toThrow(`the recorder of run ${run} is closed.`)
    expect(() => store.recorder(run)).toThrow(`run ${run} has ended; start a new run.`)
    expect(store.getRun(run)?.eventCount).toBe(11)
    store.close()
  })

  it('writes what is waiting when the store closes', () => {
    const file = join(folder(), 'lab.db')
    const store = storeAt(file)
    const run = newRun(store)
    const recorder = store.recorder(run, { flushEvents: 10_000, flushMs: 60_000 })
    for (const event of sampleEvents(1, 500)) recorder.record(event)
    store.close()
    const again = storeAt(file)
    expect(again.getRun(run)?.eventCount).toBe(500)
    again.close()
  })
})

describe('compact event JSON', () => {
  const roundTrip = (event: TraceEvent): unknown => {
    const stored = compactEventJson(event)
    return JSON.parse(eventLine(event.seq, event.t, event.node, event.kind, stored))
  }

  it('reads back every kind of event exactly, and writes the same line as JSON.stringify', () => {
    for (const event of sampleEvents(1, 16)) {
      const { seq, t, node, kind, ...rest } = event
      const canonical = { seq, t, node, kind, ...rest } as TraceEvent
      const stored = compactEventJson(canonical)
      expect(stored.startsWith('{')).toBe(false)
      expect(eventLine(event.seq, event.t, event.node, event.kind, stored)).toBe(
        JSON.stringify(canonical),
      )
      expect(roundTrip(event)).toEqual(event)
    }
  })

  it('keeps the head out of the stored text, in either order of node and kind', () => {
    const kindFirst: TraceEvent = { seq: 3, t: 1.5, kind: 'timer-fire', node: 'n1', name: 'x' }
    const nodeFirst: TraceEvent = { seq: 3, t: 1.5, node: 'n1', kind: 'timer-fire', name: 'x' }
    expect(compactEventJson(kindFirst)).toBe(',"name":"x"}')
    expect(compactEventJson(nodeFirst)).toBe(',"name":"x"}')
    expect(compactEventJson({ seq: 9, t: 0, node: 'n2', kind: 'restart' })).toBe('}')
    expect(roundTrip({ seq: 9, t: 0, node: 'n2', kind: 'restart' })).toEqual({
      seq: 9,
      t: 0,
      node: 'n2',
      kind: 'restart',
    })
  })

  it('keeps whole an event whose JSON does not start with its head, and reads it back', () => {
    const odd = [
      { kind: 'pause', node: 'n1', seq: 4, t: 2 },
      { t: 2, seq: 4, node: 'n1', kind: 'pause' },
      { seq: 4, t: 2, node: 'n1', extra: 1, kind: 'pause' },
    ] as unknown as TraceEvent[]
    for (const event of odd) {
      expect(compactEventJson(event)).toBe(JSON.stringify(event))
      expect(roundTrip(event)).toEqual(event)
    }
  })

  it('handles times and names that format in unusual ways', () => {
    const events: TraceEvent[] = [
      { seq: 1, t: 1e-7, node: 'n1', kind: 'resume' },
      { seq: 2, t: 123456789.123456, node: 'n"quoted"', kind: 'pause' },
      { seq: 4_294_967_295, t: 1e21, node: 'ñødé', kind: 'log', text: 'a, b, "c"' },
    ]
    for (const event of events) expect(roundTrip(event)).toEqual(event)
  })
})
