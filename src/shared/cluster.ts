// Contract 4: the cluster interface. The real-time cluster and the simulator
// both implement it, so the command interpreter, the lesson engine and the
// tests never care which one runs.

import type { Body, NodeId } from './envelope'
import type { LinkShape, TraceEvent } from './trace'
import type { NodeOptions, NodeSummary } from './node-api'

export interface ClusterSpec {
  /** An algorithm name from the registry, e.g. `raft`. */
  algorithm: string
  /** A deliberately broken variant of it, e.g. `figure8-commit`. */
  variant?: string
  /** How many nodes: n1..nN. */
  nodes: number
  /** The seed of every random choice (simulator), or of the nodes' randomness (real time). */
  seed?: number
  /** The link shape every link starts with. */
  link?: Partial<LinkShape>
  /**
   * Nodes that are other programs speaking Maelstrom's protocol on stdin and
   * stdout, by node id: the command line that starts each. With every node
   * external, `algorithm` only names the run.
   */
  external?: Record<NodeId, string>
  /** A module given as source text (TypeScript or JavaScript), run instead of the registry's. */
  code?: { source: string; fileName: string }
  /** Settings every node sees as `ctx.options`, e.g. gossip's quorums `{ n: 3, r: 1, w: 1 }`. */
  options?: NodeOptions
}

export type NodeStatus = 'up' | 'dead' | 'paused'

export interface NodeInspection {
  id: NodeId
  status: NodeStatus
  summary: NodeSummary
  /** The node's whole state, as plain data (absent while dead). */
  state?: unknown
  /** What the node's storage holds: its persistent fields. */
  saved: unknown
  /** Set when the node crashed because its code failed. */
  error?: string
}

export interface RequestOptions {
  /** Give up after this many ms without a reply (default 1000). */
  timeoutMs?: number
  /** The client id to send from (default `c1`). */
  client?: NodeId
}

/** A reply, or `timeout` when none came in time. */
export type RequestResult = { ok: true; body: Body; from: NodeId } | { ok: false; timeout: true }

export type Unsubscribe = () => void

export interface Cluster {
  start(spec: ClusterSpec): Promise<void>
  stop(): Promise<void>
  kill(id: NodeId): Promise<void>
  restart(id: NodeId): Promise<void>
  pause(id: NodeId): Promise<void>
  resume(id: NodeId): Promise<void>
  /** Cuts every link between different groups; nodes not named form one more group. */
  partition(groups: NodeId[][]): Promise<void>
  heal(): Promise<void>
  /** Shapes the links from `from` to `to`; either may be `*`, every node. */
  setLink(from: NodeId, to: NodeId, shape: Partial<LinkShape>): Promise<void>
  request(node: NodeId, body: Body, options?: RequestOptions): Promise<RequestResult>
  inspect(id: NodeId): Promise<NodeInspection>
  nodeIds(): NodeId[]
  /** Every trace event from now on, in `seq` order. */
  events(listener: (event: TraceEvent) => void): Unsubscribe
  /** Milliseconds since the run started: virtual in the simulator, real otherwise. */
  now(): number
  /**
   * Resolves true once `predicate` holds, or false after `limitMs`. The
   * simulator runs virtual time to get there; the real-time cluster waits.
   * This is how the interpreter and lessons wait without caring which runs.
   */
  waitFor(predicate: () => boolean, limitMs: number): Promise<boolean>
}

/** The simulator's extra powers: it owns time. */
export interface SimulatedCluster extends Cluster {
  /** Runs the simulation for `ms` of virtual time. */
  advance(ms: number): void
  /** Runs until `predicate` holds (true) or `limitMs` of virtual time pass (false). */
  runUntil(predicate: () => boolean, limitMs: number): boolean
}

export const reliableLink: LinkShape = {
  loss: 0,
  delayMsMin: 0,
  delayMsMax: 0,
  duplicate: 0,
  reorder: 0,
}
