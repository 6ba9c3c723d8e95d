// Writes a run's trace events to the database as they happen, off the hot
// path: the producer (a cluster's trace log) only pushes each event into an
// in-memory buffer; the buffer is written in one transaction once it holds
// `flushEvents` events (on the next turn of the event loop, after the
// producer's current work) or `flushMs` after its first event, whichever
// comes first. JSON is built at write time, not in the producer.
//
// Events are immutable once emitted (the trace log hands the same objects to
// every subscriber and keeps them in its ring), so a buffered event is written
// exactly as it was when it happened.
//
// When the buffer is full (`bufferEventsMax`, a bound on memory): the producer
// writes the batch itself before it adds the event. That is backpressure, not
// loss: a synchronous producer (the simulator runs for a long time without
// yielding) slows to the disk's pace and every event is kept. Events are lost
// only when the database cannot be written (disk full, a lock held for longer
// than the busy timeout): then, with the buffer full, each new event is
// dropped and counted, the error is kept, and the count goes into the run's
// events_lost when the recorder closes. Nothing is lost without being counted.

import type { TraceEvent } from '../../shared/trace'
import type { SqliteDatabase } from './database'
import { compactEventJson } from './event-json'

/** The highest seq a run can hold: the low 32 bits of an event's key. */
export const seqMax = 2 ** 32 - 1
/** The highest run id whose event keys stay exact in a JS number (2^53). */
export const runIdMax = 2 ** 21 - 1
/** Events per row of event_blocks: a time query reads at most this many extra events at each edge. */
export const blockEventsMax = 4_096
/**
 * What a stored event costs beyond its JSON text, for runs' byte_size: the
 * key, t, node, kind, the record header and cell pointer, and the block rows.
 * An estimate (checked against real file growth in the tests): SQLite does not
 * say how many pages one run's rows use.
 */
export const rowOverheadBytes = 32
/**
 * Rows per INSERT statement: one statement with 32 rows of parameters crosses
 * from JS into SQLite once instead of 32 times.
 */
const rowsPerInsert = 32

/** The key of event `seq` of run `runId`: one integer, so the table needs no second index. */
export function eventKey(runId: number, seq: number): number {
  return runId * 2 ** 32 + seq
}

export class StoreError extends Error {
  override name = 'StoreError'
}

/** What one write added. */
export interface WriteResult {
  events: number
  bytes: number
  lastSeq: number
  /** Events that could not be turned into JSON, kept as a `log` event saying so. */
  unencodable: number
}

/**
 * The one place events are inserted: the recorder and imports both write
 * through it, so event rows, their blocks and the run's counters always
 * change together, in one transaction.
 */
export class EventWriter {
  private readonly insertOne
  private readonly insertMany
  private readonly insertBlock
  private readonly addToRun
  private readonly many: unknown[] = new Array<unknown>(rowsPerInsert * 5)
  private readonly writeAll: (runId: number, events: readonly TraceEvent[]) => WriteResult

  constructor(db: SqliteDatabase) {
    const row = '(?, ?, ?, ?, ?)'
    this.insertOne = db.prepare(`INSERT INTO events (id, t, node, kind, json) VALUES ${row}`)
    this.insertMany = db.prepare(
      `INSERT INTO events (id, t, node, kind, json) VALUES ${Array<string>(rowsPerInsert).fill(row).join(', ')}`,
    )
    this.insertBlock = db.prepare(
      'INSERT INTO event_blocks (run_id, first_seq, last_seq, t_min, t_max) VALUES (?, ?, ?, ?, ?)',
    )
    this.addToRun = db.prepare(
      'UPDATE runs SET event_count = event_count + ?, byte_size = byte_size + ? WHERE id = ?',
    )
    this.writeAll = db.transaction((runId: number, events: readonly TraceEvent[]) => {
      const result: WriteResult = { events: 0, bytes: 0, lastSeq: 0, unencodable: 0 }
      for (let from = 0; from < events.length; from += blockEventsMax) {
        this.writeBlock(runId, events, from, Math.min(events.length, from + blockEventsMax), result)
      }
      this.addToRun.run(result.events, result.bytes, runId)
      return result
    })
  }

  /** Writes `events` (valid, in increasing seq order) in one transaction. */
  write(runId: number, events: readonly TraceEvent[]): WriteResult {
    return this.writeAll(runId, events)
  }

