// What changed in the lesson between two views, worth a word in the pane: the
// step shown before was just met (and the pane moved on to the next), or the
// lesson's last step was, which finishes it. The engine counts the goals met
// since the lesson was opened; a count that grew in the same lesson is a
// step met, whether for the first time or on a lesson done again. `next`,
// `back` and opening a lesson move without meeting anything: no news.

import type { LessonViewData } from '../../shared/lesson-view'

export type StepNews =
  | { kind: 'step-met'; lessonId: string; step: number }
  | { kind: 'lesson-finished'; lessonId: string; title: string }

export function stepNews(
  before: LessonViewData | null,
  after: LessonViewData | null,
): StepNews | null {
  const was = before?.current ?? null
  const now = after?.current ?? null
  if (was === null || now === null) return null
  if (was.lessonId !== now.lessonId || now.goalsMet <= was.goalsMet) return null
  const lastStep = was.stepIndex === was.stepCount - 1
  if (lastStep && now.stepIndex === was.stepIndex) {
    return { kind: 'lesson-finished', lessonId: now.lessonId, title: now.title }
  }
  return { kind: 'step-met', lessonId: now.lessonId, step: was.stepIndex + 1 }
}
