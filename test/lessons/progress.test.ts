// Lesson progress survives a restart of the session: steps done, the step the
// learner is on, time spent and language come back from the store, and the
// lesson resumes exactly there, its cluster set up as the earlier steps left it.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { Session } from '../../src/main/commands/interpreter'
import { loadCourse } from '../../src/main/lesson-files'
import { StoredProgress } from '../../src/main/store/stored-progress'
import { storeAt, useTempFolder } from '../store/helpers'

const course = loadCourse()
const folder = useTempFolder()
const election = course.lessons.find((lesson) => lesson.number === 2)

/** A session on the store in `file`, with a clock that moves 30 s per command. */
function sessionOn(file: string, clock: { ms: number }) {
  const store = storeAt(file)
  const session = new Session({
    lessons: { course, progress: new StoredProgress(store), now: () => (clock.ms += 30_000) },
  })
  return {
    session,
    type: async (line: string) => {
      const result = await session.run(line)
      return [...result.lines, ...result.events].join('\n')
    },
    close: async () => {
      await session.close()
      store.close()
    },
  }
}

describe('lesson progress', () => {
  it('resumes where the learner left off after a restart, in their language', async () => {
    if (election === undefined) throw new Error('lesson 2 is missing')
    const file = join(folder(), 'lab.db')
    const clock = { ms: 0 }

    const first = sessionOn(file, clock)
    await first.type('lesson 2')
    for (const step of election.steps.slice(0, 4)) {
      for (const line of step.solution) await first.type(line)
    }
    expect(await first.type('lang zh')).toContain('简体中文')
    const before = first.session.lessonView()
    expect(before?.current?.stepIndex).toBe(4)
    await first.close()

    const second = sessionOn(file, clock)
    const map = second.session.lessonView()
    expect(map?.language).toBe('zh')
    const entry = map?.course.find((e) => e.number === 2)
    expect(entry).toMatchObject({ stepsDone: 4, stepId: election.steps[4].id, current: true })
    // Five solution commands and lang, each 30 s after the one before.
    expect(entry?.timeSpentMs).toBe(6 * 30_000)

    const resumed = await second.type('lesson')
    expect(resumed).toContain('从第 5 步继续')
    expect(resumed).toContain(election.text.zh.steps[election.steps[4].id].text.split('\n')[0])
    expect(second.session.lessonView()?.current?.stepIndex).toBe(4)
    // The earlier steps were replayed: the crashed leader is down, so restarting it meets step 5.
    let said = ''
    for (const line of election.steps[4].solution) said += await second.type(line)
    expect(said).toContain('✓ 第 5 步完成')
    await second.close()

    const third = sessionOn(file, clock)
    expect(third.session.lessonView()?.course.find((e) => e.number === 2)?.stepsDone).toBe(5)
    const courseMap = await third.type('lessons')
    expect(courseMap).toContain('5/8')
    expect(courseMap).toContain('← 你在这里')
    await third.close()
  })

  it('offers a hint after repeated failed attempts, and shows hints then the solution', async () => {
    if (election === undefined) throw new Error('lesson 2 is missing')
    const run = sessionOn(join(folder(), 'hints.db'), { ms: 0 })
    await run.type('lesson 2')
    await run.type('status')
    // Step 2 waits for an election: `status` lets no time pass.
    expect(await run.type('status')).not.toContain('hint')
    expect(await run.type('status')).not.toContain('hint')
    expect(await run.type('status')).toContain('Type hint')
    const hints = election.text.en.steps['first-election'].hints
    expect(await run.type('hint')).toContain(hints[0])
    expect(await run.type('hint')).toContain(hints[1])
    expect(await run.type('hint')).toContain('wait 500')
    expect(await run.type('lesson')).toContain('Still to do: no node has won an election yet.')
    await run.close()
  })
})
