// The fault explorer against the task scheduler: tasks submitted through
// crashes, partitions and pauses; judged by Exclusive Run on every event, and
// once healed by every acknowledged task having run to the end.

import { describe, expect, it } from 'vitest'
import {
  randomSchedule,
  runSchedule,
  scheduleScript,
  type Fault,
} from '../../src/main/explore/explorer'
import { describeExplorer } from './explore-module'

describeExplorer('scheduler', { referenceRuns: 30, variantRuns: 40 })

describe('the scheduler under pauses', () => {
  it('draws pauses among the faults of its reference runs', () => {
    const actions = Array.from({ length: 30 }, (_, i) => randomSchedule('scheduler', i + 1))
      .flatMap((schedule) => schedule.faults)
      .map((fault) => fault.action)
    expect(actions).toContain('pause')
    expect(actions).toContain('resume')
  })

  // The explorer's shrunk case: n2 runs t1 and is paused at 729 ms; its lease
  // runs out while it is frozen and n5 is given t1. Frozen, n2 does nothing,
  // so that is no double run; resumed while n5 still runs t1 (1500 ms), n2
  // must stop t1 before it does anything else. Heal and resume at 3000 ms
  // otherwise.
  const pause: Fault = { at: 729, action: 'pause', node: 'n2' }
  const resume: Fault = { at: 1_500, action: 'resume', node: 'n2' }
  it.each([
    ['stays paused', [pause]],
    ['resumes while n5 runs t1', [pause, resume]],
  ])('passes seed 5 when n2, paused running t1, %s', async (_, faults) => {
    const schedule = { ...randomSchedule('scheduler', 5), faults }
    expect(scheduleScript(schedule).slice(0, 3)).toEqual([
      'start scheduler 5 --sim --seed 5',
      'wait 729',
      'pause n2',
    ])
    const result = await runSchedule(schedule)
    expect(result.failure).toBeNull()
    expect(result.operations).toBe(schedule.operations)
  })
})
