// A worker's lease under real timers. The simulator fires a timer exactly at
// its deadline; a real one (setTimeout) may fire a fraction of a millisecond
// early. Here the handlers run by hand, on a clock the test moves, so a timer
// can fire early on purpose. Found in the real-time cluster: a worker whose
// lease timer fired 0.8 ms early kept its task running without a lease, and
// the leader, rightly, gave that task to another worker.
//
// Also by hand: a worker that wakes from a pause, and a new leader that
// applies many entries at once, two cases whose order of events matters.

import { describe, expect, it } from 'vitest'
import type { Body, Ctx, Envelope, NodeId } from '../../src/shared/node-api'
import type { RaftMessage } from '../../src/workers/algorithms/raft/raft'
import scheduler, {
  referenceTiming,
  type SchedEntry,
  type SchedulerState,
} from '../../src/workers/algorithms/scheduler/scheduler'

/** One worker, n2, of a cluster led by n1, with a clock and timers the test moves by hand. */
function worker() {
  const clock = { nowMs: 0 }
  const timers = new Map<string, number>()
  const sent: { dest: NodeId; body: Body }[] = []
  const ctx: Ctx<RaftMessage> = {
    id: 'n2',
    peers: ['n1', 'n3'],
    options: {},
    now: () => clock.nowMs,
    random: () => 0.5,
    send: (dest, body) => void sent.push({ dest, body: body as Body }),
    reply: () => {},
    setTimer: (name, ms) => void timers.set(name, clock.nowMs + ms),
    cancelTimer: (name) => void timers.delete(name),
    log: () => {},
  }
  const state: SchedulerState = scheduler.init(ctx, undefined)
  const receive = (body: Body): void => {
    const env: Envelope<Body> = { src: 'n1', dest: 'n2', body }
    scheduler.onMessage(state, env, ctx)
  }
  /** Fires timer `name` `earlyMs` before its deadline, as a real timer may. */
  const fire = (name: string, earlyMs: number): void => {
    const deadline = timers.get(name)
    if (deadline === undefined) return
    timers.delete(name)
    clock.nowMs = deadline - earlyMs
    scheduler.onTimer(state, name, ctx)
  }
  return { state, ctx, clock, timers, sent, receive, fire }
}

describe('a worker stops its tasks when its lease runs out', () => {
  it('even when the lease timer fires a little before the lease ends', () => {
    // Init: n2 holds a lease from n1, granted for the heartbeat it sent at 0, and runs a task.
    const w = worker()
    w.receive({ type: 'heartbeat_ok', at: 0 })
    w.receive({ type: 'run', task: 'build', cost: 10_000, attempt: 1 })
    expect(Object.keys(w.state.running)).toEqual(['build'])

    // Act: no more answers from n1; the lease timer fires 0.8 ms early, then
    // whatever timer that leaves behind fires on time.
    w.fire('lease', 0.8)
    expect(w.state.running).toEqual({ build: 1 }) // the lease still holds for 0.8 ms
    w.fire('lease', 0)

    // Check: the lease has ended (section "leases" of scheduler.ts), so nothing runs.
    expect(w.state.running).toEqual({})
    expect(w.clock.nowMs).toBeGreaterThanOrEqual(referenceTiming.leaseMs)
  })

  it('ignores an answer that arrives after the lease it would grant has run out', () => {
    const w = worker()
    w.clock.nowMs = referenceTiming.leaseMs + 50
    expect(() => w.receive({ type: 'heartbeat_ok', at: 0 })).not.toThrow()
    expect(w.state.leaseUntil).toBe(0)
    w.receive({ type: 'run', task: 'build', cost: 100, attempt: 1 })
    expect(w.state.running).toEqual({})
  })
})

describe('a worker that wakes from a pause past its lease', () => {
  it('stops its tasks before it does anything else', () => {
    // Init: n2 follows n1, holds a lease from it until 300 ms and runs a long task.
    const w = worker()
    w.state.leaderId = 'n1'
    w.receive({ type: 'heartbeat_ok', at: 0 })
    w.receive({ type: 'run', task: 'build', cost: 10_000, attempt: 1 })
    expect(w.state.running).toEqual({ build: 1 })

    // Act: n2 is frozen until 1000 ms (a long GC pause, SIGSTOP). It wakes into
    // a backlog in which its heartbeat timer (due at 50 ms) comes before its
    // lease timer (due at 300 ms), as a paused node's backlog runs in order.
    w.clock.nowMs = 1_000
    w.sent.length = 0
    scheduler.onTimer(w.state, 'worker-heartbeat', w.ctx)

    // Check: the lease ran out while it slept, so the very first step stops the
    // task, and n2 does not tell the leader it still runs what is by now
    // someone else's (Kleppmann, "How to do distributed locking").
    expect(w.state.running).toEqual({})
    const heartbeats = w.sent.filter((m) => m.body.type === 'heartbeat')
    expect(heartbeats).toHaveLength(1)
    expect(heartbeats[0].body.running).toEqual({})
  })
})

describe('a leader that applies many entries at once', () => {
  it('tells only the worker of the assignment that stands to run the task', () => {
    // Init: n2 has just become leader, with committed entries not yet applied
    // to its task table: t7 was assigned to n1, then, after n1 fell silent,
    // to n3 (the explorer's seed 430, with pauses allowed).
    const w = worker()
    const entry = (sched: SchedEntry['sched']): SchedEntry => ({ term: 1, command: null, sched })
    w.state.currentTerm = 2
    w.state.role = 'leader'
    w.state.log = [
      entry({ op: 'submit', task: 't7', cost: 956, replyTo: 'c2' }),
      entry({ op: 'assign', task: 't7', worker: 'n1' }),
      entry({ op: 'assign', task: 't7', worker: 'n3' }),
    ]
    w.state.commitIndex = 3
    w.state.lastApplied = 3

    // Act: any handler applies the committed entries to the table.
    w.receive({ type: 'tasks' })

    // Check: one run, for attempt 2, to n3; n1's superseded attempt never restarts.
    expect(w.state.tasks.t7).toMatchObject({ state: 'assigned', worker: 'n3', attempts: 2 })
    const runs = w.sent.filter((m) => m.body.type === 'run')
    expect(runs).toEqual([{ dest: 'n3', body: { type: 'run', task: 't7', cost: 956, attempt: 2 } }])
  })
})