  private writeBlock(
    runId: number,
    events: readonly TraceEvent[],
    from: number,
    to: number,
    result: WriteResult,
  ): void {
    let tMin = Infinity
    let tMax = -Infinity
    const many = this.many
    let filled = 0
    for (let i = from; i < to; i++) {
      const event = events[i]
      let json: string
      let kind: string = event.kind
      try {
        json = compactEventJson(event)
      } catch (error) {
        // A body with a BigInt or a cycle (learner code in the simulator can
        // build one): keep the event's place in the trace, and say why.
        result.unencodable++
        kind = 'log'
        const text = `this ${event.kind} event could not be stored as JSON: ${error instanceof Error ? error.message : String(error)}`
        json = `,"text":${JSON.stringify(text)}}`
      }
      const t = event.t
      if (t < tMin) tMin = t
      if (t > tMax) tMax = t
      result.bytes += Buffer.byteLength(json) + rowOverheadBytes
      const at = filled * 5
      many[at] = eventKey(runId, event.seq)
      many[at + 1] = t
      many[at + 2] = event.node
      many[at + 3] = kind
      many[at + 4] = json
      if (++filled === rowsPerInsert) {
        this.insertMany.run(many)
        filled = 0
      }
    }
    for (let j = 0; j < filled; j++) {
      const at = j * 5
      this.insertOne.run(many[at], many[at + 1], many[at + 2], many[at + 3], many[at + 4])
    }
    // Do not keep the last batch's strings alive until the next write.
    many.fill(undefined)
    const first = events[from].seq
    const last = events[to - 1].seq
    this.insertBlock.run(runId, first, last, tMin, tMax)
    result.events += to - from
    result.lastSeq = last
  }
}

/**
 * Checks one event before it is accepted: a broken event would fail the whole
 * batch's transaction, and every event after it, so it is refused at the door.
 * A failure is a bug in the producer, not a learner's mistake.
 */
export function checkEvent(event: TraceEvent, afterSeq: number): void {
  const { seq, t, node, kind } = event
  if (!Number.isInteger(seq) || seq <= afterSeq || seq > seqMax) {
    throw new StoreError(
      `event seq ${String(seq)} cannot be stored after seq ${afterSeq}: seq must be a whole number that increases, up to ${seqMax}.`,
    )
  }
  if (typeof t !== 'number' || !Number.isFinite(t)) {
    throw new StoreError(`event seq ${seq} has no finite time t (${String(t)}).`)
  }
  if (typeof node !== 'string' || typeof kind !== 'string') {
    throw new StoreError(`event seq ${seq} needs a node and a kind.`)
  }
}

export interface RecorderOptions {
  /** Write once this many events wait (on the next turn of the event loop). */
  flushEvents?: number
  /** Write at most this long after an event arrives, however few wait. */
  flushMs?: number
  /** The buffer's bound: at this many events the producer writes them itself. */
  bufferEventsMax?: number
  /** After a failed write, wait this long before trying again. */
  retryMs?: number
  /** Called after each successful write (the events up to `lastSeq` are committed). */
  onFlushed?: (flushed: { lastSeq: number; written: number }) => void
}

export interface RecorderStats {
  /** Events handed to record(). */
  received: number
  /** Events committed to the database. */
  written: number
  /** Events lost because the database could not be written while the buffer was full. */
  dropped: number
  /** Events whose JSON could not be built, stored as a `log` event saying so. */
  unencodable: number
  /** Successful writes (transactions). */
  flushes: number
  /** Writes the producer made itself because the buffer was full. */
  producerFlushes: number
  failedFlushes: number
  /** The highest seq committed (0: none yet). */
  lastSeqWritten: number
  /** The largest number of events waiting at once. */
  bufferHighWater: number
  /** The last write error, as a sentence; null if none. */
  lastError: string | null
}

export const recorderDefaults = {
  flushEvents: 4_096,
  flushMs: 50,
  bufferEventsMax: 65_536,
  retryMs: 1_000,
} as const

export class TraceRecorder {
  private buffer: TraceEvent[] = []
  private lastSeqReceived: number
  private closed = false
  private immediate: NodeJS.Immediate | null = null
  private timer: NodeJS.Timeout | null = null
  private retryAt = 0
  private readonly flushEvents: number
  private readonly flushMs: number
  private readonly bufferEventsMax: number
  private readonly retryMs: number
  private readonly onFlushed: RecorderOptions['onFlushed']
  private readonly counts: RecorderStats

