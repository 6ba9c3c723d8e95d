// Atomic commitment, checked on the trace as it is produced: the conditions
// AC1-AC3 of Bernstein, Hadzilacos and Goodman, "Concurrency Control and
// Recovery in Database Systems", section 7.2, and the bank's own invariant.
//
//   Atomicity        (AC1, AC2) every node that decides a transaction reaches
//                    the same decision, and never changes it
//   Commit Validity  (AC3) the coordinator decides commit only after a yes
//                    vote from every participant has reached it
//   Decision Origin  (2PC only) a participant that voted yes applies only the
//                    decision the coordinator sent it, never one of its own
//                    (3PC's termination protocol lets participants decide)
//   Durable Vote     a participant that voted yes and restarts before learning
//                    the decision still holds that yes in its prepared state
//                    (7.4: the yes record is in the log before the vote is sent)
//   Money Conserved  the balances add up to what they held at the start,
//                    counting as in flight the parts of a transfer that one
//                    participant applied and another has not decided yet
//
// What it reads (the modules in src/workers/algorithms/twopc write these):
//   - `state` events, field `log` (appended records): a coordinator's
//     `{ tx, record: 'start', participants, transfer: { from, to, amount } }`,
//     and any node's decisions `{ tx, record: 'commit' | 'abort' }`. A restart
//     replays the saved log in its first state event; entries seen before are skipped.
//   - `state` events, field `accounts` (set): a participant's committed
//     balances, `{ a: { balance, version }, ... }`. The first sight of a node's
//     accounts adds them to the starting total; their names say who holds what.
//   - `state` events after a restart (`initial`), field `prepared` (set): what
//     a participant holds in doubt, `{ t3: {...} }`; absent from the saved state: empty.
//   - messages: `vote` (yes) as its voter sends it and as the coordinator
//     receives it; `decision` as a participant receives it.
//
// The real-time cluster records each node's events in order, but not the
// events of different nodes in causal order (a recv can precede its send). So
// every rule but Atomicity compares events of one node only; Money Conserved
// also needs the start record, which precedes any decision by several rounds.

import type { NodeId } from '../../shared/envelope'
import type { StateEvent, TraceEvent } from '../../shared/trace'
import type { TraceChecker, Violation } from './index'
import { violationsReportedMax } from './raft-invariants'

type Decision = 'commit' | 'abort'

interface TxView {
  coordinator?: NodeId
  participants: NodeId[]
  transfer?: { from: string; to: string; amount: number }
  /** Each node's first decision, and the event that logged it. */
  decisions: Map<NodeId, { decision: Decision; seq: number }>
  /** Participants that sent a yes vote. */
  votedYes: Set<NodeId>
  /** Participants whose yes vote reached the coordinator. */
  counted: Set<NodeId>
  /** The decision each participant was sent, as it received it. */
  told: Map<NodeId, Decision>
}

/** Returned when an event broke nothing: shared, so reading events allocates nothing. */
const none: Violation[] = Object.freeze([]) as unknown as Violation[]

export class TwoPhaseCommitInvariants implements TraceChecker {
  readonly name = 'atomic commitment invariants'
  private readonly txs = new Map<string, TxView>()
  private readonly logLength = new Map<NodeId, number>()
  private readonly balances = new Map<NodeId, number>()
  private readonly holders = new Map<string, NodeId>()
  private startingTotal = 0
  /** Transactions some holder committed while another has not decided yet. */
  private readonly halfway = new Set<string>()
  /** Committed somewhere before their start record was seen: money is not checked meanwhile. */
  private readonly unexplained = new Set<string>()
  /** Each node's yes votes with no decision of its own yet. */
  private readonly inDoubt = new Map<NodeId, Set<string>>()
  private readonly reported = new Set<string>()
  private found: Violation[] = none

  /** `participantsMayDecide`: true for three-phase commit, whose termination protocol lets them. */
  constructor(private readonly participantsMayDecide = false) {}

