// The deterministic simulator: the same algorithm modules as the real-time
// cluster, run on one thread in virtual time. One seed decides everything
// (timeouts, latencies, losses), and ties in time break by scheduling order,
// so a seed and a list of inputs always give the same trace, event for event.
// A second of cluster time costs microseconds, which is what makes thousands of
// randomized fault schedules per minute possible.

import type {
  ClusterSpec,
  NodeInspection,
  NodeStatus,
  RequestOptions,
  RequestResult,
  SimulatedCluster,
  Unsubscribe,
} from '../../shared/cluster'
import type { Body, Envelope, NodeId } from '../../shared/envelope'
import type { AnyNodeDefinition, NodeOptions } from '../../shared/node-api'
import { randomStream, type Random } from '../../shared/random'
import type {
  CompleteEvent,
  InvokeEvent,
  LinkShape,
  RecvEvent,
  TraceEvent,
  ViolationEvent,
} from '../../shared/trace'
import { resolveAlgorithm } from '../../workers/algorithms'
import { LinkTable, validateShape } from '../../workers/runtime/link-table'
import { NodeRunner, type Outcome } from '../../workers/runtime/node-runner'
import { NodeStorage } from '../../workers/runtime/node-storage'
import { watchInvariants, type InvariantWatch } from '../check'
import { ClientInbox, noSuchNode, partitionEvent } from '../client/client-inbox'
import { defaultClientOptions, type ClientOptions, type KvClient } from '../client/kv-client'
import { TraceLog, traceEventsKeptMax } from '../trace/trace-log'
import { EventQueue, type Scheduled } from './event-queue'

/** The simulated network between two processes on one machine: 1-3 ms, nothing lost. */
export const simulatedLink: LinkShape = {
  loss: 0,
  delayMsMin: 1,
  delayMsMax: 3,
  duplicate: 0,
  reorder: 0,
}

export const clusterNodesMax = 25

export interface SimulatorOptions {
  /** How many recent events to keep in memory for `trace` and the views. */
  traceCapacity?: number
  /** Run the algorithm's invariant checks on every event (default true). */
  invariants?: boolean
  /** Where node modules come from (default: the algorithm registry). */
  resolve?: (spec: ClusterSpec) => AnyNodeDefinition
  /**
   * Lets the rest of the program run (the app's connection, its trace batches)
   * between slices of a long `waitFor`: given, waitFor runs virtual time a
   * slice at a time and awaits this between slices. The run is the same
   * either way: nothing but the simulator moves its time.
   */
  breathe?: () => Promise<void>
}

/** Virtual time one slice of a breathing waitFor runs before it lets the program breathe. */
const waitSliceMs = 50

type Item = Scheduled &
  (
    | { type: 'deliver'; envelope: Envelope; mid: number; duplicate: boolean }
    | { type: 'timer'; node: SimNode; name: string; generation: number }
    | { type: 'action'; action: () => void }
  )

/** A pending timer. Re-arming it later only moves `deadline`; the queued item catches up when it pops. */
interface TimerRecord {
  deadline: number
  generation: number
  /** When the queue item for this timer fires. */
  queuedAt: number
}

interface SimNode {
  id: NodeId
  status: NodeStatus
  runner: NodeRunner | null
  readonly storage: NodeStorage
  /** Each pending timer; queue items of an older generation are stale. */
  readonly timers: Map<string, TimerRecord>
  generation: number
  /** What arrived while the node was paused, handled in order on resume. */
  held: Item[]
  readonly random: Random
  error?: string
}

export interface SimulatorStats {
  sent: number
  delivered: number
  dropped: number
  handled: number
}

export class Simulator implements SimulatedCluster {
  private time = 0
  private readonly queue = new EventQueue<Item>()
  private readonly nodes = new Map<NodeId, SimNode>()
  private ids: NodeId[] = []
  private definition: AnyNodeDefinition | null = null
  private nodeOptions: NodeOptions = {}
  private links = new LinkTable(simulatedLink)
  private clientShape: LinkShape = simulatedLink
  private network: Random = randomStream(0, 'network')
  private seed = 0
  /** Per link, when its last message arrives: links are FIFO unless reordering is on. */
  private readonly linkArrival = new Map<NodeId, Map<NodeId, number>>()
  private readonly inbox = new ClientInbox()
  private mids = 0
  private opIds = 0
  private readonly options: SimulatorOptions
  readonly trace: TraceLog
  private invariants: InvariantWatch | null = null
  readonly stats: SimulatorStats = { sent: 0, delivered: 0, dropped: 0, handled: 0 }

