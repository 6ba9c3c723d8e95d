// Raft's safety properties (Figure 3 of the Raft paper), checked on the trace
// as it is produced. Each node's log is mirrored from the splices its `state`
// events report, with a hash of every prefix, so each check costs the same per
// entry however long the logs grow.
//
//   Election Safety       at most one leader can be elected in a given term (5.2);
//                         so each server votes for at most one candidate in a term
//   Leader Append-Only    a leader never overwrites or deletes entries in its log (5.3)
//   Log Matching          if two logs contain an entry with the same index and term,
//                         the logs are identical in all entries up through that index (5.3)
//   Leader Completeness   an entry committed in a term is in the logs of the leaders
//                         of all higher terms (5.4)
//   State Machine Safety  no two servers apply different entries at one index (5.4.3);
//                         so a server never removes an entry it has applied
//
// Prefix hashes are kept as two lanes of plain numbers, not objects: a checker
// that allocates per entry per node would cost more than the run it checks.

import type { NodeId } from '../../shared/envelope'
import type { StateEvent, TraceEvent } from '../../shared/trace'
import { emptyPrefix, extendA, extendB, hashEntry } from './entry-hash'
import type { TraceChecker, Violation } from './index'

/** Past this many reports in one run, further ones add nothing a learner can use. */
export const violationsReportedMax = 50

/** Returned when an event broke nothing: shared, so reading events allocates nothing. */
const none: Violation[] = Object.freeze([]) as unknown as Violation[]

interface NodeView {
  id: NodeId
  /** terms[i - 1] is the term of the entry at index i. */
  terms: number[]
  /** prefixA[i], prefixB[i]: the hash of entries 1..i (index 0 is the empty log). */
  prefixA: number[]
  prefixB: number[]
  role: string
  term: number
  commitIndex: number
  seq: number
}

/** Where an index was first seen: by which node, in which event, with which prefix hash. */
class Sightings {
  readonly term: number[] = []
  readonly a: number[] = []
  readonly b: number[] = []
  readonly node: NodeId[] = []
  readonly seq: number[] = []

  has(index: number): boolean {
    return index < this.term.length && this.seq[index] !== 0
  }

  set(index: number, view: NodeView, seq: number): void {
    while (this.term.length <= index) {
      this.term.push(0)
      this.a.push(0)
      this.b.push(0)
      this.node.push('')
      this.seq.push(0)
    }
    this.term[index] = view.terms[index - 1]
    this.a[index] = view.prefixA[index]
    this.b[index] = view.prefixB[index]
    this.node[index] = view.id
    this.seq[index] = seq
  }

  matches(index: number, view: NodeView): boolean {
    return this.a[index] === view.prefixA[index] && this.b[index] === view.prefixB[index]
  }
}

export class RaftInvariants implements TraceChecker {
  readonly name = 'raft invariants'
  private readonly views = new Map<NodeId, NodeView>()
  private readonly leaderOfTerm = new Map<number, { node: NodeId; seq: number }>()
  /** For each server, the candidate it voted for in each term (seen in its granted votes). */
  private readonly votes = new Map<string, { candidate: NodeId; seq: number }>()
  /** The first entry seen at each index; other terms at the same index (rare) go in `otherTerms`. */
  private readonly firstSeen = new Sightings()
  private readonly otherTerms = new Map<
    string,
    { a: number; b: number; node: NodeId; seq: number }
  >()
  /** The entry each index was first applied with. */
  private readonly committed = new Sightings()
  /**
   * The term each index was committed in: the committing server's current
   * term, not the entry's own. Leader Completeness binds the leaders of later
   * terms only: a leader elected before the commit, in an earlier term, need
   * not hold an entry that a later leader committed (5.4.3's proof).
   */
  private readonly committedInTerm: number[] = []
  private committedMax = 0
  private readonly reported = new Set<string>()
  /** What the event being read broke, so far. */
  private found: Violation[] = none

