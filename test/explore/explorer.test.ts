// The fault explorer: random fault schedules against a workload, judged by the
// invariants and linearizability; a failure is shrunk to a smaller schedule
// that replays it exactly. It must find each deliberately broken Raft it can,
// and pass the reference.

import { describe, expect, it } from 'vitest'
import {
  explore,
  randomSchedule,
  runSchedule,
  scheduleScript,
} from '../../src/main/explore/explorer'

describe('the fault explorer', () => {
  it.each([
    ['votes-twice', 'invariant', /Election Safety/],
    ['forgets-voted-for', 'invariant', /voted for both/],
    ['no-step-down', 'invariant', /Election Safety/],
    ['no-prev-check', 'invariant', /State Machine Safety|Log Matching|Leader Completeness/],
    ['local-reads', 'linearizability', /cannot be placed/],
    // Section 5.4.2 and Figure 8: found only by the nemesis of nemesis-figure8.ts.
    ['figure8-commit', 'invariant', /Leader Completeness|State Machine Safety/],
  ])(
    'finds the bug in raft --variant %s, shrinks it, and replays it',
    { timeout: 120_000 },
    async (variant, kind, message) => {
      const report = await explore('raft', { variant, runs: 150, firstSeed: 1 })
      const found = report.found
      expect(found, `no failure in ${report.runs} runs`).not.toBeNull()
      if (found === null) return
      expect(found.failure.kind).toBe(kind)
      expect(found.failure.message).toMatch(message)
      const original = randomSchedule('raft', found.seed, variant)
      expect(found.shrunk.faults.length).toBeLessThanOrEqual(original.faults.length)
      expect(found.shrunk.operations).toBeLessThanOrEqual(original.operations)
      // The shrunk schedule replays the failure, exactly, again and again.
      const replays = await Promise.all([runSchedule(found.shrunk), runSchedule(found.shrunk)])
      for (const replay of replays) expect(replay.failure).toEqual(found.failure)
      expect(scheduleScript(found.shrunk)[0]).toBe(
        `start raft 5 --sim --seed ${found.seed} --variant ${variant}`,
      )
    },
  )

  it(
    'passes the reference Raft under 1,000 random fault schedules',
    { timeout: 600_000 },
    async () => {
      const report = await explore('raft', { runs: 1_000, firstSeed: 1 })
      expect(report.found?.failure ?? null).toBeNull()
      expect(report.runs).toBe(1_000)
      // Runs too hard to check in the budget are counted, never passed silently.
      expect(report.unchecked).toBeLessThan(50)
    },
  )
})
