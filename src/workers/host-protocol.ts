// The messages between the main thread and a node's worker (postMessage).

import type { Envelope } from '../shared/envelope'
import type { NodeOptions, NodeSummary } from '../shared/node-api'
import type { TraceEvent } from '../shared/trace'

export interface HostOptions {
  id: string
  ids: string[]
  algorithm: string
  variant?: string
  seed: number
  /** Which life of this node this is: a restart draws fresh random numbers. */
  incarnation: number
  secret: string
  table: SharedArrayBuffer
  /** The fields the node saved before it last stopped. */
  saved: Record<string, unknown> | undefined
  /** Message ids are `counter * midStride + index`, unique across the run. */
  midBase: number
  /** Set for a node that is another program speaking Maelstrom's protocol: its command line. */
  exec?: string
  /** Set for a node that runs a module given as source text, compiled: one ES module. */
  code?: { code: string; fileName: string }
  /** The cluster's settings for the node (ClusterSpec.options), its `ctx.options`. */
  nodeOptions?: NodeOptions
}

export const midStride = 64

export type ToHost =
  | { type: 'peers'; ports: Record<string, number> }
  | { type: 'deliver'; messages: { mid: number; envelope: Envelope }[] }
  | { type: 'inspect'; requestId: number }
  | { type: 'pause' }
  | { type: 'resume' }

export type FromHost =
  | { type: 'listening'; port: number }
  | { type: 'ready' }
  /** An external node's process, so that the main thread can kill it with the node. */
  | { type: 'child'; pid: number }
  /** Trace events, then messages for clients, in the order they happened. */
  | { type: 'events'; events: TraceEvent[]; toClients: { mid: number; envelope: Envelope }[] }
  | { type: 'inspected'; requestId: number; state: unknown; summary: NodeSummary }
  | { type: 'failed'; message: string; location?: { file: string; line: number; column: number } }
