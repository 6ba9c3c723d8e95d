// The lesson pane's view, as the core sends it: what the engine gives fits
// the API's schema at every step of lesson 2, ticks the steps done, says where
// the learner is, and the page's stepNews reads each step met (and the lesson
// finished) from two views in a row, and nothing from next, back or opening.

import { describe, expect, it } from 'vitest'
import { Session } from '../../src/main/commands/interpreter'
import { loadCourse } from '../../src/main/lesson-files'
import { memoryProgress } from '../../src/main/lessons/progress'
import { requestSchemas } from '../../src/shared/api'
import {
  lessonViewSchema,
  stepTextCharsMax,
  type LessonViewData,
} from '../../src/shared/lesson-view'
import { stepNews } from '../../src/renderer/lessons/step-news'

const course = loadCourse()
const lesson = course.lessons.find((each) => each.id === '02-raft-election')

function newSession(): Session {
  let clock = 0
  return new Session({
    lessons: { course, progress: memoryProgress(), now: () => (clock += 1_000) },
  })
}

function view(session: Session): LessonViewData {
  // Through the request's own result schema, as the page checks the reply.
  const parsed = requestSchemas.lesson.result.parse(session.lessonView())
  if (parsed === null) throw new Error('a session with lessons gave no lesson view')
  return parsed
}

describe('the lesson view', () => {
  it('fits the schema and ticks each step of lesson 2 as its solution meets it', async () => {
    if (lesson === undefined) throw new Error('lesson 2 (02-raft-election) is missing')
    const session = newSession()
    try {
      const closed = view(session)
      expect(closed.current).toBeNull()
      expect(closed.language).toBe('en')
      expect(closed.course.find((e) => e.number === 2)).toMatchObject({
        stepsDone: 0,
        stepNumber: null,
        current: false,
      })

      await session.run('lesson 2')
      let before = view(session)
      expect(before.current).toMatchObject({ lessonId: lesson.id, stepIndex: 0, goalsMet: 0 })
      expect(before.current?.steps.map((s) => s.id)).toEqual(lesson.steps.map((s) => s.id))
      expect(before.current?.steps.every((s) => !s.done)).toBe(true)

      for (const [index, step] of lesson.steps.entries()) {
        for (const line of step.solution) await session.run(line)
        const after = view(session)
        const done = after.current?.steps.filter((s) => s.done).map((s) => s.id)
        expect(done, `after step ${step.id}`).toEqual(
          lesson.steps.slice(0, index + 1).map((s) => s.id),
        )
        const last = index === lesson.steps.length - 1
        expect(stepNews(before, after)).toEqual(
          last
            ? { kind: 'lesson-finished', lessonId: lesson.id, title: after.current?.title }
            : { kind: 'step-met', lessonId: lesson.id, step: index + 1 },
        )
        expect(after.course.find((e) => e.id === lesson.id)).toMatchObject({
          stepsDone: index + 1,
          stepNumber: last ? lesson.steps.length : index + 2,
          current: true,
        })
        before = after
      }
    } finally {
      await session.close()
    }
  })

  it('reads no step met from next, back, a hint, a language switch or opening a lesson', async () => {
    const session = newSession()
    try {
      await session.run('lesson 2')
      const views = [view(session)]
      for (const line of ['next', 'back', 'hint', 'lang zh', 'lesson 1', 'lesson 2']) {
        await session.run(line)
        views.push(view(session))
      }
      for (let i = 1; i < views.length; i++) expect(stepNews(views[i - 1], views[i])).toBeNull()
      expect(views[3].current?.hints).toHaveLength(1)
      expect(views[4].language).toBe('zh')
      expect(views[4].current?.title).toBe(lesson?.text.zh.title)
      // `lesson 2` again resumes at the step where `back` left it.
      expect(views[6].current).toMatchObject({ lessonId: '02-raft-election', stepIndex: 0 })
    } finally {
      await session.close()
    }
  })

  it('refuses a view past its bounds with a sentence-sized error, not a flood', () => {
    const huge = {
      language: 'en',
      course: [],
      current: {
        lessonId: 'x',
        number: 1,
        title: 't',
        stepIndex: 0,
        stepCount: 1,
        stepId: 's',
        text: 'a'.repeat(stepTextCharsMax + 1),
        hints: [],
        done: false,
        steps: [{ id: 's', done: false }],
        goalsMet: 0,
      },
    }
    const parsed = lessonViewSchema.safeParse(huge)
    expect(parsed.success).toBe(false)
    expect(lessonViewSchema.safeParse({ ...huge, language: 'fr' }).success).toBe(false)
    const fitting = { ...huge, current: { ...huge.current, text: 'fits' } }
    expect(lessonViewSchema.safeParse(fitting).success).toBe(true)
  })
})
