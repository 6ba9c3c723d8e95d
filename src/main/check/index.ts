// Checkers that watch a run's trace as it is produced.

import type { TraceEvent, ViolationEvent } from '../../shared/trace'
import type { TraceLog } from '../trace/trace-log'
import { GossipConvergence } from './gossip-convergence'
import { LockInvariants } from './lock-invariants'
import { MultiPaxosInvariants } from './multipaxos-invariants'
import { PaxosInvariants } from './paxos-invariants'
import { RaftInvariants } from './raft-invariants'
import { SchedulerInvariants } from './scheduler-invariants'
import { TwoPhaseCommitInvariants } from './twopc-invariants'

/** A broken rule, as the trace event the runtime stamps and records. */
export type Violation = ViolationEvent

export interface TraceChecker {
  readonly name: string
  /** Reads one event; returns the rules it broke (usually none). */
  observe(event: TraceEvent): Violation[]
}

/** The invariant checks that apply to an algorithm's runs. */
export function invariantCheckersFor(algorithm: string): TraceChecker[] {
  switch (algorithm) {
    case 'raft':
      return [new RaftInvariants()]
    case 'paxos':
      return [new PaxosInvariants()]
    case 'multipaxos':
      return [new MultiPaxosInvariants()]
    case 'gossip':
      return [new GossipConvergence()]
    case '2pc':
    case '2pc-occ':
      return [new TwoPhaseCommitInvariants()]
    case '3pc':
      return [new TwoPhaseCommitInvariants(true)]
    case 'lock':
    case 'lock-naive':
      return [new LockInvariants()]
    case 'scheduler':
      return [new SchedulerInvariants()]
    default:
      return []
  }
}

export interface InvariantWatch {
  /** Every violation found, in order. */
  violations: ViolationEvent[]
  stop(): void
}

/**
 * Runs the algorithm's invariant checks on every event of `trace` as it is
 * recorded; violations go into the trace too.
 */
export function watchInvariants(
  trace: TraceLog,
  algorithm: string,
  enabled = true,
): InvariantWatch {
  const violations: ViolationEvent[] = []
  const checkers = enabled ? invariantCheckersFor(algorithm) : []
  const stop = trace.subscribe((event) => {
    if (event.kind === 'violation') {
      violations.push(event)
      return
    }
    for (const checker of checkers) {
      for (const violation of checker.observe(event)) trace.emit(violation)
    }
  })
  return { violations, stop }
}
