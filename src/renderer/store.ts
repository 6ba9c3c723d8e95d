// The page's one store: fed by the core's events and the answers to its
// requests; components select slices of it with useSyncExternalStore. Busy,
// per-frame data (messages in flight) lives beside it in a FlightBoard that
// the canvas reads directly.

import { useSyncExternalStore } from 'react'
import { byNodeNumber, type CommandResult, type TraceBatch } from '../shared/api'
import type { NodeId } from '../shared/envelope'
import type { LessonViewData } from '../shared/lesson-view'
import type { MetricsSnapshot } from '../shared/metrics'
import type { LabClient, ConnectionStatus } from './api/web-socket-client'
import { FlightBoard } from './flights'
import { TimelineColumns } from './timeline/columns'

export type NodeStatus = 'up' | 'dead' | 'paused'

export interface NodeView {
  id: NodeId
  status: NodeStatus
  role: string | null
  term: number | null
  commitIndex: number | null
}

export interface AppState {
  connection: ConnectionStatus
  /** The run the view shows (a new cluster is a new run). */
  run: number
  nodes: readonly NodeView[]
  /** The partition in force, or null when every link is whole. */
  groups: readonly (readonly NodeId[])[] | null
  /** The live node leading the highest term, if any. */
  leader: NodeId | null
  /** Events of this run the core left out to keep up (the view says so). */
  skipped: number
  /** The latest progress line of a long command, until it finishes. */
  progress: string | null
  /** The last command and its answer in plain text, for screen readers (and tests). */
  lastAnswer: { line: string; ok: boolean; text: string } | null
  /** The node the inspector shows (chosen there, or by clicking it in the cluster view). */
  selectedNode: NodeId | null
  /** The moment the views show, in ms since the run started; null follows the live run. */
  shownAt: number | null
  /** The cluster at `shownAt`, rebuilt from the timeline's columns; null while live. */
  moment: Moment | null
  /** The run's last minute of metrics, computed in the core from every event. */
  metrics: MetricsSnapshot | null
  /** A node whose menu the cluster view should open (a node name clicked in the terminal). */
  nodeMenuRequest: { node: NodeId; serial: number } | null
  /** The lesson pane: course map, open lesson and step, language; null until the core answers. */
  lesson: LessonViewData | null
}

/** What the cluster looked like at a moment of the run. */
export interface Moment {
  at: number
  nodes: readonly NodeView[]
  groups: readonly (readonly NodeId[])[] | null
  leader: NodeId | null
}

/** Runs a command line as if typed: the terminal echoes it and prints its answer. */
export type CommandRunner = (line: string) => void

export class AppStore {
  readonly flights = new FlightBoard()
  /** The run's events for the timeline, in typed-array columns (timeline/columns.ts says why). */
  readonly timeline = new TimelineColumns()
  private state: AppState = {
    connection: { state: 'connecting' },
    run: 0,
    nodes: [],
    groups: null,
    leader: null,
    skipped: 0,
    progress: null,
    lastAnswer: null,
    selectedNode: null,
    shownAt: null,
    moment: null,
    metrics: null,
    nodeMenuRequest: null,
    lesson: null,
  }
  private readonly listeners = new Set<() => void>()
  private commandRunner: CommandRunner | null = null

  constructor(readonly client: LabClient) {
    client.onStatus((connection) => {
      this.update({ connection })
      if (connection.state === 'open') {
        this.refreshNodes()
        this.refreshLesson()
      }
    })
    client.on('trace', (batch) => this.applyBatch(batch))
    client.on('progress', ({ line }) => this.update({ progress: line }))
    client.on('metrics', (metrics) => this.update({ metrics }))
  }

  getState = (): AppState => this.state

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** The terminal registers how commands from elsewhere (the cluster view) are run. */
  setCommandRunner(runner: CommandRunner | null): void {
    this.commandRunner = runner
  }

  runCommand(line: string): void {
    this.commandRunner?.(line)
  }

  /** Chooses the node the inspector shows. */
  selectNode(id: NodeId | null): void {
    if (id !== this.state.selectedNode) this.update({ selectedNode: id })
  }

  /** Asks the cluster view to show a node's menu (and the inspector to show the node). */
  openNodeMenu(id: NodeId): void {
    if (!this.state.nodes.some((node) => node.id === id)) return
    this.selectNode(id)
    const serial = (this.state.nodeMenuRequest?.serial ?? 0) + 1
    this.update({ nodeMenuRequest: { node: id, serial } })
  }

  /** Moves the views to a moment of the run (ms since it started), or back to live with null. */
  showMoment(at: number | null): void {
    if (at !== null && !(Number.isFinite(at) && at >= 0)) return
    if (at !== this.state.shownAt) this.update({ shownAt: at, moment: this.momentAt(at) })
  }

  private momentAt(at: number | null): Moment | null {
    if (at === null) return null
    const nodes = this.timeline.nodesAt(at)
    return { at, nodes, groups: this.timeline.groupsAt(at), leader: leaderOf(nodes) }
  }

