// The Metrics tab: what an operator watches, over the last minute of the run.
// Headline numbers on top (read at a glance), then plots where the shape over
// time matters (messages by type, commits, latency, with elections marked on
// the time axis), then each node's lag as bars. The numbers come from the core
// (src/main/metrics), which counts every event; this page only draws them.

import { useMemo } from 'react'
import type { MetricsSnapshot } from '../../shared/metrics'
import { useAppState, type AppStore } from '../store'
import {
  commitPlot,
  electionMarks,
  headline,
  lagBars,
  latencyPlot,
  messagePlot,
  recentMessageRate,
  shown,
} from './series'
import { TimePlot } from './time-plot'

export function MetricsPanel({ store }: { store: AppStore }) {
  const snapshot = useAppState(store, (state) => state.metrics)
  return (
    <section
      className="metrics"
      aria-label="Metrics"
      data-messages-per-second={snapshot === null ? 0 : recentMessageRate(snapshot, 5)}
    >
      {snapshot === null ? (
        <p className="metrics-empty">
          Nothing measured yet. Start a cluster (start raft 5) and give it work (workload 2000
          --clients 8): the plots fill in once a second.
        </p>
      ) : (
        <Dashboard snapshot={snapshot} />
      )}
    </section>
  )
}

function Dashboard({ snapshot }: { snapshot: MetricsSnapshot }) {
  const messages = useMemo(() => messagePlot(snapshot), [snapshot])
  const commits = useMemo(() => commitPlot(snapshot), [snapshot])
  const latency = useMemo(() => latencyPlot(snapshot), [snapshot])
  const marks = useMemo(() => electionMarks(snapshot), [snapshot])
  const top = headline(snapshot)
  const span = `the last ${messages.seconds.length} s`
  return (
    <>
      <dl className="metrics-tiles" data-testid="metrics-tiles">
        <Tile name="messages/s" value={shown(top.messagesPerSecond)} />
        <Tile
          name={top.committedPerSecond === null ? 'client ops ok/s' : 'commits/s'}
          value={shown(top.committedPerSecond ?? top.completedPerSecond)}
        />
        <Tile name="latency p50" value={shown(top.latencyP50Ms, 'ms')} />
        <Tile name="latency p99" value={shown(top.latencyP99Ms, 'ms')} />
        <Tile name="elections" value={String(top.elections)} testId="metrics-elections" />
      </dl>
      <TimePlot
        title="Messages sent per second, by type"
        unit="/s"
        data={messages}
        marks={marks}
        testId="metrics-messages"
        description={`Messages per second over ${span}: ${snapshot.window.messages} in all; ${messages.series
          .map(
            (series) =>
              `${series.label} ${series.own.reduce<number>((sum, count) => sum + (count ?? 0), 0)}`,
          )
          .join(', ')}.`}
      />
      <TimePlot
        title={commits.series.length === 3 ? 'Commits per second' : 'Client operations per second'}
        unit="/s"
        data={commits}
        marks={marks}
        testId="metrics-commits"
        description={`Over ${span}: ${snapshot.window.completed} client operations completed.`}
      />
      <TimePlot
        title="Client latency, invoke to ok (ms)"
        unit="ms"
        data={latency}
        marks={marks}
        testId="metrics-latency"
        description={`Latency over ${span}: median ${shown(top.latencyP50Ms, 'ms')}, 99th percentile ${shown(top.latencyP99Ms, 'ms')}.`}
      />
      <Lag snapshot={snapshot} />
    </>
  )
}

function Tile({ name, value, testId }: { name: string; value: string; testId?: string }) {
  return (
    <div className="metrics-tile" data-testid={testId}>
      <dt>{name}</dt>
      <dd>{value}</dd>
    </div>
  )
}

function Lag({ snapshot }: { snapshot: MetricsSnapshot }) {
  const lag = snapshot.lag
  if (lag === null) {
    return <p className="metrics-empty">No node reports a number to compare, so no lag is shown.</p>
  }
  const bars = lagBars(snapshot)
  const against =
    lag.against === 'furthest' ? 'the furthest node' : `the leader ${lag.against.leader}`
  return (
    <figure className="metrics-lag" data-testid="metrics-lag">
      <figcaption>
        Lag: how far each node&apos;s {lag.field} is behind {against}
      </figcaption>
      <ul>
        {bars.map((bar) => (
          <li key={bar.node} className={bar.down ? 'down' : undefined}>
            <span className="metrics-lag-node">{bar.node}</span>
            <span className="metrics-lag-track" aria-hidden="true">
              <span className="metrics-lag-bar" style={{ width: `${bar.fraction * 100}%` }} />
            </span>
            <span className="metrics-lag-value">
              {bar.down
                ? `down (last ${shown(bar.value)})`
                : bar.lag === null
                  ? 'no value'
                  : bar.lag === 0
                    ? `up to date (${shown(bar.value)})`
                    : `${shown(bar.lag)} behind (${shown(bar.value)})`}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  )
}