  constructor(options: SimulatorOptions = {}) {
    this.options = options
    this.trace = new TraceLog(() => this.time, options.traceCapacity ?? traceEventsKeptMax)
  }

  // --- The cluster interface (contract 4). Everything takes effect at once. ---

  start(spec: ClusterSpec): Promise<void> {
    if (!Number.isInteger(spec.nodes) || spec.nodes < 1 || spec.nodes > clusterNodesMax) {
      throw new Error(`a cluster has 1 to ${clusterNodesMax} nodes, not ${spec.nodes}.`)
    }
    const definition = (this.options.resolve ?? ((s) => resolveAlgorithm(s.algorithm, s.variant)))(
      spec,
    )
    this.reset()
    this.definition = definition
    this.nodeOptions = spec.options ?? {}
    this.seed = spec.seed ?? 1
    this.network = randomStream(this.seed, 'network')
    const base = validateShape({ ...simulatedLink, ...spec.link })
    this.links = new LinkTable(base)
    this.clientShape = { ...base, loss: 0, duplicate: 0, reorder: 0 }
    // Fresh checks for each run: they must not remember the last one.
    this.invariants?.stop()
    this.invariants = watchInvariants(this.trace, spec.algorithm, this.options.invariants !== false)
    this.ids = Array.from({ length: spec.nodes }, (_, i) => `n${i + 1}`)
    for (const id of this.ids) {
      this.nodes.set(id, {
        id,
        status: 'dead',
        runner: null,
        storage: new NodeStorage(),
        timers: new Map(),
        generation: 0,
        held: [],
        random: randomStream(this.seed, id),
      })
    }
    for (const id of this.ids) this.boot(this.node(id))
    return Promise.resolve()
  }

  stop(): Promise<void> {
    this.reset()
    return Promise.resolve()
  }

  kill(id: NodeId): Promise<void> {
    const node = this.node(id)
    if (node.status === 'dead')
      throw new Error(`${id} is already down; restart it with: restart ${id}`)
    this.down(node)
    this.trace.emit({ seq: 0, t: 0, kind: 'crash', node: id })
    return Promise.resolve()
  }

  restart(id: NodeId): Promise<void> {
    const node = this.node(id)
    if (node.status !== 'dead') throw new Error(`${id} is running; kill it first to restart it.`)
    this.trace.emit({ seq: 0, t: 0, kind: 'restart', node: id })
    this.boot(node)
    return Promise.resolve()
  }

  pause(id: NodeId): Promise<void> {
    const node = this.node(id)
    if (node.status !== 'up')
      throw new Error(`${id} is ${node.status}; only a running node can pause.`)
    node.status = 'paused'
    this.trace.emit({ seq: 0, t: 0, kind: 'pause', node: id })
    return Promise.resolve()
  }

  resume(id: NodeId): Promise<void> {
    const node = this.node(id)
    if (node.status !== 'paused') throw new Error(`${id} is not paused.`)
    node.status = 'up'
    this.trace.emit({ seq: 0, t: 0, kind: 'resume', node: id })
    // What waited while the node was frozen runs now, in the order it arrived.
    const held = node.held
    node.held = []
    for (const item of held) {
      item.at = this.time
      this.queue.push(item)
    }
    return Promise.resolve()
  }

  partition(groups: NodeId[][]): Promise<void> {
    for (const group of groups) for (const id of group) this.node(id)
    this.links.partition(groups, this.ids)
    this.trace.emit(partitionEvent(groups, this.ids))
    return Promise.resolve()
  }

  heal(): Promise<void> {
    this.links.heal()
    this.trace.emit({ seq: 0, t: 0, kind: 'link', node: '*', change: 'heal' })
    return Promise.resolve()
  }

