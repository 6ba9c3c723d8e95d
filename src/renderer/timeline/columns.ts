// Where the timeline's events live: in the page, in typed-array columns, one
// set per node lane, fed by the trace batches the core already pushes.
//
// Why here and not a window request to the core: every frame of zooming and
// scrolling reads only memory the page holds, so a frame never waits for a
// round trip, and the core answers no per-frame queries while it runs a busy
// cluster. The cost is bounded: a message is one row of 35 bytes (no object),
// a million-event run holds about 20 MB, and past `messagesKeptMax` the oldest
// half of the run is forgotten (the core's store keeps every event: `replay N
// --at T` reads them). What the batches sampled out when the cluster flooded
// them is not fetched: each kept event of a sampled kind carries the weight of
// the ones it stands for (kept + skipped, over kept, per kind and batch;
// reservoir sampling keeps each event with the same chance), so the density
// bands of a zoomed-out view count them; zoomed in, the arrows drawn are a
// uniform sample, and the strip says how many were left out.

import { byNodeNumber, type TraceBatch } from '../../shared/api'
import type { NodeId } from '../../shared/envelope'
import type { TraceEvent, TraceKind } from '../../shared/trace'
import { lowerBound, Table, upperBound } from './table'

/** Message rows held across lanes; past it, the older half of the run is forgotten (about 70 MB). */
export const messagesKeptMax = 2_000_000
/** Faults, link changes and violations held; past it, the older half is forgotten. */
export const faultsKeptMax = 100_000
/** Sends (and invokes) waiting for their receive (or completion) that are remembered. */
const pendingMax = 100_000
/** Lanes for nodes, and rows for clients, at most. */
export const lanesMax = 1_000

/** A message row's flags. */
export const messageFlags = { dropped: 1, sendUnseen: 2, duplicate: 4 } as const

export type NodeStatus = 'up' | 'dead' | 'paused'
const statuses: readonly NodeStatus[] = ['up', 'dead', 'paused']

/** How an operation ended: still pending, ok, definitely failed, or unknown (info). */
export const outcomes = ['pending', 'ok', 'fail', 'info'] as const
export type Outcome = (typeof outcomes)[number]

const messageColumns = {
  key: Float64Array,
  /** Send time; NaN when the batches carried only the receive. */
  start: Float64Array,
  /** Receive or drop time; NaN until seen. */
  end: Float64Array,
  /** Cumulative weight (events each kept row stands for). */
  weight: Float64Array,
  dest: Uint16Array,
  flags: Uint8Array,
}
const markColumns = { key: Float64Array, weight: Float64Array }
const stateColumns = {
  key: Float64Array,
  status: Uint8Array,
  /** Index into `roleNames`; 0 is no role. */
  role: Uint16Array,
  /** NaN when the node did not say. */
  term: Float64Array,
  commit: Float64Array,
}
const operationColumns = { key: Float64Array, end: Float64Array, outcome: Uint8Array }

export type MessageTable = Table<typeof messageColumns>
export type MarkTable = Table<typeof markColumns>
export type StateTable = Table<typeof stateColumns>
export type OperationTable = Table<typeof operationColumns>

export interface Lane {
  id: NodeId
  /** Messages this node sent, by send time. */
  messages: MessageTable
  /** Messages from this node that were dropped, by drop time. */
  drops: MarkTable
  timers: MarkTable
  /** Role, term, commit index and status after each change. */
  states: StateTable
}

export interface ClientRow {
  id: NodeId
  operations: OperationTable
}

/** A rare event drawn across or on a lane: a fault, a link change, a violation. */
export interface Fault {
  t: number
  kind: 'crash' | 'restart' | 'pause' | 'resume' | 'link' | 'violation'
  /** The node's lane, or -1 for the whole cluster. */
  lane: number
  text: string
  /** For a link change: the partition it made (null: healed; undefined: a link shape). */
  groups?: NodeId[][] | null
}

/** A node as it was at some moment (the store's NodeView has this shape). */
export interface NodeAt {
  id: NodeId
  status: NodeStatus
  role: string | null
  term: number | null
  commitIndex: number | null
}

const sampledKinds: readonly TraceKind[] = ['send', 'recv', 'drop', 'timer-fire']

