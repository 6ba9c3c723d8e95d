// From a metrics snapshot to what the panel draws: the plots' series (the
// second still under way left out, so that no line dips at its right end),
// stacked message counts, election marks on the time axis, headline numbers
// and the lag bars. Pure: no DOM, no uPlot.

import type { MetricsSnapshot } from '../../shared/metrics'

export interface Series {
  label: string
  /** What is drawn: for a stacked series, the running total up to it. */
  drawn: (number | null)[]
  /** What the series itself counts (shown in the legend). */
  own: (number | null)[]
}

export interface PlotData {
  /** Seconds of run time, one per step. */
  seconds: number[]
  series: Series[]
  /** How many of the first series are stacked (each filled down to the one before it). */
  stacked: number
}

/** Steps to draw: every one but the second still being counted (unless it is the only one). */
function completeSteps(snapshot: MetricsSnapshot): number {
  return snapshot.seconds.length > 1 ? snapshot.seconds.length - 1 : snapshot.seconds.length
}

function cut<T>(values: readonly T[], steps: number): T[] {
  return values.slice(0, steps)
}

/**
 * Messages per second by type, stacked: the top line is the total, each band
 * one type. The busiest type is at the bottom, where its band reads best.
 */
export function messagePlot(snapshot: MetricsSnapshot): PlotData {
  const steps = completeSteps(snapshot)
  const running = new Array<number>(steps).fill(0)
  const series = snapshot.messages.map((type) => {
    const own = cut(type.counts, steps)
    own.forEach((count, i) => (running[i] += count))
    return { label: type.type, own, drawn: [...running] }
  })
  if (snapshot.dropped.some((count) => count > 0)) {
    const own = cut(snapshot.dropped, steps)
    series.push({ label: 'dropped', own, drawn: own })
  }
  return { seconds: cut(snapshot.seconds, steps), series, stacked: snapshot.messages.length }
}

/** Entries committed per second (where the algorithm has a commit index) and client operations. */
export function commitPlot(snapshot: MetricsSnapshot): PlotData {
  const steps = completeSteps(snapshot)
  const line = (label: string, values: readonly number[]): Series => {
    const own = cut(values, steps)
    return { label, own, drawn: own }
  }
  const series = [
    ...(snapshot.committed === null ? [] : [line('entries committed', snapshot.committed)]),
    line('client ops ok', snapshot.completed),
    line('client ops failed', snapshot.failed),
  ]
  return { seconds: cut(snapshot.seconds, steps), series, stacked: 0 }
}

/** Client latency, invoke to ok: median and 99th percentile per second. */
export function latencyPlot(snapshot: MetricsSnapshot): PlotData {
  const steps = completeSteps(snapshot)
  const line = (label: string, values: readonly (number | null)[]): Series => {
    const own = cut(values, steps)
    return { label, own, drawn: own }
  }
  return {
    seconds: cut(snapshot.seconds, steps),
    series: [line('p50', snapshot.latencyP50Ms), line('p99', snapshot.latencyP99Ms)],
    stacked: 0,
  }
}

export interface ElectionMark {
  /** Seconds of run time. */
  at: number
  label: string
}

export function electionMarks(snapshot: MetricsSnapshot): ElectionMark[] {
  return snapshot.elections.map((election) => ({
    at: election.t / 1000,
    label: `${election.node}${election.term === null ? '' : ` term ${election.term}`}`,
  }))
}

export interface Headline {
  /** Messages sent in the last complete second (null before one has passed). */
  messagesPerSecond: number | null
  committedPerSecond: number | null
  completedPerSecond: number | null
  latencyP50Ms: number | null
  latencyP99Ms: number | null
  elections: number
}

export function headline(snapshot: MetricsSnapshot): Headline {
  const last = snapshot.seconds.length - 2
  const at = (values: readonly number[] | null): number | null =>
    values === null || last < 0 ? null : (values[last] ?? null)
  return {
    messagesPerSecond:
      last < 0 ? null : snapshot.messages.reduce((sum, type) => sum + (type.counts[last] ?? 0), 0),
    committedPerSecond: at(snapshot.committed),
    completedPerSecond: at(snapshot.completed),
    latencyP50Ms: snapshot.window.latencyP50Ms,
    latencyP99Ms: snapshot.window.latencyP99Ms,
    elections: snapshot.electionsTotal,
  }
}

/** Messages sent per second, averaged over the last `seconds` complete seconds. */
export function recentMessageRate(snapshot: MetricsSnapshot, seconds: number): number {
  const steps = completeSteps(snapshot)
  const from = Math.max(0, steps - seconds)
  if (steps - from === 0) return 0
  let sum = 0
  for (const type of snapshot.messages) {
    for (let i = from; i < steps; i++) sum += type.counts[i] ?? 0
  }
  return sum / (steps - from)
}

export interface LagBar {
  node: string
  value: number | null
  lag: number | null
  down: boolean
  /** The bar's length, 0 to 1, against the most lagging node. */
  fraction: number
}

export function lagBars(snapshot: MetricsSnapshot): LagBar[] {
  const nodes = snapshot.lag?.nodes ?? []
  const most = Math.max(0, ...nodes.map((node) => node.lag ?? 0))
  return nodes.map((node) => ({
    ...node,
    fraction: most === 0 || node.lag === null ? 0 : node.lag / most,
  }))
}

/** Numbers as a dashboard shows them: 1,234 / 12.3 / 0.52, or a dash for none. */
export function shown(value: number | null, unit = ''): string {
  if (value === null || !Number.isFinite(value)) return '–'
  const text =
    Math.abs(value) >= 100
      ? Math.round(value).toLocaleString('en-US')
      : Math.abs(value) >= 10
        ? value.toFixed(1)
        : value.toPrecision(2).replace(/\.?0+$/, '')
  return unit === '' ? text : `${text} ${unit}`
}
