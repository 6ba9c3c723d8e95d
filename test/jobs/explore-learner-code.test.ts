// The explorer on a learner's own module, on the job thread: compiled and
// loaded there the guarded way a node's worker loads it, then explored
// exactly as the registry's module would be. Learner code never runs on the
// thread that asks.

import { afterAll, describe, expect, it } from 'vitest'
import { moduleSource } from '../../src/main/code/module-sources'
import { JobThread } from '../../src/main/jobs/job-thread'
import { jobsInThisThread, learnerCodeOnlyOnJobThread } from '../../src/main/jobs/jobs'

const figure8 = moduleSource('raft', 'figure8-commit')
const reference = moduleSource('raft', null)

describe('exploring learner code on the job thread', { timeout: 120_000 }, () => {
  const jobs = new JobThread()
  afterAll(() => jobs.close())

  it("finds the figure 8 variant's failure from its source, as exploring the variant here does", async () => {
    const request = { algorithm: 'raft', runs: 5, firstSeed: 1 }
    const there = await jobs.exploreCode({
      ...request,
      source: figure8.source,
      fileName: figure8.fileName,
    })
    const here = await jobsInThisThread().explore({ ...request, variant: 'figure8-commit' })
    expect(here.found).not.toBeNull()
    // The same runs, the same shrunk schedule; only the variant's name is not known from source.
    const { variant, ...shrunk } = here.found?.shrunk ?? { variant: undefined }
    expect(variant).toBe('figure8-commit')
    expect(there).toEqual({ ...here, found: { ...here.found, shrunk } })
    expect(there.found?.failure.message).toMatch(/^Leader Completeness: .* committed/)
  })

  it('passes the reference, given as source, and reports its progress', async () => {
    const done: number[] = []
    const report = await jobs.exploreCode(
      { algorithm: 'raft', runs: 3, source: reference.source, fileName: reference.fileName },
      (progress) => done.push(progress.done),
    )
    expect(report).toMatchObject({ runs: 3, found: null })
    expect(done).toEqual([1, 2, 3])
  })

  it('loads the code closed to the host: process and the Function constructor fail the node, with a sentence', async () => {
    for (const [reach, sentence] of [
      ['process.exit(1)', /process is not available to a node module/],
      ["(() => {}).constructor('return 1')()", /Function is not available to a node module/],
    ] as const) {
      const source = reference.source.replace(
        'function onTimer(state: RaftState, name: string, ctx: RaftCtx): void {',
        `function onTimer(state: RaftState, name: string, ctx: RaftCtx): void {\n  if (name === 'election') ${reach}`,
      )
      expect(source).not.toBe(reference.source)
      const report = await jobs.exploreCode({
        algorithm: 'raft',
        runs: 1,
        source,
        fileName: 'raft.ts',
      })
      expect(report.found?.failure.kind).toBe('node failed')
      expect(report.found?.failure.message).toMatch(sentence)
    }
  })

  it('refuses code that does not compile, or imports more than the node API, with its place', async () => {
    await expect(
      jobs.exploreCode({
        algorithm: 'raft',
        runs: 1,
        source: 'export default (',
        fileName: 'mine.ts',
      }),
    ).rejects.toThrow(/^mine\.ts:1:\d+: /)
    await expect(
      jobs.exploreCode({
        algorithm: 'raft',
        runs: 1,
        source: "import { readFileSync } from 'node:fs'\nexport default readFileSync\n",
        fileName: 'mine.ts',
      }),
    ).rejects.toThrow(/mine\.ts:1:\d+: a node module may import only the node API/)
    await expect(
      jobs.exploreCode({ algorithm: 'echo', runs: 1, source: 'x', fileName: 'echo.ts' }),
    ).rejects.toThrow(/explore has no workload for "echo"/)
  })

  it('never runs learner code on the calling thread', async () => {
    await expect(
      jobsInThisThread().exploreCode({
        algorithm: 'raft',
        runs: 1,
        source: reference.source,
        fileName: reference.fileName,
      }),
    ).rejects.toThrow(learnerCodeOnlyOnJobThread)
  })
})