export class TimelineColumns {
  /** The run held (batches of another run start afresh). */
  run = 0
  /** Moves on every change: a view redraws when it moves. */
  version = 0
  /** The latest event time seen (ms since the run started). */
  endMs = 0
  /** Events of this run the batches left out (sampled out or coalesced). */
  sampledOut = 0
  /** Events taken in. */
  eventsSeen = 0
  /** The longest a message was seen in flight, and an operation took: how far back a window looks. */
  longestFlightMs = 0
  longestOperationMs = 0
  /** Before this time, part of the run was forgotten to bound memory. */
  forgottenBeforeMs = 0
  lanes: Lane[] = []
  clients: ClientRow[] = []
  faults: Fault[] = []
  /** Role names seen; a state row holds an index into it. */
  readonly roleNames: (string | null)[] = [null]
  private readonly roleIndex = new Map<string, number>()
  private readonly laneOf = new Map<NodeId, number>()
  private readonly clientOf = new Map<NodeId, number>()
  private pendingMessages = new Pending<number, { lane: number; row: number }>()
  private pendingOperations = new Pending<string, { client: number; row: number }>()
  private messageRows = 0
  private displayOrder: number[] | null = null

  /** Takes one batch of the live run. */
  ingest(batch: TraceBatch): void {
    if (batch.run !== this.run) this.reset(batch.run)
    const weights = batchWeights(batch)
    for (const event of batch.events) this.add(event, weights.get(event.kind) ?? 1)
    for (const count of Object.values(batch.skipped)) this.sampledOut += count
    if (this.messageRows > messagesKeptMax) this.forgetOlderHalf()
    this.version++
  }

  /** Gives every node a lane (nodes that have not yet done anything too). */
  ensureLanes(ids: readonly NodeId[]): void {
    const before = this.lanes.length
    for (const id of ids) this.lane(id)
    if (this.lanes.length !== before) this.version++
  }

  /** Lane numbers top to bottom: n1, n2, ..., n10. */
  laneOrder(): readonly number[] {
    this.displayOrder ??= this.lanes
      .map((_, index) => index)
      .sort((a, b) => byNodeNumber(this.lanes[a].id, this.lanes[b].id))
    return this.displayOrder
  }

  /** Message rows held across all lanes. */
  messageCount(): number {
    return this.messageRows
  }

  /** Every node as it was at time `t` (after the events at `t`), in lane order. */
  nodesAt(t: number): NodeAt[] {
    return this.laneOrder().map((index) => {
      const lane = this.lanes[index]
      const { states } = lane
      const row = upperBound(states.columns.key, states.length, t) - 1
      if (row < 0) return { id: lane.id, status: 'up', role: null, term: null, commitIndex: null }
      const { status, role, term, commit } = states.columns
      return {
        id: lane.id,
        status: statuses[status[row]],
        role: this.roleNames[role[row]] ?? null,
        term: Number.isNaN(term[row]) ? null : term[row],
        commitIndex: Number.isNaN(commit[row]) ? null : commit[row],
      }
    })
  }

  /** The partition in force at time `t`, or null when every link was whole. */
  groupsAt(t: number): NodeId[][] | null {
    for (let i = this.faultsUpTo(t) - 1; i >= 0; i--) {
      const fault = this.faults[i]
      if (fault.kind === 'link' && fault.groups !== undefined) return fault.groups
    }
    return null
  }

  /** The number of faults at or before `t` (before `t` when not `inclusive`). */
  faultsUpTo(t: number, inclusive = true): number {
    let low = 0
    let high = this.faults.length
    while (low < high) {
      const middle = (low + high) >>> 1
      const at = this.faults[middle].t
      if (at < t || (inclusive && at === t)) low = middle + 1
      else high = middle
    }
    return low
  }

  private reset(run: number): void {
    this.run = run
    this.endMs = 0
    this.longestFlightMs = 0
    this.longestOperationMs = 0
    this.sampledOut = 0
    this.eventsSeen = 0
    this.forgottenBeforeMs = 0
    this.lanes = []
    this.clients = []
    this.faults = []
    this.laneOf.clear()
    this.clientOf.clear()
    this.pendingMessages = new Pending()
    this.pendingOperations = new Pending()
    this.messageRows = 0
    this.displayOrder = null
  }

  private lane(id: NodeId): number {
    let index = this.laneOf.get(id)
    if (index === undefined) {
      if (this.lanes.length >= lanesMax) return -1
      index = this.lanes.length
      this.lanes.push({
        id,
        messages: new Table(messageColumns),
        drops: new Table(markColumns),
        timers: new Table(markColumns),
        states: new Table(stateColumns),
      })
      this.laneOf.set(id, index)
      this.displayOrder = null
    }
    return index
  }

  private client(id: NodeId): number {
    let index = this.clientOf.get(id)
    if (index === undefined) {
      if (this.clients.length >= lanesMax) return -1
      index = this.clients.length
      this.clients.push({ id, operations: new Table(operationColumns) })
      this.clientOf.set(id, index)
    }
    return index
  }

