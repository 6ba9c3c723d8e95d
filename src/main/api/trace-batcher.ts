// Trace batching for a page: at most one batch per frame, bounded, and never
// silent. Used by every transport that carries the API to a renderer (browser
// mode's WebSocket, the desktop app's IPC).

import type { TraceBatch } from '../../shared/api'
import { batchEventsMax } from '../../shared/api'
import type { TraceEvent, TraceKind } from '../../shared/trace'

/**
 * Kinds that say what the cluster looks like (roles, faults, violations): the
 * view is wrong without them, so they are always delivered, a node's states
 * coalesced to its latest when too many come in one frame. Every other kind
 * (messages, timers, client operations, log lines) is sampled when it floods.
 */
/** A bound on lasting events held for one batch, past the states' share: only a flood reaches it. */
const rareLastingMax = 10_000

const lastingKinds = new Set<TraceKind>([
  'state',
  'crash',
  'restart',
  'pause',
  'resume',
  'link',
  'violation',
])

export interface BatchPolicy {
  /** The least time between two batches: one per frame. */
  frameMs: number
  /** Sampled kinds one batch carries at most. */
  sampledPerBatchMax: number
  /** Lasting kinds one batch carries at most, before states coalesce per node. */
  lastingPerBatchMax: number
}

export const defaultBatchPolicy: BatchPolicy = {
  frameMs: 16,
  sampledPerBatchMax: 400,
  lastingPerBatchMax: 500,
}

/** Timers, injectable so that a test can step time. */
export interface BatchClock {
  now(): number
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const realClock: BatchClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

/**
 * Gathers a run's trace events into batches for a page. Within one frame it
 * keeps every lasting event (up to a bound; past it, each node's latest state)
 * and a uniform sample of the rest (reservoir sampling); while the page is
 * behind (`behind()`: its socket has a backlog) sampled events are left out
 * and lasting ones wait. Whatever is left out is counted by kind and the
 * counts ride on the next batch sent.
 */
export class TraceBatcher {
  private run = 0
  private lastSeq = Number.POSITIVE_INFINITY
  private sampled: TraceEvent[] = []
  private sampledSeen = 0
  private lasting: TraceEvent[] = []
  /** Each node's latest state once `lasting` is full. */
  private overflowStates = new Map<string, TraceEvent>()
  private skipped = new Map<string, number>()
  private timer: unknown = null
  private lastSentAt = Number.NEGATIVE_INFINITY
  private stopped = false

  constructor(
    private readonly send: (batch: TraceBatch) => void,
    private readonly behind: () => boolean,
    private readonly policy: BatchPolicy = defaultBatchPolicy,
    private readonly clock: BatchClock = realClock,
  ) {
    // The schema's bound holds whatever the policy: every node's state may overflow.
    if (policy.sampledPerBatchMax + policy.lastingPerBatchMax > batchEventsMax / 2) {
      throw new Error(`a batch policy may keep at most ${batchEventsMax / 2} events per frame`)
    }
  }

  add(event: TraceEvent): void {
    if (this.stopped) return
    // Sequence numbers start again with each run: the page forgets the old one.
    if (event.seq <= this.lastSeq) {
      this.sendNow()
      this.run++
    }
    this.lastSeq = event.seq
    if (lastingKinds.has(event.kind)) this.keepLasting(event)
    else this.keepSampled(event)
    this.schedule()
  }

  /** Stops batching; what is pending is not sent. */
  stop(): void {
    this.stopped = true
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
  }

  private keepSampled(event: TraceEvent): void {
    this.sampledSeen++
    const max = this.policy.sampledPerBatchMax
    if (this.sampled.length < max) {
      this.sampled.push(event)
      return
    }
    // Reservoir sampling: each event of the frame is kept with the same chance.
    const slot = Math.floor(Math.random() * this.sampledSeen)
    if (slot < max) {
      this.skip(this.sampled[slot].kind)
      this.sampled[slot] = event
    } else {
      this.skip(event.kind)
    }
  }

  private keepLasting(event: TraceEvent): void {
    if (this.lasting.length < this.policy.lastingPerBatchMax) {
      this.lasting.push(event)
    } else if (event.kind === 'state') {
      if (this.overflowStates.has(event.node)) this.skip('state')
      this.overflowStates.set(event.node, event)
    } else if (this.lasting.length < rareLastingMax) {
      // Crashes, restarts, pauses and link changes are few, and the view is
      // wrong without them (a restarted node drawn dead): they always go.
      this.lasting.push(event)
    } else {
      this.skip(event.kind)
    }
  }

  private skip(kind: string, count = 1): void {
    this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + count)
  }

  private schedule(): void {
    if (this.timer !== null || this.stopped) return
    const wait = Math.max(0, this.lastSentAt + this.policy.frameMs - this.clock.now())
    this.timer = this.clock.setTimeout(() => {
      this.timer = null
      this.onFrame()
    }, wait)
  }

  private onFrame(): void {
    if (this.stopped) return
    if (this.behind()) {
      // The page has not read what it was sent: sampled events go (counted),
      // lasting ones wait for the next frame.
      for (const event of this.sampled) this.skip(event.kind)
      this.sampled = []
      this.sampledSeen = 0
      this.lastSentAt = this.clock.now()
      this.schedule()
      return
    }
    this.sendNow()
  }

  private sendNow(): void {
    const events = [...this.lasting, ...this.overflowStates.values(), ...this.sampled]
    if (events.length === 0 && this.skipped.size === 0) return
    events.sort((a, b) => a.seq - b.seq)
    const batch: TraceBatch = {
      run: Math.max(1, this.run),
      events,
      skipped: Object.fromEntries(this.skipped),
    }
    this.lasting = []
    this.overflowStates = new Map()
    this.sampled = []
    this.sampledSeen = 0
    this.skipped = new Map()
    this.lastSentAt = this.clock.now()
    this.send(batch)
  }
}
