// Every lesson's solution, replayed through the engine in the simulator: each
// step's goal is met right after its own solution, in order, and not after
// the wrong commands the lesson declares for it.

import { describe, expect, it } from 'vitest'
import { Session } from '../../src/main/commands/interpreter'
import { loadCourse } from '../../src/main/lesson-files'
import { memoryProgress } from '../../src/main/lessons/progress'

const course = loadCourse()

function newSession(): Session {
  let clock = 0
  return new Session({
    lessons: { course, progress: memoryProgress(), now: () => (clock += 1_000) },
  })
}

async function type(session: Session, line: string): Promise<string[]> {
  const result = await session.run(line)
  return [...result.lines, ...result.events]
}

function stepIndex(session: Session): number | undefined {
  return session.lessonView()?.current?.stepIndex
}

describe.each(course.lessons.map((lesson) => [lesson.id, lesson] as const))('%s', (_id, lesson) => {
  it('its solution meets every step, in order', async () => {
    const session = newSession()
    try {
      await type(session, `lesson ${lesson.number}`)
      for (const [index, step] of lesson.steps.entries()) {
        expect(stepIndex(session), `before step ${step.id}`).toBe(index)
        const said: string[] = []
        for (const line of step.solution) said.push(...(await type(session, line)))
        const last = index === lesson.steps.length - 1
        expect(said.join('\n'), `step ${step.id}: ${step.solution.join('; ')}`).toContain(
          `✓ Step ${index + 1} of ${lesson.steps.length} done.`,
        )
        if (!last) expect(stepIndex(session)).toBe(index + 1)
      }
      const entry = session.lessonView()?.course.find((e) => e.id === lesson.id)
      expect(entry?.stepsDone).toBe(lesson.steps.length)
    } finally {
      await session.close()
    }
  })

  it.each(lesson.steps.map((step, index) => [step.id, index] as const))(
    'the wrong commands of step %s do not meet it',
    async (_step, index) => {
      const session = newSession()
      try {
        await type(session, `lesson ${lesson.number}`)
        for (const step of lesson.steps.slice(0, index)) {
          for (const line of step.solution) await type(session, line)
        }
        expect(stepIndex(session)).toBe(index)
        for (const line of lesson.steps[index].wrong) {
          const said = await type(session, line)
          expect(said.join('\n'), `wrong: ${line}`).not.toContain('✓')
        }
        expect(stepIndex(session)).toBe(index)
        expect(session.lessonView()?.current?.done).toBe(false)
      } finally {
        await session.close()
      }
    },
  )
})
