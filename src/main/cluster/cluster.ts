// The real-time cluster: each node is a worker thread running src/workers/host.ts,
// the nodes talk over TCP on 127.0.0.1, and this main-thread object starts,
// kills, restarts, pauses and partitions them. It implements the same cluster
// interface as the simulator, so the interpreter, lessons and tests drive both.
//
// Each node's storage lives here, in the main thread: a worker's saved fields
// arrive in its state events before its messages leave, so killing the worker
// (abruptly, as a crash) loses nothing it promised.

import { randomBytes } from 'node:crypto'
import { Worker } from 'node:worker_threads'
import type {
  Cluster,
  ClusterSpec,
  NodeInspection,
  RequestOptions,
  RequestResult,
  Unsubscribe,
} from '../../shared/cluster'
import type { Body, Envelope, NodeId } from '../../shared/envelope'
import type {
  CompleteEvent,
  InvokeEvent,
  LinkShape,
  TraceEvent,
  ViolationEvent,
} from '../../shared/trace'
import { resolveAlgorithm } from '../../workers/algorithms'
import type { FromHost, HostOptions, ToHost } from '../../workers/host-protocol'
import { midStride } from '../../workers/host-protocol'
import { killGroup } from '../../workers/external-node'
import { noFaults, validateShape } from '../../workers/runtime/link-table'
import { NodeStorage } from '../../workers/runtime/node-storage'
import { SharedTable } from '../../workers/runtime/shared-table'
import { watchInvariants, type InvariantWatch } from '../check'
import { ClientInbox, noSuchNode, partitionEvent } from '../client/client-inbox'
import { defaultClientOptions, type ClientOptions, type KvClient } from '../client/kv-client'
import { TraceLog, traceEventsKeptMax } from '../trace/trace-log'
import { compileNodeModule, type CompiledModule } from './compile'
import { hostEntry } from './host-entry'

export const clusterNodesMax = 25

/** How one node came through a change of code (RealTimeCluster.reload). */
export interface ReloadOutcome {
  id: NodeId
  /** The node runs the new code. */
  started: boolean
  /** It started from the saved fields it had (false: it had none, or they did not fit). */
  keptSaved: boolean
  /** Why it did not start, or why its saved fields did not fit. */
  error?: string
}

export interface RealTimeOptions {
  /** A handler running longer than this (real ms) is stopped and its node crashed. */
  handlerBudgetMs?: number
  /** Memory each node's worker may use. */
  nodeHeapMbMax?: number
  traceCapacity?: number
  invariants?: boolean
}

interface LiveNode {
  id: NodeId
  worker: Worker | null
  /** An external node's program, killed with the node. */
  childPid?: number
  port: number
  incarnation: number
  storage: NodeStorage
  error?: string
}

const realNow = (): number => performance.timeOrigin + performance.now()

/** An external node's program dies with its node (the worker alone would leave it running). */
function killChild(node: LiveNode): void {
  if (node.childPid === undefined) return
  killGroup(node.childPid, 'SIGKILL')
  delete node.childPid
}

export class RealTimeCluster implements Cluster {
  private spec: ClusterSpec | null = null
  /** The module given as source text, compiled once for every node. */
  private compiled: CompiledModule | null = null
  private table: SharedTable | null = null
  private secret = ''
  private readonly nodes = new Map<NodeId, LiveNode>()
  private ids: NodeId[] = []
  private readonly inbox = new ClientInbox()
  private readonly outbox = new Map<LiveNode, { mid: number; envelope: Envelope }[]>()
  private readonly pendingInspections = new Map<
    number,
    (reply: FromHost & { type: 'inspected' }) => void
  >()
  private requestIds = 0
  private clientMids = 0
  private opIds = 0
  private watchdog: NodeJS.Timeout | null = null
  private invariants: InvariantWatch | null = null
  readonly trace: TraceLog
  readonly handlerBudgetMs: number
  private readonly nodeHeapMbMax: number

  constructor(private readonly options: RealTimeOptions = {}) {
    // Wall time, as the main thread sees it: on a busy machine a healthy
    // node's thread can be kept off the CPU for hundreds of milliseconds, and
    // stopping a correct node is worse than waiting a little longer for a stuck one.
    this.handlerBudgetMs = options.handlerBudgetMs ?? 2_000
    this.nodeHeapMbMax = options.nodeHeapMbMax ?? 256
    this.trace = new TraceLog(() => this.now(), options.traceCapacity ?? traceEventsKeptMax)
  }

