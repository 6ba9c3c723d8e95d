// The window: a header with the connection's state; the lesson pane above
// the terminal; beside them the tabbed views of the cluster; below all, the
// timeline. Each view is its own module: to add one, add an entry to
// `panels`. The page's own words come from i18n.ts, in the lessons' language.

import { ClusterView } from './cluster-view'
import { CodePanel } from './editor/code-panel'
import { useWords, type Words } from './i18n'
import { InspectorPanel } from './inspector/inspector-panel'
import { LessonPane } from './lessons/lesson-pane'
import { PanelTabs, type Panel } from './panel-tabs'
import { lazy, Suspense, useMemo } from 'react'
import { useAppState, type AppStore } from './store'
import { Terminal } from './terminal'
import { ThemeSwitch } from './theme-switch'
import { TimelineStrip } from './timeline/timeline-strip'

// uPlot comes with the Metrics panel, loaded when its tab first opens (as
// Monaco with the Code tab's): the first page's script stays small.
const MetricsPanel = lazy(() =>
  import('./metrics/metrics-panel').then((loaded) => ({ default: loaded.MetricsPanel })),
)

function viewPanels(store: AppStore, words: Words): Panel[] {
  return [
    { id: 'cluster', title: words.tabs.cluster, render: () => <ClusterView store={store} /> },
    {
      id: 'inspector',
      title: words.tabs.inspector,
      render: () => <InspectorPanel store={store} />,
    },
    { id: 'code', title: words.tabs.code, render: () => <CodePanel store={store} /> },
    {
      id: 'metrics',
      title: words.tabs.metrics,
      render: () => (
        <Suspense fallback={<p className="metrics-loading">{words.metrics.loading}</p>}>
          <MetricsPanel store={store} />
        </Suspense>
      ),
    },
  ]
}

export function App({ store }: { store: AppStore }) {
  const words = useWords(store)
  const panels = useMemo(() => viewPanels(store, words), [store, words])
  const connection = useAppState(store, (state) => state.connection)
  const progress = useAppState(store, (state) => state.progress)
  const said =
    connection.state === 'open'
      ? words.connected
      : connection.state === 'connecting'
        ? words.connecting
        : words.disconnected
  return (
    <div className="app">
      <header className="top-bar">
        <h1>Consensus Lab</h1>
        <span
          className={`connection ${connection.state}`}
          role="status"
          data-connection={connection.state}
        >
          {said}
        </span>
        {progress !== null && <span className="progress">{progress}</span>}
        <ThemeSwitch label={words.theme} labels={words.themeChoices} />
      </header>
      {connection.state === 'closed' && (
        <p className="banner" role="alert">
          {connection.reason}
        </p>
      )}
      <main className="panes">
        <div className="learning-column">
          <LessonPane store={store} />
          <Terminal store={store} />
        </div>
        <PanelTabs panels={panels} label={words.viewsLabel} />
      </main>
      <TimelineStrip store={store} />
    </div>
  )
}
