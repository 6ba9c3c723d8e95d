// Where lesson progress is kept: which steps are done, how often each was
// tried, where the learner is in each lesson and how long they spent there,
// which lesson they were last in, and the language they read. The app and the
// REPL keep it in SQLite (src/main/store/stored-progress.ts), durably; a
// session without a store keeps it in memory (memoryProgress).

import type { Language } from './lesson'

export type StepEvent = 'started' | 'attempted' | 'done'

export interface StepRecord {
  lessonId: string
  stepId: string
  done: boolean
  /** Commands typed on the step that did not meet its goal, or did. */
  attempts: number
}

export interface LessonPlace {
  lessonId: string
  /** The step the learner is on. */
  stepId: string
  timeSpentMs: number
}

export interface ProgressSnapshot {
  steps: StepRecord[]
  places: LessonPlace[]
  /** The lesson the learner was last in. */
  currentLessonId: string | null
  language: Language | null
}

export interface LessonProgress {
  load(): ProgressSnapshot
  step(lessonId: string, stepId: string, event: StepEvent): void
  /** Where the learner is in a lesson, and the time spent in it so far (in total). */
  place(place: LessonPlace): void
  /** The lesson the learner is in, and the language they read. */
  course(change: { currentLessonId?: string; language?: Language }): void
}

/** Progress kept for this session only. */
export function memoryProgress(): LessonProgress {
  const steps = new Map<string, StepRecord>()
  const places = new Map<string, LessonPlace>()
  let currentLessonId: string | null = null
  let language: Language | null = null
  return {
    load: () => ({
      steps: [...steps.values()].map((s) => ({ ...s })),
      places: [...places.values()].map((p) => ({ ...p })),
      currentLessonId,
      language,
    }),
    step(lessonId, stepId, event) {
      const key = `${lessonId}\0${stepId}`
      const record = steps.get(key) ?? { lessonId, stepId, done: false, attempts: 0 }
      if (event === 'done') record.done = true
      if (event !== 'started') record.attempts++
      steps.set(key, record)
    },
    place(place) {
      places.set(place.lessonId, { ...place })
    },
    course(change) {
      if (change.currentLessonId !== undefined) currentLessonId = change.currentLessonId
      if (change.language !== undefined) language = change.language
    },
  }
}
