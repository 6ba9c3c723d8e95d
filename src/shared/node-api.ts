// Contract 1: the node API, what a learner reads and edits.
//
// An algorithm is a set of pure functions over plain data. It does no I/O and
// reads no clock or randomness of its own: everything outside the node goes
// through `ctx`. That is what lets one module run in a worker thread, in the
// deterministic simulator, and under a model checker, unchanged.

import type { Body, Envelope, MessageShape, NodeId } from './envelope'

export type { Body, Envelope, MessageShape, NodeId } from './envelope'

/** What one handler may do at most, so that a runaway loop cannot drown the run. */
export const handlerLimits = {
  sendsMax: 10_000,
  timersMax: 1_000,
  logsMax: 100,
  logLineCharsMax: 500,
} as const

/** Settings a cluster starts its nodes with (ClusterSpec.options), e.g. `{ n: 3, r: 1, w: 1 }`. */
export type NodeOptions = Record<string, number | string | boolean>

/** What a node may do to the world. The only door out of a handler. */
export interface Ctx<Msg extends MessageShape = Body> {
  /** This node's id, e.g. `n1`. */
  readonly id: NodeId
  /** The other nodes of the cluster (never includes `id`). */
  readonly peers: readonly NodeId[]
  /** The cluster's settings for this algorithm, the same on every node; `{}` when none were given. */
  readonly options: Readonly<NodeOptions>
  /** Milliseconds since the run started: real or virtual time. */
  now(): number
  /** A number in [0, 1) from the run's seeded generator. */
  random(): number
  /** Sends `body` to `dest` once this handler returns (after persisting). */
  send(dest: NodeId, body: Msg | Body): void
  /** Sends `body` to the sender of `env`, with `in_reply_to` set to its `msg_id`. */
  reply(env: Envelope<MessageShape>, body: Body): void
  /** Starts (or restarts) the timer `name`; it fires once after `ms` ms. */
  setTimer(name: string, ms: number): void
  cancelTimer(name: string): void
  /** A line for the trace, shown in the terminal and the timeline. */
  log(...parts: unknown[]): void
}

/** A few facts every view shows about a node: the status table, the cluster view. */
export interface NodeSummary {
  role?: string
  term?: number
  commitIndex?: number
  leader?: NodeId | null
  logLength?: number
  [fact: string]: string | number | boolean | null | undefined
}

export type PersistentFields<State> = readonly (keyof State & string)[]

export interface NodeDefinition<State extends object, Msg extends MessageShape = Body> {
  /** The algorithm's name, e.g. `raft`. */
  name: string
  /** One line saying what this module is (for variants: what is broken). */
  description?: string
  /**
   * Fields that survive a crash. After every handler the host writes these to
   * the node's storage BEFORE it releases the handler's messages, the order
   * Raft's Figure 2 needs ("respond to RPCs only after updating stable storage").
   */
  persistent: PersistentFields<State>
  /** Builds the state of a node that starts, or restarts with `saved` fields. */
  init(ctx: Ctx<Msg>, saved: Partial<State> | undefined): State
  /** A peer or client message arrived. Mutate `state` in place. */
  onMessage(state: State, env: Envelope<Msg | Body>, ctx: Ctx<Msg>): void
  /** The timer `name` fired. Mutate `state` in place. */
  onTimer(state: State, name: string, ctx: Ctx<Msg>): void
  /** What the status table and the cluster view show. */
  summary?(state: State): NodeSummary
  /** One line describing a message for the trace: `AppendEntries term=2 prev=4/1 ...`. */
  describe?(body: Msg | Body): string
}

/**
 * Declares a node. It only checks the shape; it exists so that editors infer
 * `State` and `Msg` for every handler from one place.
 */
export function defineNode<State extends object, Msg extends MessageShape = Body>(
  definition: NodeDefinition<State, Msg>,
): NodeDefinition<State, Msg> {
  const problem = nodeDefinitionProblem(definition)
  if (problem !== null) throw new Error(problem)
  return definition
}

/** What is wrong with a would-be node definition, as a sentence; null when nothing is. */
export function nodeDefinitionProblem(value: unknown): string | null {
  if (typeof value !== 'object' || value === null) {
    return 'a node module must export a node as its default: export default defineNode({ ... }).'
  }
  const definition = value as Record<string, unknown>
  if (typeof definition.name !== 'string' || definition.name === '') {
    return 'defineNode needs a name, e.g. defineNode({ name: "raft", ... }).'
  }
  for (const handler of ['init', 'onMessage', 'onTimer']) {
    if (typeof definition[handler] !== 'function') {
      return `defineNode({ name: "${definition.name}" }) needs a ${handler} function.`
    }
  }
  const persistent = definition.persistent
  if (!Array.isArray(persistent) || !persistent.every((field) => typeof field === 'string')) {
    return `defineNode({ name: "${definition.name}" }) needs a persistent list, e.g. persistent: ['currentTerm'].`
  }
  return null
}

/**
 * A node definition with its types erased, as runtimes hold them: they never
 * look inside State or Msg, so `object`, `Body` and field names are all they need.
 */
export type AnyNodeDefinition = Omit<NodeDefinition<object, Body>, 'persistent'> & {
  persistent: readonly string[]
}