  setLink(from: NodeId, to: NodeId, shape: Partial<LinkShape>): Promise<void> {
    if (from !== '*') this.node(from)
    if (to !== '*') this.node(to)
    this.links.setLink(from, to, shape)
    // The shape of one link the change reached (n3->* reports n3->n1, not n1->n2).
    const a = from !== '*' ? from : (this.ids.find((id) => id !== to) ?? this.ids[0])
    const b = to !== '*' ? to : (this.ids.find((id) => id !== a) ?? a)
    const now = this.links.shapeOf(a, b)
    this.trace.emit({
      seq: 0,
      t: 0,
      kind: 'link',
      node: '*',
      change: `link ${from}->${to}`,
      from,
      to,
      shape: now,
    })
    return Promise.resolve()
  }

  /** Sends one request from a client and runs the simulation until the reply or the timeout. */
  request(node: NodeId, body: Body, options: RequestOptions = {}): Promise<RequestResult> {
    this.node(node)
    return this.inbox.request(
      node,
      body,
      options,
      (envelope) => this.transmit(envelope),
      (until, limitMs) => this.waitFor(until, limitMs),
    )
  }

  /**
   * Sends one message from `client` and returns at once, without running the
   * simulation (a nemesis's burst of writes, sent from inside a fault). A reply
   * goes to whoever listens for `client`; with no one, it is dropped.
   */
  post(client: NodeId, node: NodeId, body: Body): void {
    this.node(node)
    this.transmit({ src: client, dest: node, body })
  }

  inspect(id: NodeId): Promise<NodeInspection> {
    const node = this.node(id)
    return Promise.resolve({
      id,
      status: node.status,
      summary: node.runner?.summary() ?? {},
      state: node.runner?.snapshot(),
      saved: node.storage.peek(),
      ...(node.error === undefined ? {} : { error: node.error }),
    })
  }

  nodeIds(): NodeId[] {
    return [...this.ids]
  }

  events(listener: (event: TraceEvent) => void): Unsubscribe {
    return this.trace.subscribe(listener)
  }

  // --- The simulator's own powers. ---

  /** Every violation the invariant checks found in this run, in order. */
  get violations(): readonly ViolationEvent[] {
    return this.invariants?.violations ?? []
  }

  now(): number {
    return this.time
  }

  async waitFor(predicate: () => boolean, limitMs: number): Promise<boolean> {
    const deadline = this.time + limitMs
    const breathe = this.options.breathe
    if (breathe === undefined) return this.runUntilTime(predicate, deadline)
    for (;;) {
      const sliceEnd = Math.min(deadline, this.time + waitSliceMs)
      if (this.runUntilTime(predicate, sliceEnd)) return true
      if (sliceEnd === deadline) return false
      await breathe()
    }
  }

  advance(ms: number): void {
    const deadline = this.time + ms
    for (
      let next = this.queue.peek();
      next !== undefined && next.at <= deadline;
      next = this.queue.peek()
    ) {
      this.step()
    }
    this.time = deadline
  }

  runUntil(predicate: () => boolean, limitMs: number): boolean {
    return this.runUntilTime(predicate, this.time + limitMs)
  }

  /** runUntil with its deadline in virtual time, not from now (a sliced wait ends where one would). */
  private runUntilTime(predicate: () => boolean, deadline: number): boolean {
    if (predicate()) return true
    for (
      let next = this.queue.peek();
      next !== undefined && next.at <= deadline;
      next = this.queue.peek()
    ) {
      this.step()
      if (predicate()) return true
    }
    this.time = deadline
    return predicate()
  }

  /** Runs `action` at virtual time now + `ms` (fault schedules, workloads). */
  schedule(ms: number, action: () => void): void {
    this.queue.push({ type: 'action', action, at: this.time + Math.max(0, ms), order: 0 })
  }

  /** A key-value client living in the simulation, recording its history in the trace. */
  client(id: NodeId, options: ClientOptions = defaultClientOptions, firstNode?: NodeId): KvClient {
    const transport = {
      now: () => this.time,
      send: (dest: NodeId, body: Body) => this.transmit({ src: id, dest, body }),
      schedule: (ms: number, action: () => void) => this.schedule(ms, action),
      record: (event: InvokeEvent | CompleteEvent) => void this.trace.emit(event),
      nextOpId: () => ++this.opIds,
    }
    return this.inbox.client(id, this.ids, transport, options, firstNode)
  }

