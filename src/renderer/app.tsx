// The window: a header with the connection's state, the terminal, and the
// cluster view beside it.

import { ClusterView } from './cluster-view'
import { useAppState, type AppStore } from './store'
import { Terminal } from './terminal'

export function App({ store }: { store: AppStore }) {
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
      </header>
      {connection.state === 'closed' && (
        <p className="banner" role="alert">
          {connection.reason}
        </p>
      )}
      <main className="panes">
        <Terminal store={store} />
        <ClusterView store={store} />
      </main>
    </div>
  )
}
