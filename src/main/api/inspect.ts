// The inspector's view of one node: live (the cluster's inspect: the whole
// state), or at a past moment of the run, rebuilt from the recorded trace. A
// node's `state` events carry its summary and every change to its persistent
// fields (a splice for a log), so a past moment gives the node's persistent
// state exactly, plus its role, term and commit index; its other volatile
// fields were never recorded, and the answer says so.

import type { NodeInspection } from '../../shared/cluster'
import type { NodeId } from '../../shared/envelope'
import {
  stateCharsMax,
  type InspectArgs,
  type InspectResult,
  type LogView,
} from '../../shared/inspection'
import type { NodeSummary } from '../../shared/node-api'
import type { TraceEvent } from '../../shared/trace'
import { boundedJson } from './bounded-json'
import { logViewOf } from './log-view'

/** What the inspector needs of a session (src/main/commands/interpreter.ts). */
export interface InspectableSession {
  /** One node of the running cluster now; `leader` names the current leader. Throws a sentence. */
  inspectNode(name: string): Promise<NodeInspection>
  /** The run being recorded, by its id in the run library; null when none is. */
  recordingId(): number | null
}

/** Where recorded runs are read back (the run library). */
export interface RecordedEvents {
  /** The run's events in seq order, those after `afterSeq` only when given. */
  events(run: number, afterSeq?: number): Iterable<TraceEvent>
}

/**
 * Real-time nodes stamp their own events, so the trace is in time order only
 * to within a few ms. Reading a past moment stops this far past it.
 */
const stampSkewMsMax = 1_000

export async function inspect(
  session: InspectableSession,
  runs: RecordedEvents | undefined,
  args: InspectArgs,
  past: PastMoments = new PastMoments(),
): Promise<InspectResult> {
  if (args.at === undefined || args.at === null)
    return liveView(await session.inspectNode(args.node))
  const run = session.recordingId()
  if (runs === undefined || run === null) {
    throw new Error(
      'past moments come from the recorded run, and none is being recorded; inspect the live node instead.',
    )
  }
  return pastView(past.nodesAt(runs, run, args.at), args.node, args.at)
}

/**
 * The nodes at past moments of a run. A moment is rebuilt by reading the run
 * from its start, which takes seconds for a long run; scrubbing forward (the
 * usual way through a run) reads on from where the last moment stopped
 * instead. One per session: it keeps the last moment's nodes.
 */
export class PastMoments {
  private last: { run: number; at: number; seq: number; nodes: Map<NodeId, PastNode> } | null = null

  nodesAt(runs: RecordedEvents, run: number, at: number): Map<NodeId, PastNode> {
    const last = this.last
    const onward = last !== null && last.run === run && at >= last.at
    const nodes = onward ? last.nodes : new Map<NodeId, PastNode>()
    const from = onward ? last.seq : 0
    const seq = applyEvents(nodes, runs.events(run, from), at, from)
    this.last = { run, at, seq, nodes }
    return nodes
  }
}

/** The live node: its whole state, or what its storage holds while it is down. */
export function liveView(inspection: NodeInspection): InspectResult {
  const live = inspection.state !== undefined
  const state = live ? inspection.state : inspection.saved
  const notes: string[] = []
  if (!live) {
    notes.push(
      `${inspection.id} is down${inspection.error === undefined ? '' : ` (its code failed: ${inspection.error})`}; this is what its storage holds, the fields that survive a crash.`,
    )
  }
  return view({
    node: inspection.id,
    status: inspection.status,
    at: null,
    source: live ? 'live' : 'saved',
    summary: inspection.summary,
    state,
    notes,
  })
}

interface PastNode {
  status: 'up' | 'dead' | 'paused'
  summary: NodeSummary
  fields: Record<string, unknown>
}

/**
 * Applies the run's events up to `at` to `nodes`, in order. Returns the seq up to which every
 * event was applied (`fromSeq` if none was): reading on from there, for a
 * later moment, misses none of those left for being a little late.
 */