  private add(event: TraceEvent, weight: number): void {
    this.eventsSeen++
    const t = event.t
    if (t > this.endMs) this.endMs = t
    switch (event.kind) {
      case 'send': {
        if (isClient(event.src) || isClient(event.dest)) return
        const from = this.lane(event.src)
        const to = this.lane(event.dest)
        if (from < 0 || to < 0) return
        const row = this.addMessage(from, t, t, Number.NaN, to, 0, weight)
        this.pendingMessages.set(event.mid, { lane: from, row })
        return
      }
      case 'recv':
      case 'drop': {
        if (isClient(event.src) || isClient(event.dest)) return
        const dropped = event.kind === 'drop'
        const from = this.lane(event.src)
        const to = this.lane(event.dest)
        if (from < 0 || to < 0) return
        if (dropped) addMark(this.lanes[from].drops, t, weight)
        const flag = dropped ? messageFlags.dropped : 0
        const sent = this.pendingMessages.get(event.mid)
        const messages = this.lanes[from].messages
        const row = sent === undefined ? -1 : messages.rowOf(sent.row)
        if (row < 0) {
          this.addMessage(from, t, Number.NaN, t, to, flag | messageFlags.sendUnseen, weight)
        } else if (Number.isNaN(messages.columns.end[row])) {
          messages.columns.end[row] = t
          messages.columns.flags[row] |= flag
          const flight = t - messages.columns.start[row]
          if (flight > this.longestFlightMs) this.longestFlightMs = flight
        } else {
          // Delivered again (the link duplicates): a second arrow from the same send.
          const start = messages.columns.start[row]
          this.addMessage(from, start, start, t, to, flag | messageFlags.duplicate, weight)
        }
        return
      }
      case 'timer-fire': {
        const lane = this.lane(event.node)
        if (lane >= 0) addMark(this.lanes[lane].timers, t, weight)
        return
      }
      case 'state': {
        const { role, term, commitIndex } = event.summary
        this.addState(event.node, t, null, {
          role: typeof role === 'string' ? role : null,
          term: typeof term === 'number' ? term : Number.NaN,
          commit: typeof commitIndex === 'number' ? commitIndex : Number.NaN,
        })
        return
      }
      case 'crash':
      case 'restart':
      case 'pause':
      case 'resume': {
        const status: NodeStatus =
          event.kind === 'crash' ? 'dead' : event.kind === 'pause' ? 'paused' : 'up'
        this.addState(event.node, t, status, null)
        const text =
          event.kind === 'crash' && event.error !== undefined
            ? `${event.node} crashed: ${event.error.message}`
            : `${event.kind} ${event.node}`
        this.addFault({ t, kind: event.kind, lane: this.lane(event.node), text })
        return
      }
      case 'link':
        this.addFault({
          t,
          kind: 'link',
          lane: -1,
          text: event.change,
          ...(event.groups !== undefined
            ? { groups: event.groups }
            : event.change === 'heal'
              ? { groups: null }
              : {}),
        })
        return
      case 'violation':
        this.addFault({ t, kind: 'violation', lane: -1, text: `${event.rule}: ${event.message}` })
        return
      case 'invoke': {
        const client = this.client(event.client)
        if (client < 0) return
        const operations = this.clients[client].operations
        const row = operations.push(t)
        operations.columns.end[row] = Number.NaN
        operations.columns.outcome[row] = 0
        this.pendingOperations.set(`${event.client} ${event.opId}`, {
          client,
          row: operations.forgotten + row,
        })
        return
      }
      case 'ok':
      case 'fail':
      case 'info': {
        const invoked = this.pendingOperations.get(`${event.client} ${event.opId}`)
        if (invoked === undefined) return // its invoke was sampled out: no span to close
        this.pendingOperations.delete(`${event.client} ${event.opId}`)
        const operations = this.clients[invoked.client].operations
        const row = operations.rowOf(invoked.row)
        if (row < 0) return
        operations.columns.end[row] = t
        operations.columns.outcome[row] = outcomes.indexOf(event.kind)
        const took = t - operations.columns.key[row]
        if (took > this.longestOperationMs) this.longestOperationMs = took
        return
      }
      default:
        return // timer-set and log lines are not drawn
    }
  }

  /** Returns the row's number counted since the lane began. */
  private addMessage(
    lane: number,
    key: number,
    start: number,
    end: number,
    dest: number,
    flags: number,
    weight: number,
  ): number {
    const messages = this.lanes[lane].messages
    const row = messages.push(key)
    const columns = messages.columns
    columns.start[row] = start
    columns.end[row] = end
    columns.dest[row] = dest
    columns.flags[row] = flags
    columns.weight[row] = (row === 0 ? messages.weightBefore : columns.weight[row - 1]) + weight
    this.messageRows++
    return messages.forgotten + row
  }