  observe(event: TraceEvent): Violation[] {
    if (event.kind === 'state') return this.onState(event)
    if (event.kind !== 'send' && event.kind !== 'recv') return none
    const body = event.body
    if (body.type === 'vote' && body.vote === 'yes') {
      const view = this.tx(String(body.tx))
      if (event.kind === 'recv') {
        view.counted.add(event.src)
      } else if (!view.decisions.has(event.src)) {
        view.votedYes.add(event.src)
        let votes = this.inDoubt.get(event.src)
        if (votes === undefined) this.inDoubt.set(event.src, (votes = new Set()))
        votes.add(String(body.tx))
      }
    } else if (event.kind === 'recv' && body.type === 'decision') {
      const decision = body.decision === 'commit' ? 'commit' : 'abort'
      const told = this.tx(String(body.tx)).told
      if (!told.has(event.dest)) told.set(event.dest, decision)
    }
    return none
  }

  private tx(id: string): TxView {
    let view = this.txs.get(id)
    if (view === undefined) {
      view = {
        participants: [],
        decisions: new Map(),
        votedYes: new Set(),
        counted: new Set(),
        told: new Map(),
      }
      this.txs.set(id, view)
    }
    return view
  }

  private onState(event: StateEvent): Violation[] {
    this.found = none
    let moneyMoved = false
    for (const change of event.changes) {
      if (change.field === 'log' && change.op === 'splice') {
        const seen = this.logLength.get(event.node) ?? 0
        for (let i = 0; i < change.append.length; i++) {
          if (event.initial === true && change.from + i < seen) continue // replayed from storage
          moneyMoved = this.onRecord(event, change.append[i]) || moneyMoved
        }
        this.logLength.set(event.node, change.from + change.append.length)
      } else if (change.field === 'accounts' && change.op === 'set') {
        this.onAccounts(event.node, change.value)
        moneyMoved = true
      }
    }
    if (moneyMoved) this.checkMoney(event)
    if (event.initial === true) this.checkVotesKept(event)
    return this.found
  }

  /** Reads one log record; true when it was a decision. */
  private onRecord(event: StateEvent, entry: unknown): boolean {
    if (typeof entry !== 'object' || entry === null) return false
    const record = entry as { tx?: unknown; record?: unknown }
    if (typeof record.tx !== 'string') return false
    const view = this.tx(record.tx)
    if (record.record === 'start') {
      const start = entry as { participants?: NodeId[]; transfer?: TxView['transfer'] }
      view.coordinator = event.node
      view.participants = start.participants ?? []
      view.transfer = start.transfer
      if (this.unexplained.delete(record.tx)) this.halfway.add(record.tx)
      return true
    }
    if (record.record !== 'commit' && record.record !== 'abort') return false
    this.onDecision(view, record.tx, event.node, record.record, event.seq)
    return true
  }

