// Trace events and batches for the timeline's tests and benchmark, written
// without their sequence numbers: a batch numbers them.

import type { TraceBatch } from '../../src/shared/api'
import type { NodeId } from '../../src/shared/envelope'
import type { TraceEvent } from '../../src/shared/trace'

type WithoutSeq<Event> = Event extends TraceEvent ? Omit<Event, 'seq'> : never
export type EventWithoutSeq = WithoutSeq<TraceEvent>

let nextSeq = 1

/** A batch of run `run`, its events numbered in order. */
export function batch(run: number, events: readonly EventWithoutSeq[]): TraceBatch {
  return {
    run,
    events: events.map((event) => ({ ...event, seq: nextSeq++ })),
    skipped: {},
  }
}

/** A message's send and its receive (or drop, at `endMs`). */
export function message(
  mid: number,
  src: NodeId,
  dest: NodeId,
  sendMs: number,
  endMs: number,
  end: 'recv' | 'drop' = 'recv',
): EventWithoutSeq[] {
  const body = { type: 'AppendEntries' }
  const sent: EventWithoutSeq = { kind: 'send', mid, src, dest, body, t: sendMs, node: src }
  return end === 'recv'
    ? [sent, { kind: 'recv', mid, src, dest, body, t: endMs, node: dest }]
    : [sent, { kind: 'drop', mid, src, dest, body, t: endMs, node: src, reason: 'loss' }]
}

export function state(
  node: NodeId,
  t: number,
  role: string,
  term: number,
  commitIndex: number,
): EventWithoutSeq {
  return { kind: 'state', summary: { role, term, commitIndex }, changes: [], t, node }
}
