// Checks and explorations on a thread of their own: the same answers as on
// the calling thread, progress as they go, and a calling thread that stays
// responsive while they search.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { checkHistory } from '../../src/main/check/check-history'
import { importHistory } from '../../src/main/check/history-import'
import type { HistoryOperation } from '../../src/main/check/linearizability'
import { JobThread } from '../../src/main/jobs/job-thread'
import { jobsInThisThread, progressLine, type ExploreProgress } from '../../src/main/jobs/jobs'

const reference = fileURLToPath(
  new URL('../../../shared/reference/porcupine-test-data/', import.meta.url),
)

describe('the job thread', { timeout: 120_000 }, () => {
  const jobs = new JobThread()
  afterAll(() => jobs.close())

  it('gives the same report as checking here', async () => {
    const { operations, initial } = importHistory(
      readFileSync(`${reference}jepsen/etcd_000.log`, 'utf8'),
    )
    const there = await jobs.check({ model: 'kv', initial, operations })
    expect(there).toEqual(checkHistory({ model: 'kv', initial, operations }))
    expect(there.result).toBe('not linearizable')
  })

  it('keeps the calling thread responsive during a long search, and stops at its time limit', async () => {
    // 300 concurrent writes and an impossible read: a search with no quick way out.
    const history: HistoryOperation[] = Array.from({ length: 300 }, (_, i) => ({
      client: `c${i}`,
      input: { f: 'write', key: 'x', value: i },
      output: {},
      call: 0,
      ret: 1_000,
    }))
    history.push({
      client: 'r',
      input: { f: 'read', key: 'x' },
      output: { value: -1 },
      call: 2_000,
      ret: 2_001,
    })
    let ticks = 0
    let longestGapMs = 0
    let last = performance.now()
    const timer = setInterval(() => {
      const now = performance.now()
      longestGapMs = Math.max(longestGapMs, now - last)
      last = now
      ticks++
    }, 10)
    const started = performance.now()
    const report = await jobs.check({ model: 'kv', operations: history, timeLimitMs: 1_500 })
    clearInterval(timer)
    expect(report.result).toBe('unknown')
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_400)
    // Generous: the point is that the timers ran at all while the search did.
    expect(ticks).toBeGreaterThan(20)
    expect(longestGapMs).toBeLessThan(1_000)
  })

  it('reports an exploration as it goes, and its result matches one made here', async () => {
    const progress: ExploreProgress[] = []
    const request = { algorithm: 'raft', runs: 4, firstSeed: 11 }
    const report = await jobs.explore(request, (p) => progress.push(p))
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4])
    expect(progress.every((p) => p.phase === 'search' && p.total === 4)).toBe(true)
    expect(report).toEqual(await jobsInThisThread().explore(request))
    expect(progressLine(progress[1], 10)).toBe('[#####.....] 2/4 runs, 0 failed')
  })

  it('turns a failure inside the thread into a rejected promise with its sentence', async () => {
    await expect(jobs.explore({ algorithm: 'no-such-algorithm', runs: 1 })).rejects.toThrow(
      /no-such-algorithm/,
    )
  })
})