  /** A state row: what the node reported (`summary`), or a new status, the rest carried over. */
  private addState(
    id: NodeId,
    t: number,
    status: NodeStatus | null,
    summary: { role: string | null; term: number; commit: number } | null,
  ): void {
    const lane = this.lane(id)
    if (lane < 0) return
    const states = this.lanes[lane].states
    const previous = states.length - 1
    const row = states.push(t)
    const columns = states.columns
    const had = previous >= 0
    // A node that runs a handler is up: a state after a crash means it restarted.
    const oldStatus = had ? columns.status[previous] : 0
    columns.status[row] =
      status !== null ? statuses.indexOf(status) : oldStatus === 1 ? 0 : oldStatus
    columns.role[row] =
      summary !== null ? this.role(summary.role) : had ? columns.role[previous] : 0
    columns.term[row] = summary !== null ? summary.term : had ? columns.term[previous] : Number.NaN
    columns.commit[row] =
      summary !== null ? summary.commit : had ? columns.commit[previous] : Number.NaN
  }

  private role(name: string | null): number {
    if (name === null) return 0
    let index = this.roleIndex.get(name)
    if (index === undefined) {
      if (this.roleNames.length > 1_000) return 0
      index = this.roleNames.length
      this.roleNames.push(name)
      this.roleIndex.set(name, index)
    }
    return index
  }

  private addFault(fault: Fault): void {
    const last = this.faults[this.faults.length - 1]
    // Faults stay in time order, as the tables' keys do.
    if (last !== undefined && fault.t < last.t) fault.t = last.t
    this.faults.push(fault)
    if (this.faults.length > faultsKeptMax) {
      // Keep the latest partition: the groups in force do not depend on what is forgotten.
      const cut = this.faults.length >> 1
      const groups = this.groupsAt(this.faults[cut].t)
      this.faults = this.faults.slice(cut)
      this.faults.unshift({ ...this.faults[0], kind: 'link', lane: -1, text: '', groups })
    }
  }

  /**
   * Forgets every lane's rows before the middle of the time held. Each lane
   * keeps its last state before the cut, so that the moment at the cut still
   * reads right.
   */
  private forgetOlderHalf(): void {
    let earliest = this.endMs
    for (const lane of this.lanes) {
      if (lane.messages.length > 0) earliest = Math.min(earliest, lane.messages.columns.key[0])
    }
    const cut = earliest + (this.endMs - earliest) / 2
    const before = (table: Table<{ key: Float64ArrayConstructor }>): number =>
      lowerBound(table.columns.key, table.length, cut)
    this.messageRows = 0
    for (const lane of this.lanes) {
      lane.messages.shift(before(lane.messages))
      lane.drops.shift(before(lane.drops))
      lane.timers.shift(before(lane.timers))
      lane.states.shift(before(lane.states) - 1)
      this.messageRows += lane.messages.length
    }
    for (const client of this.clients) client.operations.shift(before(client.operations))
    this.forgottenBeforeMs = cut
  }
}

function addMark(marks: MarkTable, t: number, weight: number): void {
  const row = marks.push(t)
  const weights = marks.columns.weight
  weights[row] = (row === 0 ? marks.weightBefore : weights[row - 1]) + weight
}

/**
 * Remembers what waits for its other end (a send its receive, an invoke its
 * completion), up to two generations of `pendingMax`: when the newer fills,
 * the older is forgotten whole (its answers may never come). O(1) per key,
 * where evicting the oldest key of one Map one at a time walks its holes.
 */
export class Pending<Key, Value> {
  private newer = new Map<Key, Value>()
  private older = new Map<Key, Value>()

  get(key: Key): Value | undefined {
    return this.newer.get(key) ?? this.older.get(key)
  }

  set(key: Key, value: Value): void {
    if (this.newer.size >= pendingMax) {
      this.older = this.newer
      this.newer = new Map()
    }
    this.newer.set(key, value)
  }

  delete(key: Key): void {
    if (!this.newer.delete(key)) this.older.delete(key)
  }
}

/** Clients (c1, c2...) get operation rows, not lanes: their messages are drawn as spans. */
function isClient(id: NodeId): boolean {
  return /^c\d+$/.test(id)
}

/** What each kept event of a sampled kind stands for: (kept + skipped) / kept. */
function batchWeights(batch: TraceBatch): Map<TraceKind, number> {
  const weights = new Map<TraceKind, number>()
  const skipped = batch.skipped
  if (Object.keys(skipped).length === 0) return weights
  const kept = new Map<TraceKind, number>()
  for (const event of batch.events) kept.set(event.kind, (kept.get(event.kind) ?? 0) + 1)
  for (const kind of sampledKinds) {
    const held = kept.get(kind) ?? 0
    const left = skipped[kind] ?? 0
    if (held > 0 && left > 0) weights.set(kind, (held + left) / held)
  }
  return weights
}