  /** Use LabStore.recorder(runId) to make one: it knows the run and where its events end. */
  constructor(
    private readonly writer: EventWriter,
    readonly runId: number,
    lastSeqStored: number,
    options: RecorderOptions,
    private readonly onClose: (stats: RecorderStats) => void,
  ) {
    this.flushEvents = positive(options.flushEvents ?? recorderDefaults.flushEvents, 'flushEvents')
    this.flushMs = positive(options.flushMs ?? recorderDefaults.flushMs, 'flushMs')
    this.bufferEventsMax = positive(
      options.bufferEventsMax ?? recorderDefaults.bufferEventsMax,
      'bufferEventsMax',
    )
    this.retryMs = positive(options.retryMs ?? recorderDefaults.retryMs, 'retryMs')
    this.onFlushed = options.onFlushed
    this.lastSeqReceived = lastSeqStored
    this.counts = {
      received: 0,
      written: 0,
      dropped: 0,
      unencodable: 0,
      flushes: 0,
      producerFlushes: 0,
      failedFlushes: 0,
      lastSeqWritten: lastSeqStored,
      bufferHighWater: 0,
      lastError: null,
    }
  }

  /** Takes one event (seq increasing). This is the producer's whole cost: a check and a push. */
  record(event: TraceEvent): void {
    if (this.closed) throw new StoreError(`the recorder of run ${this.runId} is closed.`)
    checkEvent(event, this.lastSeqReceived)
    this.lastSeqReceived = event.seq
    this.counts.received++
    if (this.buffer.length >= this.bufferEventsMax) {
      if (Date.now() >= this.retryAt) {
        this.counts.producerFlushes++
        this.flush()
      }
      if (this.buffer.length >= this.bufferEventsMax) {
        this.counts.dropped++
        return
      }
    }
    const waiting = this.buffer.push(event)
    if (waiting > this.counts.bufferHighWater) this.counts.bufferHighWater = waiting
    if (waiting === 1 && this.timer === null) {
      this.timer = setTimeout(() => this.onTimer(), this.flushMs)
      this.timer.unref()
    }
    if (waiting >= this.flushEvents && this.immediate === null) {
      this.immediate = setImmediate(() => {
        this.immediate = null
        if (Date.now() >= this.retryAt) this.flush()
      })
    }
  }

  private onTimer(): void {
    this.timer = null
    if (Date.now() < this.retryAt) {
      this.timer = setTimeout(() => this.onTimer(), this.retryAt - Date.now())
      this.timer.unref()
      return
    }
    if (!this.flush() || this.buffer.length > 0) {
      this.timer = setTimeout(() => this.onTimer(), this.flushMs)
      this.timer.unref()
    }
  }

  /** Writes everything waiting in one transaction, now. Returns false when the write failed. */
  flush(): boolean {
    if (this.buffer.length === 0) return true
    const batch = this.buffer
    this.buffer = []
    let result: WriteResult
    try {
      result = this.writer.write(this.runId, batch)
    } catch (error) {
      // The transaction rolled back: nothing of the batch is stored. Keep it
      // (nothing else can have arrived: this is one synchronous call) and try
      // again later, not at every event: each try may wait for the busy timeout.
      this.buffer = batch
      this.counts.failedFlushes++
      this.counts.lastError = error instanceof Error ? error.message : String(error)
      this.retryAt = Date.now() + this.retryMs
      return false
    }
    this.counts.written += result.events
    this.counts.unencodable += result.unencodable
    this.counts.flushes++
    this.counts.lastSeqWritten = result.lastSeq
    // Outside the try: the batch is committed whatever the callback does.
    this.onFlushed?.({ lastSeq: result.lastSeq, written: this.counts.written })
    return true
  }

  stats(): RecorderStats {
    return { ...this.counts }
  }

  /** Writes everything still waiting and stops. Events that could not be written are counted as dropped. */
  close(): RecorderStats {
    if (this.closed) return this.stats()
    this.closed = true
    if (this.immediate !== null) clearImmediate(this.immediate)
    if (this.timer !== null) clearTimeout(this.timer)
    this.immediate = null
    this.timer = null
    if (!this.flush()) {
      this.counts.dropped += this.buffer.length
      this.buffer = []
    }
    const stats = this.stats()
    this.onClose(stats)
    return stats
  }
}

function positive(value: number, name: string): number {
  if (!Number.isInteger(value) || value <= 0) {
    throw new StoreError(`${name} must be a whole number above 0, not ${value}.`)
  }
  return value
}
