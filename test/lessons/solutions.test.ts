// Every lesson's solution, replayed through the engine in the simulator: each
// step's goal is met right after its own solution, in order, and not after
// the wrong commands the lesson declares for it. A lesson that asks for code
// is replayed as a learner does it in the app: its starting code applied from
// the Code tab when it opens, and each step's code patch made and applied
// before the step's commands (explore --code runs it on the job thread).

import { afterAll, describe, expect, it } from 'vitest'
import { CodeService } from '../../src/main/code/code-service'
import { LearnerCodeSlot } from '../../src/main/code/learner-code'
import { edited } from '../../src/main/code/lesson-code'
import { Session } from '../../src/main/commands/interpreter'
import { JobThread } from '../../src/main/jobs/job-thread'
import { loadCourse } from '../../src/main/lesson-files'
import type { LessonStep } from '../../src/main/lessons/lesson'
import { memoryProgress } from '../../src/main/lessons/progress'
import { learnerCodeOptions } from '../../src/main/session-factory'

const course = loadCourse()
const jobs = new JobThread()
afterAll(() => jobs.close())

/** A session with the app's pieces for code: the slot the Code tab fills, and its service. */
interface Lab {
  session: Session
  slot: LearnerCodeSlot
  code: CodeService
}

function newSession(): Lab {
  let clock = 0
  const slot = new LearnerCodeSlot()
  const session = new Session({
    jobs,
    ...learnerCodeOptions(slot),
    lessons: { course, progress: memoryProgress(), now: () => (clock += 1_000) },
  })
  return { session, slot, code: new CodeService({ cluster: () => null, learnerCode: slot }) }
}

/** Opens the lesson, and applies its starting code from the Code tab when it has one. */
async function openLesson(lab: Lab, number: number): Promise<void> {
  await type(lab.session, `lesson ${number}`)
  const start = lab.slot.startingCode()
  if (start === null) return
  const applied = await lab.code.apply({ ...start, variant: start.variant })
  expect(applied.applied, applied.lines.join(' ')).toBe(true)
}

/** Makes the step's code patch to the code last applied, and applies the result. */
async function applyStepCode(lab: Lab, step: LessonStep): Promise<void> {
  if (step.solutionCode === undefined) return
  const current = lab.slot.current()
  if (current === null) throw new Error(`step ${step.id} patches code, and none is applied`)
  const source = edited(current.source, step.solutionCode, `step ${step.id}'s solution-code`)
  const applied = await lab.code.apply({
    algorithm: current.algorithm,
    variant: null,
    source,
    fileName: current.fileName,
  })
  expect(applied.applied, applied.lines.join(' ')).toBe(true)
}

async function type(session: Session, line: string): Promise<string[]> {
  const result = await session.run(line)
  return [...result.lines, ...result.events]
}

function stepIndex(session: Session): number | undefined {
  return session.lessonView()?.current?.stepIndex
}

describe.each(course.lessons.map((lesson) => [lesson.id, lesson] as const))('%s', (_id, lesson) => {
  it('its solution meets every step, in order', { timeout: 300_000 }, async () => {
    const lab = newSession()
    const session = lab.session
    try {
      await openLesson(lab, lesson.number)
      for (const [index, step] of lesson.steps.entries()) {
        expect(stepIndex(session), `before step ${step.id}`).toBe(index)
        await applyStepCode(lab, step)
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
    { timeout: 300_000 },
    async (_step, index) => {
      const lab = newSession()
      const session = lab.session
      try {
        await openLesson(lab, lesson.number)
        for (const step of lesson.steps.slice(0, index)) {
          await applyStepCode(lab, step)
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
