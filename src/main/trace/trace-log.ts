// The run's trace as it happens: stamps each event with its sequence number,
// keeps the most recent ones in a bounded ring (for `trace` and the views), and
// hands every event, in order, to every subscriber (checkers, the store, the UI).

import type { TraceEvent } from '../../shared/trace'

/**
 * How many recent events stay in memory by default, for a quick look back.
 * The whole run goes to the store. Keeping more here is costly: every kept
 * event (and the message it carries) lives long enough to be copied by the
 * garbage collector twice; 10,000 instead of 1,000 slows the simulator by a
 * third. An interactive session that wants a longer look back asks for it.
 */
export const traceEventsKeptMax = 1_000

export class TraceLog {
  private readonly ring: (TraceEvent | undefined)[]
  private next = 0
  private count = 0
  private seq = 0
  private readonly listeners: ((event: TraceEvent) => void)[] = []
  private readonly pending: TraceEvent[] = []
  private dispatching = false

  constructor(
    private readonly clock: () => number,
    readonly capacity = traceEventsKeptMax,
  ) {
    this.ring = new Array<TraceEvent | undefined>(capacity)
  }

  /**
   * Stamps (`seq`, and `t` unless `timed`: the event already says when it
   * happened) and records an event built with `seq: 0, t: 0`. Events emitted
   * by a subscriber queue behind the current one.
   */
  emit(event: TraceEvent, timed = false): TraceEvent {
    const stamped = event
    stamped.seq = ++this.seq
    if (!timed) stamped.t = this.clock()
    this.ring[this.next] = stamped
    this.next = (this.next + 1) % this.capacity
    if (this.count < this.capacity) this.count++
    if (this.listeners.length === 0) return stamped
    if (this.dispatching) {
      this.pending.push(stamped)
      return stamped
    }
    this.dispatching = true
    try {
      this.deliver(stamped)
      for (let i = 0; i < this.pending.length; i++) this.deliver(this.pending[i])
    } finally {
      if (this.pending.length !== 0) this.pending.length = 0
      this.dispatching = false
    }
    return stamped
  }

  private deliver(event: TraceEvent): void {
    const listeners = this.listeners
    for (let i = 0; i < listeners.length; i++) listeners[i](event)
  }

  subscribe(listener: (event: TraceEvent) => void): () => void {
    this.listeners.push(listener)
    return () => {
      const index = this.listeners.indexOf(listener)
      if (index >= 0) this.listeners.splice(index, 1)
    }
  }

  /** The number of events emitted so far. */
  lastSeq(): number {
    return this.seq
  }

  /** The most recent events still kept, oldest first. */
  recent(limit = this.capacity): TraceEvent[] {
    const n = Math.min(limit, this.count)
    const out: TraceEvent[] = []
    for (let i = n; i > 0; i--) {
      const event = this.ring[(this.next - i + this.capacity) % this.capacity]
      if (event !== undefined) out.push(event)
    }
    return out
  }
}
