// Sends a page the run's metrics once a second, and only when they moved: an
// idle cluster sends nothing, and a page whose transport is behind gets the
// next second's snapshot instead (each one replaces the last). It counts
// nothing itself: it reads the run's aggregator (the session's, which the
// terminal's `metrics` reads too and a new cluster replaces).

import type { MetricsSnapshot } from '../../shared/metrics'
import type { MetricsAggregator } from './aggregator'

export const metricsPeriodMs = 1_000

export class MetricsPublisher {
  private sentFrom: MetricsAggregator | null = null
  private sentVersion = 0
  private readonly timer: ReturnType<typeof setInterval>

  constructor(
    private readonly aggregator: () => MetricsAggregator,
    private readonly send: (snapshot: MetricsSnapshot) => void,
    private readonly behind: () => boolean,
    periodMs = metricsPeriodMs,
  ) {
    this.timer = setInterval(() => this.publish(), periodMs)
    this.timer.unref?.()
  }

  /** Sends a snapshot if anything was counted since the last one and the page keeps up. */
  publish(): void {
    const aggregator = this.aggregator()
    const moved = aggregator !== this.sentFrom || aggregator.version !== this.sentVersion
    if (!moved || aggregator.version === 0 || this.behind()) return
    this.sentFrom = aggregator
    this.sentVersion = aggregator.version
    this.send(aggregator.snapshot())
  }

  stop(): void {
    clearInterval(this.timer)
  }
}
