// The metrics aggregator: what the Metrics panel plots, from a run's events.

import { describe, expect, it } from 'vitest'
import { MetricsAggregator } from '../../src/main/metrics/aggregator'
import { LatencyHistogram } from '../../src/main/metrics/latency-histogram'
import type { TraceEvent } from '../../src/shared/trace'

/** Events of one run, numbered in order. */
function run() {
  let seq = 0
  const next = () => ++seq
  return {
    send: (t: number, type: string, src = 'n1', dest = 'n2'): TraceEvent => ({
      seq: next(),
      t,
      node: src,
      kind: 'send',
      mid: seq,
      src,
      dest,
      body: { type },
    }),
    drop: (t: number): TraceEvent => ({
      seq: next(),
      t,
      node: 'n2',
      kind: 'drop',
      mid: seq,
      src: 'n1',
      dest: 'n2',
      body: { type: 'x' },
      reason: 'partition',
    }),
    invoke: (t: number, opId: number): TraceEvent => ({
      seq: next(),
      t,
      node: 'c1',
      kind: 'invoke',
      opId,
      client: 'c1',
      op: { f: 'write', key: 'x', value: 1 },
    }),
    end: (t: number, opId: number, kind: 'ok' | 'fail' | 'info' = 'ok'): TraceEvent => ({
      seq: next(),
      t,
      node: 'c1',
      kind,
      opId,
      client: 'c1',
      op: { f: 'write', key: 'x', value: 1 },
    }),
    state: (t: number, node: string, summary: Record<string, unknown>): TraceEvent => ({
      seq: next(),
      t,
      node,
      kind: 'state',
      summary: summary as never,
      changes: [],
    }),
    crash: (t: number, node: string): TraceEvent => ({ seq: next(), t, node, kind: 'crash' }),
  }
}

function fed(events: TraceEvent[]): MetricsAggregator {
  const metrics = new MetricsAggregator()
  for (const event of events) metrics.add(event)
  return metrics
}