function applyEvents(
  nodes: Map<NodeId, PastNode>,
  events: Iterable<TraceEvent>,
  at: number,
  fromSeq: number,
): number {
  let appliedSeq = fromSeq
  let passedOver = false
  for (const event of events) {
    if (event.t > at + stampSkewMsMax) break
    if (event.t > at) {
      passedOver = true
      continue
    }
    if (!passedOver) appliedSeq = event.seq
    const node = nodes.get(event.node)
    switch (event.kind) {
      case 'state': {
        const past = node ?? { status: 'up', summary: {}, fields: {} }
        nodes.set(event.node, past)
        // The first state after init carries the whole saved state.
        if (event.initial === true) past.fields = {}
        for (const change of event.changes) {
          if (change.op === 'set') {
            // A list is copied once, here: the splices below change the copy in place.
            const value = change.value
            past.fields[change.field] = Array.isArray(value) ? [...(value as unknown[])] : value
          } else {
            // In place: copying the log at every splice made a long run's past
            // quadratic (42 s for a moment 10 s into a 685,000-event run).
            const before = past.fields[change.field]
            const items: unknown[] = Array.isArray(before) ? before : []
            past.fields[change.field] = items
            items.length = Math.min(items.length, change.from)
            for (const item of change.append) items.push(item)
          }
        }
        past.summary = event.summary
        if (past.status === 'dead') past.status = 'up'
        break
      }
      case 'crash':
        if (node !== undefined) node.status = 'dead'
        break
      case 'restart':
      case 'resume':
        if (node !== undefined) node.status = 'up'
        break
      case 'pause':
        if (node !== undefined) node.status = 'paused'
        break
      default:
        break
    }
  }
  return appliedSeq
}

/** One node at a past moment; `leader` names the live node leading the highest term then. */
function pastView(nodes: Map<NodeId, PastNode>, name: string, at: number): InspectResult {
  const id = name === 'leader' ? leaderOf(nodes, at) : name
  const past = nodes.get(id)
  if (past === undefined) {
    const known = [...nodes.keys()].filter((node) => /^n\d+$/.test(node))
    throw new Error(
      known.length === 0
        ? `no node had started by ${at} ms into the run.`
        : `there was no node ${id} at ${at} ms; the nodes were ${known.join(', ')}.`,
    )
  }
  return view({
    node: id,
    status: past.status,
    at,
    source: 'trace',
    summary: past.summary,
    state: past.fields,
    notes: [
      `At a past moment the run's trace gives ${id}'s persistent fields and its summary (role, term, commit index); its other fields were not recorded.`,
    ],
  })
}

function leaderOf(nodes: Map<NodeId, PastNode>, at: number): NodeId {
  let best: { id: NodeId; term: number } | null = null
  for (const [id, node] of nodes) {
    if (node.status === 'dead' || node.summary.role !== 'leader') continue
    const term = node.summary.term ?? 0
    if (best === null || term > best.term) best = { id, term }
  }
  if (best === null) throw new Error(`there was no leader at ${at} ms.`)
  return best.id
}

function view(parts: {
  node: NodeId
  status: InspectResult['status']
  at: number | null
  source: InspectResult['source']
  summary: NodeSummary
  state: unknown
  notes: string[]
}): InspectResult {
  const bounded = boundedJson(parts.state ?? null, stateCharsMax)
  const log: LogView | null = logViewOf(parts.state, parts.summary)
  const notes = [...parts.notes]
  if (bounded.note !== null) notes.push(bounded.note)
  if (log !== null && log.entries.length < log.length) {
    notes.push(
      `The log has ${log.length.toLocaleString('en-US')} entries; the newest ${log.entries.length.toLocaleString('en-US')} are shown.`,
    )
  }
  return {
    node: parts.node,
    status: parts.status,
    at: parts.at,
    source: parts.source,
    summary: summaryFacts(parts.summary),
    state: bounded.value,
    log,
    notes,
  }
}

function summaryFacts(summary: NodeSummary): InspectResult['summary'] {
  const facts: InspectResult['summary'] = {}
  for (const [key, value] of Object.entries(summary).slice(0, 50)) {
    if (value === undefined) continue
    facts[key.slice(0, 200)] =
      typeof value === 'string' && value.length > 1_000 ? `${value.slice(0, 999)}…` : value
  }
  return facts
}
