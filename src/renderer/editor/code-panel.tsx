// The Code tab's panel: Monaco is imported only here, lazily, so the first
// page's script stays small and the editor loads when the tab first opens.

import { lazy, Suspense } from 'react'
import type { AppStore } from '../store'

const CodeEditor = lazy(() =>
  import('./code-editor').then((loaded) => ({ default: loaded.CodeEditor })),
)

export function CodePanel({ store }: { store: AppStore }) {
  return (
    <Suspense fallback={<p className="code-status">Loading the editor…</p>}>
      <CodeEditor store={store} />
    </Suspense>
  )
}
