// Checkers that watch a run's trace as it is produced.

import type { TraceEvent, ViolationEvent } from '../../shared/trace'
import { RaftInvariants } from './raft-invariants'

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
    default:
      return []
  }
}
