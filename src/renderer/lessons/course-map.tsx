// The course map: every lesson with its steps done, the time spent and where
// the learner left off. Each lesson's name is a button: a click or Enter runs
// `lesson N` in the terminal, which starts it, resumes it where the learner
// was, or starts a finished one again.

import type { CourseEntry } from '../../shared/lesson-view'
import type { Words } from '../i18n'

export function CourseMap({
  course,
  words,
  run,
}: {
  course: readonly CourseEntry[]
  words: Words
  run: (line: string) => void
}) {
  return (
    <table className="course-map" data-testid="course-map">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">{words.columnLesson}</th>
          <th scope="col">{words.columnSteps}</th>
          <th scope="col">{words.columnTime}</th>
          <th scope="col">{words.columnWhere}</th>
        </tr>
      </thead>
      <tbody>
        {course.map((entry) => {
          const finished = entry.steps > 0 && entry.stepsDone === entry.steps
          const state = entry.stepNumber === null ? 'start' : finished ? 'again' : 'continue'
          return (
            <tr
              key={entry.id}
              className={entry.current ? 'current' : undefined}
              data-lesson={entry.id}
              data-steps-done={entry.stepsDone}
            >
              <td className="number">{entry.number}</td>
              <td>
                <button
                  type="button"
                  className="lesson-link"
                  aria-label={words.openLesson(entry.number, entry.title, state)}
                  onClick={() => run(`lesson ${entry.number}`)}
                >
                  {entry.title}
                </button>
              </td>
              <td>
                <span className="steps-done">
                  <progress max={entry.steps} value={entry.stepsDone} aria-hidden="true" />
                  {entry.stepsDone}/{entry.steps}
                </span>
              </td>
              <td>{words.minutes(entry.timeSpentMs)}</td>
              <td>
                {entry.stepNumber === null
                  ? words.notStarted
                  : finished
                    ? `✓ ${words.finished}`
                    : words.atStep(entry.stepNumber)}
                {entry.current && <span className="here"> · {words.youAreHere}</span>}
              </td>
            </tr>
          )
        })}
      </tbody>
    </table>
  )
}
