// Contract 3: trace events. One schema for both runtimes: the simulator stamps
// virtual time, the real-time cluster real time. Everything a learner can see
// (terminal, timeline, cluster view, checkers, lessons) is built from these.

import type { Body, NodeId } from './envelope'
import type { NodeSummary } from './node-api'

// Runtimes build events with `seq: 0, t: 0` and the trace overwrites both when
// it records them. Naming the fields up front keeps every event one allocation:
// V8 gives an object literal room for exactly the fields it names.
interface EventBase {
  /** Total order over the run. */
  seq: number
  /** Milliseconds since the run started (real or virtual). */
  t: number
  /** The node (or client) the event happened at. */
  node: NodeId
}

/** `mid` names one message on the wire, so a send pairs with its recv or drop. */
export interface SendEvent extends EventBase {
  kind: 'send'
  mid: number
  src: NodeId
  dest: NodeId
  body: Body
}

export interface RecvEvent extends EventBase {
  kind: 'recv'
  mid: number
  src: NodeId
  dest: NodeId
  body: Body
  /** True when the link delivered this message a second time on purpose. */
  duplicate?: boolean
}

export type DropReason = 'partition' | 'loss' | 'dead' | 'unknown-node'

export interface DropEvent extends EventBase {
  kind: 'drop'
  mid: number
  src: NodeId
  dest: NodeId
  body: Body
  reason: DropReason
}

export interface TimerSetEvent extends EventBase {
  kind: 'timer-set'
  name: string
  ms: number
}

export interface TimerFireEvent extends EventBase {
  kind: 'timer-fire'
  name: string
}

/**
 * How one persistent field changed in a handler. Arrays (a log) report a
 * splice, so that the cost of tracing a change does not grow with the log.
 */
export type FieldChange =
  | { field: string; op: 'set'; value: unknown }
  | { field: string; op: 'splice'; from: number; append: readonly unknown[] }

export interface StateEvent extends EventBase {
  kind: 'state'
  summary: NodeSummary
  /** Persistent fields that changed, in the order the node saved them. */
  changes: FieldChange[]
  /** True for the first state after init: `changes` then hold the whole saved state. */
  initial?: boolean
}

export interface CodeLocation {
  file: string
  line: number
  column: number
}

export interface CrashEvent extends EventBase {
  kind: 'crash'
  /** Absent when the crash was ordered (kill); present when the node's code failed. */
  error?: { message: string; location?: CodeLocation; stack?: string }
}

export interface LifecycleEvent extends EventBase {
  kind: 'restart' | 'pause' | 'resume'
}

export interface LinkShape {
  /** Probability in [0, 1] that a message on this link is lost. */
  loss: number
  /** Each message waits a uniform random time in [delayMsMin, delayMsMax]. */
  delayMsMin: number
  delayMsMax: number
  /** Probability in [0, 1] that a message is delivered twice. */
  duplicate: number
  /** Probability in [0, 1] that a message may overtake earlier ones on its link. */
  reorder: number
}

export interface LinkEvent extends EventBase {
  kind: 'link'
  /** What changed, as the learner would say it: `partition n1,n2 | n3,n4,n5`. */
  change: string
  groups?: NodeId[][]
  from?: NodeId
  to?: NodeId
  shape?: LinkShape
}

/**
 * A client operation, as the linearizability checker reads it. Key-value
 * stores and registers use read / write / cas / append, counters add / read,
 * locks acquire / release (`value` of an acquired lock: its fencing token).
 */
export interface Operation {
  f: 'read' | 'write' | 'cas' | 'append' | 'add' | 'acquire' | 'release'
  key: string
  value?: unknown
  from?: unknown
  to?: unknown
}

interface ClientEventBase extends EventBase {
  /** Pairs an invoke with its completion. */
  opId: number
  client: NodeId
}

export interface InvokeEvent extends ClientEventBase {
  kind: 'invoke'
  op: Operation
}

/** `ok`: it happened. `fail`: it definitely did not. `info`: unknown. */
export interface CompleteEvent extends ClientEventBase {
  kind: 'ok' | 'fail' | 'info'
  op: Operation
  /** The value a read returned, or the error that ended the operation. */
  value?: unknown
  error?: { code: number; text: string }
}

export interface ViolationEvent extends EventBase {
  kind: 'violation'
  /** The invariant's name, as in the paper: `Election Safety`. */
  rule: string
  message: string
  nodes: NodeId[]
  term?: number
  index?: number
  /** The `seq` of the events that together broke the rule. */
  events: number[]
}

export interface LogEvent extends EventBase {
  kind: 'log'
  text: string
}

export type TraceEvent =
  | SendEvent
  | RecvEvent
  | DropEvent
  | TimerSetEvent
  | TimerFireEvent
  | StateEvent
  | CrashEvent
  | LifecycleEvent
  | LinkEvent
  | InvokeEvent
  | CompleteEvent
  | ViolationEvent
  | LogEvent

export type TraceKind = TraceEvent['kind']
