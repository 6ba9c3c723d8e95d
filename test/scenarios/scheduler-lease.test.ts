// A worker's lease under real timers. The simulator fires a timer exactly at
// its deadline; a real one (setTimeout) may fire a fraction of a millisecond
// early. Here the handlers run by hand, on a clock the test moves, so a timer
// can fire early on purpose. Found in the real-time cluster: a worker whose
// lease timer fired 0.8 ms early kept its task running without a lease, and
// the leader, rightly, gave that task to another worker.

import { describe, expect, it } from 'vitest'
import type { Body, Ctx, Envelope } from '../../src/shared/node-api'
import type { RaftMessage } from '../../src/workers/algorithms/raft/raft'
import scheduler, {
  referenceTiming,
  type SchedulerState,
} from '../../src/workers/algorithms/scheduler/scheduler'

/** One worker, n2, of a cluster led by n1, with a clock and timers the test moves by hand. */
function worker() {
  const clock = { nowMs: 0 }
  const timers = new Map<string, number>()
  const ctx: Ctx<RaftMessage> = {
    id: 'n2',
    peers: ['n1', 'n3'],
    options: {},
    now: () => clock.nowMs,
    random: () => 0.5,
    send: () => {},
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
  return { state, clock, timers, receive, fire }
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
