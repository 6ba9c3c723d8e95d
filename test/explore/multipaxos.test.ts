// The fault explorer against Multi-Paxos: the same random fault schedules and
// lin-kv workload as for Raft, judged by the Multi-Paxos invariants (one
// command per slot) and the linearizability of what the clients saw.

import { describe, expect, it } from 'vitest'
import {
  explore,
  randomSchedule,
  runSchedule,
  type Schedule,
} from '../../src/main/explore/explorer'

describe('the fault explorer on Multi-Paxos', () => {
  it('passes the reference under 300 random fault schedules', { timeout: 300_000 }, async () => {
    const report = await explore('multipaxos', { runs: 300, firstSeed: 1 })
    expect(report.found?.failure ?? null).toBeNull()
    expect(report.runs).toBe(300)
    // Runs too hard to check in the budget are counted, never passed silently.
    expect(report.unchecked).toBeLessThan(15)
  })

  it('runs the Raft-aware faults without harm: they find no Raft state and do nothing', async () => {
    // Each one at time 0, before any leader exists, so that it keeps watching
    // the cluster for a while once one does.
    const schedule: Schedule = {
      ...randomSchedule('multipaxos', 1),
      faults: [
        { at: 0, action: 'bounce-voter', downMs: 5 },
        { at: 0, action: 'crash-next-leader', watchMs: 1_500, downMs: 50 },
        { at: 0, action: 'cut-repair', watchMs: 2_500 },
        { at: 1_000, action: 'split-leader', follower: 0, writes: 100 },
      ],
    }
    const result = await runSchedule(schedule)
    expect(result.failure).toBeNull()
    expect(result.operations).toBeGreaterThan(100)
  })
})
