// Multi-Paxos's safety requirement, slot by slot. Each slot of the log is one
// instance of single-decree Paxos (Lamport, "Paxos Made Simple", section 3),
// so section 2.1's rule holds in each:
//
//   In each slot, only a single command is chosen.
//
// Read from the `accepted` array every acceptor saves: its `state` events
// report that array as splices, and each entry written at position s is an
// acceptance of (ballot, command) in slot s. As for single-decree Paxos
// (paxos-invariants.ts), a command is chosen in a slot when one ballot has been
// accepted there by a majority of all the acceptors (every node is one; the
// cluster's size is the number of nodes seen starting), counted for ever.
// Entries written again unchanged (a cut and rewritten tail) count once.
//
// What learners do with chosen commands is judged by the linearizability check
// of the clients' history, which sees every answer they give.

import type { NodeId } from '../../shared/envelope'
import type { StateEvent, TraceEvent } from '../../shared/trace'
import type { TraceChecker, Violation } from './index'

/** Past this many reports in one run, further ones add nothing a learner can use. */
const violationsReportedMax = 50

interface Tally {
  command: string
  acceptors: Set<NodeId>
  seq: number[]
  chosen: boolean
}

export class MultiPaxosInvariants implements TraceChecker {
  readonly name = 'multipaxos invariants'
  private readonly nodes = new Set<NodeId>()
  /** By `slot ballot`: who accepted that ballot's command in that slot. */
  private readonly tallies = new Map<string, Tally>()
  /** By slot: the command chosen there first, with its ballot and the events that chose it. */
  private readonly chosen = new Map<number, { command: string; ballot: string; seq: number[] }>()
  private readonly reported = new Set<string>()

  observe(event: TraceEvent): Violation[] {
    if (event.kind !== 'state') return []
    this.nodes.add(event.node)
    const found: Violation[] = []
    for (const change of event.changes) {
      if (change.field !== 'accepted' || change.op !== 'splice') continue
      change.append.forEach((entry, i) => this.accept(event, change.from + i, entry, found))
    }
    return found
  }

  private accept(event: StateEvent, slot: number, entry: unknown, found: Violation[]): void {
    const { ballot, command } = (entry ?? {}) as {
      ballot?: { round?: unknown; node?: unknown }
      command?: unknown
    }
    if (typeof ballot?.round !== 'number' || ballot.round === 0) return // nothing accepted there
    const ballotKey = `${ballot.round}.${String(ballot.node)}`
    const key = `${slot} ${ballotKey}`
    let tally = this.tallies.get(key)
    if (tally === undefined) {
      tally = {
        command: JSON.stringify(command) ?? 'null',
        acceptors: new Set(),
        seq: [],
        chosen: false,
      }
      this.tallies.set(key, tally)
    }
    if (tally.acceptors.has(event.node)) return
    tally.acceptors.add(event.node)
    tally.seq.push(event.seq)
    if (tally.chosen || tally.acceptors.size <= this.nodes.size / 2) return
    tally.chosen = true
    const earlier = this.chosen.get(slot)
    if (earlier === undefined) {
      this.chosen.set(slot, { command: tally.command, ballot: ballotKey, seq: [...tally.seq] })
    } else if (earlier.command !== tally.command && !this.reported.has(`slot ${slot}`)) {
      if (this.reported.size >= violationsReportedMax) return
      this.reported.add(`slot ${slot}`)
      found.push({
        seq: 0,
        t: 0,
        kind: 'violation',
        node: event.node,
        rule: 'Only a single value is chosen',
        message: `slot ${slot}: ${earlier.command} was chosen in ballot ${earlier.ballot}, then ${tally.command} in ballot ${ballotKey}; each was accepted by a majority (section 2.1, in every slot).`,
        nodes: [...tally.acceptors],
        index: slot,
        events: [...earlier.seq, ...tally.seq],
      })
    }
  }
}
