// Browser mode's connections: each page that passed web.ts's checks gets a
// session of its own (a real-time cluster, a job thread, the run library)
// behind one ApiCore, stopped when its socket closes. This module is most of
// the server's code (the whole core), so web.ts loads it while the browser
// loads the page, not before it prints the address.

import type { IncomingMessage } from 'node:http'
import type { Duplex } from 'node:stream'
import { WebSocketServer, type WebSocket } from 'ws'
import { requestBytesMax, webSocketPath, type EventMessage, type ReplyMessage } from '../shared/api'
import { answerRequestText } from './api/answer-request'
import { ApiCore } from './api/core'
import { openKeptRuns, type KeptRuns } from './session-factory'

/** Above this many unsent bytes on a socket, the page is behind. */
const backlogBytesBehind = 1024 * 1024

/** One page's connection: its messages in and out of one ApiCore. */
class Connection {
  private readonly core: ApiCore
  private closed = false

  constructor(
    private readonly socket: WebSocket,
    kept: KeptRuns,
  ) {
    this.core = new ApiCore({
      kept,
      push: (message) => this.sendJson(message),
      behind: () => socket.bufferedAmount > backlogBytesBehind,
    })
    socket.on('message', (data, isBinary) => {
      if (isBinary) {
        this.reply({
          kind: 'reply',
          id: null,
          ok: false,
          error: 'messages are JSON text, not binary.',
        })
        return
      }
      const text = Array.isArray(data)
        ? Buffer.concat(data).toString('utf8')
        : Buffer.from(data as ArrayBuffer).toString('utf8')
      this.receive(text)
    })
  }

  /** Stops the session's cluster and job thread. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.core.close()
  }

  private receive(text: string): void {
    void answerRequestText(this.core, text).then((reply) => this.reply(reply))
  }

  private reply(message: ReplyMessage): void {
    this.sendJson(message)
  }

  private sendJson(message: ReplyMessage | EventMessage): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    this.socket.send(JSON.stringify(message))
  }
}

export interface WebConnections {
  /** Where the API is: an upgrade to any other path is refused. */
  readonly path: string
  /** Completes the WebSocket handshake of a request web.ts has let through. */
  accept(request: IncomingMessage, socket: Duplex, head: Buffer): void
  /** Stops every session and closes the store. */
  close(): Promise<void>
}

export function openWebConnections(options: {
  db?: string
  tell: (line: string) => void
}): WebConnections {
  const kept = openKeptRuns(options)
  const sockets = new WebSocketServer({ noServer: true, maxPayload: requestBytesMax })
  const connections = new Set<Connection>()
  return {
    path: webSocketPath,
    accept(request, socket, head) {
      sockets.handleUpgrade(request, socket, head, (ws) => {
        const connection = new Connection(ws, kept)
        connections.add(connection)
        ws.on('close', () => {
          connections.delete(connection)
          void connection.close()
        })
      })
    },
    async close() {
      for (const ws of sockets.clients) ws.terminate()
      await Promise.all([...connections].map((connection) => connection.close()))
      connections.clear()
      sockets.close()
      kept.close()
    },
  }
}
