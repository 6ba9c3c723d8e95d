// Exclusive Run (src/main/check/scheduler-invariants.ts) on hand-made traces:
// what "runs" means for a worker that crashes, pauses and resumes. A pause
// freezes the worker with its tasks, so it runs nothing while frozen; what it
// lists after it resumes is judged as a new start.

import { describe, expect, it } from 'vitest'
import { SchedulerInvariants } from '../../src/main/check/scheduler-invariants'
import type { TraceEvent } from '../../src/shared/trace'

/** Feeds `events` to a fresh check, numbering them, and returns the rules it reports. */
function judge(events: TraceEvent[]): string[] {
  const check = new SchedulerInvariants()
  return events.flatMap((event, i) =>
    check.observe({ ...event, seq: i + 1, t: i }).map((v) => `${v.rule}: ${v.message}`),
  )
}

function runs(node: string, ...tasks: string[]): TraceEvent {
  return {
    seq: 0,
    t: 0,
    kind: 'state',
    node,
    summary: { running: tasks.join(' ') },
    changes: [],
  }
}

function lifecycle(node: string, kind: 'crash' | 'pause' | 'resume'): TraceEvent {
  return { seq: 0, t: 0, kind, node }
}

describe('Exclusive Run', () => {
  it('reports a task started on a second worker while the first still runs it', () => {
    expect(judge([runs('n2', 't1'), runs('n5', 't1')])).toEqual([
      'Exclusive Run: t1 started on n5 while n2 still runs it: one task on two workers at once.',
    ])
  })

  it('counts nothing on a crashed worker', () => {
    expect(judge([runs('n2', 't1'), lifecycle('n2', 'crash'), runs('n5', 't1')])).toEqual([])
  })

  it('counts nothing on a paused worker: frozen, it does no work', () => {
    // The explorer's seed 5, `pause n2`: n2's last summary lists t1, its lease
    // runs out while it is frozen, and n5 is given t1.
    expect(judge([runs('n2', 't1'), lifecycle('n2', 'pause'), runs('n5', 't1')])).toEqual([])
  })

  it('reports a worker that resumes still running a task another worker now runs', () => {
    const trace = [runs('n2', 't1'), lifecycle('n2', 'pause'), runs('n5', 't1')]
    expect(judge([...trace, lifecycle('n2', 'resume'), runs('n2', 't1')])).toEqual([
      'Exclusive Run: n2 resumed from a pause still running t1, which n5 runs now: one task on two workers at once.',
    ])
    // Stopping first thing on waking, as the reference does, is no double run.
    expect(judge([...trace, lifecycle('n2', 'resume'), runs('n2'), runs('n2', 't3')])).toEqual([])
  })

  it('judges only the first summary after a resume as a resumption', () => {
    const trace = [runs('n5', 't1'), lifecycle('n2', 'pause'), lifecycle('n2', 'resume')]
    expect(judge([...trace, runs('n2'), runs('n2', 't1')])).toEqual([
      'Exclusive Run: t1 started on n2 while n5 still runs it: one task on two workers at once.',
    ])
  })
})