  status(id: NodeId): NodeStatus {
    return this.node(id).status
  }

  /** The node's live state, to read in tests and checks (never change it). */
  peekState<S = Record<string, unknown>>(id: NodeId): Readonly<S> | undefined {
    return this.node(id).runner?.peek() as Readonly<S> | undefined
  }

  /** The node that leads the highest term among live nodes, per their summaries. */
  leader(): NodeId | null {
    let best: { id: NodeId; term: number } | null = null
    for (const node of this.nodes.values()) {
      if (node.status === 'dead' || node.runner === null) continue
      const summary = node.runner.summary()
      if (summary.role !== 'leader') continue
      const term = summary.term ?? 0
      if (best === null || term > best.term) best = { id: node.id, term }
    }
    return best?.id ?? null
  }

  describe(body: Body): string {
    return this.definition?.describe?.(body) ?? body.type
  }

  // --- Inside. ---

  private node(id: NodeId): SimNode {
    const node = this.nodes.get(id)
    if (node === undefined) throw noSuchNode(id, this.ids)
    return node
  }

  private reset(): void {
    this.queue.clear()
    this.nodes.clear()
    this.ids = []
    this.linkArrival.clear()
    this.inbox.clear()
    this.time = 0
  }

  private boot(node: SimNode): void {
    if (this.definition === null) throw new Error('no cluster is running')
    node.runner = new NodeRunner(
      this.definition,
      node.id,
      this.ids.filter((id) => id !== node.id),
      { now: () => this.time, random: node.random, options: this.nodeOptions },
    )
    node.status = 'up'
    delete node.error
    this.apply(node, node.runner.start(node.storage.load()))
  }

  /** The node stops: its volatile state and timers are gone, its storage stays. */
  private down(node: SimNode): void {
    node.status = 'dead'
    node.runner = null
    node.timers.clear()
    node.held = []
  }

  private step(): void {
    const item = this.queue.pop()
    if (item === undefined) return
    this.time = item.at
    switch (item.type) {
      case 'action':
        item.action()
        return
      case 'timer':
        return this.fireTimer(item)
      case 'deliver':
        return this.deliver(item)
    }
  }

  private fireTimer(item: Item & { type: 'timer' }): void {
    const node = item.node
    const timer = node.timers.get(item.name)
    if (node.runner === null || timer?.generation !== item.generation) return // cancelled
    if (timer.deadline > item.at) {
      // Re-armed since this item was queued: wait for the new deadline.
      item.at = timer.deadline
      timer.queuedAt = timer.deadline
      this.queue.push(item)
      return
    }
    if (node.status === 'paused') {
      node.held.push(item)
      return
    }
    node.timers.delete(item.name)
    this.trace.emit({ seq: 0, t: 0, kind: 'timer-fire', node: node.id, name: item.name })
    this.stats.handled++
    this.apply(node, node.runner.fire(item.name))
  }

  private deliver(item: Item & { type: 'deliver' }): void {
    const { envelope, mid } = item
    const node = this.nodes.get(envelope.dest)
    if (node === undefined) {
      this.stats.delivered++
      this.trace.emit({
        seq: 0,
        t: 0,
        kind: 'recv',
        node: envelope.dest,
        mid,
        src: envelope.src,
        dest: envelope.dest,
        body: envelope.body,
      })
      this.inbox.deliver(envelope)
      return
    }
    if (node.runner === null || node.status === 'dead') return this.drop(envelope, mid, 'dead')
    // A partition that began while the message was in flight cuts it too.
    if (!this.links.connected(envelope.src, envelope.dest))
      return this.drop(envelope, mid, 'partition')
    if (node.status === 'paused') {
      node.held.push(item)
      return
    }
    this.stats.delivered++
    this.stats.handled++
    const recv: RecvEvent = {
      seq: 0,
      t: 0,
      kind: 'recv',
      node: node.id,
      mid,
      src: envelope.src,
      dest: envelope.dest,
      body: envelope.body,
    }
    if (item.duplicate) recv.duplicate = true
    this.trace.emit(recv)
    this.apply(node, node.runner.deliver(envelope))
  }

