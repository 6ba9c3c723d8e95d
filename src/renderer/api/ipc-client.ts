// The desktop app's side of the typed API: the preload's `window.consensusLab`
// (request and on over Electron's IPC), wrapped into the same LabClient that
// browser mode's WebSocket client gives, so nothing else in the page knows
// which transport carries it. Every reply and event is checked against the
// contract here, as the WebSocket client checks them.

import {
  eventSchemas,
  problemSentence,
  requestSchemas,
  type EventName,
  type EventPayload,
  type LabApi,
  type RequestArgs,
  type RequestName,
  type RequestResult,
} from '../../shared/api'
import type { ConnectionStatus, LabClient } from './web-socket-client'

type Listener = (payload: unknown) => void

export function connectIpc(bridge: LabApi): LabClient {
  const listeners = new Map<EventName, Set<Listener>>()
  const bridged = new Map<EventName, () => void>()
  const statusListeners = new Set<(status: ConnectionStatus) => void>()
  const problemListeners = new Set<(sentence: string) => void>()
  // IPC is there for the page's whole life: open until the page closes it.
  let status: ConnectionStatus = { state: 'open' }

  const problem = (sentence: string): void => {
    for (const listener of problemListeners) listener(sentence)
  }

  /** One subscription through the bridge per event name, its payload checked once. */
  const subscribe = (name: EventName): void => {
    if (bridged.has(name)) return
    const schema = eventSchemas[name]
    const unsubscribe = bridge.on(name, (payload: unknown) => {
      const parsed = schema.safeParse(payload)
      if (!parsed.success) return problem(problemSentence(parsed.error, `the ${name} event`))
      for (const listener of listeners.get(name) ?? []) listener(parsed.data)
    })
    bridged.set(name, unsubscribe)
  }

  return {
    async request<Name extends RequestName>(
      name: Name,
      args: RequestArgs<Name>,
    ): Promise<RequestResult<Name>> {
      if (status.state === 'closed') throw new Error(status.reason)
      const result: unknown = await bridge.request(name, args)
      const parsed = requestSchemas[name].result.safeParse(result)
      if (!parsed.success) throw new Error(problemSentence(parsed.error, `the answer to ${name}`))
      return parsed.data as RequestResult<Name>
    },
    on<Name extends EventName>(
      name: Name,
      listener: (payload: EventPayload<Name>) => void,
    ): () => void {
      const set = listeners.get(name) ?? new Set<Listener>()
      listeners.set(name, set)
      const wrapped = listener as Listener
      set.add(wrapped)
      subscribe(name)
      return () => set.delete(wrapped)
    },
    onStatus(listener) {
      statusListeners.add(listener)
      listener(status)
      return () => statusListeners.delete(listener)
    },
    onProblem(listener) {
      problemListeners.add(listener)
      return () => problemListeners.delete(listener)
    },
    close() {
      if (status.state === 'closed') return
      for (const unsubscribe of bridged.values()) unsubscribe()
      bridged.clear()
      status = { state: 'closed', reason: 'the page closed its connection to the core.' }
      for (const listener of statusListeners) listener(status)
    },
  }
}
