// The fault explorer against Multi-Paxos: the same lin-kv workload as for
// Raft, under the same random faults but Raft's own aimed shapes, judged by
// the Multi-Paxos invariants (one command per slot) and the linearizability of
// what the clients saw.

import { describe, expect, it } from 'vitest'
import { randomSchedule, runSchedule, type Schedule } from '../../src/main/explore/explorer'
import { describeExplorer } from './explore-module'

describeExplorer('multipaxos', { referenceRuns: 200, variantRuns: 100 })

describe('Raft-aware faults on Multi-Paxos', () => {
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
