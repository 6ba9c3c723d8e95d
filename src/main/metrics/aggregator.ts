// The Metrics panel's numbers, computed from every trace event of a run: the
// core sees them all, while the page sees sampled batches (a flood leaves
// most messages and client operations out, and a latency needs both ends of
// an operation). Each event costs a few map updates; a snapshot costs one
// pass over at most a minute of one-second steps. Pure: time is the events' `t`.

import { byNodeNumber } from '../../shared/api'
import {
  electionsShownMax,
  messageTypesShownMax,
  metricsWindowSeconds,
  type MetricsSnapshot,
} from '../../shared/metrics'
import type { TraceEvent } from '../../shared/trace'
import { LatencyHistogram } from './latency-histogram'

const stepMs = 1000
/** Distinct message types counted by name in one run; more are counted as `other`. */
const messageTypesMax = 64
/** Client operations waiting for their answer, at most; past it the oldest are forgotten. */
const openOperationsMax = 100_000
/** Nodes whose progress is followed, at most. */
const nodesFollowedMax = 1_000
/** Elections remembered (the window shows those of the last minute). */
const electionsKeptMax = 1_000

interface Step {
  sends: Map<string, number>
  dropped: number
  committed: number
  completed: number
  failed: number
  latency: LatencyHistogram
}

interface NodeProgress {
  role: string | null
  down: boolean
  numbers: Map<string, number>
}

interface Election {
  t: number
  node: string
  term: number | null
}

export class MetricsAggregator {
  private steps = new Map<number, Step>()
  private lastSeq = Number.POSITIVE_INFINITY
  private nowMs = 0
  private types = new Set<string>()
  private openOperations = new Map<number, number>()
  private nodes = new Map<string, NodeProgress>()
  /** Numeric summary fields in the order nodes first reported them. */
  private fields: string[] = []
  private highestCommit: number | null = null
  private elections: Election[] = []
  private electionsTotal = 0
  private changes = 0

  /** Grows with every event counted: a snapshot is worth sending only when it moved. */
  get version(): number {
    return this.changes
  }

  add(event: TraceEvent): void {
    // Sequence numbers start again with each run: the numbers do too.
    if (event.seq <= this.lastSeq) this.reset()
    this.lastSeq = event.seq
    this.nowMs = Math.max(this.nowMs, event.t)
    this.changes++
    switch (event.kind) {
      case 'send':
        this.countSend(event.t, event.body.type)
        break
      case 'drop':
        this.step(event.t).dropped++
        break
      case 'invoke':
        this.openOperations.set(event.opId, event.t)
        if (this.openOperations.size > openOperationsMax) {
          const oldest = this.openOperations.keys().next().value as number
          this.openOperations.delete(oldest)
        }
        break
      case 'ok': {
        const step = this.step(event.t)
        step.completed++
        const invokedAt = this.openOperations.get(event.opId)
        if (invokedAt !== undefined) step.latency.add(event.t - invokedAt)
        this.openOperations.delete(event.opId)
        break
      }
      case 'fail':
      case 'info':
        this.step(event.t).failed++
        this.openOperations.delete(event.opId)
        break
      case 'state':
        this.onState(event.t, event.node, event.summary)
        break
      case 'crash':
        this.markDown(event.node, true)
        break
      case 'restart':
        this.markDown(event.node, false)
        break
      default:
        break
    }
  }

  /** The last minute, up to the newest event counted. */
  snapshot(): MetricsSnapshot {
    const lastStep = Math.floor(this.nowMs / stepMs)
    const firstStep = Math.max(0, lastStep - metricsWindowSeconds + 1)
    const seconds: number[] = []
    const window: Step[] = []
    for (let index = firstStep; index <= lastStep; index++) {
      seconds.push((index * stepMs) / 1000)
      window.push(this.steps.get(index) ?? emptyStep())
    }
    const overall = new LatencyHistogram()
    for (const step of window) overall.addAll(step.latency)
    const messages = this.messageSeries(window)
    const windowStartMs = firstStep * stepMs
    return {
      nowMs: this.nowMs,
      seconds,
      messages,
      dropped: window.map((step) => step.dropped),
      committed: this.highestCommit === null ? null : window.map((step) => step.committed),
      completed: window.map((step) => step.completed),
      failed: window.map((step) => step.failed),
      latencyP50Ms: window.map((step) => step.latency.percentile(50)),
      latencyP99Ms: window.map((step) => step.latency.percentile(99)),
      window: {
        messages: messages.reduce((sum, series) => sum + total(series.counts), 0),
        completed: total(window.map((step) => step.completed)),
        latencyP50Ms: overall.percentile(50),
        latencyP99Ms: overall.percentile(99),
      },
      elections: this.elections
        .filter((election) => election.t >= windowStartMs)
        .slice(-electionsShownMax),
      electionsTotal: this.electionsTotal,
      lag: this.lag(),
    }
  }