  // --- the cluster interface (contract 4) ---

  async start(spec: ClusterSpec): Promise<void> {
    if (!Number.isInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > clusterNodesMax) {
      throw new Error(`a cluster has 1 to ${clusterNodesMax} nodes, not ${spec.nodes}.`)
    }
    const everyNodeExternal = Array.from({ length: spec.nodes }, (_, i) => `n${i + 1}`).every(
      (id) => spec.external?.[id] !== undefined,
    )
    // A clear error now, not one in every worker.
    this.compiled =
      spec.code === undefined ? null : await compileNodeModule(spec.code.source, spec.code.fileName)
    if (!everyNodeExternal && spec.code === undefined)
      resolveAlgorithm(spec.algorithm, spec.variant)
    await this.stop()
    this.spec = spec
    this.ids = Array.from({ length: spec.nodes }, (_, i) => `n${i + 1}`)
    this.table = new SharedTable(this.ids)
    this.table.startClock(realNow())
    this.table.heal()
    const shape = validateShape({ ...noFaults, ...spec.link })
    for (const from of this.ids) for (const to of this.ids) this.table.setShape(from, to, shape)
    this.secret = randomBytes(32).toString('hex')
    this.invariants?.stop()
    this.invariants = watchInvariants(this.trace, spec.algorithm, this.options.invariants !== false)
    for (const id of this.ids) {
      this.nodes.set(id, { id, worker: null, port: 0, incarnation: 0, storage: new NodeStorage() })
    }
    await Promise.all(this.ids.map((id) => this.spawn(this.node(id))))
    const ports = this.ports()
    await Promise.all(this.ids.map((id) => this.ready(this.node(id), ports)))
    this.watchdog = setInterval(() => this.checkHandlers(), 100)
  }

  async stop(): Promise<void> {
    if (this.watchdog !== null) clearInterval(this.watchdog)
    this.watchdog = null
    for (const node of this.nodes.values()) killChild(node)
    const workers = [...this.nodes.values()].flatMap((node) =>
      node.worker === null ? [] : [node.worker],
    )
    this.nodes.clear()
    this.inbox.clear()
    await Promise.all(workers.map((worker) => worker.terminate()))
  }

  async kill(id: NodeId): Promise<void> {
    const node = this.node(id)
    if (node.worker === null)
      throw new Error(`${id} is already down; restart it with: restart ${id}`)
    const stopped = this.down(node)
    this.trace.emit({ seq: 0, t: 0, kind: 'crash', node: id })
    await stopped
  }

  async restart(id: NodeId): Promise<void> {
    const node = this.node(id)
    if (node.worker !== null) throw new Error(`${id} is running; kill it first to restart it.`)
    this.trace.emit({ seq: 0, t: 0, kind: 'restart', node: id })
    delete node.error
    node.incarnation++
    await this.spawn(node)
    const ports = this.ports()
    // Everyone learns the new address; the node itself starts once it has its peers'.
    for (const other of this.nodes.values()) {
      if (other !== node) this.post(other, { type: 'peers', ports })
    }
    await this.ready(node, ports)
  }

  pause(id: NodeId): Promise<void> {
    const table = this.requireTable()
    if (table.state(id) !== 'up')
      throw new Error(`${id} is ${table.state(id)}; only a running node can pause.`)
    table.setState(id, 'paused')
    this.post(this.node(id), { type: 'pause' })
    this.trace.emit({ seq: 0, t: 0, kind: 'pause', node: id })
    return Promise.resolve()
  }

  resume(id: NodeId): Promise<void> {
    const table = this.requireTable()
    if (table.state(this.node(id).id) !== 'paused') throw new Error(`${id} is not paused.`)
    table.setState(id, 'up')
    this.post(this.node(id), { type: 'resume' })
    this.trace.emit({ seq: 0, t: 0, kind: 'resume', node: id })
    return Promise.resolve()
  }

  partition(groups: NodeId[][]): Promise<void> {
    for (const group of groups) for (const id of group) this.node(id)
    this.requireTable().partition(groups)
    this.trace.emit(partitionEvent(groups, this.ids))
    return Promise.resolve()
  }

  heal(): Promise<void> {
    this.requireTable().heal()
    this.trace.emit({ seq: 0, t: 0, kind: 'link', node: '*', change: 'heal' })
    return Promise.resolve()
  }

