// The bridge between the sandboxed page and the main process. It exposes
// exactly the typed API of src/shared (request and on, as `LabApi`) and
// nothing else: no ipcRenderer, no channel the page could choose, no Node.
// The main process validates every request; the page's client
// (src/renderer/api/ipc-client.ts) validates every reply and event.

import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import type {
  EventName,
  EventPayload,
  LabApi,
  RequestArgs,
  RequestName,
  RequestResult,
} from '../shared/api'
import { eventChannel, requestChannel } from '../shared/ipc'

let nextId = 1

const api = {
  async request<Name extends RequestName>(
    name: Name,
    args: RequestArgs<Name>,
  ): Promise<RequestResult<Name>> {
    const reply: unknown = await ipcRenderer.invoke(requestChannel, {
      kind: 'request',
      id: nextId++,
      name,
      args,
    })
    if (typeof reply !== 'object' || reply === null) throw new Error('the core sent no reply.')
    const answer = reply as { ok?: unknown; result?: unknown; error?: unknown }
    if (answer.ok === true) return answer.result as RequestResult<Name>
    throw new Error(typeof answer.error === 'string' ? answer.error : 'the core refused.')
  },
  on<Name extends EventName>(
    name: Name,
    listener: (payload: EventPayload<Name>) => void,
  ): () => void {
    // The IPC event object (which holds the sender) never reaches the page.
    const relay = (_event: IpcRendererEvent, message: unknown): void => {
      if (typeof message !== 'object' || message === null) return
      const event = message as { name?: unknown; payload?: unknown }
      if (event.name === name) listener(event.payload as EventPayload<Name>)
    }
    ipcRenderer.on(eventChannel, relay)
    return () => {
      ipcRenderer.removeListener(eventChannel, relay)
    }
  },
} satisfies LabApi

contextBridge.exposeInMainWorld('consensusLab', api)
