// Single-decree Paxos: a few clients propose values at random nodes, through
// the faults. Safety is the Paxos invariants' (Lamport, "Paxos Made Simple",
// 2.1: only a proposed value is chosen, only one, and nobody learns a value
// that was not). Once the faults heal, every node is asked at once to propose
// a value of its own: each must answer within a few seconds (a value gets
// chosen when a majority can talk, 2.4, given the random backoff that keeps
// two proposers from pre-empting each other for ever), and all with the same
// value, the one the clients were told.

import type { Body, NodeId } from '../../../shared/envelope'
import { randomStream } from '../../../shared/random'
import { ServiceClient } from '../../client/service-client'
import { passed, type WorkloadProfile } from '../profile'

/** How long, once everything healed, the nodes have to agree on a value. */
const answerMsMax = 5_000

const proposerOptions = { timeoutMs: 1_000, retryMs: 20, retriesMax: 20 }

export const paxosProfile: WorkloadProfile = {
  clientsDo: 'proposing',
  nodes: 5,
  clients: 3,
  operations: 6,
  faultsMs: 2_000,
  faultCount: { min: 4, max: 11 },
  menu: { pauses: true, partitions: true, links: true, leader: false, raft: false },
  settleMs: 1_000,
  link: { loss: 0.05, delayMsMin: 1, delayMsMax: 30, reorder: 0.2, duplicate: 0.05 },
  workload(sim, schedule) {
    const random = randomStream(schedule.seed, 'explore-proposals')
    const told: { client: NodeId; value: unknown }[] = []
    const late = new Map<NodeId, unknown>()
    let proposed = 0
    let settled = 0
    const propose = (client: ServiceClient, ids: NodeId[]): void => {
      if (proposed >= schedule.operations) return
      const value = `v${++proposed}`
      // The first proposals start together at different nodes: dueling
      // proposers, the race that backoff must settle (section 2.4).
      const first = proposed <= schedule.clients
      const node = first ? ids[proposed - 1] : ids[Math.floor(random() * ids.length)]
      sim.schedule(first ? 0 : Math.floor(random() * 400), () => {
        client.startAt(node)
        client.call({ type: 'propose', value }, (reply) => {
          settled++
          if (reply?.type === 'propose_ok') told.push({ client: client.id, value: reply.value })
          propose(client, ids)
        })
      })
    }
    return {
      begin() {
        const ids = sim.nodeIds()
        for (let i = 1; i <= schedule.clients; i++) {
          propose(new ServiceClient(sim, `c${i}`, ids, ids[0], proposerOptions), ids)
        }
      },
      done: () => settled >= schedule.operations,
      afterSettle() {
        // Every node at once: concurrent proposers are what backoff must sort out.
        const ids = sim.nodeIds()
        for (const [i, id] of ids.entries()) {
          const client = new ServiceClient(sim, `c${100 + i}`, ids, id, {
            ...proposerOptions,
            timeoutMs: answerMsMax,
          })
          client.call({ type: 'propose', value: `late-${id}` }, (reply: Body | null) => {
            if (reply?.type === 'propose_ok') late.set(id, reply.value)
          })
        }
        sim.runUntil(() => late.size === ids.length, answerMsMax)
      },
      operations: () => settled,
      judge() {
        const silent = sim.nodeIds().filter((id) => !late.has(id))
        if (silent.length > 0) {
          return {
            failure: {
              kind: 'liveness',
              message: `Termination: ${answerMsMax / 1_000} s after the faults healed, ${silent.join(', ')} still had no value chosen for a proposal: proposers may be pre-empting each other for ever.`,
            },
            unchecked: false,
          }
        }
        const answers = [...late]
        const chosen = JSON.stringify(answers[0][1])
        const other = answers.find(([, value]) => JSON.stringify(value) !== chosen)
        if (other !== undefined) {
          return {
            failure: {
              kind: 'invariant',
              message: `Agreement: after the faults healed, ${answers[0][0]} answered ${chosen} and ${other[0]} answered ${JSON.stringify(other[1])}: two values chosen.`,
            },
            unchecked: false,
          }
        }
        const wrong = told.find(({ value }) => JSON.stringify(value) !== chosen)
        if (wrong !== undefined) {
          return {
            failure: {
              kind: 'invariant',
              message: `Agreement: ${wrong.client} was told ${JSON.stringify(wrong.value)} was chosen, but every node now answers ${chosen}.`,
            },
            unchecked: false,
          }
        }
        return passed
      },
    }
  },
}
