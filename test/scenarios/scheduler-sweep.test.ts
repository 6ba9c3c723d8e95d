// The scheduler under a crash, a restart, a partition and a heal, over 30
// seeds, driven and judged as the fault explorer does
// (src/main/explore/profiles/scheduler.ts): tasks are submitted through the
// faults; after heal every acknowledged task must have run to completion, and
// no task may ever run on two workers at once. A failure prints its seed;
// `SEED=n npx vitest run test/scenarios/scheduler-sweep` replays one.

import { describe, expect, it } from 'vitest'
import { randomSchedule, runSchedule, type Schedule } from '../../src/main/explore/explorer'
import { randomStream } from '../../src/shared/random'

/** The explorer's scheduler run for `seed`, with this sweep's faults instead of random ones. */
function sweepSchedule(seed: number): Schedule {
  const random = randomStream(seed, 'scheduler-sweep')
  const ids = ['n1', 'n2', 'n3', 'n4', 'n5']
  const pick = (): string => ids[Math.floor(random() * ids.length)]
  const victim = pick()
  return {
    ...randomSchedule('scheduler', seed),
    faults: [
      { at: 100, action: 'kill', node: victim },
      { at: 700, action: 'restart', node: victim },
      { at: 1_000, action: 'partition', groups: [[pick(), pick()]] },
      { at: 1_900, action: 'heal' },
    ],
  }
}

describe('scheduler sweep', () => {
  const only = Number(process.env.SEED)
  const seeds =
    Number.isInteger(only) && only > 0 ? [only] : Array.from({ length: 30 }, (_, i) => i + 1)
  for (const seed of seeds) {
    it(`seed ${seed}: every task completes after heal, none runs twice at once`, async () => {
      const result = await runSchedule(sweepSchedule(seed))
      expect(result.failure).toBeNull()
      expect(result.operations).toBe(8)
    })
  }
})
