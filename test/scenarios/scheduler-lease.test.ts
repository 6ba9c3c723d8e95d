// A worker's lease under real timers. The simulator fires a timer exactly at
// its deadline; a real one (setTimeout) may fire a fraction of a millisecond
// early. Here the handlers run by hand, on a clock the test moves, so a timer
// can fire early on purpose. Found in the real-time cluster: a worker whose
// lease timer fired 0.8 ms early kept its task running without a lease, and
// the leader, rightly, gave that task to another worker.
//
// Also by hand: a worker that wakes from a pause, a new leader that applies
// many entries at once, and a leader that wakes from a pause into a backlog
// of old answers: cases whose order of events matters.

import { describe, expect, it } from 'vitest'
import type { Body, Ctx, Envelope, NodeId } from '../../src/shared/node-api'
import type { RaftMessage } from '../../src/workers/algorithms/raft/raft'
import scheduler, {
  referenceTiming,
  type SchedEntry,
  type SchedulerState,
} from '../../src/workers/algorithms/scheduler/scheduler'

/** One node (by default the worker n2 of a cluster led by n1), with a clock and timers the test moves by hand. */
function worker(id: NodeId = 'n2', peers: NodeId[] = ['n1', 'n3']) {
  const clock = { nowMs: 0 }
  const timers = new Map<string, number>()
  const sent: { dest: NodeId; body: Body }[] = []
  const ctx: Ctx<RaftMessage> = {
    id,
    peers,
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
  const receive = (body: Body, src: NodeId = 'n1'): void => {
    const env: Envelope<Body> = { src, dest: id, body }
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

describe('a leader that wakes from a pause into a backlog of old answers', () => {
  it('dates its contact with a follower from when it sent what was answered, and grants no lease', () => {
    // Init: n1 leads term 1 of n1, n2, n3. Its followers answered AppendEntries
    // it sent at 10 ms: a majority in contact, so n2's heartbeat gets a lease.
    const leader = worker('n1', ['n2', 'n3'])
    leader.state.currentTerm = 1
    leader.state.role = 'leader'
    leader.state.leaderId = 'n1'
    const answer = (sentAt: number): Body => ({
      type: 'append_entries_result',
      term: 1,
      success: true,
      matchIndex: 0,
      conflictTerm: 0,
      conflictIndex: 0,
      sentAt,
    })
    leader.clock.nowMs = 20
    leader.receive(answer(10), 'n2')
    leader.receive(answer(10), 'n3')
    leader.clock.nowMs = 30
    leader.receive({ type: 'heartbeat', at: 30, running: {}, finished: {} }, 'n2')
    expect(leader.sent.filter((m) => m.body.type === 'heartbeat_ok')).toHaveLength(1)

    // Act: n1 is frozen from 40 ms to 1000 ms. Meanwhile n2 and n3 elect a new
    // leader and take leases from it. n1 wakes into its backlog: the answers to
    // what it sent at 40 ms (in term 1: they were sent before the election),
    // then a worker's heartbeat.
    leader.sent.length = 0
    leader.clock.nowMs = 1_000
    leader.receive(answer(40), 'n2')
    leader.receive(answer(40), 'n3')
    leader.receive({ type: 'heartbeat', at: 1_000, running: {}, finished: {} }, 'n3')

    // Check: those answers say the followers were with n1 at 40 ms, not now,
    // so n1 has no majority in contact and grants no lease: a deposed leader
    // granting leases alongside the new one could run a task twice.
    expect(leader.sent.filter((m) => m.body.type === 'heartbeat_ok')).toEqual([])
  })

  it('stamps what it sends with its clock, and a follower answers with the same stamp', () => {
    const leader = worker('n1', ['n2', 'n3'])
    leader.state.currentTerm = 1
    leader.state.role = 'leader'
    leader.state.leaderId = 'n1'
    leader.state.nextIndex = { n2: 1, n3: 1 }
    leader.state.matchIndex = { n2: 0, n3: 0 }
    leader.clock.nowMs = 70
    scheduler.onTimer(leader.state, 'heartbeat', leader.ctx)
    const appends = leader.sent.filter((m) => m.body.type === 'append_entries')
    expect(appends.map((m) => m.dest).sort()).toEqual(['n2', 'n3'])
    for (const m of appends) expect(m.body.sentAt).toBe(70)

    const follower = worker('n2', ['n1', 'n3'])
    follower.clock.nowMs = 5_000 // its own clock: the stamp is the leader's, returned as it came
    follower.receive(appends[0].body, 'n1')
    const answers = follower.sent.filter((m) => m.body.type === 'append_entries_result')
    expect(answers).toHaveLength(1)
    expect(answers[0].body).toMatchObject({ success: true, sentAt: 70 })
  })
})
