// Contract 2: the envelope. Every message, node-to-node and client-to-node, has
// this shape, the envelope of Jepsen's Maelstrom, so that any Maelstrom node can
// join our clusters and ours can run under Maelstrom.

/** Nodes are `n1..nN`; clients are `c1..`. */
export type NodeId = string

export interface Body {
  type: string
  msg_id?: number
  in_reply_to?: number
  [field: string]: unknown
}

/** Any message body: a `type`, and whatever fields that type carries. */
export interface MessageShape {
  type: string
}

export interface Envelope<B extends MessageShape = Body> {
  src: NodeId
  dest: NodeId
  body: B
}

// Maelstrom's `lin-kv` workload: what a client may ask of a key-value node.
export type KvRequest =
  | { type: 'read'; key: string; msg_id?: number }
  | { type: 'write'; key: string; value: unknown; msg_id?: number }
  | { type: 'cas'; key: string; from: unknown; to: unknown; msg_id?: number }

export type KvReply =
  | { type: 'read_ok'; value: unknown; in_reply_to?: number }
  | { type: 'write_ok'; in_reply_to?: number }
  | { type: 'cas_ok'; in_reply_to?: number }
  | ErrorBody

/**
 * Maelstrom's error codes that the key-value workload uses. "Definite" errors
 * promise the operation did not happen; the others leave its outcome unknown.
 */
export const errorCode = {
  timeout: 0, // indefinite: it may or may not have happened
  temporarilyUnavailable: 11, // definite: e.g. not the leader; try elsewhere
  crash: 13, // indefinite
  keyDoesNotExist: 20, // definite
  preconditionFailed: 22, // definite: cas found another value
} as const

export const definiteErrorCodes: ReadonlySet<number> = new Set([11, 20, 22])

export interface ErrorBody {
  type: 'error'
  code: number
  text: string
  /** Our addition to Maelstrom's error body: a hint of which node leads now. */
  leader?: NodeId
  in_reply_to?: number
}

export function isClientId(id: NodeId): boolean {
  return id.startsWith('c')
}
