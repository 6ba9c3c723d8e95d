// The code a lesson opens the editor on: its module's source as a learner
// reads it (the variant's, or the reference's), with the lesson's setup edits
// made, e.g. a handler's body taken out to leave a skeleton. Lessons that ask
// for no code leave the editor as it is.

import { applyCodeEdits, type CodeEdit } from '../lessons/code-patch'
import type { Lesson, LessonSetup } from '../lessons/lesson'
import type { StartingCode } from './learner-code'
import { moduleSource } from './module-sources'

/** Whether the lesson asks the learner for code: a skeleton to start from, or a step solved in the editor. */
export function asksForCode(lesson: Lesson): boolean {
  return lesson.setup.code !== undefined || lesson.steps.some((step) => step.solutionCode)
}

/** The module's source with the setup's edits made; throws a sentence naming an edit that does not fit. */
export function startingCode(setup: LessonSetup): StartingCode {
  const module = moduleSource(setup.algorithm, setup.variant ?? null)
  return {
    algorithm: setup.algorithm,
    variant: module.variant,
    fileName: module.fileName,
    source: edited(module.source, setup.code ?? [], `${module.fileName} (setup code)`),
  }
}

/** `source` with `edits` made, or an error saying which edit of `what` does not fit. */
export function edited(source: string, edits: readonly CodeEdit[], what: string): string {
  const result = applyCodeEdits(source, edits)
  if (!result.ok) throw new Error(`${what}, edit ${result.edit + 1}: ${result.problem}`)
  return result.source
}
