// Shortcuts that work the same in the desktop app and in a browser. In the
// desktop app the menu owns the keys (View > Focus Terminal, Ctrl/Cmd+`) and
// sends a `menu` event; in a browser the page sees the keys itself.

import type { MenuAction } from '../shared/api'
import type { LabClient } from './api/web-socket-client'

/** Puts the keyboard in the terminal (xterm.js reads keys from its hidden textarea). */
export function focusTerminal(): void {
  document.querySelector<HTMLElement>('[data-testid="terminal"] textarea')?.focus()
}

function carryOut(action: MenuAction): void {
  if (action === 'focus-terminal') focusTerminal()
}

export function installShortcuts(client: LabClient): () => void {
  const unsubscribe = client.on('menu', ({ action }) => carryOut(action))
  const onKey = (event: KeyboardEvent): void => {
    if ((event.ctrlKey || event.metaKey) && !event.altKey && event.code === 'Backquote') {
      event.preventDefault()
      carryOut('focus-terminal')
    }
  }
  window.addEventListener('keydown', onKey, true)
  return () => {
    unsubscribe()
    window.removeEventListener('keydown', onKey, true)
  }
}