  setLink(from: NodeId, to: NodeId, change: Partial<LinkShape>): Promise<void> {
    const table = this.requireTable()
    const froms = from === '*' ? this.ids : [this.node(from).id]
    const tos = to === '*' ? this.ids : [this.node(to).id]
    let shape: LinkShape = noFaults
    for (const a of froms) {
      for (const b of tos) {
        shape = validateShape({ ...table.shapeOf(a, b), ...change })
        table.setShape(a, b, shape)
      }
    }
    this.trace.emit({
      seq: 0,
      t: 0,
      kind: 'link',
      node: '*',
      change: `link ${from}->${to}`,
      from,
      to,
      shape,
    })
    return Promise.resolve()
  }

  /** Every timer and link delay runs `speed` times as fast (0.1: slow motion). */
  setSpeed(speed: number): void {
    if (!(speed >= 0.01 && speed <= 100))
      throw new Error(`speed must be between 0.01 and 100, not ${speed}.`)
    this.requireTable().setSpeed(speed, realNow())
  }

  speed(): number {
    return this.table?.speed() ?? 1
  }

  request(node: NodeId, body: Body, options: RequestOptions = {}): Promise<RequestResult> {
    this.node(node)
    return this.inbox.request(
      node,
      body,
      options,
      (envelope) => this.deliverFromClient(envelope),
      (until, limitMs) => this.waitFor(until, limitMs),
    )
  }

  async inspect(id: NodeId): Promise<NodeInspection> {
    const node = this.node(id)
    const status = this.requireTable().state(id)
    const base = {
      id,
      saved: node.storage.peek(),
      ...(node.error === undefined ? {} : { error: node.error }),
    }
    if (node.worker === null) return { ...base, status: 'dead', summary: {} }
    const requestId = ++this.requestIds
    const reply = await new Promise<FromHost & { type: 'inspected' }>((resolve) => {
      this.pendingInspections.set(requestId, resolve)
      this.post(node, { type: 'inspect', requestId })
    })
    return { ...base, status, summary: reply.summary, state: reply.state }
  }

  nodeIds(): NodeId[] {
    return [...this.ids]
  }

  events(listener: (event: TraceEvent) => void): Unsubscribe {
    return this.trace.subscribe(listener)
  }

  now(): number {
    return this.table?.clusterNow(realNow()) ?? 0
  }

  async waitFor(predicate: () => boolean, limitMs: number): Promise<boolean> {
    const deadline = realNow() + limitMs / this.speed()
    while (!predicate()) {
      if (realNow() >= deadline) return predicate()
      await new Promise((resolve) => setTimeout(resolve, 2))
    }
    return true
  }

  /** A key-value client in this process, recording its history in the trace. */
  client(id: NodeId, options: ClientOptions = defaultClientOptions, firstNode?: NodeId): KvClient {
    const transport = {
      now: () => this.now(),
      send: (dest: NodeId, body: Body) => this.deliverFromClient({ src: id, dest, body }),
      schedule: (ms: number, action: () => void) => void setTimeout(action, ms / this.speed()),
      record: (event: InvokeEvent | CompleteEvent) => void this.trace.emit(event),
      nextOpId: () => ++this.opIds,
    }
    return this.inbox.client(id, this.ids, transport, options, firstNode)
  }

  /** Where a node listens: always 127.0.0.1. */
  endpoint(id: NodeId): { host: string; port: number } {
    return { host: '127.0.0.1', port: this.node(id).port }
  }

  get violations(): readonly ViolationEvent[] {
    return this.invariants?.violations ?? []
  }

  status(id: NodeId): 'up' | 'dead' | 'paused' {
    this.node(id)
    return this.requireTable().state(id)
  }

  /** What the cluster runs now, or null when none runs. */
  running(): ClusterSpec | null {
    return this.nodes.size === 0 ? null : this.spec
  }

