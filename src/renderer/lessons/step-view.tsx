// The open lesson's current step: where it is in the lesson (each step a
// mark, done ones ticked), a word when the step before was just met, the
// step's text and the hints asked for so far, and Back, Hint and Next. The
// buttons run back, hint and next in the terminal, so the learner sees the
// command they could have typed. Lesson text is Markdown made safe by
// markdown.ts: it cannot put markup of its own on the page.

import { useMemo } from 'react'
import type { CourseEntry, CurrentStep } from '../../shared/lesson-view'
import type { Words } from '../i18n'
import { lessonHtml } from './markdown'
import type { StepNews } from './step-news'

export function StepView({
  step,
  news,
  nextLesson,
  words,
  run,
}: {
  step: CurrentStep
  news: StepNews | null
  /** The lesson after this one, offered when this one is finished. */
  nextLesson: CourseEntry | null
  words: Words
  run: (line: string) => void
}) {
  const text = useMemo(() => lessonHtml(step.text), [step.text])
  const hints = useMemo(() => step.hints.map((hint) => lessonHtml(hint)), [step.hints])
  const first = step.stepIndex === 0
  const last = step.stepIndex === step.stepCount - 1
  return (
    <div className="step-view">
      <div className="step-progress">
        <span className="step-of" data-testid="step-of">
          {words.stepOf(step.stepIndex + 1, step.stepCount)}
        </span>
        <ol className="step-marks" aria-label={words.stepOf(step.stepIndex + 1, step.stepCount)}>
          {step.steps.map((each, index) => {
            const state = index === step.stepIndex ? 'here' : each.done ? 'done' : 'todo'
            return (
              <li
                key={each.id}
                className={`step-mark ${state}${each.done ? ' done' : ''}`}
                data-step={each.id}
                data-done={each.done}
                title={words.stepState(index + 1, each.done ? 'done' : state)}
                aria-label={words.stepState(index + 1, each.done ? 'done' : state)}
                aria-current={index === step.stepIndex ? 'step' : undefined}
              >
                {each.done ? '✓' : index + 1}
              </li>
            )
          })}
        </ol>
      </div>
      {/* The status line stays in the page, empty, so that screen readers announce what comes. */}
      <div className={`step-news${news === null ? ' empty' : ''}`}>
        <p role="status" data-testid="step-news">
          {news === null
            ? ''
            : news.kind === 'step-met'
              ? words.stepConfirmed(news.step)
              : words.lessonFinished(news.title)}
        </p>
        {news?.kind === 'lesson-finished' && nextLesson !== null && (
          <button type="button" onClick={() => run(`lesson ${nextLesson.number}`)}>
            {words.openLesson(nextLesson.number, nextLesson.title, 'start')}
          </button>
        )}
      </div>
      {news === null && step.done && <p className="step-note">{words.stepAlreadyDone}</p>}
      <div
        className="lesson-text"
        data-testid="step-text"
        // Safe: markdown-it with html off escapes any markup in the lesson (markdown.ts).
        dangerouslySetInnerHTML={{ __html: text }}
      />
      {hints.length > 0 && (
        <ol className="lesson-hints" data-testid="hints">
          {hints.map((html, index) => (
            <li key={index}>
              <strong>{words.hintNumber(index + 1)}</strong>
              <div dangerouslySetInnerHTML={{ __html: html }} />
            </li>
          ))}
        </ol>
      )}
      <div className="step-actions">
        <button type="button" disabled={first} onClick={() => run('back')}>
          <span aria-hidden="true">← </span>
          {words.back}
        </button>
        <button type="button" onClick={() => run('hint')}>
          {words.hint}
        </button>
        <button type="button" disabled={last} onClick={() => run('next')}>
          {words.next}
          <span aria-hidden="true"> →</span>
        </button>
        <span className="step-actions-note">{words.buttonsType}</span>
      </div>
    </div>
  )
}
