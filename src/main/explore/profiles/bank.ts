// The bank under atomic commitment (2pc, 2pc-occ, 3pc): four clients send
// transfers between accounts on three participants, one at a time each, to
// the coordinator n1. The atomic commitment invariants watch the trace (AC1-AC3
// of Bernstein, Hadzilacos and Goodman, section 7.2; money conserved). Once the
// faults heal, every transaction must be decided everywhere it was prepared
// (AC5), every balance must be what the committed transfers make it, and every
// client must have been told what was decided.

import type { Body, NodeId } from '../../../shared/envelope'
import { randomStream } from '../../../shared/random'
import { accountsOf, coordinatorId, initialBalance } from '../../../workers/algorithms/twopc/bank'
import type { StartRecord, TwoPcState } from '../../../workers/algorithms/twopc/twopc'
import { ServiceClient } from '../../client/service-client'
import type { Simulator } from '../../sim/simulator'
import { passed, type Failure, type WorkloadProfile } from '../profile'

const participants = ['n2', 'n3', 'n4'] // n2 holds a, b; n3 c, d; n4 e, f
const accounts = participants.flatMap(accountsOf)

/**
 * `crashesOnly`: three-phase commit survives crashes over reliable links with
 * bounded delay, and nothing more (three-phase.ts says why): no partitions,
 * pauses or lossy links for it.
 */
export function bankProfile(crashesOnly: boolean): WorkloadProfile {
  return {
    clientsDo: 'sending transfers',
    nodes: 1 + participants.length,
    clients: 4,
    operations: 40,
    faultsMs: 4_000,
    faultCount: { min: 8, max: 16 },
    menu: crashesOnly
      ? { pauses: false, partitions: false, links: false, leader: false, raft: false }
      : { pauses: true, partitions: true, links: true, leader: false, raft: false },
    settleMs: 3_000,
    link: crashesOnly
      ? { delayMsMin: 1, delayMsMax: 30 }
      : { loss: 0.1, delayMsMin: 1, delayMsMax: 30, reorder: 0.2, duplicate: 0.05 },
    workload(sim, schedule) {
      const random = randomStream(schedule.seed, 'explore-transfers')
      /** Each reply a client got, by `client msg_id`. */
      const replies = new Map<string, Body>()
      let sent = 0
      let settled = 0
      const next = (client: ServiceClient): void => {
        if (sent >= schedule.operations) return
        sent++
        const from = accounts[Math.floor(random() * accounts.length)]
        const others = accounts.filter((account) => account !== from)
        const to = others[Math.floor(random() * others.length)]
        const amount = 1 + Math.floor(random() * 60)
        client.call({ type: 'transfer', from, to, amount }, (reply) => {
          settled++
          if (reply !== null) replies.set(`${client.id} ${String(reply.in_reply_to)}`, reply)
          next(client)
        })
      }
      return {
        begin() {
          const ids = sim.nodeIds()
          for (let i = 1; i <= schedule.clients; i++) {
            next(
              new ServiceClient(sim, `c${i}`, ids, coordinatorId, {
                timeoutMs: 1_500,
                retryMs: 20,
                retriesMax: 0,
              }),
            )
          }
        },
        done: () => settled >= schedule.operations,
        operations: () => settled,
        judge() {
          const failure = settledProblem(sim, replies)
          return failure === null ? passed : { failure, unchecked: false }
        },
      }
    },
  }
}

/** What is wrong with the bank once the faults healed and it settled, or null. */
export function settledProblem(sim: Simulator, replies: ReadonlyMap<string, Body>): Failure | null {
  const state = (id: NodeId): Readonly<TwoPcState> | undefined => sim.peekState<TwoPcState>(id)
  const coordinator = state(coordinatorId)
  if (coordinator === undefined) return null
  const liveness = (message: string): Failure => ({ kind: 'liveness', message })
  const invariant = (message: string): Failure => ({ kind: 'invariant', message })
  const expected = new Map(accounts.map((account) => [account, initialBalance]))
  for (const start of coordinator.log.filter((r): r is StartRecord => r.record === 'start')) {
    const decision = coordinator.decided[start.tx]
    if (decision === undefined) {
      return liveness(
        `Termination (AC5): ${start.tx} is still undecided at the coordinator ${coordinatorId} after the faults healed.`,
      )
    }
    for (const participant of start.participants) {
      const theirs = state(participant)?.decided[start.tx]
      // A participant the prepare never reached may know nothing of an abort.
      if (theirs === undefined && decision === 'commit') {
        return liveness(
          `Termination (AC5): ${participant} never learned that ${start.tx} committed, after the faults healed.`,
        )
      }
      if (theirs !== undefined && theirs !== decision) {
        return invariant(
          `Atomicity: ${coordinatorId} decided ${decision} for ${start.tx}, ${participant} ${theirs}.`,
        )
      }
    }
    if (decision === 'commit') {
      const { from, to, amount } = start.transfer
      expected.set(from, (expected.get(from) ?? 0) - amount)
      expected.set(to, (expected.get(to) ?? 0) + amount)
    }
    const reply =
      start.msg_id === undefined ? undefined : replies.get(`${start.client} ${start.msg_id}`)
    if (reply?.type === 'transfer_ok' && decision !== 'commit') {
      return invariant(
        `Reply Matches Decision: ${start.client} was told ${start.tx} committed, but it aborted.`,
      )
    }
    if (reply?.type === 'error' && decision === 'commit') {
      return invariant(
        `Reply Matches Decision: ${start.client} was told ${start.tx} failed (${String(reply.text)}), but it committed.`,
      )
    }
  }
  for (const participant of participants) {
    const doubts = Object.keys(state(participant)?.prepared ?? {})
    if (doubts.length > 0) {
      return liveness(
        `Termination (AC5): ${participant} is still in doubt about ${doubts.join(', ')} after the faults healed.`,
      )
    }
    for (const [name, account] of Object.entries(state(participant)?.accounts ?? {})) {
      if (account.balance !== expected.get(name)) {
        return invariant(
          `Balances: ${name} holds ${account.balance}, but the committed transfers make it ${expected.get(name)}.`,
        )
      }
    }
  }
  return null
}
