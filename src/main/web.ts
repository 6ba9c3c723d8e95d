// Browser mode: `npm run web [-- --port N] [--db FILE]`. Serves the renderer
// (built in memory when the server starts, so it is never stale and two
// servers never write over each other's files) and the typed API of
// src/shared/api.ts over a WebSocket, on 127.0.0.1 only. A random token made
// for this run guards the socket: the page learns it from the address this
// prints, and other pages and programs on the machine cannot drive the core.
// Each connection gets a session of its own (a real-time cluster, a job
// thread, the run library), stopped when the connection closes.

import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { resolve } from 'node:path'
import { WebSocketServer, type WebSocket } from 'ws'
import {
  batchEventsMax,
  candidatesMax,
  requestBytesMax,
  problemSentence,
  requestMessageSchema,
  requestSchemas,
  webSocketPath,
  type EventMessage,
  type ReplyMessage,
  type RequestMessage,
  type RequestResult,
  type TraceBatch,
} from '../shared/api'
import type { TraceEvent, TraceKind } from '../shared/trace'
import type { Session } from './commands/interpreter'
import { complete } from './commands/complete'
import { createNodeSession, openKeptRuns, type KeptRuns } from './session-factory'

const usage = `consensus-lab web: the app in a browser, backed by the core on this machine.

  npm run web [-- --port N] [--db FILE]

  --port N     the port on 127.0.0.1 to serve on (default 0: any free port)
  --db FILE    where runs are kept (default: lab.db in the user's config folder)

It prints the address to open; the address carries a token made for this run.`

// --- Trace batching: at most one batch per frame, bounded, and never silent. ---

/**
 * Kinds that say what the cluster looks like (roles, faults, violations): the
 * view is wrong without them, so they are always delivered, a node's states
 * coalesced to its latest when too many come in one frame. Every other kind
 * (messages, timers, client operations, log lines) is sampled when it floods.
 */
/** A bound on lasting events held for one batch, past the states' share: only a flood reaches it. */
const rareLastingMax = 10_000

const lastingKinds = new Set<TraceKind>([
  'state',
  'crash',
  'restart',
  'pause',
  'resume',
  'link',
  'violation',
])

export interface BatchPolicy {
  /** The least time between two batches: one per frame. */
  frameMs: number
  /** Sampled kinds one batch carries at most. */
  sampledPerBatchMax: number
  /** Lasting kinds one batch carries at most, before states coalesce per node. */
  lastingPerBatchMax: number
}

export const defaultBatchPolicy: BatchPolicy = {
  frameMs: 16,
  sampledPerBatchMax: 400,
  lastingPerBatchMax: 500,
}

/** Timers, injectable so that a test can step time. */
export interface BatchClock {
  now(): number
  setTimeout(run: () => void, ms: number): unknown
  clearTimeout(handle: unknown): void
}

const realClock: BatchClock = {
  now: () => performance.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}

/**
 * Gathers a run's trace events into batches for a page. Within one frame it
 * keeps every lasting event (up to a bound; past it, each node's latest state)
 * and a uniform sample of the rest (reservoir sampling); while the page is
 * behind (`behind()`: its socket has a backlog) sampled events are left out
 * and lasting ones wait. Whatever is left out is counted by kind and the
 * counts ride on the next batch sent.
 */
export class TraceBatcher {
  private run = 0
  private lastSeq = Number.POSITIVE_INFINITY
  private sampled: TraceEvent[] = []
  private sampledSeen = 0
  private lasting: TraceEvent[] = []
  /** Each node's latest state once `lasting` is full. */
  private overflowStates = new Map<string, TraceEvent>()
  private skipped = new Map<string, number>()
  private timer: unknown = null
  private lastSentAt = Number.NEGATIVE_INFINITY
  private stopped = false

  constructor(
    private readonly send: (batch: TraceBatch) => void,
    private readonly behind: () => boolean,
    private readonly policy: BatchPolicy = defaultBatchPolicy,
    private readonly clock: BatchClock = realClock,
  ) {
    // The schema's bound holds whatever the policy: every node's state may overflow.
    if (policy.sampledPerBatchMax + policy.lastingPerBatchMax > batchEventsMax / 2) {
      throw new Error(`a batch policy may keep at most ${batchEventsMax / 2} events per frame`)
    }
  }

