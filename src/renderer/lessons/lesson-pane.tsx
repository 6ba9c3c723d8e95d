// The lesson pane, above the terminal, so that a learner reads a step right
// where they type it. With a lesson open it shows the step (step-view.tsx);
// otherwise, or when asked, the course map. Its header names the lesson and
// holds the language switch. Every control runs a terminal command through
// the store's runner (the terminal echoes it), and the pane redraws from the
// core's lesson view after each command. It can be folded to its header to
// give the terminal the room.

import { lazy, Suspense, useCallback, useEffect, useRef, useState } from 'react'
import type { LessonViewData } from '../../shared/lesson-view'
import { useWords } from '../i18n'
import { useAppState, type AppStore } from '../store'
import { CourseMap } from './course-map'
import { LanguageSwitch } from './language-switch'
import { stepNews, type StepNews } from './step-news'

// markdown-it comes with the step view, loaded when a lesson first opens: the
// first page's script stays small.
const StepView = lazy(() => import('./step-view').then((loaded) => ({ default: loaded.StepView })))

/** How long the word that a step was met stays, unless the next one comes first. */
const stepNewsShownMs = 8_000

export function LessonPane({ store }: { store: AppStore }) {
  const view = useAppState(store, (state) => state.lesson)
  const words = useWords(store)
  const news = useStepNews(view)
  const [showMap, setShowMap] = useState(false)
  const [folded, setFolded] = useState(false)
  const run = useCallback((line: string): void => store.runCommand(line), [store])
  useResumeOnLoad(view, run)

  // A lesson opened (from the map or typed): show its step.
  const openLessonId = view?.current?.lessonId ?? null
  useEffect(() => setShowMap(false), [openLessonId])

  if (view === null) return null
  const current = view.current
  const mapShown = current === null || showMap
  return (
    <section
      className={`lesson-pane${folded ? ' folded' : ''}${mapShown ? ' showing-map' : ''}`}
      aria-label={words.lessonPane}
      data-testid="lesson-pane"
      data-lesson={current?.lessonId ?? ''}
      data-step={current?.stepId ?? ''}
      data-step-index={current?.stepIndex ?? ''}
      data-steps-done={current?.steps.filter((step) => step.done).length ?? ''}
      data-language={view.language}
    >
      <header className="lesson-header">
        <h2>
          {current === null ? words.courseMap : words.lessonHeading(current.number, current.title)}
        </h2>
        {current !== null && (
          <button type="button" aria-pressed={showMap} onClick={() => setShowMap(!showMap)}>
            {showMap ? words.backToStep : words.courseMap}
          </button>
        )}
        <LanguageSwitch language={view.language} words={words} run={run} />
        <button
          type="button"
          className="fold"
          aria-expanded={!folded}
          aria-controls="lesson-body"
          onClick={() => setFolded(!folded)}
        >
          {folded ? words.showPane : words.hidePane}
        </button>
      </header>
      <div id="lesson-body" className="lesson-body" hidden={folded}>
        {mapShown ? (
          <>
            {current === null && <p className="course-intro">{words.courseIntro}</p>}
            <CourseMap course={view.course} words={words} run={run} />
          </>
        ) : (
          <Suspense fallback={null}>
            <StepView
              step={current}
              news={news}
              nextLesson={view.course.find((entry) => entry.number > current.number) ?? null}
              words={words}
              run={run}
            />
          </Suspense>
        )}
      </div>
    </section>
  )
}

/** The latest step met, for a while after it was (until the next news, or a lesson change). */
function useStepNews(view: LessonViewData | null): StepNews | null {
  const before = useRef<LessonViewData | null>(null)
  const [news, setNews] = useState<StepNews | null>(null)
  useEffect(() => {
    const fresh = stepNews(before.current, view)
    const lessonChanged = before.current?.current?.lessonId !== view?.current?.lessonId
    before.current = view
    if (fresh !== null) setNews(fresh)
    else if (lessonChanged) setNews(null)
  }, [view])
  useEffect(() => {
    if (news?.kind !== 'step-met') return
    const timer = window.setTimeout(() => setNews(null), stepNewsShownMs)
    return () => window.clearTimeout(timer)
  }, [news])
  return news
}

/**
 * After a page reload (or a restart of the app) the core's session is new and
 * no lesson is open; a learner who was in the middle of one is taken back to
 * it, to the step they were on (the engine replays the steps before), by
 * running `lesson N` as they would. A finished lesson is not opened again.
 */
function useResumeOnLoad(view: LessonViewData | null, run: (line: string) => void): void {
  const decided = useRef(false)
  useEffect(() => {
    if (decided.current || view === null) return
    decided.current = true
    if (view.current !== null) return
    const left = view.course.find(
      (entry) => entry.current && entry.stepNumber !== null && entry.stepsDone < entry.steps,
    )
    if (left !== undefined) run(`lesson ${left.number}`)
  }, [view, run])
}