  private reset(): void {
    this.steps = new Map()
    this.nowMs = 0
    this.types = new Set()
    this.openOperations = new Map()
    this.nodes = new Map()
    this.fields = []
    this.highestCommit = null
    this.elections = []
    this.electionsTotal = 0
  }

  private step(t: number): Step {
    const index = Math.floor(t / stepMs)
    // An event from before the window (clocks of two threads) is counted nowhere shown.
    if (index <= Math.floor(this.nowMs / stepMs) - metricsWindowSeconds) return emptyStep()
    let step = this.steps.get(index)
    if (step === undefined) {
      step = emptyStep()
      this.steps.set(index, step)
      // Steps older than the window are never shown again.
      for (const old of this.steps.keys()) {
        if (old <= index - metricsWindowSeconds) this.steps.delete(old)
      }
    }
    return step
  }

  private countSend(t: number, type: string): void {
    if (!this.types.has(type) && this.types.size < messageTypesMax) this.types.add(type)
    const name = this.types.has(type) ? type : 'other'
    const sends = this.step(t).sends
    sends.set(name, (sends.get(name) ?? 0) + 1)
  }

  private onState(t: number, node: string, summary: Record<string, unknown>): void {
    let progress = this.nodes.get(node)
    if (progress === undefined) {
      if (this.nodes.size >= nodesFollowedMax) return
      progress = { role: null, down: false, numbers: new Map() }
      this.nodes.set(node, progress)
    }
    progress.down = false
    const role = typeof summary.role === 'string' ? summary.role : null
    const term = typeof summary.term === 'number' ? summary.term : null
    // An election: a node that was not leading now leads.
    if (role === 'leader' && progress.role !== 'leader') {
      this.electionsTotal++
      this.elections.push({ t, node, term })
      if (this.elections.length > electionsKeptMax) this.elections.shift()
    }
    progress.role = role
    for (const [field, value] of Object.entries(summary)) {
      if (field === 'term' || typeof value !== 'number' || !Number.isFinite(value)) continue
      if (!this.fields.includes(field)) this.fields.push(field)
      progress.numbers.set(field, value)
    }
    const commitIndex = summary.commitIndex
    if (typeof commitIndex === 'number' && Number.isFinite(commitIndex)) {
      if (this.highestCommit === null) this.highestCommit = commitIndex
      else if (commitIndex > this.highestCommit) {
        this.step(t).committed += commitIndex - this.highestCommit
        this.highestCommit = commitIndex
      }
    }
  }

  private progressOf(node: string): NodeProgress | undefined {
    return this.nodes.get(node)
  }

  private markDown(node: string, down: boolean): void {
    const progress = this.progressOf(node)
    if (progress === undefined) return
    progress.down = down
    if (down) progress.role = null
  }

  private messageSeries(window: Step[]): MetricsSnapshot['messages'] {
    const totals = new Map<string, number>()
    for (const step of window) {
      for (const [type, count] of step.sends) totals.set(type, (totals.get(type) ?? 0) + count)
    }
    const ranked = [...totals.entries()]
      .filter(([type]) => type !== 'other')
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    const shown = ranked.slice(0, messageTypesShownMax).map(([type]) => type)
    const series = shown.map((type) => ({
      type,
      counts: window.map((step) => step.sends.get(type) ?? 0),
    }))
    const rest = window.map((step) => {
      let sum = 0
      for (const [type, count] of step.sends) if (!shown.includes(type)) sum += count
      return sum
    })
    if (rest.some((count) => count > 0)) series.push({ type: 'other', counts: rest })
    return series
  }

  private lag(): MetricsSnapshot['lag'] {
    const field = this.fields.includes('commitIndex')
      ? 'commitIndex'
      : this.fields.includes('logLength')
        ? 'logLength'
        : this.fields[0]
    if (field === undefined) return null
    const entries = [...this.nodes.entries()].sort(([a], [b]) => byNodeNumber(a, b))
    const leader = entries.find(([, progress]) => !progress.down && progress.role === 'leader')
    const leaderValue = leader?.[1].numbers.get(field)
    const reference =
      leaderValue ??
      Math.max(...entries.map(([, progress]) => progress.numbers.get(field) ?? -Infinity))
    return {
      field,
      against:
        leader !== undefined && leaderValue !== undefined ? { leader: leader[0] } : 'furthest',
      nodes: entries.map(([node, progress]) => {
        const value = progress.numbers.get(field) ?? null
        return {
          node,
          value,
          lag:
            value === null || !Number.isFinite(reference) ? null : Math.max(0, reference - value),
          down: progress.down,
        }
      }),
    }
  }
}

function emptyStep(): Step {
  return {
    sends: new Map(),
    dropped: 0,
    committed: 0,
    completed: 0,
    failed: 0,
    latency: new LatencyHistogram(),
  }
}

function total(counts: readonly number[]): number {
  return counts.reduce((sum, count) => sum + count, 0)
}
