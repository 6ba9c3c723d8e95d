// The Code tab's panel: Monaco is imported only here, lazily, so the first
// page's script stays small and the editor loads when the tab first opens.

import { lazy, Suspense } from 'react'
import { useWords } from '../i18n'
import type { AppStore } from '../store'

const CodeEditor = lazy(() =>
  import('./code-editor').then((loaded) => ({ default: loaded.CodeEditor })),
)

export function CodePanel({ store }: { store: AppStore }) {
  const words = useWords(store).code
  return (
    <Suspense fallback={<p className="code-status">{words.loadingEditor}</p>}>
      <CodeEditor store={store} />
    </Suspense>
  )
}
