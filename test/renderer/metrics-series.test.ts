// What the Metrics panel draws from a snapshot: stacked message bands, the
// second under way left out, headline numbers, lag bars.

import { describe, expect, it } from 'vitest'
import {
  commitPlot,
  electionMarks,
  headline,
  lagBars,
  latencyPlot,
  messagePlot,
  recentMessageRate,
  shown,
} from '../../src/renderer/metrics/series'
import type { MetricsSnapshot } from '../../src/shared/metrics'

const snapshot: MetricsSnapshot = {
  nowMs: 2_500,
  seconds: [0, 1, 2],
  messages: [
    { type: 'append_entries', counts: [10, 20, 5] },
    { type: 'request_vote', counts: [4, 0, 1] },
  ],
  dropped: [0, 2, 0],
  committed: [1, 6, 2],
  completed: [1, 5, 1],
  failed: [0, 1, 0],
  latencyP50Ms: [null, 3.2, 4],
  latencyP99Ms: [null, 9.5, 8],
  window: { messages: 40, completed: 7, latencyP50Ms: 3.3, latencyP99Ms: 9.6 },
  elections: [{ t: 1_250, node: 'n2', term: 3 }],
  electionsTotal: 4,
  lag: {
    field: 'commitIndex',
    against: { leader: 'n2' },
    nodes: [
      { node: 'n1', value: 8, lag: 2, down: false },
      { node: 'n2', value: 10, lag: 0, down: false },
      { node: 'n3', value: 5, lag: 5, down: true },
    ],
  },
}

describe('metrics series', () => {
  it('stacks message types (the top line is the total) and leaves out the second under way', () => {
    const plot = messagePlot(snapshot)
    expect(plot.seconds).toEqual([0, 1])
    expect(plot.stacked).toBe(2)
    expect(plot.series).toEqual([
      { label: 'append_entries', own: [10, 20], drawn: [10, 20] },
      { label: 'request_vote', own: [4, 0], drawn: [14, 20] },
      { label: 'dropped', own: [0, 2], drawn: [0, 2] },
    ])
  })

  it('draws the only second there is, under way or not', () => {
    const early = { ...snapshot, seconds: [0], messages: [{ type: 'x', counts: [3] }] }
    expect(messagePlot(early).seconds).toEqual([0])
    expect(headline(early).messagesPerSecond).toBeNull()
  })

  it('plots commits where there is a commit index, and client operations always', () => {
    expect(commitPlot(snapshot).series.map((series) => series.label)).toEqual([
      'entries committed',
      'client ops ok',
      'client ops failed',
    ])
    const noCommit = commitPlot({ ...snapshot, committed: null })
    expect(noCommit.series.map((series) => series.label)).toEqual([
      'client ops ok',
      'client ops failed',
    ])
    expect(latencyPlot(snapshot).series[1]).toEqual({
      label: 'p99',
      own: [null, 9.5],
      drawn: [null, 9.5],
    })
  })

  it('reads the headline from the last complete second', () => {
    expect(headline(snapshot)).toEqual({
      messagesPerSecond: 20,
      committedPerSecond: 6,
      completedPerSecond: 5,
      latencyP50Ms: 3.3,
      latencyP99Ms: 9.6,
      elections: 4,
    })
  })

  it('marks elections in seconds and sizes lag bars against the most lagging node', () => {
    expect(electionMarks(snapshot)).toEqual([{ at: 1.25, label: 'n2 term 3' }])
    expect(lagBars(snapshot).map((bar) => bar.fraction)).toEqual([0.4, 0, 1])
  })

  it('averages the message rate over the last complete seconds', () => {
    expect(recentMessageRate(snapshot, 5)).toBe(17) // (14 + 20) / 2
    expect(recentMessageRate(snapshot, 1)).toBe(20)
  })

  it('shows numbers as a dashboard does', () => {
    expect([shown(null), shown(1234.4), shown(12.34), shown(0.5), shown(3, 'ms')]).toEqual([
      '–',
      '1,234',
      '12.3',
      '0.5',
      '3 ms',
    ])
  })
})
