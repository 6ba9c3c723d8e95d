// A node of the real-time cluster: this worker thread runs one algorithm
// module and talks to its peers over TCP on 127.0.0.1 (one outgoing connection
// per peer, noDelay, framed JSON, the run's secret on every connection).
//
// After each handler, in this order: the handler's trace events (with the
// state event that carries its saved fields) go to the main thread, which
// writes them to the node's storage; then its messages go out. A crash after
// that cannot lose what the messages promise.

import { createConnection, createServer, type Server, type Socket } from 'node:net'
import { timingSafeEqual } from 'node:crypto'
import { parentPort, workerData } from 'node:worker_threads'
import type { Envelope } from '../shared/envelope'
import type { AnyNodeDefinition } from '../shared/node-api'
import { randomStream } from '../shared/random'
import type { DropReason, TraceEvent } from '../shared/trace'
import { resolveAlgorithm } from './algorithms'
import { ExternalNode } from './external-node'
import { loadCompiledModule } from './load-module'
import type { FromHost, HostOptions, ToHost } from './host-protocol'
import { midStride } from './host-protocol'
import { FrameReader, encodeFrame, isHello, isWireMessage } from './net/frames'
import { deepFreeze } from './runtime/deep-freeze'
import { decide } from './runtime/link-table'
import { NodeRunner, describeFailure, type Outcome } from './runtime/node-runner'
import { SharedTable } from './runtime/shared-table'

/** Messages waiting for a peer's connection; past this, the oldest are dropped as lost. */
const queuedPerPeerMax = 10_000
/** Trace events are posted in batches of at most this many. */
const batchEventsMax = 1_000

const port = parentPort
if (port === null) throw new Error('host.ts runs only as a worker thread')
const options = workerData as HostOptions
const { id, ids, secret } = options
const table = new SharedTable(ids, options.table)
const realNow = (): number => performance.timeOrigin + performance.now()
const clusterNow = (): number => table.clusterNow(realNow())
const random = randomStream(options.seed, `${id}#${options.incarnation}`)
/** The module this node runs: from the registry, or compiled from source text. */
async function loadDefinition(): Promise<AnyNodeDefinition> {
  if (options.code === undefined) return resolveAlgorithm(options.algorithm, options.variant)
  return loadCompiledModule(options.code)
}

// The node is either a module, run here, or another program, bridged here.
let runner: NodeRunner | null = null
if (options.exec === undefined) {
  try {
    runner = new NodeRunner(
      await loadDefinition(),
      id,
      ids.filter((peer) => peer !== id),
      {
        now: clusterNow,
        random,
        ...(options.nodeOptions === undefined ? {} : { options: options.nodeOptions }),
      },
    )
  } catch (error) {
    const { message, location } = describeFailure(error)
    port.postMessage({ type: 'failed', message, ...(location === undefined ? {} : { location }) })
    process.exit(1)
  }
}
let external: ExternalNode | null = null
let mids = 0
const nextMid = (): number => ++mids * midStride + options.midBase
let failed = false

// --- trace events, posted in order, in batches ---

let batch: TraceEvent[] = []
let toClients: { mid: number; envelope: Envelope }[] = []
let flushScheduled = false

function record(event: TraceEvent): void {
  event.t = clusterNow()
  batch.push(event)
  if (batch.length >= batchEventsMax) flush()
  else if (!flushScheduled) {
    flushScheduled = true
    setImmediate(flush)
  }
}

function flush(): void {
  flushScheduled = false
  if (batch.length === 0 && toClients.length === 0) return
  post({ type: 'events', events: batch, toClients })
  batch = []
  toClients = []
}

function post(message: FromHost): void {
  port?.postMessage(message)
}

// --- outgoing connections ---

class PeerLink {
  private socket: Socket | null = null
  private connected = false
  private queue: Buffer[] = []
  private port = 0
  /** When the last message on this link is due to be written: links are FIFO unless reordering. */
  lastDueMs = 0

  constructor(readonly peer: string) {}

  connectTo(peerPort: number): void {
    if (peerPort === this.port && this.socket !== null) return
    this.port = peerPort
    this.socket?.destroy()
    this.open()
  }

