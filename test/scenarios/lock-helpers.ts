// A small lock client for scenario tests, the way kv-client behaves: it
// retries only after error 11 (the request did not happen), following the
// leader hint; a timeout means nobody knows, and it gives up. Replies are read
// from the trace as they reach the client.

import type { HistoryOperation } from '../../src/main/check/linearizability'
import type { Simulator } from '../../src/main/sim/simulator'
import type { Body } from '../../src/shared/envelope'
import type { Operation } from '../../src/shared/trace'

export class LockClient {
  private msgId = 0
  private pending: { msgId: number; answer: (reply: Body) => void } | null = null
  readonly history: HistoryOperation[] = []

  constructor(
    private readonly sim: Simulator,
    readonly id: string,
    private readonly nodes: string[],
    private target = nodes[0],
    private readonly timeoutMs = 300,
  ) {
    sim.client(id) // registers the client's address, so replies reach the trace
    sim.events((event) => {
      if (event.kind !== 'recv' || event.node !== id || this.pending === null) return
      if (event.body.in_reply_to !== this.pending.msgId) return
      const { answer } = this.pending
      this.pending = null
      answer(event.body)
    })
  }

  /** Sends `body` (retrying after error 11); `done` gets the reply, or null after a timeout. */
  call(body: Body, done: (reply: Body | null) => void): void {
    const msgId = ++this.msgId
    this.pending = {
      msgId,
      answer: (reply) => {
        if (reply.type === 'error' && reply.code === 11) {
          const leader = reply.leader
          this.target =
            typeof leader === 'string' && this.nodes.includes(leader)
              ? leader
              : this.nodes[(this.nodes.indexOf(this.target) + 1) % this.nodes.length]
          this.sim.schedule(10, () => this.call(body, done))
          return
        }
        done(reply)
      },
    }
    this.sim.post(this.id, this.target, { ...body, msg_id: msgId })
    this.sim.schedule(this.timeoutMs, () => {
      if (this.pending?.msgId !== msgId) return
      this.pending = null
      this.target = this.nodes[(this.nodes.indexOf(this.target) + 1) % this.nodes.length]
      done(null)
    })
  }

  /** An acquire or release, recorded for the linearizability checker. */
  operate(
    f: 'acquire' | 'release',
    key: string,
    leaseMs: number,
    done: (reply: Body | null) => void,
  ): void {
    const input: Operation = { f, key }
    const call = this.sim.now()
    this.call({ type: f, key, client: this.id, lease_ms: leaseMs }, (reply) => {
      if (reply === null) {
        // Unknown outcome: it may take effect at any time, or never.
        this.history.push({ client: this.id, input, output: undefined, call, ret: Infinity })
      } else if (reply.type === `${f}_ok`) {
        const output = f === 'acquire' ? { value: reply.token } : {}
        this.history.push({ client: this.id, input, output, call, ret: this.sim.now() })
      } // an error (22): it definitely did not happen, so it is not in the history
      done(reply)
    })
  }
}

/** Sends one request as `client` and runs the simulation until its answer. */
export async function ask(sim: Simulator, node: string, client: string, body: Body): Promise<Body> {
  const result = await sim.request(node, body, { client, timeoutMs: 1_000 })
  if (!result.ok) throw new Error(`no answer from ${node} to ${JSON.stringify(body)}`)
  return result.body
}