  observe(event: TraceEvent): Violation[] {
    if (event.kind === 'state') return this.onState(event)
    if (
      event.kind === 'send' &&
      event.body.type === 'request_vote_result' &&
      event.body.voteGranted === true
    ) {
      return this.onVote(event.src, event.dest, Number(event.body.term), event.seq)
    }
    if (event.kind === 'crash') {
      // The node's volatile state is gone; its view restarts with its next `initial` state.
      const view = this.views.get(event.node)
      if (view !== undefined) {
        view.role = 'follower'
        view.commitIndex = 0
      }
    }
    return []
  }

  /** Section 5.2: one vote per server per term, first come first served. */
  private onVote(voter: NodeId, candidate: NodeId, term: number, seq: number): Violation[] {
    this.found = none
    const key = `${voter}:${term}`
    const earlier = this.votes.get(key)
    if (earlier === undefined) {
      this.votes.set(key, { candidate, seq })
    } else if (earlier.candidate !== candidate) {
      this.report(`vote:${key}`, {
        node: voter,
        rule: 'Election Safety',
        message: `${voter} voted for both ${earlier.candidate} and ${candidate} in term ${term}; a server votes once per term.`,
        nodes: [voter, earlier.candidate, candidate],
        term,
        events: [earlier.seq, seq],
      })
    }
    return this.found
  }

  private report(key: string, violation: Omit<Violation, 'kind' | 'seq' | 't'>): void {
    if (this.reported.has(key) || this.reported.size >= violationsReportedMax) return
    this.reported.add(key)
    if (this.found === none) this.found = []
    this.found.push({ seq: 0, t: 0, kind: 'violation', ...violation })
  }

  private onState(event: StateEvent): Violation[] {
    this.found = none
    let view = this.views.get(event.node)
    if (view === undefined || event.initial === true) {
      view = {
        id: event.node,
        terms: [],
        prefixA: [emptyPrefix.a],
        prefixB: [emptyPrefix.b],
        role: 'follower',
        term: 0,
        commitIndex: 0,
        seq: event.seq,
      }
      this.views.set(event.node, view)
    }
    const summary = event.summary
    const role = typeof summary.role === 'string' ? summary.role : view.role
    const term = typeof summary.term === 'number' ? summary.term : view.term
    const commitIndex =
      typeof summary.commitIndex === 'number' ? summary.commitIndex : view.commitIndex

    for (const change of event.changes) {
      if (change.field !== 'log' || change.op !== 'splice') continue
      const removesEntries = change.from < view.terms.length
      if (removesEntries && view.role === 'leader' && role === 'leader' && term === view.term) {
        this.report(`append-only:${event.node}:${term}`, {
          node: event.node,
          rule: 'Leader Append-Only',
          message: `${event.node}, leader of term ${term}, removed entries from index ${change.from + 1} of its own log.`,
          nodes: [event.node],
          term,
          index: change.from + 1,
          events: [view.seq, event.seq],
        })
      }
      if (removesEntries && change.from < view.commitIndex) {
        const index = change.from + 1
        this.report(`removed-committed:${event.node}:${index}`, {
          node: event.node,
          rule: 'State Machine Safety',
          message: `${event.node} removed entry ${index} from its log after applying it (its commit index was ${view.commitIndex}).`,
          nodes: [event.node],
          index,
          events: [view.seq, event.seq],
        })
      }
      if (removesEntries) {
        view.terms.length = change.from
        view.prefixA.length = change.from + 1
        view.prefixB.length = change.from + 1
      }
      for (const entry of change.append) {
        const index = view.terms.length + 1
        const hash = hashEntry(entry)
        view.terms.push(termOf(entry))
        view.prefixA.push(extendA(view.prefixA[index - 1], hash))
        view.prefixB.push(extendB(view.prefixB[index - 1], hash))
        this.checkLogMatching(view, index, event.seq)
      }
    }

    // Election Safety: one leader per term, ever.
    const becameLeader = role === 'leader' && (view.role !== 'leader' || view.term !== term)
    if (becameLeader) {
      const earlier = this.leaderOfTerm.get(term)
      if (earlier !== undefined && earlier.node !== event.node) {
        this.report(`election:${term}`, {
          node: event.node,
          rule: 'Election Safety',
          message: `two leaders in term ${term}: ${earlier.node} and ${event.node}.`,
          nodes: [earlier.node, event.node],
          term,
          events: [earlier.seq, event.seq],
        })
      } else if (earlier === undefined) {
        this.leaderOfTerm.set(term, { node: event.node, seq: event.seq })
      }
    }

    // State Machine Safety: what this node commits must match what anyone committed there.
    if (commitIndex > view.commitIndex) {
      for (let index = view.commitIndex + 1; index <= commitIndex; index++) {
        if (index > view.terms.length) {
          this.report(`commit-past-log:${event.node}:${index}`, {
            node: event.node,
            rule: 'State Machine Safety',
            message: `${event.node} set its commit index to ${commitIndex} but its log ends at ${view.terms.length}.`,
            nodes: [event.node],
            index,
            events: [event.seq],
          })
          break
        }
        this.checkCommit(view, index, event.seq, term)
      }
    }

    view.role = role
    view.term = term
    view.commitIndex = commitIndex
    view.seq = event.seq

    // Leader Completeness: a new leader holds every entry committed so far.
    if (becameLeader) this.checkLeaderHasCommitted(view, event.seq)
    return this.found
  }

