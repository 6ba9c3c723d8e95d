// Browser mode's side of the typed API: requests and events over the
// WebSocket that `npm run web` serves, guarded by the token in the page's
// address. Every reply and event is checked against the contract before
// anything in the page sees it.

import {
  eventSchemas,
  messageBytesMax,
  problemSentence,
  requestSchemas,
  serverMessageSchema,
  webSocketPath,
  type LabApi,
  type RequestArgs,
  type RequestName,
  type RequestResult,
} from '../../shared/api'
import { ClientListeners, type ConnectionStatus } from './client-listeners'

export type { ConnectionStatus }

export interface LabClient extends LabApi {
  /** Follows the connection's state; called at once with the current one. */
  onStatus(listener: (status: ConnectionStatus) => void): () => void
  /** Says what arrived that did not fit the contract (it is dropped). */
  onProblem(listener: (sentence: string) => void): () => void
  close(): void
}

interface Pending {
  name: RequestName
  resolve: (result: unknown) => void
  reject: (error: Error) => void
}

export function connectWebSocket(location: Location): LabClient {
  const token = new URLSearchParams(location.search).get('token')
  const pending = new Map<number, Pending>()
  const listeners = new ClientListeners(
    token === null
      ? {
          state: 'closed',
          reason: 'this address has no token: open the address that npm run web printed.',
        }
      : { state: 'connecting' },
  )
  let nextId = 1
  const problem = (sentence: string): void => listeners.problem(sentence)

  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${webSocketPath}?token=${encodeURIComponent(token ?? '')}`
  const socket = token === null ? null : new WebSocket(url)
  if (socket !== null) {
    let opened = false
    socket.addEventListener('open', () => {
      opened = true
      listeners.setStatus({ state: 'open' })
    })
    socket.addEventListener('close', () => {
      const reason = opened
        ? 'the connection to the core closed (was npm run web stopped?); start it again and open the address it prints.'
        : 'the core refused the connection: the token is wrong or stale; open the address npm run web printed.'
      for (const request of pending.values()) request.reject(new Error(reason))
      pending.clear()
      listeners.setStatus({ state: 'closed', reason })
    })
    socket.addEventListener('message', (message: MessageEvent<unknown>) => {
      if (typeof message.data !== 'string') return problem('the core sent a binary message.')
      receive(message.data)
    })
  }

  const receive = (text: string): void => {
    if (text.length > messageBytesMax) return problem('the core sent a message too large to read.')
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch {
      return problem('the core sent a message that is not JSON.')
    }
    const parsed = serverMessageSchema.safeParse(json)
    if (!parsed.success) return problem(problemSentence(parsed.error, 'a message from the core'))
    const message = parsed.data
    if (message.kind === 'event') {
      const payload = eventSchemas[message.name].safeParse(message.payload)
      if (!payload.success) {
        return problem(problemSentence(payload.error, `the ${message.name} event`))
      }
      return listeners.emit(message.name, payload.data)
    }
    if (message.id === null) return problem(message.ok ? 'a reply without an id' : message.error)
    const request = pending.get(message.id)
    if (request === undefined) return problem(`a reply to request ${message.id}, never asked.`)
    pending.delete(message.id)
    if (!message.ok) return request.reject(new Error(message.error))
    const result = requestSchemas[request.name].result.safeParse(message.result)
    if (!result.success) {
      return request.reject(
        new Error(problemSentence(result.error, `the answer to ${request.name}`)),
      )
    }
    request.resolve(result.data)
  }

  return {
    request<Name extends RequestName>(
      name: Name,
      args: RequestArgs<Name>,
    ): Promise<RequestResult<Name>> {
      return new Promise<RequestResult<Name>>((resolve, reject) => {
        if (socket === null || socket.readyState !== WebSocket.OPEN) {
          const status = listeners.status
          reject(new Error(status.state === 'closed' ? status.reason : 'not connected yet.'))
          return
        }
        const id = nextId++
        pending.set(id, {
          name,
          resolve: resolve as (result: unknown) => void,
          reject,
        })
        socket.send(JSON.stringify({ kind: 'request', id, name, args }))
      })
    },
    on: (name, listener) => listeners.on(name, listener),
    onStatus: (listener) => listeners.onStatus(listener),
    onProblem: (listener) => listeners.onProblem(listener),
    close() {
      socket?.close()
    },
  }
}
