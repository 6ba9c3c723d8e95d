// Single-decree Paxos's safety requirements (Lamport, "Paxos Made Simple",
// section 2.1), checked on the trace as it is produced:
//
//   Only a single value is chosen.
//   A process never learns that a value has been chosen unless it actually has been.
//   Only a value that has been proposed may be chosen.
//
// How "chosen" is read from the trace. An acceptor's `state` events carry its
// persistent fields as they are saved, so a change of `acceptedBallot` (with
// `acceptedValue`) is the moment it accepted a proposal, whether the news then
// reaches anyone or not. A value is chosen when one ballot has been accepted by
// a majority of all the acceptors (2.2), whatever quorum the module itself
// believes in. Every node is an acceptor; the cluster's size is the number of
// nodes seen starting. Acceptances count for ever: an acceptor that later
// accepts a higher ballot, or loses its state, cannot un-choose a value.
//
// Learning is read from the learner's summary: `chosen` goes from null to the
// value (as JSON). Proposals are the `propose` requests nodes receive.
//
// An `accepted` message a node receives counts as its sender's acceptance too:
// the host saves an acceptor's fields before its messages leave, so the
// message proves the acceptance. That matters in the real-time cluster, where
// each node's events reach the checker on their own channel: a learner's
// "learned" can arrive before the acceptors' own state events, but never
// before the `accepted` messages it learned from, which are in its own stream.

import type { NodeId } from '../../shared/envelope'
import type { StateEvent, TraceEvent } from '../../shared/trace'
import type { TraceChecker, Violation } from './index'

interface Ballot {
  round: number
  node: string
}

interface AcceptorView {
  ballot: string
  value: string
  /** The summary's chosen value last seen, as JSON, or null. */
  learned: string | null
}

interface BallotTally {
  value: string
  acceptors: Set<NodeId>
  seq: number[]
  chosen: boolean
}

export class PaxosInvariants implements TraceChecker {
  readonly name = 'paxos invariants'
  private readonly views = new Map<NodeId, AcceptorView>()
  private readonly tallies = new Map<string, BallotTally>()
  /** The values chosen so far, as JSON, with the ballot and the events that chose it. */
  private readonly chosen = new Map<string, { ballot: string; seq: number[] }>()
  private readonly proposed = new Set<string>()
  private readonly reported = new Set<string>()

  observe(event: TraceEvent): Violation[] {
    if (event.kind === 'recv' && event.body.type === 'propose' && 'value' in event.body) {
      this.proposed.add(JSON.stringify(event.body.value))
    }
    if (event.kind === 'recv' && event.body.type === 'accepted') {
      const ballot = ballotKey(event.body['ballot'])
      if (ballot === '-') return []
      const found: Violation[] = []
      const value = JSON.stringify(event.body['value']) ?? 'null'
      this.accept(event.src, ballot, value, event.seq, found)
      return found
    }
    if (event.kind !== 'state') return []
    return this.onState(event)
  }

  private onState(event: StateEvent): Violation[] {
    const found: Violation[] = []
    let view = this.views.get(event.node)
    if (view === undefined || event.initial === true) {
      view = { ballot: '-', value: 'null', learned: null }
      this.views.set(event.node, view)
    }
    let acceptedNow = false
    for (const change of event.changes) {
      if (change.op !== 'set') continue
      if (change.field === 'acceptedBallot') {
        view.ballot = ballotKey(change.value)
        acceptedNow = true
      } else if (change.field === 'acceptedValue') {
        view.value = JSON.stringify(change.value) ?? 'null'
        acceptedNow = true
      }
    }
    if (acceptedNow && view.ballot !== '-') {
      this.accept(event.node, view.ballot, view.value, event.seq, found)
    }

    const learned = typeof event.summary.chosen === 'string' ? event.summary.chosen : null
    if (learned !== null && learned !== view.learned && !this.chosen.has(learned)) {
      this.report(found, `learned:${event.node}:${learned}`, {
        node: event.node,
        rule: 'Learn only what is chosen',
        message: `${event.node} learned ${learned}, but no majority of acceptors has accepted one ballot with that value (section 2.1).`,
        nodes: [event.node],
        events: [event.seq],
      })
    }
    view.learned = learned
    return found
  }

  /** `acceptor` accepted `ballot` with `value`: count it, and see whether that chose a value. */
  private accept(
    acceptor: NodeId,
    ballot: string,
    value: string,
    seq: number,
    found: Violation[],
  ): void {
    let tally = this.tallies.get(ballot)
    if (tally === undefined) {
      tally = { value, acceptors: new Set(), seq: [], chosen: false }
      this.tallies.set(ballot, tally)
    }
    if (tally.acceptors.has(acceptor)) return
    tally.acceptors.add(acceptor)
    tally.seq.push(seq)
    if (tally.chosen || tally.acceptors.size <= this.views.size / 2) return
    tally.chosen = true
    if (this.chosen.has(tally.value)) return // the same value again, in a later ballot: allowed
    for (const [value, earlier] of this.chosen) {
      this.report(found, `single:${value}:${tally.value}`, {
        node: acceptor,
        rule: 'Only a single value is chosen',
        message: `${value} was chosen in ballot ${earlier.ballot}, and then ${tally.value} in ballot ${ballot}: each was accepted by a majority (section 2.1).`,
        nodes: [...tally.acceptors],
        events: [...earlier.seq, ...tally.seq],
      })
    }
    this.chosen.set(tally.value, { ballot, seq: [...tally.seq] })
    if (this.proposed.size > 0 && !this.proposed.has(tally.value)) {
      this.report(found, `proposed:${tally.value}`, {
        node: acceptor,
        rule: 'Only a proposed value is chosen',
        message: `${tally.value} was chosen in ballot ${ballot}, but no client proposed it (section 2.1).`,
        nodes: [...tally.acceptors],
        events: [...tally.seq],
      })
    }
  }

  private report(
    found: Violation[],
    key: string,
    violation: Omit<Violation, 'kind' | 'seq' | 't'>,
  ): void {
    if (this.reported.has(key)) return
    this.reported.add(key)
    found.push({ seq: 0, t: 0, kind: 'violation', ...violation })
  }
}

function ballotKey(value: unknown): string {
  const ballot = value as Partial<Ballot> | null
  if (typeof ballot?.round !== 'number' || ballot.round === 0) return '-'
  return `${ballot.round}.${String(ballot.node)}`
}