  private open(): void {
    const socket = createConnection({ host: '127.0.0.1', port: this.port, noDelay: true })
    this.socket = socket
    this.connected = false
    socket.on('connect', () => {
      socket.write(encodeFrame({ hello: id, secret }))
      this.connected = true
      for (const frame of this.queue) socket.write(frame)
      this.queue = []
    })
    socket.on('error', () => {}) // 'close' follows and retries
    socket.on('close', () => {
      if (this.socket !== socket || failed) return
      this.connected = false
      // The peer died or restarts on a new port (the main thread tells us); retry meanwhile.
      setTimeout(() => {
        if (this.socket === socket) this.open()
      }, 50)
    })
  }

  write(frame: Buffer): void {
    if (this.connected && this.socket !== null) {
      this.socket.write(frame)
      return
    }
    if (this.queue.length >= queuedPerPeerMax) this.queue.shift()
    this.queue.push(frame)
  }

  close(): void {
    const socket = this.socket
    this.socket = null
    socket?.destroy()
  }
}

const links = new Map<string, PeerLink>()
for (const peer of ids) if (peer !== id) links.set(peer, new PeerLink(peer))

function drop(mid: number, envelope: Envelope, reason: DropReason): void {
  const { src, dest, body } = envelope
  record({ seq: 0, t: 0, kind: 'drop', node: id, mid, src, dest, body, reason })
}

function transmit(envelope: Envelope): void {
  const mid = nextMid()
  const { src, dest, body } = envelope
  record({ seq: 0, t: 0, kind: 'send', node: id, mid, src, dest, body })
  if (dest === id) return sendToSelf(mid, envelope)
  const link = links.get(dest)
  if (link === undefined) {
    if (ids.includes(dest)) return drop(mid, envelope, 'unknown-node')
    // Clients live in the main thread: the message rides behind this batch's events.
    toClients.push({ mid, envelope })
    if (!flushScheduled) {
      flushScheduled = true
      setImmediate(flush)
    }
    return
  }
  if (table.state(dest) === 'dead') return drop(mid, envelope, 'dead')
  const decision = decide(table, id, dest, random)
  if (!decision.deliver) return drop(mid, envelope, decision.reason)
  const frame = encodeFrame({ mid, envelope })
  const speed = table.speed()
  const nowMs = realNow()
  const send = (delayMs: number, keepOrder: boolean): void => {
    let due = nowMs + delayMs / speed
    if (keepOrder) {
      due = Math.max(due, link.lastDueMs)
      link.lastDueMs = due
    }
    if (due <= nowMs) link.write(frame)
    else setTimeout(() => link.write(frame), due - nowMs)
  }
  send(decision.delayMs, !decision.reorder)
  if (decision.duplicateDelayMs !== null) send(decision.duplicateDelayMs, false)
}

/**
 * A node's message to itself (the scheduler's leader heartbeats its own
 * worker) never leaves the thread, but it is still a message: it arrives
 * after the handler returns, shaped by the link table as the simulator does.
 */
function sendToSelf(mid: number, envelope: Envelope): void {
  const decision = decide(table, id, id, random)
  if (!decision.deliver) return drop(mid, envelope, decision.reason)
  setTimeout(() => receive(mid, envelope), decision.delayMs / table.speed())
}

// --- incoming connections: the secret first, then messages ---

const held: (() => void)[] = []
/** Set once the node has its peers and has run init; see the 'peers' request below. */
let started = false

function whenRunning(work: () => void): void {
  if (failed) return
  // A restarted node listens on a new port, and peers that learn it first
  // can send before this node has run init: their messages wait, as they do
  // while the node is paused.
  if (!started || table.state(id) === 'paused') held.push(work)
  else work()
}

function receive(mid: number, envelope: Envelope): void {
  whenRunning(() => {
    // A partition that began while the message was in flight cuts it too.
    if (!table.connected(envelope.src, id)) return drop(mid, envelope, 'partition')
    const { src, dest, body } = envelope
    deepFreeze(body) // messages are read-only in both runtimes
    record({ seq: 0, t: 0, kind: 'recv', node: id, mid, src, dest, body })
    if (runner !== null) run(() => runner.deliver(envelope))
    else external?.deliver(envelope)
  })
}

const server: Server = createServer((socket) => {
  socket.setNoDelay(true)
  const reader = new FrameReader()
  let greeted = false
  socket.on('error', () => {})
  socket.on('data', (chunk: Buffer) => {
    let frames: unknown[]
    try {
      frames = reader.push(chunk)
    } catch {
      socket.destroy()
      return
    }
    for (const frame of frames) {
      if (!greeted) {
        // Anything but the right secret, first: not one of ours. Close without a word.
        if (!isHello(frame) || !sameSecret(frame.secret)) {
          socket.destroy()
          return
        }
        greeted = true
        continue
      }
      if (isWireMessage(frame) && frame.envelope.dest === id) receive(frame.mid, frame.envelope)
    }
  })
})

