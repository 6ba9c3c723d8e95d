// The Raft lock service under a leader crash and restart, then a partition
// and heal, over many seeds, driven and judged as the fault explorer drives
// and judges it (src/main/explore/profiles/lock.ts): four clients contend for
// two locks and write to the fenced resource; the resource must never see two
// holders at once, and the acquires and releases must be linearizable under
// the lock model. A failure prints its seed; `SEED=n npx vitest run
// test/scenarios/lock-sweep` replays one.

import { describe, expect, it } from 'vitest'
import { randomSchedule, runSchedule, type Schedule } from '../../src/main/explore/explorer'
import { randomStream } from '../../src/shared/random'

const members = ['n1', 'n2', 'n3', 'n4', 'n5']

/** The explorer's lock run for `seed`, with this sweep's faults instead of random ones. */
function sweepSchedule(seed: number): Schedule {
  const random = randomStream(seed, 'lock-sweep')
  const pick = (): string => members[Math.floor(random() * members.length)]
  return {
    ...randomSchedule('lock', seed),
    faults: [
      { at: 400, action: 'kill-leader' },
      { at: 900, action: 'restart-all' },
      { at: 1_400, action: 'partition', groups: [[pick(), pick()]] },
      { at: 2_200, action: 'heal' },
    ],
  }
}

describe('lock service sweep', () => {
  const only = process.env.SEED === undefined ? null : Number(process.env.SEED)
  const seeds = only === null ? Array.from({ length: 50 }, (_, i) => i + 1) : [only]
  it(`keeps one holder at a time, linearizably, under crashes and partitions (seeds ${seeds[0]}..${seeds.at(-1)})`, async () => {
    for (const seed of seeds) {
      const result = await runSchedule(sweepSchedule(seed))
      expect(result.failure, `seed ${seed}`).toBeNull()
      expect(result.operations, `seed ${seed}: too few operations`).toBeGreaterThan(10)
    }
  })
})
