// `metrics`: the numbers of the app's Metrics tab as terminal text, from the
// same aggregator (src/main/metrics/aggregator.ts) over the same events. Two
// columns: the last whole second, which shows what is happening now (a storm
// of RequestVotes), and the window, at most the last minute, whose rates are
// over the run time it has covered so far (a run half a second old is not
// counted as a whole second).

import type { MetricsSnapshot } from '../../shared/metrics'
import { round, tableLines } from './format'
import type { Table } from './run-commands'

/** Elections named one by one; the rest of the window's are counted. */
const electionsNamedMax = 5
const stepSeconds = 1

export function metricsTable(snapshot: MetricsSnapshot): Table {
  const windowStartMs = (snapshot.seconds[0] ?? 0) * 1000
  const spanSeconds = (snapshot.nowMs - windowStartMs) / 1000
  const columns = ['metric', 'last second', 'window']
  if (spanSeconds <= 0) {
    return {
      lines: [
        'no run time has passed yet, so there is nothing to count; try: wait 500, then metrics',
      ],
      table: { columns, rows: [] },
    }
  }
  // The newest step is still filling; the one before it is the last whole second.
  const last = snapshot.seconds.length - 2
  const lastSecond = last >= 0 ? snapshot.seconds[last] : null
  const rate = (counts: readonly number[]): [string, string] => [
    lastSecond === null ? '-' : String(round(counts[last] / stepSeconds)),
    String(round(sum(counts) / spanSeconds)),
  ]
  const lastLabel =
    lastSecond === null
      ? 'the run is not a second old yet'
      : `${lastSecond * 1000} to ${(lastSecond + stepSeconds) * 1000} ms`
  const rows: string[][] = [
    ['run time', lastLabel, `${round(windowStartMs)} to ${round(snapshot.nowMs)} ms`],
  ]
  if (snapshot.messages.length === 0) rows.push(['messages/s', '0', '0'])
  for (const series of snapshot.messages) {
    rows.push([`messages/s ${series.type}`, ...rate(series.counts)])
  }
  rows.push(['dropped/s', ...rate(snapshot.dropped)])
  rows.push(
    snapshot.committed === null
      ? ['commits/s', '-', '- (no node reports a commit index)']
      : ['commits/s', ...rate(snapshot.committed)],
  )
  rows.push(['operations ok/s', ...rate(snapshot.completed)])
  rows.push(['operations failed/s', ...rate(snapshot.failed)])
  const latency = (ms: number | null | undefined): string =>
    ms === null || ms === undefined ? '-' : `${round(ms)} ms`
  rows.push([
    'latency p50',
    latency(snapshot.latencyP50Ms[last]),
    latency(snapshot.window.latencyP50Ms),
  ])
  rows.push([
    'latency p99',
    latency(snapshot.latencyP99Ms[last]),
    latency(snapshot.window.latencyP99Ms),
  ])
  const electedInLast =
    lastSecond === null
      ? '-'
      : String(
          snapshot.elections.filter(
            (e) => e.t >= lastSecond * 1000 && e.t < (lastSecond + stepSeconds) * 1000,
          ).length,
        )
  rows.push(['elections', electedInLast, String(snapshot.elections.length)])
  return {
    lines: [...tableLines(columns, rows), electionsLine(snapshot), ...lagLines(snapshot.lag)],
    table: { columns, rows },
  }
}

/** The newest leaders of the window, by name, and the run's total. */
function electionsLine(snapshot: MetricsSnapshot): string {
  const named = snapshot.elections.slice(-electionsNamedMax).map((election) => {
    const term = election.term === null ? '' : ` term ${election.term}`
    return `${election.node}${term} at ${round(election.t)} ms`
  })
  const earlier = snapshot.elections.length - named.length
  const since = `${snapshot.electionsTotal} since the start`
  if (named.length === 0) return `no node became leader in the window (${since})`
  return `became leader: ${earlier > 0 ? `${earlier} more, then ` : ''}${named.join(', ')} (${since})`
}

/** Each node's progress and how far it is behind the leader (or the furthest node). */
function lagLines(lag: MetricsSnapshot['lag']): string[] {
  if (lag === null) return ['', 'no node reports a progress number, so there is no lag to show']
  const against = lag.against === 'furthest' ? 'the furthest node' : `leader ${lag.against.leader}`
  const rows = lag.nodes.map((node) => [
    node.node,
    node.down ? 'down' : node.value === null ? '-' : String(node.value),
    node.down || node.lag === null ? '-' : String(node.lag),
  ])
  return ['', ...tableLines(['node', lag.field, `behind ${against}`], rows)]
}

function sum(counts: readonly number[]): number {
  return counts.reduce((total, count) => total + count, 0)
}