  /** After every command: the cluster may have started, stopped or changed size. */
  commandFinished(line: string, result: CommandResult): void {
    const text = [...result.lines, ...result.events].join('\n')
    this.update({ progress: null, lastAnswer: { line, ok: result.ok, text } })
    this.refreshNodes()
    this.refreshLesson()
  }

  /** Asks the core for the lesson pane's view: after each command, a step may be done. */
  refreshLesson(): void {
    this.client.request('lesson', {}).then(
      (lesson) => this.update({ lesson }),
      () => {}, // a closed connection is shown by its status
    )
  }

  refreshNodes(): void {
    this.client.request('nodes', {}).then(
      (ids) => this.setNodeIds(ids),
      () => {}, // a closed connection is shown by its status
    )
  }

  private setNodeIds(ids: readonly NodeId[]): void {
    this.timeline.ensureLanes(ids)
    const known = new Map(this.state.nodes.map((node) => [node.id, node]))
    const nodes = [...ids].sort(byNodeNumber).map((id) => known.get(id) ?? freshNode(id))
    const same =
      nodes.length === this.state.nodes.length &&
      nodes.every((node, i) => node === this.state.nodes[i])
    if (!same) this.update({ nodes, leader: leaderOf(nodes) })
  }

  applyBatch(batch: TraceBatch): void {
    const nowMs = performance.now()
    let { nodes, groups, skipped } = this.state
    let { shownAt, moment } = this.state
    this.timeline.ingest(batch)
    if (batch.run !== this.state.run) {
      nodes = []
      groups = null
      skipped = 0
      shownAt = null // a moment of the old run means nothing in the new one
      moment = null
      this.flights.clear()
      this.refreshNodes()
    }
    const byId = new Map(nodes.map((node) => [node.id, { ...node }]))
    const node = (id: NodeId): NodeView => {
      let view = byId.get(id)
      if (view === undefined) {
        view = freshNode(id)
        byId.set(id, view)
      }
      return view
    }
    for (const event of batch.events) {
      switch (event.kind) {
        case 'state': {
          const view = node(event.node)
          const { role, term, commitIndex } = event.summary
          view.role = typeof role === 'string' ? role : null
          view.term = typeof term === 'number' ? term : null
          view.commitIndex = typeof commitIndex === 'number' ? commitIndex : null
          // A node that runs a handler is up: a state after a crash means it restarted.
          if (view.status === 'dead') view.status = 'up'
          break
        }
        case 'crash':
          node(event.node).status = 'dead'
          break
        case 'restart':
        case 'resume':
          node(event.node).status = 'up'
          break
        case 'pause':
          node(event.node).status = 'paused'
          break
        case 'link':
          if (event.groups !== undefined) groups = event.groups
          else if (event.change === 'heal') groups = null
          break
        case 'send':
          this.flights.send(event.mid, event.src, event.dest, event.body.type, nowMs)
          break
        case 'drop':
          this.flights.drop(event.mid, event.src, event.dest, event.body.type, nowMs)
          break
        default:
          break
      }
    }
    for (const count of Object.values(batch.skipped)) skipped += count
    const next = sameNodes(
      nodes,
      [...byId.values()].sort((a, b) => byNodeNumber(a.id, b.id)),
    )
    this.update({
      run: batch.run,
      nodes: next,
      groups,
      skipped,
      shownAt,
      moment,
      leader: leaderOf(next),
    })
  }

  private update(change: Partial<AppState>): void {
    this.state = { ...this.state, ...change }
    for (const listener of this.listeners) listener()
  }
}

/**
 * The new views, reusing each old one that did not change (and the old array
 * when none did): a busy run sends a batch a frame, and a view that selects
 * the nodes then re-renders only when one of them changed.
 */
function sameNodes(before: readonly NodeView[], after: NodeView[]): readonly NodeView[] {
  const old = new Map(before.map((node) => [node.id, node]))
  const reused = after.map((node) => {
    const was = old.get(node.id)
    return was !== undefined &&
      was.status === node.status &&
      was.role === node.role &&
      was.term === node.term &&
      was.commitIndex === node.commitIndex
      ? was
      : node
  })
  return reused.length === before.length && reused.every((node, i) => node === before[i])
    ? before
    : reused
}

function freshNode(id: NodeId): NodeView {
  return { id, status: 'up', role: null, term: null, commitIndex: null }
}

/** The live leader of the highest term: a dead node's last role says nothing. */
function leaderOf(nodes: readonly NodeView[]): NodeId | null {
  let best: NodeView | null = null
  for (const node of nodes) {
    if (node.status === 'dead' || node.role !== 'leader') continue
    if (best === null || (node.term ?? 0) > (best.term ?? 0)) best = node
  }
  return best?.id ?? null
}

/** A slice of the store; the component re-renders only when the slice changes. */
export function useAppState<Slice>(store: AppStore, select: (state: AppState) => Slice): Slice {
  return useSyncExternalStore(store.subscribe, () => select(store.getState()))
}