  add(event: TraceEvent): void {
    if (this.stopped) return
    // Sequence numbers start again with each run: the page forgets the old one.
    if (event.seq <= this.lastSeq) {
      this.sendNow()
      this.run++
    }
    this.lastSeq = event.seq
    if (lastingKinds.has(event.kind)) this.keepLasting(event)
    else this.keepSampled(event)
    this.schedule()
  }

  /** Stops batching; what is pending is not sent. */
  stop(): void {
    this.stopped = true
    if (this.timer !== null) this.clock.clearTimeout(this.timer)
    this.timer = null
  }

  private keepSampled(event: TraceEvent): void {
    this.sampledSeen++
    const max = this.policy.sampledPerBatchMax
    if (this.sampled.length < max) {
      this.sampled.push(event)
      return
    }
    // Reservoir sampling: each event of the frame is kept with the same chance.
    const slot = Math.floor(Math.random() * this.sampledSeen)
    if (slot < max) {
      this.skip(this.sampled[slot].kind)
      this.sampled[slot] = event
    } else {
      this.skip(event.kind)
    }
  }

  private keepLasting(event: TraceEvent): void {
    if (this.lasting.length < this.policy.lastingPerBatchMax) {
      this.lasting.push(event)
    } else if (event.kind === 'state') {
      if (this.overflowStates.has(event.node)) this.skip('state')
      this.overflowStates.set(event.node, event)
    } else if (this.lasting.length < rareLastingMax) {
      // Crashes, restarts, pauses and link changes are few, and the view is
      // wrong without them (a restarted node drawn dead): they always go.
      this.lasting.push(event)
    } else {
      this.skip(event.kind)
    }
  }

  private skip(kind: string, count = 1): void {
    this.skipped.set(kind, (this.skipped.get(kind) ?? 0) + count)
  }

  private schedule(): void {
    if (this.timer !== null || this.stopped) return
    const wait = Math.max(0, this.lastSentAt + this.policy.frameMs - this.clock.now())
    this.timer = this.clock.setTimeout(() => {
      this.timer = null
      this.onFrame()
    }, wait)
  }

  private onFrame(): void {
    if (this.stopped) return
    if (this.behind()) {
      // The page has not read what it was sent: sampled events go (counted),
      // lasting ones wait for the next frame.
      for (const event of this.sampled) this.skip(event.kind)
      this.sampled = []
      this.sampledSeen = 0
      this.lastSentAt = this.clock.now()
      this.schedule()
      return
    }
    this.sendNow()
  }

  private sendNow(): void {
    const events = [...this.lasting, ...this.overflowStates.values(), ...this.sampled]
    if (events.length === 0 && this.skipped.size === 0) return
    events.sort((a, b) => a.seq - b.seq)
    const batch: TraceBatch = {
      run: Math.max(1, this.run),
      events,
      skipped: Object.fromEntries(this.skipped),
    }
    this.lasting = []
    this.overflowStates = new Map()
    this.sampled = []
    this.sampledSeen = 0
    this.skipped = new Map()
    this.lastSentAt = this.clock.now()
    this.send(batch)
  }
}

// --- The renderer, built in memory. ---

interface ServedFile {
  body: Buffer
  type: string
}

const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  woff2: 'font/woff2',
  json: 'application/json',
}

/** Builds the renderer with the same vite config as the desktop app, into memory. */
export async function buildRenderer(): Promise<Map<string, ServedFile>> {
  const { build } = await import('vite')
  const { default: config } = await import('../../electron.vite.config')
  const renderer = (config as { renderer?: Record<string, unknown> }).renderer
  if (renderer === undefined) throw new Error('electron.vite.config.ts has no renderer config')
  const root = fileURLToPath(new URL('../renderer', import.meta.url))
  const built = await build({
    ...renderer,
    root,
    base: './',
    configFile: false,
    logLevel: 'warn',
    build: { ...(renderer.build as object), write: false, outDir: 'out/web' },
  })
  const outputs = Array.isArray(built) ? built : [built]
  const files = new Map<string, ServedFile>()
  for (const output of outputs) {
    if (!('output' in output)) throw new Error('the renderer build did not finish')
    for (const file of output.output) {
      const body = Buffer.from(file.type === 'chunk' ? file.code : file.source)
      const extension = file.fileName.slice(file.fileName.lastIndexOf('.') + 1)
      files.set(`/${file.fileName}`, {
        body,
        type: contentTypes[extension] ?? 'application/octet-stream',
      })
    }
  }
  if (!files.has('/index.html')) throw new Error('the renderer build made no index.html')
  return files
}

