// The task scheduler's two promises, read from the trace.
//
//   Exclusive Run (checked on every event): no task runs on two workers at
//   once. A worker's `running` summary lists what it runs; a crash stops
//   everything on that node. A task reassigned while its old worker, merely
//   cut off, still runs it is exactly this violation.
//
//   A pause freezes a worker with its tasks: they live in its process, as a
//   crash shows, and a frozen process does no work. So a paused worker runs
//   nothing, whatever its last summary said. When it resumes, it runs again
//   what it lists after its first handler, and that is judged as a new start:
//   a worker that wakes past its lease and carries on as if it still ran its
//   tasks, while another worker has them, is the hazard leases leave open
//   (Kleppmann, "How to do distributed locking", 2016: the process pause).
//
//   Every Task Runs (checked once, at the end of a run, after faults heal):
//   every task whose submission was acknowledged (`submit_ok`) was reported
//   finished by some worker (`finished` in a heartbeat). It cannot be checked
//   per event: until the end, an unfinished task may still finish.

import type { TraceEvent } from '../../shared/trace'
import type { TraceChecker, Violation } from './index'

export class SchedulerInvariants implements TraceChecker {
  readonly name = 'scheduler invariants'
  /** What each node runs now, by its latest summary; a crashed or paused node runs nothing. */
  private readonly running = new Map<string, Set<string>>()
  /** Nodes resumed from a pause whose first summary since is still to come. */
  private readonly resumed = new Set<string>()
  /** Where each running task started: node -> task -> event seq. */
  private readonly startedAt = new Map<string, number>()
  private readonly submitted = new Set<string>()
  private readonly finished = new Set<string>()

  observe(event: TraceEvent): Violation[] {
    if (event.kind === 'crash' || event.kind === 'pause') {
      this.running.delete(event.node)
      this.resumed.delete(event.node)
      return []
    }
    if (event.kind === 'resume') {
      this.resumed.add(event.node)
      return []
    }
    if (event.kind === 'send' && event.body.type === 'submit_ok') {
      this.submitted.add(String(event.body.task))
    }
    if (event.kind === 'send' && event.body.type === 'heartbeat') {
      const finished = event.body.finished
      if (typeof finished === 'object' && finished !== null) {
        for (const task of Object.keys(finished)) this.finished.add(task)
      }
    }
    if (event.kind !== 'state' || typeof event.summary.running !== 'string') return []
    const now = new Set(event.summary.running.split(' ').filter((t) => t !== ''))
    const before = this.running.get(event.node) ?? new Set<string>()
    this.running.set(event.node, now)
    const woke = this.resumed.delete(event.node)
    const found: Violation[] = []
    for (const task of now) {
      if (before.has(task)) continue
      this.startedAt.set(`${event.node} ${task}`, event.seq)
      for (const [other, tasks] of this.running) {
        if (other === event.node || !tasks.has(task)) continue
        found.push({
          seq: 0,
          t: 0,
          kind: 'violation',
          node: event.node,
          rule: 'Exclusive Run',
          message: woke
            ? `${event.node} resumed from a pause still running ${task}, which ${other} runs now: one task on two workers at once.`
            : `${task} started on ${event.node} while ${other} still runs it: one task on two workers at once.`,
          nodes: [event.node, other],
          events: [this.startedAt.get(`${other} ${task}`) ?? event.seq, event.seq],
        })
      }
    }
    return found
  }

  /** Tasks acknowledged to a client that no worker reported finished. Call at the end. */
  unfinished(): string[] {
    return [...this.submitted].filter((task) => !this.finished.has(task)).sort()
  }
}
