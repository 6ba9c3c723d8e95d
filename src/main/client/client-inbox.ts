// Where replies to clients go, in either runtime: clients live outside the
// cluster (in the simulator's loop, or the main thread), and each runtime
// hands every envelope addressed to a client id to this inbox.

import type { RequestOptions, RequestResult } from '../../shared/cluster'
import type { Body, Envelope, NodeId } from '../../shared/envelope'
import type { LinkEvent } from '../../shared/trace'
import {
  KvClient,
  defaultClientOptions,
  type ClientOptions,
  type ClientTransport,
} from './kv-client'

export class ClientInbox {
  private readonly listeners = new Map<NodeId, ((envelope: Envelope) => void)[]>()
  private msgIds = 0

  /** Calls `listener` with every envelope for `client` until the returned function is called. */
  listen(client: NodeId, listener: (envelope: Envelope) => void): () => void {
    let list = this.listeners.get(client)
    if (list === undefined) {
      list = []
      this.listeners.set(client, list)
    }
    list.push(listener)
    return () => {
      const current = this.listeners.get(client)
      if (current !== undefined) current.splice(current.indexOf(listener), 1)
    }
  }

  has(client: NodeId): boolean {
    return this.listeners.has(client)
  }

  deliver(envelope: Envelope): void {
    for (const listener of [...(this.listeners.get(envelope.dest) ?? [])]) listener(envelope)
  }

  clear(): void {
    this.listeners.clear()
  }

  /** A key-value client whose replies come through this inbox. */
  client(
    id: NodeId,
    nodes: readonly NodeId[],
    transport: ClientTransport,
    options: ClientOptions = defaultClientOptions,
    firstNode?: NodeId,
  ): KvClient {
    if (!/^c\d+$/.test(id)) throw new Error(`client ids look like c1, c2, ...; not "${id}".`)
    const client = new KvClient(id, nodes, transport, options, firstNode)
    this.listen(id, (envelope) => client.receive(envelope))
    return client
  }

  /**
   * One request and its reply (or a timeout): the body gets a fresh msg_id
   * unless it has one, `send` puts it on the way, and `wait` lets time pass.
   */
  async request(
    node: NodeId,
    body: Body,
    options: RequestOptions,
    send: (envelope: Envelope) => void,
    wait: (until: () => boolean, limitMs: number) => Promise<boolean>,
  ): Promise<RequestResult> {
    const client = options.client ?? 'c1'
    const msgId = body.msg_id ?? ++this.msgIds
    let result: RequestResult = { ok: false, timeout: true }
    const unsubscribe = this.listen(client, (envelope) => {
      if (result.ok === false && envelope.body.in_reply_to === msgId) {
        result = { ok: true, body: envelope.body, from: envelope.src }
      }
    })
    send({ src: client, dest: node, body: { ...body, msg_id: msgId } })
    await wait(() => result.ok, options.timeoutMs ?? defaultClientOptions.timeoutMs)
    unsubscribe()
    return result
  }
}

/** The trace event for a partition: the groups, with the nodes named in none as one more. */
export function partitionEvent(groups: NodeId[][], ids: readonly NodeId[]): LinkEvent {
  const named = new Set(groups.flat())
  const rest = ids.filter((id) => !named.has(id))
  const all = rest.length > 0 ? [...groups, rest] : groups
  const change = `partition ${all.map((group) => group.join(',')).join(' | ')}`
  return { seq: 0, t: 0, kind: 'link', node: '*', change, groups: all }
}

/** The sentence for a node id that is not in the cluster. */
export function noSuchNode(id: NodeId, ids: readonly NodeId[]): Error {
  const known = ids.length === 0 ? 'no cluster is running' : `the nodes are ${ids.join(', ')}`
  return new Error(`there is no node "${id}": ${known}.`)
}
