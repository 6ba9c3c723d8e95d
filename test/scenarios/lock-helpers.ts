// A small lock client for scenario tests: the explorer's service client
// (retries only after error 11, gives up at a timeout), with the acquires and
// releases recorded for the linearizability checker.

import type { HistoryOperation } from '../../src/main/check/linearizability'
import { defaultServiceOptions, ServiceClient } from '../../src/main/client/service-client'
import type { Simulator } from '../../src/main/sim/simulator'
import type { Body } from '../../src/shared/envelope'
import type { Operation } from '../../src/shared/trace'

export class LockClient {
  readonly history: HistoryOperation[] = []
  private readonly client: ServiceClient

  constructor(
    private readonly sim: Simulator,
    readonly id: string,
    nodes: string[],
    target = nodes[0],
    timeoutMs = 300,
  ) {
    this.client = new ServiceClient(sim, id, nodes, target, {
      ...defaultServiceOptions,
      timeoutMs,
    })
  }

  /** Sends `body` (retrying after error 11); `done` gets the reply, or null after a timeout. */
  call(body: Body, done: (reply: Body | null) => void): void {
    this.client.call(body, done)
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
