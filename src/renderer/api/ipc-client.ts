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
  type LabApi,
  type RequestArgs,
  type RequestName,
  type RequestResult,
} from '../../shared/api'
import { ClientListeners } from './client-listeners'
import type { LabClient } from './web-socket-client'

export function connectIpc(bridge: LabApi): LabClient {
  // IPC is there for the page's whole life: open until the page closes it.
  const listeners = new ClientListeners({ state: 'open' })
  const bridged = new Map<EventName, () => void>()

  /** One subscription through the bridge per event name, its payload checked once. */
  const subscribe = (name: EventName): void => {
    if (bridged.has(name)) return
    const schema = eventSchemas[name]
    const unsubscribe = bridge.on(name, (payload: unknown) => {
      const parsed = schema.safeParse(payload)
      if (!parsed.success) {
        return listeners.problem(problemSentence(parsed.error, `the ${name} event`))
      }
      listeners.emit(name, parsed.data)
    })
    bridged.set(name, unsubscribe)
  }

  return {
    async request<Name extends RequestName>(
      name: Name,
      args: RequestArgs<Name>,
    ): Promise<RequestResult<Name>> {
      const status = listeners.status
      if (status.state === 'closed') throw new Error(status.reason)
      const result: unknown = await bridge.request(name, args)
      const parsed = requestSchemas[name].result.safeParse(result)
      if (!parsed.success) throw new Error(problemSentence(parsed.error, `the answer to ${name}`))
      return parsed.data as RequestResult<Name>
    },
    on(name, listener) {
      subscribe(name)
      return listeners.on(name, listener)
    },
    onStatus: (listener) => listeners.onStatus(listener),
    onProblem: (listener) => listeners.onProblem(listener),
    close() {
      if (listeners.status.state === 'closed') return
      for (const unsubscribe of bridged.values()) unsubscribe()
      bridged.clear()
      listeners.setStatus({
        state: 'closed',
        reason: 'the page closed its connection to the core.',
      })
    },
  }
}
