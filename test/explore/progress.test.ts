// Progress: a cluster that never answers breaks no safety rule and leaves a
// history that is trivially linearizable, so the explorer also asks that a
// write goes through once every fault has healed. Without that, a Raft whose
// nodes never vote would pass (the capstone lesson's explorer goal among others).

import { describe, expect, it } from 'vitest'
import { randomSchedule, runSchedule } from '../../src/main/explore/explorer'
import { resolveAlgorithm } from '../../src/workers/algorithms'
import type { AnyNodeDefinition } from '../../src/shared/node-api'

const raft = resolveAlgorithm('raft')

/** Raft whose nodes ignore every request for a vote: no leader, ever. */
const neverVotes: AnyNodeDefinition = {
  ...raft,
  onMessage(state, envelope, ctx) {
    if (envelope.body.type === 'request_vote') return
    raft.onMessage(state, envelope, ctx)
  },
}

describe('the explorer asks for progress', () => {
  it('fails a Raft whose nodes never vote, even with no fault at all', async () => {
    const schedule = { ...randomSchedule('raft', 1), faults: [] }
    const result = await runSchedule(schedule, neverVotes)
    expect(result.failure?.kind).toBe('liveness')
    expect(result.failure?.message).toMatch(/^Progress: .* did not go through/)
  })

  it('passes the reference on the same schedule', async () => {
    const schedule = { ...randomSchedule('raft', 1), faults: [] }
    expect((await runSchedule(schedule)).failure).toBeNull()
  })
})
