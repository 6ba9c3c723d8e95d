// Lesson progress on the SQLite store: steps done and tried, where the learner
// is in each lesson, time spent, the lesson and language last used. Every
// write is durable (synchronous=FULL): progress must survive a power cut.

import { isLanguage } from '../lessons/lesson'
import type { LessonProgress, ProgressSnapshot } from '../lessons/progress'
import type { LabStore } from './store'

export class StoredProgress implements LessonProgress {
  constructor(private readonly store: LabStore) {}

  load(): ProgressSnapshot {
    const course = this.store.lessonCourse()
    return {
      steps: this.store.progress().map((s) => ({
        lessonId: s.lessonId,
        stepId: s.stepId,
        done: s.status === 'done',
        attempts: s.attempts,
      })),
      places: this.store.lessonPlaces(),
      currentLessonId: course.currentLessonId,
      // A language this version does not know (written by a newer one) reads as unset.
      language: course.language !== null && isLanguage(course.language) ? course.language : null,
    }
  }

  step(lessonId: string, stepId: string, event: 'started' | 'attempted' | 'done'): void {
    this.store.recordProgress(lessonId, stepId, event)
  }

  place(place: { lessonId: string; stepId: string; timeSpentMs: number }): void {
    this.store.recordLessonPlace(place)
  }

  course(change: { currentLessonId?: string; language?: 'en' | 'zh' }): void {
    this.store.recordLessonCourse(change)
  }
}
