// The window: a header with the connection's state; the terminal; beside it
// the tabbed views of the cluster; below both, the timeline. Each view is its
// own module: to add one, add an entry to `panels`.

import { ClusterView } from './cluster-view'
import { CodePanel } from './editor/code-panel'
import { InspectorPanel } from './inspector/inspector-panel'
import { MetricsPanel } from './metrics/metrics-panel'
import { PanelTabs, type Panel } from './panel-tabs'
import { useMemo } from 'react'
import { useAppState, type AppStore } from './store'
import { Terminal } from './terminal'
import { ThemeSwitch } from './theme-switch'
import { TimelineStrip } from './timeline/timeline-strip'

function viewPanels(store: AppStore): Panel[] {
  return [
    { id: 'cluster', title: 'Cluster', render: () => <ClusterView store={store} /> },
    { id: 'inspector', title: 'Inspector', render: () => <InspectorPanel store={store} /> },
    { id: 'code', title: 'Code', render: () => <CodePanel store={store} /> },
    { id: 'metrics', title: 'Metrics', render: () => <MetricsPanel store={store} /> },
  ]
}

export function App({ store }: { store: AppStore }) {
  const panels = useMemo(() => viewPanels(store), [store])
  const connection = useAppState(store, (state) => state.connection)
  const progress = useAppState(store, (state) => state.progress)
  const said =
    connection.state === 'open'
      ? 'connected'
      : connection.state === 'connecting'
        ? 'connecting…'
        : 'disconnected'
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
        <ThemeSwitch />
      </header>
      {connection.state === 'closed' && (
        <p className="banner" role="alert">
          {connection.reason}
        </p>
      )}
      <main className="panes">
        <Terminal store={store} />
        <PanelTabs panels={panels} label="Views of the cluster" />
      </main>
      <TimelineStrip store={store} />
    </div>
  )
}
