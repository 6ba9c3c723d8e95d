// The metrics publisher: one snapshot a second, only when something was counted, never into a backlog.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { MetricsAggregator } from '../../src/main/metrics/aggregator'
import { MetricsPublisher } from '../../src/main/metrics/publisher'
import type { MetricsSnapshot } from '../../src/shared/metrics'
import { metricsSnapshotSchema } from '../../src/shared/metrics'
import type { TraceEvent } from '../../src/shared/trace'

const send = (seq: number, t: number): TraceEvent => ({
  seq,
  t,
  node: 'n1',
  kind: 'send',
  mid: seq,
  src: 'n1',
  dest: 'n2',
  body: { type: 'append_entries' },
})

describe('metrics publisher', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('sends a valid snapshot each second something moved, and waits while the page is behind', () => {
    const sent: MetricsSnapshot[] = []
    let behind = false
    const aggregator = new MetricsAggregator()
    const publisher = new MetricsPublisher(
      () => aggregator,
      (snapshot) => sent.push(snapshot),
      () => behind,
    )
    vi.advanceTimersByTime(3_000)
    expect(sent).toHaveLength(0) // nothing counted yet

    aggregator.add(send(1, 10))
    vi.advanceTimersByTime(1_000)
    expect(sent).toHaveLength(1)
    expect(metricsSnapshotSchema.parse(sent[0]).messages).toEqual([
      { type: 'append_entries', counts: [1] },
    ])
    vi.advanceTimersByTime(2_000)
    expect(sent).toHaveLength(1) // idle: nothing new

    behind = true
    aggregator.add(send(2, 1_200))
    vi.advanceTimersByTime(2_000)
    expect(sent).toHaveLength(1)
    behind = false
    vi.advanceTimersByTime(1_000)
    expect(sent).toHaveLength(2)
    expect(sent[1].window.messages).toBe(2)

    publisher.stop()
    aggregator.add(send(3, 1_300))
    vi.advanceTimersByTime(5_000)
    expect(sent).toHaveLength(2)
  })
})
