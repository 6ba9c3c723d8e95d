// A seeded sweep of the gossip store, driven and judged as the fault explorer
// does (src/main/explore/profiles/gossip.ts): for each seed, random quorums and
// resolution, three clients writing and reading, and 3 s of random faults
// (partitions, crashes, pauses, lossy and reordering links). Then everything
// heals, the clients finish, gossip runs for 3 s more, and every live replica
// must hold the same versions of every key (Demers et al.: anti-entropy reaches
// everyone), with no replica ever dropping a version it had not seen replaced.
// The broken no-anti-entropy variant fails the same sweep. Every failure names
// its seed.

import { describe, expect, it } from 'vitest'
import { randomSchedule, runSchedule } from '../../src/main/explore/explorer'

describe('a seeded sweep of the gossip store under random faults', { timeout: 120_000 }, () => {
  it('converges after every one of 100 seeds', async () => {
    const problems: string[] = []
    for (let seed = 101; seed <= 200; seed++) {
      const result = await runSchedule(randomSchedule('gossip', seed))
      if (result.failure !== null) problems.push(`seed ${seed}: ${result.failure.message}`)
    }
    expect(problems).toEqual([])
  })

  it('fails for the no-anti-entropy variant in some of the same seeds', async () => {
    let failed = 0
    for (let seed = 101; seed <= 120; seed++) {
      const result = await runSchedule(randomSchedule('gossip', seed, 'no-anti-entropy'))
      if (result.failure?.message.startsWith('Convergence') === true) failed++
    }
    expect(failed).toBeGreaterThan(5)
  })
})
