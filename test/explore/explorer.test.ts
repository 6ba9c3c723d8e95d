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
import { algorithms } from '../../src/workers/algorithms'

const found: [string, string, RegExp][] = [
  ['votes-twice', 'invariant', /Election Safety/],
  ['forgets-voted-for', 'invariant', /voted for both/],
  ['no-step-down', 'invariant', /Election Safety/],
  ['no-prev-check', 'invariant', /State Machine Safety|Log Matching|Leader Completeness/],
  ['local-reads', 'linearizability', /cannot be placed/],
  // Section 5.4.2 and Figure 8: found only by the nemesis of nemesis-figure8.ts.
  ['figure8-commit', 'invariant', /Leader Completeness|State Machine Safety/],
]

/**
 * endless-loop spins only on a write to the key "loop", to show the real-time
 * cluster's handler watchdog at work; the simulator has no watchdog (a handler
 * that never returns would stop virtual time itself), so the explorer's
 * workload never writes that key. A liveness demo for the real-time cluster.
 */
const notFound = ['endless-loop']

describe('the fault explorer', () => {
  it('covers every registered Raft variant here, found or said why not', () => {
    const covered = [...found.map(([variant]) => variant), ...notFound].sort()
    expect(covered).toEqual(Object.keys(algorithms.raft.variants).sort())
  })

  it('does not run endless-loop into its loop: the workload writes x and y only', async () => {
    const report = await explore('raft', { variant: 'endless-loop', runs: 20, firstSeed: 1 })
    expect(report.found).toBeNull()
  })

  it.each(found)(
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

  // 200 here, to keep test/explore within minutes on two cores; `explore raft
  // --runs 1000` in the terminal, or the bench, runs more.
  it(
    'passes the reference Raft under 200 random fault schedules',
    { timeout: 300_000 },
    async () => {
      const report = await explore('raft', { runs: 200, firstSeed: 1 })
      expect(report.found?.failure ?? null).toBeNull()
      expect(report.runs).toBe(200)
      // Runs too hard to check in the budget are counted, never passed silently.
      expect(report.unchecked).toBeLessThan(10)
    },
  )
})