  private checkLogMatching(view: NodeView, index: number, seq: number): void {
    const term = view.terms[index - 1]
    const first = this.firstSeen
    if (!first.has(index)) {
      first.set(index, view, seq)
      return
    }
    let earlier: { a: number; b: number; node: NodeId; seq: number }
    if (first.term[index] === term) {
      earlier = {
        a: first.a[index],
        b: first.b[index],
        node: first.node[index],
        seq: first.seq[index],
      }
    } else {
      const key = `${index}:${term}`
      const other = this.otherTerms.get(key)
      if (other === undefined) {
        this.otherTerms.set(key, {
          a: view.prefixA[index],
          b: view.prefixB[index],
          node: view.id,
          seq,
        })
        return
      }
      earlier = other
    }
    if (earlier.a !== view.prefixA[index] || earlier.b !== view.prefixB[index]) {
      this.report(`log-matching:${index}:${term}`, {
        node: view.id,
        rule: 'Log Matching',
        message: `${earlier.node} and ${view.id} both hold an entry of term ${term} at index ${index}, but their logs differ at or before it.`,
        nodes: [earlier.node, view.id],
        term,
        index,
        events: [earlier.seq, seq],
      })
    }
  }

  private checkCommit(view: NodeView, index: number, seq: number, term: number): void {
    const committed = this.committed
    if (!committed.has(index)) {
      committed.set(index, view, seq)
      this.committedInTerm[index] = term
      if (index > this.committedMax) {
        this.committedMax = index
        // Leaders of later terms elected before we saw the commit must hold it too.
        for (const other of this.views.values()) {
          if (other !== view && other.role === 'leader' && other.term > term) {
            this.checkLeaderHasCommitted(other, seq)
          }
        }
      }
    } else if (!committed.matches(index, view)) {
      const earlier = committed.node[index]
      this.report(`state-machine:${index}`, {
        node: view.id,
        rule: 'State Machine Safety',
        message: `${earlier} and ${view.id} applied different entries at index ${index} (terms ${committed.term[index]} and ${view.terms[index - 1]}, or an earlier entry differs).`,
        nodes: [earlier, view.id],
        term: view.terms[index - 1],
        index,
        events: [committed.seq[index], seq],
      })
    }
  }

  private checkLeaderHasCommitted(view: NodeView, seq: number): void {
    const index = this.committedMax
    const committed = this.committed
    if (index === 0 || this.committedInTerm[index] >= view.term) return
    const has = index <= view.terms.length && committed.matches(index, view)
    if (!has) {
      this.report(`completeness:${view.term}:${index}`, {
        node: view.id,
        rule: 'Leader Completeness',
        message: `${view.id} leads term ${view.term} without the entry committed at index ${index} (term ${committed.term[index]}) by ${committed.node[index]}.`,
        nodes: [committed.node[index], view.id],
        term: view.term,
        index,
        events: [committed.seq[index], seq],
      })
    }
  }
}

function termOf(entry: unknown): number {
  if (
    typeof entry === 'object' &&
    entry !== null &&
    typeof (entry as { term?: unknown }).term === 'number'
  ) {
    return (entry as { term: number }).term
  }
  return 0
}