// --- One connection: a session, its trace batches, its requests. ---

/** Above this many unsent bytes on a socket, the page is behind. */
const backlogBytesBehind = 1024 * 1024
/** Commands waiting for the one before them to finish, at most, per connection. */
const queuedRunsMax = 100

class Connection {
  private readonly session: Session
  private readonly batcher: TraceBatcher
  private runs: Promise<void> = Promise.resolve()
  private queuedRuns = 0
  private closed = false

  constructor(
    private readonly socket: WebSocket,
    kept: KeptRuns,
  ) {
    this.batcher = new TraceBatcher(
      (batch) => this.push({ kind: 'event', name: 'trace', payload: batch }),
      () => socket.bufferedAmount > backlogBytesBehind,
    )
    this.session = createNodeSession({
      ...(kept.runs === undefined ? {} : { runs: kept.runs }),
      onProgress: (line) => this.push({ kind: 'event', name: 'progress', payload: { line } }),
      observe: (event) => this.batcher.add(event),
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
    this.batcher.stop()
    await this.runs
    await this.session.close()
  }

  private receive(text: string): void {
    let message: unknown
    try {
      message = JSON.parse(text)
    } catch {
      this.reply({ kind: 'reply', id: null, ok: false, error: 'a message must be JSON text.' })
      return
    }
    const parsed = requestMessageSchema.safeParse(message)
    if (!parsed.success) {
      this.reply({
        kind: 'reply',
        id: idOf(message),
        ok: false,
        error: badRequest(message, parsed.error),
      })
      return
    }
    this.handle(parsed.data)
  }

  private handle(request: RequestMessage): void {
    const answer = <Name extends RequestMessage['name']>(
      _name: Name,
      result: RequestResult<Name>,
    ): void => this.reply({ kind: 'reply', id: request.id, ok: true, result })
    switch (request.name) {
      case 'complete': {
        const { candidates, partial } = complete(request.args.line, this.session.nodeIds())
        answer('complete', { candidates: candidates.slice(0, candidatesMax), partial })
        return
      }
      case 'nodes':
        answer('nodes', this.session.nodeIds())
        return
      case 'run': {
        if (this.queuedRuns >= queuedRunsMax) {
          this.reply({
            kind: 'reply',
            id: request.id,
            ok: false,
            error: `${queuedRunsMax} commands are already waiting; wait for them to finish.`,
          })
          return
        }
        // One command at a time, in the order typed: a session is a terminal.
        this.queuedRuns++
        this.runs = this.runs.then(async () => {
          try {
            // Session.run never throws: every failure is a sentence in its result.
            answer('run', await this.session.run(request.args.line))
          } finally {
            this.queuedRuns--
          }
        })
        return
      }
    }
  }

  private reply(message: ReplyMessage): void {
    this.sendJson(message)
  }

  private push(message: EventMessage): void {
    this.sendJson(message)
  }

  private sendJson(message: ReplyMessage | EventMessage): void {
    if (this.closed || this.socket.readyState !== this.socket.OPEN) return
    this.socket.send(JSON.stringify(message))
  }
}

function idOf(message: unknown): number | null {
  if (typeof message !== 'object' || message === null) return null
  const id = (message as { id?: unknown }).id
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null
}

/** One sentence for a request that does not fit the contract. */
function badRequest(message: unknown, error: Parameters<typeof problemSentence>[0]): string {
  const names = Object.keys(requestSchemas)
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return 'a request is an object: {"kind":"request","id":1,"name":"run","args":{"line":"status"}}.'
  }
  const { kind, name } = message as { kind?: unknown; name?: unknown }
  if (kind !== 'request') return 'a message to the core must have "kind":"request".'
  if (typeof name !== 'string' || !names.includes(name)) {
    return `there is no request ${JSON.stringify(name)}; the requests are ${names.join(', ')}.`
  }
  return problemSentence(error, `the ${name} request`)
}

// --- The server. ---

export interface WebServerOptions {
  /** 0 picks any free port. */
  port: number
  /** Where runs are kept (default: the config folder). */
  db?: string
  /** Where notices go (a moved damaged store, pruned runs). */
  tell: (line: string) => void
}

export interface WebServer {
  /** The address to open, token included. */
  url: string
  port: number
  close(): Promise<void>
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const files = await buildRenderer()
  const token = randomBytes(24).toString('base64url')
  const kept = openKeptRuns({
    ...(options.db === undefined ? {} : { db: options.db }),
    tell: options.tell,
  })
  const connections = new Set<Connection>()
  let port = options.port

