// The lock services (lock: replicated with Raft, fencing tokens; lock-naive:
// one server, time-to-live, no tokens). Four clients contend for two locks:
// acquire, now and then renew, write to the protected resource with the token,
// release. n6 plays the resource, outside the faults. Judged by mutual
// exclusion as the resource saw it (lock-invariants.ts: Kleppmann, "How to do
// distributed locking") and by the linearizability of the acquires and
// releases under the lock model (one holder at a time, tokens that grow).
// Leases outlast the run, so a lock is freed only by its release: the model
// has no expiry.

import type { Body } from '../../../shared/envelope'
import { randomStream } from '../../../shared/random'
import type { Operation } from '../../../shared/trace'
import type { HistoryOperation } from '../../check/linearizability'
import { ServiceClient } from '../../client/service-client'
import { historyJudgement, type WorkloadProfile } from '../profile'

const servers = 5
const resource = 'n6'
const leaseMs = 20_000
const keys = ['A', 'B']
const clientOptions = { timeoutMs: 300, retryMs: 10, retriesMax: 50 }

/**
 * `replicated`: the Raft lock service, whose clients follow the leader; else
 * the naive one, every node a server of its own, whose clients all use n1.
 */
export function lockProfile(replicated: boolean): WorkloadProfile {
  return {
    clientsDo: 'taking locks',
    nodes: servers + 1,
    faultNodes: servers,
    clients: 4,
    operations: 60,
    faultsMs: 3_000,
    faultCount: { min: 4, max: 11 },
    menu: { pauses: true, partitions: true, links: true, leader: replicated, raft: replicated },
    settleMs: 1_000,
    link: { loss: 0.02, delayMsMin: 1, delayMsMax: 15 },
    options: () => ({ resource }),
    startFlags: () => ` (with ${resource} as the protected resource)`,
    workload(sim, schedule) {
      const random = randomStream(schedule.seed, 'explore-locks')
      const history: HistoryOperation[] = []
      const lockServers = replicated
        ? Array.from({ length: servers }, (_, i) => `n${i + 1}`)
        : ['n1']
      let acquires = 0
      let idle = 0
      let clients = 0

      /** An acquire or release, recorded for the linearizability check. */
      const operate = (
        client: ServiceClient,
        f: 'acquire' | 'release',
        key: string,
        done: (reply: Body | null) => void,
      ): void => {
        const input: Operation = { f, key }
        const call = sim.now()
        const body = { type: f, key, client: client.id, lease_ms: leaseMs }
        client.call(body, (reply) => {
          if (reply === null) {
            // Unknown outcome: it may take effect at any time, or never.
            history.push({ client: client.id, input, output: undefined, call, ret: Infinity })
          } else if (reply.type === `${f}_ok`) {
            const output = f === 'acquire' ? { value: reply.token ?? null } : {}
            history.push({ client: client.id, input, output, call, ret: sim.now() })
          } // an error: it definitely did not happen, so it is not in the history
          done(reply)
        })
      }

      // Each client: acquire; if granted, maybe renew, write to the resource
      // with the token, then release. After an unknown acquire it releases
      // too, in case it holds the lock.
      const cycle = (client: ServiceClient, writer: ServiceClient): void => {
        if (acquires >= schedule.operations) {
          idle++
          return
        }
        acquires++
        const key = keys[Math.floor(random() * keys.length)]
        const release = (): void =>
          operate(client, 'release', key, () => sim.schedule(10, () => cycle(client, writer)))
        operate(client, 'acquire', key, (reply) => {
          if (reply !== null && reply.type !== 'acquire_ok') {
            sim.schedule(20, () => cycle(client, writer))
            return
          }
          const write = (): void => {
            if (reply === null) return sim.schedule(10 + Math.floor(random() * 40), release)
            const token = typeof reply.token === 'number' ? { token: reply.token } : {}
            writer.call({ type: 'store', key, value: client.id, holder: client.id, ...token }, () =>
              sim.schedule(10 + Math.floor(random() * 40), release),
            )
          }
          if (reply === null || random() < 0.5) return write()
          client.call({ type: 'renew', key, client: client.id, lease_ms: leaseMs }, write)
        })
      }
      return {
        begin() {
          clients = schedule.clients
          for (let i = 1; i <= clients; i++) {
            const first = lockServers[Math.floor(random() * lockServers.length)]
            const client = new ServiceClient(sim, `c${i}`, lockServers, first, clientOptions)
            // The resource hears from the holder through a connection of its own.
            const writer = new ServiceClient(sim, `c${50 + i}`, [resource], resource, clientOptions)
            cycle(client, writer)
          }
        },
        done: () => idle === clients,
        operations: () => history.length,
        judge: () => historyJudgement('lock', history),
      }
    },
  }
}
