// The lock services (lock: replicated with Raft, fencing tokens; lock-naive:
// one server, time-to-live, no tokens). Four clients contend for two locks:
// acquire, write to the protected resource with the token, work a while, now
// and then renew, write again, release. n6 plays the resource, outside the faults. Judged by mutual
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
const releaseTriesMax = 5
const clientOptions = { timeoutMs: 300, retryMs: 10, retriesMax: 50 }

/**
 * `replicated`: the Raft lock service, whose clients follow the leader; else
 * the naive one, every node a server of its own, whose clients all use n1.
 */
export function lockProfile(replicated: boolean): WorkloadProfile {
  return {
    clientsDo: 'taking locks',
    nodes: servers + 1,
    // The naive service's clients all use n1, and clients sit outside the
    // network's faults: only what happens to n1 itself can matter.
    faultNodes: replicated ? servers : 1,
    clients: 4,
    operations: 60,
    faultsMs: 3_000,
    faultCount: { min: 4, max: 11 },
    menu: {
      pauses: true,
      partitions: replicated,
      links: replicated,
      leader: replicated,
      raft: replicated,
    },
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
        holder: string,
        f: 'acquire' | 'release',
        key: string,
        done: (reply: Body | null) => void,
      ): void => {
        const input: Operation = { f, key }
        const call = sim.now()
        const body = { type: f, key, client: holder, lease_ms: leaseMs }
        client.call(body, (reply) => {
          if (reply === null) {
            // Unknown outcome: it may take effect at any time, or never.
            history.push({ client: holder, input, output: undefined, call, ret: Infinity })
          } else if (reply.type === `${f}_ok`) {
            const output = f === 'acquire' ? { value: reply.token ?? null } : {}
            history.push({ client: holder, input, output, call, ret: sim.now() })
          } // an error: it definitely did not happen, so it is not in the history
          done(reply)
        })
      }

      // Each client: acquire; if granted, write to the resource with the token,
      // work, maybe renew, write again, then release. After an unknown acquire
      // it releases too, in case it holds the lock.
      const cycle = (client: ServiceClient, writer: ServiceClient): void => {
        if (acquires >= schedule.operations) {
          idle++
          return
        }
        acquires++
        const key = keys[Math.floor(random() * keys.length)]
        // A name of its own for each time a client takes a lock: without
        // fencing tokens, the resource's check tells holders apart by name
        // alone, and a client that legitimately takes the lock again would
        // look like a stale holder (lock-invariants.ts).
        const holder = `${client.id}.${acquires}`
        // A release of unknown outcome is tried again (a few times at most):
        // a lock left held would shut everyone out for the rest of the run.
        const release = (tries = 1): void =>
          operate(client, holder, 'release', key, (reply) =>
            reply === null && tries < releaseTriesMax
              ? sim.schedule(20, () => release(tries + 1))
              : sim.schedule(10, () => cycle(client, writer)),
          )
        operate(client, holder, 'acquire', key, (reply) => {
          if (reply !== null && reply.type !== 'acquire_ok') {
            sim.schedule(20, () => cycle(client, writer))
            return
          }
          if (reply === null) return sim.schedule(10 + Math.floor(random() * 40), () => release())
          // The holder works in steps: a write, a while of work (long enough
          // for a crash or a partition to strike), now and then a renewal, a
          // second write, and the release.
          const token = typeof reply.token === 'number' ? { token: reply.token } : {}
          const store = (then: () => void): void =>
            writer.call({ type: 'store', key, value: holder, holder, ...token }, then)
          const renew = (then: () => void): void =>
            random() < 0.5
              ? client.call({ type: 'renew', key, client: holder, lease_ms: leaseMs }, then)
              : then()
          store(() =>
            sim.schedule(10 + Math.floor(random() * 300), () =>
              renew(() => store(() => sim.schedule(10, () => release()))),
            ),
          )
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