describe('metrics aggregator', () => {
  it('counts messages per second by type, the busiest first', () => {
    const r = run()
    const snapshot = fed([
      r.send(100, 'append_entries'),
      r.send(200, 'append_entries'),
      r.send(900, 'request_vote'),
      r.send(1_500, 'append_entries'),
      r.drop(1_600),
    ]).snapshot()
    expect(snapshot.seconds).toEqual([0, 1])
    expect(snapshot.messages).toEqual([
      { type: 'append_entries', counts: [2, 1] },
      { type: 'request_vote', counts: [1, 0] },
    ])
    expect(snapshot.dropped).toEqual([0, 1])
    expect(snapshot.window.messages).toBe(4)
  })

  it('keeps only the last minute, and sums types past the eighth as other', () => {
    const r = run()
    const events = [r.send(0, 'old')]
    for (let i = 0; i < 10; i++) events.push(r.send(70_000 + i, `type${i}`))
    events.push(r.send(70_500, 'type0'))
    const snapshot = fed(events).snapshot()
    expect(snapshot.seconds).toHaveLength(60)
    expect(snapshot.seconds[59]).toBe(70)
    expect(snapshot.messages.map((series) => series.type)).toEqual([
      'type0',
      'type1',
      'type2',
      'type3',
      'type4',
      'type5',
      'type6',
      'type7',
      'other',
    ])
    expect(snapshot.messages[0].counts[59]).toBe(2)
    expect(snapshot.messages[8].counts[59]).toBe(2)
    expect(snapshot.window.messages).toBe(11)
  })

  it('measures client latency from invoke to ok, and counts failures apart', () => {
    const r = run()
    const events: TraceEvent[] = []
    // 100 operations ending in second 0: 99 take 10 ms, one takes 500 ms.
    for (let op = 1; op <= 100; op++) events.push(r.invoke(op, op))
    for (let op = 1; op <= 99; op++) events.push(r.end(op + 10, op))
    events.push(r.end(600, 100))
    events.push(r.invoke(700, 101), r.end(1_200, 101, 'info'))
    const snapshot = fed(events).snapshot()
    expect(snapshot.completed).toEqual([100, 0])
    expect(snapshot.failed).toEqual([0, 1])
    const [p50] = snapshot.latencyP50Ms
    const [p99] = snapshot.latencyP99Ms
    // Binned: within 10% above the true value.
    expect(p50).toBeGreaterThanOrEqual(10)
    expect(p50).toBeLessThanOrEqual(11)
    expect(p99).toBeGreaterThanOrEqual(10)
    expect(p99).toBeLessThanOrEqual(11)
    expect(snapshot.latencyP50Ms[1]).toBeNull()
    expect(snapshot.window.latencyP99Ms).toBeLessThanOrEqual(11)
  })

  it('counts commits as the growth of the highest commit index', () => {
    const r = run()
    const snapshot = fed([
      r.state(10, 'n1', { role: 'leader', term: 1, commitIndex: 0 }),
      r.state(200, 'n1', { role: 'leader', term: 1, commitIndex: 3 }),
      r.state(300, 'n2', { role: 'follower', term: 1, commitIndex: 2 }),
      r.state(1_100, 'n1', { role: 'leader', term: 1, commitIndex: 7 }),
    ]).snapshot()
    expect(snapshot.committed).toEqual([3, 4])
  })

  it('has no commit series for an algorithm without a commit index', () => {
    const r = run()
    const snapshot = fed([r.state(10, 'n1', { role: 'replica', keys: 3 })]).snapshot()
    expect(snapshot.committed).toBeNull()
    expect(snapshot.lag?.field).toBe('keys')
  })

  it('counts an election each time a node starts leading, and after a crash', () => {
    const r = run()
    const snapshot = fed([
      r.state(100, 'n1', { role: 'candidate', term: 1 }),
      r.state(110, 'n1', { role: 'leader', term: 1 }),
      r.state(120, 'n1', { role: 'leader', term: 1, commitIndex: 1 }),
      r.crash(2_000, 'n1'),
      r.state(2_300, 'n3', { role: 'leader', term: 2 }),
    ]).snapshot()
    expect(snapshot.electionsTotal).toBe(2)
    expect(snapshot.elections).toEqual([
      { t: 110, node: 'n1', term: 1 },
      { t: 2_300, node: 'n3', term: 2 },
    ])
  })

  it("shows each node's lag behind the leader's commit index, and down nodes as down", () => {
    const r = run()
    const snapshot = fed([
      r.state(10, 'n10', { role: 'follower', term: 1, commitIndex: 1 }),
      r.state(10, 'n2', { role: 'follower', term: 1, commitIndex: 4 }),
      r.state(20, 'n1', { role: 'leader', term: 1, commitIndex: 5 }),
      r.state(30, 'n3', { role: 'follower', term: 1, commitIndex: 6 }),
      r.crash(40, 'n2'),
    ]).snapshot()
    expect(snapshot.lag).toEqual({
      field: 'commitIndex',
      against: { leader: 'n1' },
      nodes: [
        { node: 'n1', value: 5, lag: 0, down: false },
        { node: 'n2', value: 4, lag: 1, down: true },
        { node: 'n3', value: 6, lag: 0, down: false },
        { node: 'n10', value: 1, lag: 4, down: false },
      ],
    })
  })

  it('measures lag against the furthest node when none leads', () => {
    const r = run()
    const snapshot = fed([
      r.state(10, 'n1', { role: 'replica', keys: 2 }),
      r.state(10, 'n2', { role: 'replica', keys: 5 }),
    ]).snapshot()
    expect(snapshot.lag?.against).toBe('furthest')
    expect(snapshot.lag?.nodes.map((node) => node.lag)).toEqual([3, 0])
  })

  it('starts again when a new run starts (sequence numbers restart)', () => {
    const first = run()
    const metrics = fed([first.send(5_000, 'a'), first.state(5_000, 'n1', { role: 'leader' })])
    const version = metrics.version
    const second = run()
    metrics.add(second.send(10, 'b'))
    expect(metrics.version).toBeGreaterThan(version)
    const snapshot = metrics.snapshot()
    expect(snapshot.messages).toEqual([{ type: 'b', counts: [1] }])
    expect(snapshot.electionsTotal).toBe(0)
    expect(snapshot.lag).toBeNull()
  })
})

describe('latency histogram', () => {
  it('reads percentiles within 10% above the true value', () => {
    const histogram = new LatencyHistogram()
    for (let ms = 1; ms <= 1_000; ms++) histogram.add(ms)
    for (const [p, truth] of [
      [50, 500],
      [99, 990],
      [100, 1_000],
    ]) {
      const read = histogram.percentile(p) ?? Number.NaN
      expect(read).toBeGreaterThanOrEqual(truth)
      expect(read).toBeLessThanOrEqual(truth * 1.1)
    }
    expect(new LatencyHistogram().percentile(50)).toBeNull()
  })
})
