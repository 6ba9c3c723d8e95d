// A client for the services that are not a key-value store (Paxos proposals,
// bank transfers, locks, the task scheduler), living in the simulator beside
// the cluster. Like kv-client, it retries only after error 11 (the request did
// not happen), following the leader hint; a timeout means nobody knows, so it
// gives up rather than risk doing the request twice. Replies are read from the
// trace as they reach the client.

import type { Body, NodeId } from '../../shared/envelope'
import type { TraceEvent } from '../../shared/trace'

/** What a service client needs from the simulator it lives in. */
export interface ServiceRuntime {
  now(): number
  post(client: NodeId, node: NodeId, body: Body): void
  schedule(ms: number, action: () => void): void
  events(listener: (event: TraceEvent) => void): () => void
  /** Registers a client's address, so that replies to it are delivered. */
  client(id: NodeId): unknown
}

export interface ServiceClientOptions {
  /** How long to wait for one reply. */
  timeoutMs: number
  /** The pause before trying again after error 11. */
  retryMs: number
  /** Tries after error 11 before the call gives up with that error. */
  retriesMax: number
}

export const defaultServiceOptions: ServiceClientOptions = {
  timeoutMs: 300,
  retryMs: 10,
  retriesMax: 50,
}

export class ServiceClient {
  private msgIds = 0
  private pending: { msgId: number; answer: (reply: Body) => void } | null = null

  constructor(
    private readonly runtime: ServiceRuntime,
    readonly id: NodeId,
    private readonly nodes: readonly NodeId[],
    private target: NodeId = nodes[0],
    private readonly options: ServiceClientOptions = defaultServiceOptions,
  ) {
    if (!/^c\d+$/.test(id)) throw new Error(`client ids look like c1, c2, ...; not "${id}".`)
    runtime.client(id)
    runtime.events((event) => {
      if (event.kind !== 'recv' || event.node !== id || this.pending === null) return
      if (event.body.in_reply_to !== this.pending.msgId) return
      const { answer } = this.pending
      this.pending = null
      answer(event.body)
    })
  }

  busy(): boolean {
    return this.pending !== null
  }

  /** Send the next request to `node` (say, the one a workload picked). */
  startAt(node: NodeId): void {
    if (this.nodes.includes(node)) this.target = node
  }

  /**
   * Sends `body` (trying again after error 11, up to retriesMax times); `done`
   * gets the reply, or null when none came in time: then nobody knows whether
   * the request took effect.
   */
  call(body: Body, done: (reply: Body | null) => void, retries = 0): void {
    if (this.pending !== null) throw new Error(`client ${this.id} is already waiting for a reply`)
    const msgId = ++this.msgIds
    this.pending = {
      msgId,
      answer: (reply) => {
        if (reply.type === 'error' && reply.code === 11 && retries < this.options.retriesMax) {
          const leader = reply.leader
          this.target =
            typeof leader === 'string' && this.nodes.includes(leader) ? leader : this.nextNode()
          this.runtime.schedule(this.options.retryMs, () => this.call(body, done, retries + 1))
          return
        }
        done(reply)
      },
    }
    this.runtime.post(this.id, this.target, { ...body, msg_id: msgId })
    this.runtime.schedule(this.options.timeoutMs, () => {
      if (this.pending?.msgId !== msgId) return
      this.pending = null
      this.target = this.nextNode() // that node may be down: start elsewhere next time
      done(null)
    })
  }

  private nextNode(): NodeId {
    return this.nodes[(this.nodes.indexOf(this.target) + 1) % this.nodes.length]
  }
}
