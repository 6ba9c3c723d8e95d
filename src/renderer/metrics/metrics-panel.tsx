// The Metrics tab: what an operator watches, over the last minute of the run.
// Headline numbers on top (read at a glance), then plots where the shape over
// time matters (messages by type, commits, latency, with elections marked on
// the time axis), then each node's lag as bars. The numbers come from the core
// (src/main/metrics), which counts every event; this page only draws them.

import { useMemo } from 'react'
import type { MetricsSnapshot } from '../../shared/metrics'
import { useWords, type Words } from '../i18n'
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
  const words = useWords(store).metrics
  return (
    <section
      className="metrics"
      aria-label={words.label}
      data-messages-per-second={snapshot === null ? 0 : recentMessageRate(snapshot, 5)}
    >
      {snapshot === null ? (
        <p className="metrics-empty">{words.empty}</p>
      ) : (
        <Dashboard snapshot={snapshot} words={words} />
      )}
    </section>
  )
}

type MetricWords = Words['metrics']

function Dashboard({ snapshot, words }: { snapshot: MetricsSnapshot; words: MetricWords }) {
  const messages = useMemo(() => messagePlot(snapshot), [snapshot])
  const commits = useMemo(() => commitPlot(snapshot), [snapshot])
  const latency = useMemo(() => latencyPlot(snapshot), [snapshot])
  const marks = useMemo(() => electionMarks(snapshot), [snapshot])
  const top = headline(snapshot)
  const span = words.span(messages.seconds.length)
  return (
    <>
      <dl className="metrics-tiles" data-testid="metrics-tiles">
        <Tile name={words.messagesPerSecond} value={shown(top.messagesPerSecond)} />
        <Tile
          name={top.committedPerSecond === null ? words.clientOpsPerSecond : words.commitsPerSecond}
          value={shown(top.committedPerSecond ?? top.completedPerSecond)}
        />
        <Tile name={words.latencyP50} value={shown(top.latencyP50Ms, 'ms')} />
        <Tile name={words.latencyP99} value={shown(top.latencyP99Ms, 'ms')} />
        <Tile name={words.elections} value={String(top.elections)} testId="metrics-elections" />
      </dl>
      <TimePlot
        title={words.messagesTitle}
        names={words}
        unit="/s"
        data={messages}
        marks={marks}
        testId="metrics-messages"
        description={words.messagesDescription(
          span,
          snapshot.window.messages,
          messages.series
            .map(
              (series) =>
                `${words.series(series.label)} ${series.own.reduce<number>((sum, count) => sum + (count ?? 0), 0)}`,
            )
            .join(', '),
        )}
      />
      <TimePlot
        title={commits.series.length === 3 ? words.commitsTitle : words.operationsTitle}
        names={words}
        unit="/s"
        data={commits}
        marks={marks}
        testId="metrics-commits"
        description={words.commitsDescription(span, snapshot.window.completed)}
      />
      <TimePlot
        title={words.latencyTitle}
        names={words}
        unit="ms"
        data={latency}
        marks={marks}
        testId="metrics-latency"
        description={words.latencyDescription(
          span,
          shown(top.latencyP50Ms, 'ms'),
          shown(top.latencyP99Ms, 'ms'),
        )}
      />
      <Lag snapshot={snapshot} words={words} />
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

function Lag({ snapshot, words }: { snapshot: MetricsSnapshot; words: MetricWords }) {
  const lag = snapshot.lag
  if (lag === null) {
    return <p className="metrics-empty">{words.noLag}</p>
  }
  const bars = lagBars(snapshot)
  const against = lag.against === 'furthest' ? words.furthest : words.theLeader(lag.against.leader)
  return (
    <figure className="metrics-lag" data-testid="metrics-lag">
      <figcaption>{words.lagCaption(lag.field, against)}</figcaption>
      <ul>
        {bars.map((bar) => (
          <li key={bar.node} className={bar.down ? 'down' : undefined}>
            <span className="metrics-lag-node">{bar.node}</span>
            <span className="metrics-lag-track" aria-hidden="true">
              <span className="metrics-lag-bar" style={{ width: `${bar.fraction * 100}%` }} />
            </span>
            <span className="metrics-lag-value">
              {bar.down
                ? words.down(shown(bar.value))
                : bar.lag === null
                  ? words.noValue
                  : bar.lag === 0
                    ? words.upToDate(shown(bar.value))
                    : words.behind(shown(bar.lag), shown(bar.value))}
            </span>
          </li>
        ))}
      </ul>
    </figure>
  )
}
