// The explorer's promise for one module, as tests: its reference passes a
// number of random fault schedules, and every broken variant registered for
// it (read from the registry, so new variants are covered as they come) is
// found, shrunk, and its shrunk schedule replays to the very same failure.
// Variants the explorer cannot find are listed with the reason, and the test
// holds that reason to be true: it fails the day the explorer finds them.

import { describe, expect, it } from 'vitest'
import {
  explore,
  randomSchedule,
  runSchedule,
  scheduleScript,
} from '../../src/main/explore/explorer'
import { algorithms } from '../../src/workers/algorithms'

export interface ModuleExpectations {
  /** Random schedules the reference must pass. */
  referenceRuns: number
  /** Seeds to try for each variant before giving up. */
  variantRuns: number
  /** True for a module that is itself the broken example (lock-naive). */
  referenceBroken?: boolean
  /** Variants the explorer does not find, each with the reason why. */
  notFound?: Record<string, string>
}

export function describeExplorer(algorithm: string, expectations: ModuleExpectations): void {
  const variants = Object.keys(algorithms[algorithm].variants)
  const notFound = expectations.notFound ?? {}
  const found = variants.filter((variant) => notFound[variant] === undefined)

  describe(`the fault explorer on ${algorithm}`, () => {
    if (expectations.referenceBroken === true) {
      it('finds the bug in the module itself, which is broken on purpose', async () => {
        await expectFound(algorithm, undefined, expectations.variantRuns)
      })
    } else {
      it(`passes the reference under ${expectations.referenceRuns} random fault schedules`, async () => {
        const report = await explore(algorithm, { runs: expectations.referenceRuns, firstSeed: 1 })
        expect(report.found?.failure ?? null).toBeNull()
        expect(report.runs).toBe(expectations.referenceRuns)
        // Runs too hard to check in the budget are counted, never passed silently.
        expect(report.unchecked).toBeLessThanOrEqual(expectations.referenceRuns / 20)
      })
    }

    it.each(found.length === 0 ? ['(none registered)'] : found)(
      'finds the bug in --variant %s, shrinks it, and replays it',
      async (variant) => {
        if (variant === '(none registered)') return
        await expectFound(algorithm, variant, expectations.variantRuns)
      },
    )

    for (const [variant, why] of Object.entries(notFound)) {
      it(`does not find --variant ${variant} in ${expectations.variantRuns} runs: ${why}`, async () => {
        expect(variants).toContain(variant)
        const report = await explore(algorithm, {
          variant,
          runs: expectations.variantRuns,
          firstSeed: 1,
        })
        expect(report.found?.failure ?? null).toBeNull()
      })
    }
  })
}

async function expectFound(algorithm: string, variant: string | undefined, runs: number) {
  const report = await explore(algorithm, { runs, firstSeed: 1, ...(variant ? { variant } : {}) })
  const found = report.found
  expect(found, `no failure in ${report.runs} runs`).not.toBeNull()
  if (found === null) return
  // The learner reads which check failed: the message starts with its name.
  expect(found.failure.message).toMatch(/^[A-Za-z][\w ()-]*[a-z)0-9]: |^key \w+: |^n\d+ failed: /)
  const original = randomSchedule(algorithm, found.seed, variant)
  expect(found.shrunk.faults.length).toBeLessThanOrEqual(original.faults.length)
  expect(found.shrunk.operations).toBeLessThanOrEqual(original.operations)
  // The shrunk schedule replays the failure, exactly, again and again.
  const replays = await Promise.all([runSchedule(found.shrunk), runSchedule(found.shrunk)])
  for (const replay of replays) expect(replay.failure).toEqual(found.failure)
  const flag = variant === undefined ? '' : ` --variant ${variant}`
  expect(scheduleScript(found.shrunk)[0]).toMatch(
    `start ${algorithm} ${found.shrunk.nodes} --sim --seed ${found.seed}${flag}`,
  )
}