  /**
   * Restarts every node that is not down on other code: the registry's module
   * (`variant`, or the reference without one) or a module given as source
   * text, compiled first, so that a compile error stops nothing. Each node
   * keeps its saved fields and runs the new init on them. A node that cannot
   * start from them (its new init throws) starts once more with none, so that
   * a changed state shape does not leave it dead; a node that cannot start
   * even so stays down, with its crash in the trace. Dead nodes stay dead and
   * run the new code when restarted.
   */
  async reload(change: {
    variant?: string
    code?: { source: string; fileName: string }
  }): Promise<ReloadOutcome[]> {
    const spec = this.spec
    if (spec === null || this.nodes.size === 0)
      throw new Error('no cluster is running; start one, e.g. start raft 5')
    if (Object.keys(spec.external ?? {}).length > 0)
      throw new Error('this cluster runs outside programs; start one of ours to change its code.')
    // A clear error now, before any node stops.
    const compiled =
      change.code === undefined
        ? null
        : await compileNodeModule(change.code.source, change.code.fileName)
    if (compiled === null) resolveAlgorithm(spec.algorithm, change.variant)
    const next: ClusterSpec = { ...spec }
    delete next.variant
    delete next.code
    this.spec = {
      ...next,
      ...(change.variant === undefined ? {} : { variant: change.variant }),
      ...(change.code === undefined ? {} : { code: change.code }),
    }
    this.compiled = compiled
    const restarting = [...this.nodes.values()].filter((node) => node.worker !== null)
    await Promise.all(
      restarting.map((node) => {
        const stopped = this.down(node)
        this.trace.emit({ seq: 0, t: 0, kind: 'crash', node: node.id })
        return stopped
      }),
    )
    const outcomes: ReloadOutcome[] = []
    for (const node of restarting) {
      const hadSaved = !node.storage.isEmpty()
      const firstTry = await this.restartOnNewCode(node)
      if (firstTry === null) {
        outcomes.push({ id: node.id, started: true, keptSaved: hadSaved })
        continue
      }
      if (!hadSaved) {
        outcomes.push({ id: node.id, started: false, keptSaved: false, error: firstTry })
        continue
      }
      node.storage = new NodeStorage()
      const secondTry = await this.restartOnNewCode(node)
      outcomes.push(
        secondTry === null
          ? { id: node.id, started: true, keptSaved: false, error: firstTry }
          : { id: node.id, started: false, keptSaved: false, error: secondTry },
      )
    }
    return outcomes
  }

  /** Restarts a down node; null once it runs, or why it did not start. */
  private async restartOnNewCode(node: LiveNode): Promise<string | null> {
    try {
      await this.restart(node.id)
    } catch (error) {
      if (node.worker !== null) await this.down(node)
      return node.error ?? (error instanceof Error ? error.message : String(error))
    }
    return node.worker === null ? (node.error ?? `${node.id} stopped as it started`) : null
  }

  // --- inside ---

  private node(id: NodeId): LiveNode {
    const node = this.nodes.get(id)
    if (node === undefined) throw noSuchNode(id, this.ids)
    return node
  }

  private requireTable(): SharedTable {
    if (this.table === null) throw new Error('no cluster is running; start one, e.g. start raft 5')
    return this.table
  }

  private ports(): Record<NodeId, number> {
    const ports: Record<NodeId, number> = {}
    for (const node of this.nodes.values()) if (node.worker !== null) ports[node.id] = node.port
    return ports
  }

  private post(node: LiveNode, message: ToHost): void {
    node.worker?.postMessage(message)
  }

  /** Starts the node's worker and waits until it listens. */
  private async spawn(node: LiveNode): Promise<void> {
    const spec = this.spec
    const table = this.requireTable()
    if (spec === null) throw new Error('no cluster is running')
    const options: HostOptions = {
      id: node.id,
      ids: this.ids,
      algorithm: spec.algorithm,
      ...(spec.variant === undefined ? {} : { variant: spec.variant }),
      seed: spec.seed ?? 1,
      incarnation: node.incarnation,
      secret: this.secret,
      table: table.buffer,
      saved: node.storage.load(),
      midBase: this.ids.indexOf(node.id),
      ...(spec.external?.[node.id] === undefined ? {} : { exec: spec.external[node.id] }),
      ...(this.compiled === null ? {} : { code: this.compiled }),
      ...(spec.options === undefined ? {} : { nodeOptions: spec.options }),
    }
    const worker = new Worker(await hostEntry(), {
      workerData: options,
      resourceLimits: { maxOldGenerationSizeMb: this.nodeHeapMbMax, maxYoungGenerationSizeMb: 32 },
    })
    node.worker = worker
    table.setState(node.id, 'up')
    table.markIdle(node.id)
    worker.on('message', (message: FromHost) => this.onHostMessage(node, worker, message))
    worker.on('error', (error) =>
      this.onWorkerFailed(node, worker, `${error.name}: ${error.message}`),
    )
    await new Promise<void>((resolve, reject) => {
      const onMessage = (message: FromHost): void => {
        if (message.type === 'failed')
          reject(new Error(`${node.id} could not start: ${message.message}`))
        if (message.type !== 'listening') return
        node.port = message.port
        worker.off('message', onMessage)
        resolve()
      }
      worker.on('message', onMessage)
      worker.once('exit', () => reject(new Error(`${node.id} stopped while starting`)))
    })
  }