function sameSecret(offered: string): boolean {
  const a = Buffer.from(offered)
  const b = Buffer.from(secret)
  return a.length === b.length && timingSafeEqual(a, b)
}

// --- running handlers ---

/** A pending timer: a setTimeout, or for 0 ms a setImmediate (after what already arrived). */
type PendingTimer = { immediate: NodeJS.Immediate } | { timeout: NodeJS.Timeout }
const timers = new Map<string, PendingTimer>()

function clearPending(timer: PendingTimer | undefined): void {
  if (timer === undefined) return
  if ('immediate' in timer) clearImmediate(timer.immediate)
  else clearTimeout(timer.timeout)
}

function run(handler: () => Outcome): void {
  table.markBusy(id, realNow())
  const outcome = handler()
  table.markIdle(id)
  if (!outcome.ok) {
    fail(outcome.error.message, outcome.error.location)
    return
  }
  const { state, logs, timers: timerOps, sends } = outcome.effects
  if (state !== null) {
    record(state)
    // Saved before any message goes out. With nothing to send, the change can
    // ride the next batch: a crash before then loses nothing anyone was told.
    if (state.changes.length > 0 && sends.length > 0) flush()
  }
  for (const text of logs) record({ seq: 0, t: 0, kind: 'log', node: id, text })
  for (const timer of timerOps) {
    clearPending(timers.get(timer.name))
    timers.delete(timer.name)
    if (timer.op === 'cancel') continue
    const name = timer.name
    // Node's setTimeout waits at least 1 ms; a 0 ms timer means "next", not "in a millisecond".
    timers.set(
      name,
      timer.ms === 0
        ? { immediate: setImmediate(() => fire(name)) }
        : { timeout: setTimeout(() => fire(name), timer.ms / table.speed()) },
    )
    record({ seq: 0, t: 0, kind: 'timer-set', node: id, name, ms: timer.ms })
  }
  for (const envelope of sends) transmit(envelope)
}

function fire(name: string): void {
  timers.delete(name)
  whenRunning(() => {
    record({ seq: 0, t: 0, kind: 'timer-fire', node: id, name })
    if (runner !== null) run(() => runner.fire(name))
  })
}

function fail(message: string, location?: { file: string; line: number; column: number }): void {
  if (failed) return
  failed = true
  flush()
  post(location === undefined ? { type: 'failed', message } : { type: 'failed', message, location })
  shutDown()
}

function startExternal(command: string): void {
  external = new ExternalNode(command, id, ids, {
    onSend: (envelope) => whenRunning(() => transmit(envelope)),
    onLog: (text) => record({ seq: 0, t: 0, kind: 'log', node: id, text }),
    onFailed: (message) => fail(message),
  })
  if (external.pid !== undefined) post({ type: 'child', pid: external.pid })
}

function shutDown(): void {
  for (const timer of timers.values()) clearPending(timer)
  timers.clear()
  for (const link of links.values()) link.close()
  server.close()
  external?.stop()
}

// --- the main thread's requests ---

port.on('message', (message: ToHost) => {
  switch (message.type) {
    case 'peers':
      for (const [peer, peerPort] of Object.entries(message.ports))
        links.get(peer)?.connectTo(peerPort)
      if (!started) {
        started = true
        if (runner !== null) run(() => runner.start(options.saved))
        else if (options.exec !== undefined) startExternal(options.exec)
        if (table.state(id) !== 'paused') for (const work of held.splice(0)) work()
        flush()
        post({ type: 'ready' })
      }
      return
    case 'deliver':
      for (const { mid, envelope } of message.messages) receive(mid, envelope)
      return
    case 'inspect':
      post({
        type: 'inspected',
        requestId: message.requestId,
        state: runner?.snapshot(),
        // An external program's state is its own: we only know it runs.
        summary: runner?.summary() ?? { role: 'external' },
      })
      return
    case 'pause':
      external?.pause()
      return
    case 'resume': {
      external?.resume()
      const work = held.splice(0)
      for (const item of work) whenRunning(item)
      return
    }
  }
})

server.listen(0, '127.0.0.1', () => {
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no TCP port')
  post({ type: 'listening', port: address.port })
})
