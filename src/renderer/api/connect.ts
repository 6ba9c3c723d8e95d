// The page picks its transport once, at start: the desktop app's preload
// offers `window.consensusLab`; a browser has none, and browser mode's
// WebSocket carries the same API.

import type { LabApi } from '../../shared/api'
import { connectIpc } from './ipc-client'
import { connectWebSocket, type LabClient } from './web-socket-client'

declare global {
  interface Window {
    /** The typed API, exposed by the desktop app's preload (absent in a browser). */
    consensusLab?: LabApi
  }
}

function isLabApi(value: unknown): value is LabApi {
  if (typeof value !== 'object' || value === null) return false
  const api = value as Partial<Record<keyof LabApi, unknown>>
  return typeof api.request === 'function' && typeof api.on === 'function'
}

export function connectToCore(page: Pick<Window, 'consensusLab' | 'location'>): LabClient {
  return isLabApi(page.consensusLab)
    ? connectIpc(page.consensusLab)
    : connectWebSocket(page.location)
}