  /** Gives the node its peers' addresses and waits for its init to run. */
  private async ready(node: LiveNode, ports: Record<NodeId, number>): Promise<void> {
    const worker = node.worker
    if (worker === null) return
    await new Promise<void>((resolve) => {
      const onMessage = (message: FromHost): void => {
        if (message.type !== 'ready') return
        worker.off('message', onMessage)
        resolve()
      }
      worker.on('message', onMessage)
      worker.once('exit', () => resolve())
      this.post(node, { type: 'peers', ports })
    })
  }

  private onHostMessage(node: LiveNode, worker: Worker, message: FromHost): void {
    if (node.worker !== worker) return // an old life of the node, already gone
    switch (message.type) {
      case 'events':
        for (const event of message.events) {
          // Stable storage first (contract 1): the node's saved fields are in its state events.
          if (event.kind === 'state' && event.changes.length > 0) node.storage.apply(event.changes)
          this.trace.emit(event, true)
        }
        for (const { mid, envelope } of message.toClients) {
          const { src, dest, body } = envelope
          this.trace.emit({ seq: 0, t: 0, kind: 'recv', node: dest, mid, src, dest, body })
          this.inbox.deliver(envelope)
        }
        return
      case 'child':
        node.childPid = message.pid
        return
      case 'inspected':
        this.pendingInspections.get(message.requestId)?.(message)
        this.pendingInspections.delete(message.requestId)
        return
      case 'failed': {
        const where =
          message.location === undefined
            ? ''
            : ` (at ${message.location.file}:${message.location.line}:${message.location.column})`
        void this.crash(node, `${message.message}${where}`, message.location)
        return
      }
      default:
        return
    }
  }

  private onWorkerFailed(node: LiveNode, worker: Worker, message: string): void {
    if (node.worker !== worker) return
    void this.crash(node, message)
  }

  /** The node's own code failed: stop it and say why. */
  private async crash(
    node: LiveNode,
    message: string,
    location?: { file: string; line: number; column: number },
  ): Promise<void> {
    node.error = message
    const stopped = this.down(node)
    this.trace.emit({
      seq: 0,
      t: 0,
      kind: 'crash',
      node: node.id,
      error: location === undefined ? { message } : { message, location },
    })
    await stopped
  }

  /** The node is down at once; the returned promise settles when its thread has stopped. */
  private async down(node: LiveNode): Promise<void> {
    const worker = node.worker
    node.worker = null
    killChild(node)
    this.table?.setState(node.id, 'dead')
    this.table?.markIdle(node.id)
    await worker?.terminate()
  }

  /** A handler past its budget is an endless loop (or close to one): stop that node only. */
  private checkHandlers(): void {
    const table = this.table
    if (table === null) return
    const now = realNow()
    for (const node of this.nodes.values()) {
      const since = table.busySince(node.id)
      if (node.worker !== null && since > 0 && now - since > this.handlerBudgetMs) {
        void this.crash(
          node,
          `a handler of ${node.id} ran for more than ${this.handlerBudgetMs} ms and was stopped ` +
            '(an endless loop?). Handlers must return quickly; use ctx.setTimer to do work later.',
        )
      }
    }
  }

  private deliverFromClient(envelope: Envelope): void {
    const mid = ++this.clientMids * midStride + (midStride - 1)
    const { src, dest, body } = envelope
    this.trace.emit({ seq: 0, t: 0, kind: 'send', node: src, mid, src, dest, body })
    const node = this.nodes.get(dest)
    if (node === undefined || node.worker === null || this.table?.state(dest) === 'dead') {
      this.trace.emit({
        seq: 0,
        t: 0,
        kind: 'drop',
        node: src,
        mid,
        src,
        dest,
        body,
        reason: node === undefined ? 'unknown-node' : 'dead',
      })
      return
    }
    // Requests to one node in the same tick travel together.
    let queued = this.outbox.get(node)
    if (queued === undefined) {
      queued = []
      this.outbox.set(node, queued)
      setImmediate(() => {
        this.outbox.delete(node)
        if (node.worker !== null) this.post(node, { type: 'deliver', messages: queued ?? [] })
      })
    }
    queued.push({ mid, envelope })
  }
}