  private onDecision(
    view: TxView,
    tx: string,
    node: NodeId,
    decision: Decision,
    seq: number,
  ): void {
    const own = view.decisions.get(node)
    if (own !== undefined && own.decision !== decision) {
      this.report(`changed:${tx}:${node}`, {
        node,
        rule: 'Atomicity',
        message: `${node} decided ${tx} twice: ${own.decision}, then ${decision}; a decision is final (AC2).`,
        nodes: [node],
        events: [own.seq, seq],
      })
    }
    for (const [other, earlier] of view.decisions) {
      if (other === node || earlier.decision === decision) continue
      this.report(`atomicity:${tx}`, {
        node,
        rule: 'Atomicity',
        message: `${tx} was ${past(earlier.decision)} at ${other} and ${past(decision)} at ${node}; all must decide alike (AC1).`,
        nodes: [other, node],
        events: [earlier.seq, seq],
      })
      break
    }
    const isCoordinator = node === view.coordinator
    if (isCoordinator && decision === 'commit') {
      const missing = view.participants.filter((p) => !view.counted.has(p))
      if (missing.length > 0) {
        this.report(`validity:${tx}`, {
          node,
          rule: 'Commit Validity',
          message: `${node} committed ${tx} without a yes vote from ${missing.join(', ')} (AC3).`,
          nodes: [node, ...missing],
          events: [seq],
        })
      }
    }
    const told = view.told.get(node)
    if (
      !this.participantsMayDecide &&
      !isCoordinator &&
      view.votedYes.has(node) &&
      told !== decision
    ) {
      this.report(`origin:${tx}:${node}`, {
        node,
        rule: 'Decision Origin',
        message: `${node} ${past(decision)} ${tx} after voting yes, but the coordinator sent it ${told === undefined ? 'no decision' : `"${told}"`}.`,
        nodes: [node],
        events: [seq],
      })
    }
    if (own === undefined) view.decisions.set(node, { decision, seq })
    this.inDoubt.get(node)?.delete(tx)
    if (decision === 'commit' && !isCoordinator) {
      if (view.transfer === undefined) this.unexplained.add(tx)
      else this.halfway.add(tx)
    }
  }

  /** Durable Vote: a restarted participant still holds every yes it gave and has not seen decided. */
  private checkVotesKept(event: StateEvent): void {
    const votes = this.inDoubt.get(event.node)
    if (votes === undefined || votes.size === 0) return
    const change = event.changes.find((c) => c.field === 'prepared' && c.op === 'set')
    const saved = change?.op === 'set' && typeof change.value === 'object' ? change.value : null
    for (const tx of votes) {
      if (saved !== null && Object.hasOwn(saved, tx)) continue
      this.report(`durable:${tx}:${event.node}`, {
        node: event.node,
        rule: 'Durable Vote',
        message: `${event.node} voted yes on ${tx} and restarted without that vote in its prepared state; a yes vote must be in stable storage before it is sent.`,
        nodes: [event.node],
        events: [event.seq],
      })
    }
  }

  private onAccounts(node: NodeId, value: unknown): void {
    if (typeof value !== 'object' || value === null) return
    let total = 0
    for (const [name, account] of Object.entries(value as Record<string, { balance?: unknown }>)) {
      if (typeof account.balance === 'number') total += account.balance
      this.holders.set(name, node)
    }
    if (!this.balances.has(node)) this.startingTotal += total
    this.balances.set(node, total)
  }

  /** Money Conserved: the balances plus what is in flight equal the starting total. */
  private checkMoney(event: StateEvent): void {
    if (this.unexplained.size > 0) return
    let total = 0
    for (const balance of this.balances.values()) total += balance
    for (const tx of this.halfway) {
      const view = this.txs.get(tx) as TxView
      const { from, to, amount } = view.transfer as NonNullable<TxView['transfer']>
      let undecided = 0
      for (const [account, delta] of [
        [from, -amount],
        [to, amount],
      ] as const) {
        const holder = this.holders.get(account)
        if (holder === undefined || view.decisions.has(holder)) continue
        total += delta // not applied yet at its holder: in flight
        undecided++
      }
      if (undecided === 0) this.halfway.delete(tx)
    }
    if (total === this.startingTotal) return
    this.report(`money:${total}`, {
      node: event.node,
      rule: 'Money Conserved',
      message: `the balances add up to ${total}, not ${this.startingTotal} as at the start (transfers halfway through counted as in flight).`,
      nodes: [event.node],
      events: [event.seq],
    })
  }

  private report(key: string, violation: Omit<Violation, 'kind' | 'seq' | 't'>): void {
    if (this.reported.has(key) || this.reported.size >= violationsReportedMax) return
    this.reported.add(key)
    if (this.found === none) this.found = []
    this.found.push({ seq: 0, t: 0, kind: 'violation', ...violation })
  }
}

function past(decision: Decision): string {
  return decision === 'commit' ? 'committed' : 'aborted'
}
