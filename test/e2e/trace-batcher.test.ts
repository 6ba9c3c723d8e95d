// Browser mode's trace batching: at most one batch per frame, bounded in size,
// and never silent. What is left out to keep up is counted by kind; each
// node's latest state always reaches the page; a new run is announced.

import { describe, expect, it } from 'vitest'
import { traceBatchSchema, type TraceBatch } from '../../src/shared/api'
import type { TraceEvent } from '../../src/shared/trace'
import { TraceBatcher, defaultBatchPolicy, type BatchClock } from '../../src/main/api/trace-batcher'

/** A clock the test moves by hand; timers fire when it passes them. */
class ManualClock implements BatchClock {
  private nowMs = 0
  private timers: { at: number; run: () => void }[] = []
  now(): number {
    return this.nowMs
  }
  setTimeout(run: () => void, ms: number): unknown {
    const timer = { at: this.nowMs + ms, run }
    this.timers.push(timer)
    return timer
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((timer) => timer !== handle)
  }
  advance(ms: number): void {
    const until = this.nowMs + ms
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0]
      if (due === undefined) break
      this.timers = this.timers.filter((timer) => timer !== due)
      this.nowMs = due.at
      due.run()
    }
    this.nowMs = until
  }
}

let seq = 0
const send = (src: string, dest: string): TraceEvent => ({
  seq: ++seq,
  t: seq,
  node: src,
  kind: 'send',
  mid: seq,
  src,
  dest,
  body: { type: 'AppendEntries' },
})
const state = (node: string, term: number): TraceEvent => ({
  seq: ++seq,
  t: seq,
  node,
  kind: 'state',
  summary: { role: 'follower', term },
  changes: [],
})

function setUp(behind: () => boolean = () => false) {
  const clock = new ManualClock()
  const batches: { at: number; batch: TraceBatch }[] = []
  const batcher = new TraceBatcher(
    (batch) => batches.push({ at: clock.now(), batch }),
    behind,
    defaultBatchPolicy,
    clock,
  )
  return { clock, batches, batcher }
}

const delivered = (batches: { batch: TraceBatch }[]): number =>
  batches.reduce((sum, { batch }) => sum + batch.events.length, 0)
const skipped = (batches: { batch: TraceBatch }[]): number =>
  batches.reduce(
    (sum, { batch }) => sum + Object.values(batch.skipped).reduce((a, b) => a + b, 0),
    0,
  )

describe('trace batches for the page', () => {
  it('sends a quiet run whole, one batch per frame at most', () => {
    seq = 0
    const { clock, batches, batcher } = setUp()
    for (let frame = 0; frame < 10; frame++) {
      for (let i = 0; i < 20; i++) batcher.add(send('n1', 'n2'))
      clock.advance(5)
    }
    clock.advance(100)
    expect(delivered(batches)).toBe(200)
    expect(skipped(batches)).toBe(0)
    for (let i = 1; i < batches.length; i++) {
      expect(batches[i].at - batches[i - 1].at).toBeGreaterThanOrEqual(defaultBatchPolicy.frameMs)
    }
    for (const { batch } of batches) expect(traceBatchSchema.safeParse(batch).success).toBe(true)
  })

  it('samples a flood, bounds each batch, and counts what it left out', () => {
    seq = 0
    const { clock, batches, batcher } = setUp()
    for (let i = 0; i < 50_000; i++) {
      batcher.add(send('n1', 'n2'))
      if (i % 5_000 === 0) batcher.add(state('n1', i))
    }
    clock.advance(100)
    const total = 50_000 + 10
    expect(delivered(batches) + skipped(batches)).toBe(total)
    for (const { batch } of batches) {
      expect(batch.events.length).toBeLessThanOrEqual(
        defaultBatchPolicy.sampledPerBatchMax + defaultBatchPolicy.lastingPerBatchMax,
      )
      expect(traceBatchSchema.safeParse(batch).success).toBe(true)
      // In seq order, whatever was sampled.
      const seqs = batch.events.map((event) => event.seq)
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b))
    }
    // Every state got through: they are what the view is drawn from.
    const states = batches.flatMap(({ batch }) => batch.events.filter((e) => e.kind === 'state'))
    expect(states).toHaveLength(10)
  })

  it('keeps the latest state of each node when states alone flood a frame', () => {
    seq = 0
    const { clock, batches, batcher } = setUp()
    for (let term = 1; term <= 400; term++)
      for (const node of ['n1', 'n2', 'n3']) batcher.add(state(node, term))
    clock.advance(100)
    expect(delivered(batches) + skipped(batches)).toBe(1200)
    expect(batches[0].batch.skipped.state).toBeGreaterThan(0)
    const last = new Map<string, unknown>()
    for (const { batch } of batches) {
      for (const event of batch.events)
        if (event.kind === 'state') last.set(event.node, event.summary.term)
    }
    expect(Object.fromEntries(last)).toEqual({ n1: 400, n2: 400, n3: 400 })
  })

  it('while the page is behind, leaves out messages (counted) and holds states until it catches up', () => {
    seq = 0
    let behind = true
    const { clock, batches, batcher } = setUp(() => behind)
    for (let frame = 0; frame < 5; frame++) {
      for (let i = 0; i < 100; i++) batcher.add(send('n1', 'n2'))
      batcher.add(state('n2', frame + 1))
      clock.advance(16)
    }
    expect(batches).toHaveLength(0)
    behind = false
    clock.advance(32)
    expect(batches).toHaveLength(1)
    const { batch } = batches[0]
    expect(batch.skipped.send).toBe(500)
    expect(batch.events.filter((event) => event.kind === 'state')).toHaveLength(5)
  })

  it('numbers the runs: a new cluster starts its sequence again', () => {
    seq = 0
    const { clock, batches, batcher } = setUp()
    batcher.add(state('n1', 1))
    batcher.add(send('n1', 'n2'))
    clock.advance(20)
    seq = 0
    batcher.add(state('n1', 1))
    clock.advance(20)
    expect(batches.map(({ batch }) => batch.run)).toEqual([1, 2])
  })
})
