// Single-decree Paxos under random faults, driven and judged as the fault
// explorer does (src/main/explore/profiles/paxos.ts): proposers racing at
// first and more proposals later, over a lossy, slow, reordering, duplicating
// network, with crashes, restarts, pauses and partitions. Safety must hold
// throughout (src/main/check/paxos-invariants.ts sees every acceptance), and
// once the faults heal every node, asked at once, must answer with the one
// value chosen.
//
// A failing seed prints a command that replays just that run.

import { describe, expect, it } from 'vitest'
import { randomSchedule, runSchedule } from '../../src/main/explore/explorer'

const onlySeed = process.env['SEED'] === undefined ? null : Number(process.env['SEED'])

describe('Paxos under faults', () => {
  it('chooses one value, and only one, over 200 random fault schedules', async () => {
    const seeds = onlySeed === null ? Array.from({ length: 200 }, (_, i) => 1001 + i) : [onlySeed]
    for (const seed of seeds) {
      const result = await runSchedule(randomSchedule('paxos', seed))
      const replay = `seed ${seed}; replay with: SEED=${seed} npx vitest run test/scenarios/paxos-faults.test.ts`
      expect(result.failure, replay).toBeNull()
    }
  })
})