  // Only the names this server answers to: a page on another name that
  // resolves here (DNS rebinding) gets nothing.
  const knownHost = (host: string | undefined): boolean =>
    host === `127.0.0.1:${port}` || host === `localhost:${port}`
  const knownOrigin = (origin: string | undefined): boolean =>
    origin === undefined ||
    origin === `http://127.0.0.1:${port}` ||
    origin === `http://localhost:${port}`

  const serve = (request: IncomingMessage, response: ServerResponse): void => {
    const plain = (status: number, text: string): void => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
      response.end(`${text}\n`)
    }
    if (!knownHost(request.headers.host)) return plain(403, 'open the address npm run web printed.')
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'only GET here.')
    const path = new URL(request.url ?? '/', `http://127.0.0.1:${port}`).pathname
    const file = files.get(path === '/' ? '/index.html' : path)
    if (file === undefined) return plain(404, `there is no ${path} here.`)
    response.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': file.body.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
      ].join('; '),
    })
    response.end(request.method === 'HEAD' ? undefined : file.body)
  }

  const http = createServer(serve)
  const sockets = new WebSocketServer({ noServer: true, maxPayload: requestBytesMax })

  const refuse = (socket: Duplex, status: string, sentence: string): void => {
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${sentence}\n`,
    )
  }

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`)
    if (url.pathname !== webSocketPath)
      return refuse(socket, '404 Not Found', `the API is at ${webSocketPath}.`)
    if (!knownHost(request.headers.host) || !knownOrigin(request.headers.origin)) {
      return refuse(socket, '403 Forbidden', 'only pages served by this server may connect.')
    }
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) {
      return refuse(
        socket,
        '403 Forbidden',
        'the token is missing or wrong: open the address npm run web printed.',
      )
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const connection = new Connection(ws, kept)
      connections.add(connection)
      ws.on('close', () => {
        connections.delete(connection)
        void connection.close()
      })
    })
  })

  try {
    await new Promise<void>((done, fail) => {
      http.once('error', fail)
      http.listen(options.port, '127.0.0.1', () => {
        http.off('error', fail)
        done()
      })
    })
  } catch (error) {
    kept.close()
    throw error
  }
  const address = http.address()
  if (address === null || typeof address === 'string') throw new Error('the server has no port')
  port = address.port

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    close: async () => {
      for (const ws of sockets.clients) ws.terminate()
      await Promise.all([...connections].map((connection) => connection.close()))
      connections.clear()
      sockets.close()
      http.closeAllConnections()
      await new Promise<void>((done) => http.close(() => done()))
      kept.close()
    },
  }
}

// --- The command. ---

function parseArguments(args: string[]): { port: number; db?: string } | string {
  let port = 0
  let db: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const value = args[i + 1]
    if (arg === '--port') {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65_535) {
        return '--port needs a number from 0 to 65535, e.g. --port 5170 (0: any free port).'
      }
      port = Number(value)
      i++
    } else if (arg === '--db') {
      if (value === undefined || value.startsWith('--'))
        return '--db needs a file, e.g. --db lab.db'
      db = value
      i++
    } else {
      return `unknown argument ${arg}.`
    }
  }
  return db === undefined ? { port } : { port, db }
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage)
    return 0
  }
  const parsed = parseArguments(args)
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n\n${usage}`)
    return 2
  }
  let server: WebServer
  try {
    server = await startWebServer({ ...parsed, tell: (line) => console.error(line) })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    console.error(
      code === 'EADDRINUSE'
        ? `port ${parsed.port} is taken; choose another with --port N (0: any free port).`
        : `cannot start: ${error instanceof Error ? error.message : String(error)}`,
    )
    return 2
  }
  console.log(`open ${server.url}`)
  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  // Stopping the clusters closes their workers; closing the store flushes the runs.
  await server.close()
  return 0
}

const entry = process.argv[1]
if (entry !== undefined && resolve(entry) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
