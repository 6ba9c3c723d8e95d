// Sends a page the run's metrics once a second, and only when they moved: an
// idle cluster sends nothing, and a page whose transport is behind gets the
// next second's snapshot instead (each one replaces the last).

import type { MetricsSnapshot } from '../../shared/metrics'
import type { TraceEvent } from '../../shared/trace'
import { MetricsAggregator } from './aggregator'

export const metricsPeriodMs = 1_000

export class MetricsPublisher {
  private readonly aggregator = new MetricsAggregator()
  private sentVersion = 0
  private readonly timer: ReturnType<typeof setInterval>

  constructor(
    private readonly send: (snapshot: MetricsSnapshot) => void,
    private readonly behind: () => boolean,
    periodMs = metricsPeriodMs,
  ) {
    this.timer = setInterval(() => this.publish(), periodMs)
    this.timer.unref?.()
  }

  add(event: TraceEvent): void {
    this.aggregator.add(event)
  }

  /** Sends a snapshot if anything was counted since the last one and the page keeps up. */
  publish(): void {
    if (this.aggregator.version === this.sentVersion || this.behind()) return
    this.sentVersion = this.aggregator.version
    this.send(this.aggregator.snapshot())
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