  private drop(
    envelope: Envelope,
    mid: number,
    reason: 'partition' | 'loss' | 'dead' | 'unknown-node',
  ): void {
    this.stats.dropped++
    this.trace.emit({
      seq: 0,
      t: 0,
      kind: 'drop',
      node: envelope.src,
      mid,
      src: envelope.src,
      dest: envelope.dest,
      body: envelope.body,
      reason,
    })
  }

  /** Applies a handler's effects in the order contract 1 fixes: save, then send. */
  private apply(node: SimNode, outcome: Outcome): void {
    if (!outcome.ok) {
      const { message, location, stack } = outcome.error
      node.error =
        location === undefined
          ? message
          : `${message} (at ${location.file}:${location.line}:${location.column})`
      this.down(node)
      this.trace.emit({
        seq: 0,
        t: 0,
        kind: 'crash',
        node: node.id,
        error: { message, ...(location ? { location } : {}), ...(stack ? { stack } : {}) },
      })
      return
    }
    const { state, logs, timers, sends } = outcome.effects
    if (state !== null) {
      node.storage.apply(state.changes) // stable storage first: Figure 2's rule
      this.trace.emit(state)
    }
    for (const text of logs) this.trace.emit({ seq: 0, t: 0, kind: 'log', node: node.id, text })
    for (const timer of timers) {
      if (timer.op === 'cancel') {
        node.timers.delete(timer.name)
        continue
      }
      const deadline = this.time + timer.ms
      const pending = node.timers.get(timer.name)
      if (pending !== undefined && pending.queuedAt <= deadline) {
        pending.deadline = deadline // its queued item will move itself on (see fireTimer)
      } else {
        const generation = ++node.generation
        node.timers.set(timer.name, { deadline, generation, queuedAt: deadline })
        this.queue.push({
          type: 'timer',
          node,
          name: timer.name,
          generation,
          at: deadline,
          order: 0,
        })
      }
      this.trace.emit({
        seq: 0,
        t: 0,
        kind: 'timer-set',
        node: node.id,
        name: timer.name,
        ms: timer.ms,
      })
    }
    for (const envelope of sends) this.transmit(envelope)
  }

  private transmit(envelope: Envelope): void {
    const mid = ++this.mids
    this.stats.sent++
    const { src, dest } = envelope
    this.trace.emit({ seq: 0, t: 0, kind: 'send', node: src, mid, src, dest, body: envelope.body })
    const between = this.nodes.has(src) && this.nodes.has(dest)
    if (!between && !this.nodes.has(dest) && !this.inbox.has(dest)) {
      return this.drop(envelope, mid, 'unknown-node')
    }
    if (!between) {
      // Clients sit outside the cluster's network faults: partitions and loss are between nodes.
      const delay =
        this.clientShape.delayMsMin +
        this.network() * (this.clientShape.delayMsMax - this.clientShape.delayMsMin)
      this.queue.push({
        type: 'deliver',
        envelope,
        mid,
        duplicate: false,
        at: this.fifo(src, dest, this.time + delay),
        order: 0,
      })
      return
    }
    const decision = this.links.decide(src, dest, this.network)
    if (!decision.deliver) return this.drop(envelope, mid, decision.reason)
    const at = this.time + decision.delayMs
    this.queue.push({
      type: 'deliver',
      envelope,
      mid,
      duplicate: false,
      at: decision.reorder ? at : this.fifo(src, dest, at),
      order: 0,
    })
    if (decision.duplicateDelayMs !== null) {
      this.queue.push({
        type: 'deliver',
        envelope,
        mid,
        duplicate: true,
        at: this.time + decision.duplicateDelayMs,
        order: 0,
      })
    }
  }

  /** Keeps a link first-in first-out, as TCP is: nothing arrives before what was sent earlier. */
  private fifo(src: NodeId, dest: NodeId, at: number): number {
    let fromSrc = this.linkArrival.get(src)
    if (fromSrc === undefined) {
      fromSrc = new Map()
      this.linkArrival.set(src, fromSrc)
    }
    const arrival = Math.max(at, fromSrc.get(dest) ?? 0)
    fromSrc.set(dest, arrival)
    return arrival
  }
}
