// What a lesson pane shows, as the core sends it: the course map (each
// lesson's steps done, time spent, where the learner left off), the open
// lesson's current step (its Markdown text, the hints shown so far, which
// steps are done) and the language the lessons are read in. The core makes it
// (LessonView in src/main/lessons/engine.ts); the schema bounds every string
// and array, so a broken or hostile lesson pack cannot flood the page.

import { z } from 'zod'

/** The languages the lessons, and the page around them, are written in. */
export const lessonLanguages = ['en', 'zh'] as const
export type LessonLanguage = (typeof lessonLanguages)[number]

/** Lessons on the course map, at most. */
export const courseLessonsMax = 200
/** Steps one lesson may have, at most. */
export const lessonStepsMax = 200
/** One step's text, in characters of Markdown. */
export const stepTextCharsMax = 20_000
/** Hints one step may have, at most. */
export const stepHintsMax = 20
/** One hint, in characters of Markdown. */
export const hintCharsMax = 4_000
/** A lesson's title, at most. */
export const lessonTitleCharsMax = 200
/** A lesson or step id (a folder name, a step id), at most. */
const idCharsMax = 100
/** Time spent in one lesson, at most: a year, in ms. */
const timeSpentMsMax = 365 * 24 * 3600 * 1000

const id = z.string().min(1).max(idCharsMax)
const title = z.string().max(lessonTitleCharsMax)
const count = z.int().nonnegative().max(lessonStepsMax)

export const courseEntrySchema = z.strictObject({
  number: z.int().positive().max(999),
  id,
  title,
  steps: count,
  stepsDone: count,
  timeSpentMs: z.number().nonnegative().max(timeSpentMsMax),
  /** The step the learner is on (or last was); null before the lesson was opened. */
  stepId: id.nullable(),
  /** That step's place in the lesson, from 1; null before the lesson was opened. */
  stepNumber: z.int().positive().max(lessonStepsMax).nullable(),
  /** The lesson the learner is in, or was last in. */
  current: z.boolean(),
})

export type CourseEntry = z.infer<typeof courseEntrySchema>

export const currentStepSchema = z.strictObject({
  lessonId: id,
  number: z.int().positive().max(999),
  title,
  stepIndex: z
    .int()
    .nonnegative()
    .max(lessonStepsMax - 1),
  stepCount: z.int().positive().max(lessonStepsMax),
  stepId: id,
  /** Markdown. */
  text: z.string().max(stepTextCharsMax),
  /** The hints shown so far on this step, Markdown. */
  hints: z.array(z.string().max(hintCharsMax)).max(stepHintsMax),
  done: z.boolean(),
  /** Every step of the lesson in order, and whether it is done. */
  steps: z.array(z.strictObject({ id, done: z.boolean() })).max(lessonStepsMax),
  /** Goals met since the lesson was opened: when it grows, the step shown before was just met. */
  goalsMet: z.int().nonnegative().max(Number.MAX_SAFE_INTEGER),
})

export type CurrentStep = z.infer<typeof currentStepSchema>

export const lessonViewSchema = z.strictObject({
  language: z.enum(lessonLanguages),
  course: z.array(courseEntrySchema).max(courseLessonsMax),
  /** The open lesson and its step; null when none is open (the pane shows the course map). */
  current: currentStepSchema.nullable(),
})

export type LessonViewData = z.infer<typeof lessonViewSchema>

/** The `lesson` request: the view, or null in a session without lessons. */
export const lessonRequestSchema = {
  args: z.strictObject({}),
  result: lessonViewSchema.nullable(),
}
