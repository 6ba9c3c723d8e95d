// The lesson engine: opens a lesson (sets up its cluster through the same
// commands a learner types), watches the trace, and after each command judges
// the current step's goal; when it is met, says so and shows the next step.
// It gives hints on request and offers one after repeated failed attempts, and
// records progress (steps done, where the learner is, time spent, language)
// as it goes, so a new session resumes exactly there. Pure core: the clock,
// the progress store and the cluster all come from outside.

import type { NodeId } from '../../shared/envelope'
import type { NodeSummary } from '../../shared/node-api'
import type { TraceEvent } from '../../shared/trace'
import { findSpec } from '../commands/commands'
import { tableLines } from '../commands/format'
import type { CheckerVerdict, GoalContext, LearnerCodeStatus, TypedCommand } from './goals'
import { judgeGoal } from './goals'
import type { Course, Language, Lesson } from './lesson'
import type { LessonProgress, ProgressSnapshot } from './progress'
import { setupLines } from './setup'
import { say } from './words'

/** What the engine needs from the session it lives in. */
export interface LessonHost {
  /** Runs a command line as if typed, without the lesson judging it (to set a lesson up). */
  run(line: string): Promise<{ ok: boolean; lines: string[] }>
  /** The live cluster, or null. */
  cluster(): GoalContext['cluster']
  verdict(): Promise<CheckerVerdict>
  /** The learner's applied code and the explorer's verdict on it; absent where nothing supplies code. */
  learnerCode?: () => LearnerCodeStatus
  /** A lesson opened: the code it starts the editor on comes from its setup. */
  lessonOpened?: (lesson: Lesson) => void
}

/** The engine's own commands, parsed (src/main/commands/parse.ts). */
export type LessonCommand =
  | { kind: 'lessons' }
  | { kind: 'lesson'; number?: number }
  | { kind: 'hint' | 'next' | 'back' }
  | { kind: 'lang'; language: Language }

export interface LessonAnswer {
  ok: boolean
  lines: string[]
  table?: { columns: string[]; rows: string[][] }
}

/** One lesson on the course map. */
export interface CourseEntry {
  number: number
  id: string
  title: string
  steps: number
  stepsDone: number
  timeSpentMs: number
  /** The step the learner is on (or last was), by id; null before the lesson was opened. */
  stepId: string | null
  /** That step's place in the lesson, from 1; null before the lesson was opened. */
  stepNumber: number | null
  /** The lesson the learner is in, or was last in. */
  current: boolean
}

/** What a lesson panel shows. */
export interface LessonView {
  language: Language
  course: CourseEntry[]
  current: {
    lessonId: string
    number: number
    title: string
    stepIndex: number
    stepCount: number
    stepId: string
    /** Markdown. */
    text: string
    /** The hints shown so far on this step. */
    hints: string[]
    done: boolean
    /** Every step of the lesson in order, and whether it is done (a panel ticks them). */
    steps: { id: string; done: boolean }[]
    /** Goals met since the lesson was opened: when it grows, the step shown before was just met. */
    goalsMet: number
  } | null
}

/** Events kept per step for judging goals; past this the oldest go (the goal vocabulary needs recent ones). */
export const stepEventsMax = 50_000
/** A gap between two commands counts at most this much towards time spent (the learner may have left). */
export const idleMsMax = 2 * 60_000

interface OpenLesson {
  lesson: Lesson
  stepIndex: number
  events: TraceEvent[]
  summariesAtStart: Map<NodeId, NodeSummary>
  commands: TypedCommand[]
  failedAttempts: number
  hintsShown: number
  hintOffered: boolean
  timeSpentMs: number
  lastActivity: number
  goalsMet: number
}

export class LessonEngine {
  private open: OpenLesson | null = null
  private language: Language
  /** Each node's last summary, over the whole lesson: a step's goals start from it. */
  private readonly summaries = new Map<NodeId, NodeSummary>()
  /** True while the engine itself runs commands (setup, replaying solutions). */
  private busy = false

  constructor(
    private readonly course: Course,
    private readonly progress: LessonProgress,
    private readonly host: LessonHost,
    private readonly now: () => number,
  ) {
    this.language = progress.load().language ?? 'en'
  }

  /** Sees every event of the session's clusters. */
  observe(event: TraceEvent): void {
    const open = this.open
    if (open === null) return
    if (event.kind === 'state') this.summaries.set(event.node, event.summary)
    if (event.kind === 'crash') this.summaries.delete(event.node)
    open.events.push(event)
    if (open.events.length > stepEventsMax)
      open.events.splice(0, open.events.length - stepEventsMax)
  }

  /** Runs one of the lesson commands. */
  async command(command: LessonCommand): Promise<LessonAnswer> {
    this.tick()
    switch (command.kind) {
      case 'lessons':
        return this.courseMap()
      case 'lesson':
        return this.openLesson(command.number)
      case 'hint':
        return this.hint()
      case 'next':
      case 'back':
        return this.move(command.kind === 'next' ? 1 : -1)
      case 'lang':
        this.language = command.language
        this.progress.course({ language: command.language })
        return this.open === null
          ? answer(true, [say.languageSet[this.language]])
          : answer(true, [say.languageSet[this.language], '', ...this.stepLines()])
    }
  }

  /**
   * After a command the learner typed (not a lesson command): judges the
   * current step's goal and returns what to tell them (nothing when no lesson
   * is open or the engine is running commands itself).
   */
  async afterCommand(line: string, ok: boolean): Promise<string[]> {
    const open = this.open
    if (open === null || this.busy) return []
    this.tick()
    const words = line.replace(/#.*$/, '').trim().split(/\s+/)
    const name = findSpec(words[0] ?? '')?.name ?? words[0] ?? ''
    open.commands.push({ name, args: words.slice(1).join(' '), ok })
    const step = open.lesson.steps[open.stepIndex]
    const result = await judgeGoal(step.goal, this.goalContext(open), this.language)
    if (!result.met) {
      open.failedAttempts++
      this.progress.step(open.lesson.id, step.id, 'attempted')
      if (open.failedAttempts >= step.hintAfter && !open.hintOffered) {
        open.hintOffered = true
        return [say.stuck[this.language]]
      }
      return []
    }
    this.progress.step(open.lesson.id, step.id, 'done')
    open.goalsMet++
    const lines = [say.stepDone[this.language](open.stepIndex + 1, open.lesson.steps.length)]
    if (open.stepIndex + 1 < open.lesson.steps.length) {
      this.enterStep(open, open.stepIndex + 1)
      return [...lines, '', ...this.stepLines()]
    }
    const next = this.course.lessons.find((l) => l.number > open.lesson.number)
    lines.push(
      say.lessonDone[this.language](
        this.title(open.lesson),
        minutes(open.timeSpentMs),
        next === undefined ? null : next.number,
      ),
    )
    this.savePlace(open)
    return lines
  }

  /** The course map, the open lesson and its step: what a lesson panel shows. */
  view(): LessonView {
    const open = this.open
    const step = open === null ? null : open.lesson.steps[open.stepIndex]
    const snapshot = this.progress.load()
    return {
      language: this.language,
      course: this.entries(snapshot),
      current:
        open === null || step === null
          ? null
          : {
              lessonId: open.lesson.id,
              number: open.lesson.number,
              title: this.title(open.lesson),
              stepIndex: open.stepIndex,
              stepCount: open.lesson.steps.length,
              stepId: step.id,
              text: this.stepText(open).text,
              hints: this.stepText(open).hints.slice(0, open.hintsShown),
              done: snapshot.steps.some(
                (s) => s.lessonId === open.lesson.id && s.stepId === step.id && s.done,
              ),
              steps: open.lesson.steps.map((each) => ({
                id: each.id,
                done: snapshot.steps.some(
                  (s) => s.lessonId === open.lesson.id && s.stepId === each.id && s.done,
                ),
              })),
              goalsMet: open.goalsMet,
            },
    }
  }

  // --- commands ---

  private courseMap(): LessonAnswer {
    const entries = this.entries(this.progress.load())
    if (entries.length === 0) return answer(false, [say.noLessons[this.language]])
    const w = say.mapColumns[this.language]
    const columns = ['#', w.lesson, w.steps, w.time, w.where]
    const rows = entries.map((e) => [
      String(e.number),
      e.title,
      `${e.stepsDone}/${e.steps}`,
      e.timeSpentMs === 0 ? '-' : minutes(e.timeSpentMs),
      e.stepId === null
        ? '-'
        : e.stepsDone === e.steps
          ? w.done
          : `${w.step(this.stepNumber(e.id, e.stepId))}${e.current ? ` ${w.here}` : ''}`,
    ])
    return {
      ok: true,
      lines: [...tableLines(columns, rows), say.mapHelp[this.language]],
      table: { columns, rows },
    }
  }

  private async openLesson(number: number | undefined): Promise<LessonAnswer> {
    const snapshot = this.progress.load()
    if (number === undefined && this.open !== null) {
      // `lesson` alone: where am I, and what is left to do.
      const open = this.open
      const step = open.lesson.steps[open.stepIndex]
      const result = await judgeGoal(step.goal, this.goalContext(open), this.language)
      return answer(true, [
        ...this.stepLines(),
        '',
        result.met ? say.alreadyMet[this.language] : say.stillToDo[this.language](result.missing),
      ])
    }
    const current = this.course.lessons.find((l) => l.id === snapshot.currentLessonId)
    const lesson =
      number === undefined
        ? (current ?? this.course.lessons[0])
        : this.course.lessons.find((l) => l.number === number)
    if (lesson === undefined) {
      const known = this.course.lessons.map((l) => l.number)
      return answer(false, [say.noSuchLesson[this.language](number ?? 0, known)])
    }
    const place = snapshot.places.find((p) => p.lessonId === lesson.id)
    const doneSteps = new Set(
      snapshot.steps.filter((s) => s.lessonId === lesson.id && s.done).map((s) => s.stepId),
    )
    let stepIndex = Math.max(
      0,
      lesson.steps.findIndex((s) => s.id === place?.stepId),
    )
    const finished = lesson.steps.every((s) => doneSteps.has(s.id))
    if (finished) stepIndex = 0

    // Set the cluster up as the lesson begins, then, to resume, replay the
    // earlier steps' solutions so the cluster is where the learner left it.
    this.busy = true
    const lines: string[] = []
    try {
      this.open = null
      this.summaries.clear()
      const open: OpenLesson = {
        lesson,
        stepIndex: 0,
        events: [],
        summariesAtStart: new Map(),
        commands: [],
        failedAttempts: 0,
        hintsShown: 0,
        hintOffered: false,
        timeSpentMs: place?.timeSpentMs ?? 0,
        lastActivity: this.now(),
        goalsMet: 0,
      }
      this.open = open
      for (const line of setupLines(lesson.setup)) {
        const result = await this.host.run(line)
        if (!result.ok) {
          this.open = null
          return answer(false, [say.setupFailed[this.language](line, result.lines[0] ?? '')])
        }
      }
      // The editor opens on the lesson's code; code applied before is the learner's to apply again.
      this.host.lessonOpened?.(lesson)
      const replayed = lesson.steps.slice(0, stepIndex).flatMap((step) => step.solution)
      for (const line of replayed) await this.host.run(line)
      this.progress.course({ currentLessonId: lesson.id })
      this.enterStep(open, stepIndex)
      lines.push(
        say.opened[this.language](
          lesson.number,
          this.title(lesson),
          lesson.setup,
          stepIndex,
          finished,
        ),
      )
    } finally {
      this.busy = false
    }
    const summary = this.open.lesson.text[this.language].summary
    return answer(true, [
      ...lines,
      ...(stepIndex === 0 && summary !== '' ? ['', summary] : []),
      '',
      ...this.stepLines(),
    ])
  }

  private hint(): LessonAnswer {
    const open = this.open
    if (open === null) return answer(false, [say.noLessonOpen[this.language]])
    const hints = this.stepText(open).hints
    if (open.hintsShown < hints.length) {
      open.hintsShown++
      const more = open.hintsShown < hints.length ? ` ${say.moreHints[this.language]}` : ''
      return answer(true, [
        `${say.hintLabel[this.language](open.hintsShown, hints.length)} ${hints[open.hintsShown - 1]}${more}`,
      ])
    }
    const step = open.lesson.steps[open.stepIndex]
    const edits = (step.solutionCode ?? []).flatMap((edit) => [
      say.solutionEdit[this.language],
      ...edit.find
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => `  - ${line}`),
      ...edit.replace
        .replace(/\n$/, '')
        .split('\n')
        .map((line) => `  + ${line}`),
    ])
    return answer(true, [
      ...edits,
      say.solution[this.language],
      ...step.solution.map((line) => `  ${line}`),
    ])
  }

  private move(by: 1 | -1): LessonAnswer {
    const open = this.open
    if (open === null) return answer(false, [say.noLessonOpen[this.language]])
    const to = open.stepIndex + by
    if (to < 0) return answer(false, [say.firstStep[this.language]])
    if (to >= open.lesson.steps.length) return answer(false, [say.lastStep[this.language]])
    this.enterStep(open, to)
    return answer(true, this.stepLines())
  }

  // --- pieces ---

  private enterStep(open: OpenLesson, index: number): void {
    open.stepIndex = index
    open.events = []
    open.summariesAtStart = new Map(this.summaries)
    open.commands = []
    open.failedAttempts = 0
    open.hintsShown = 0
    open.hintOffered = false
    this.progress.step(open.lesson.id, open.lesson.steps[index].id, 'started')
    this.savePlace(open)
  }

  /** Adds the time since the last command (at most idleMsMax) to the open lesson. */
  private tick(): void {
    const open = this.open
    if (open === null) return
    const now = this.now()
    open.timeSpentMs += Math.min(Math.max(0, now - open.lastActivity), idleMsMax)
    open.lastActivity = now
    this.savePlace(open)
  }

  private savePlace(open: OpenLesson): void {
    this.progress.place({
      lessonId: open.lesson.id,
      stepId: open.lesson.steps[open.stepIndex].id,
      timeSpentMs: Math.round(open.timeSpentMs),
    })
  }

  private goalContext(open: OpenLesson): GoalContext {
    return {
      events: open.events,
      summariesAtStart: open.summariesAtStart,
      commands: open.commands,
      cluster: this.host.cluster(),
      verdict: () => this.host.verdict(),
      ...(this.host.learnerCode === undefined ? {} : { learnerCode: this.host.learnerCode }),
    }
  }

  private stepText(open: OpenLesson): { text: string; hints: string[] } {
    return open.lesson.text[this.language].steps[open.lesson.steps[open.stepIndex].id]
  }

  private stepLines(): string[] {
    const open = this.open
    if (open === null) return []
    const heading = say.stepHeading[this.language](
      open.lesson.number,
      this.title(open.lesson),
      open.stepIndex + 1,
      open.lesson.steps.length,
    )
    return [heading, ...this.stepText(open).text.split('\n')]
  }

  private title(lesson: Lesson): string {
    return lesson.text[this.language].title
  }

  private stepNumber(lessonId: string, stepId: string): number {
    const lesson = this.course.lessons.find((l) => l.id === lessonId)
    return (lesson?.steps.findIndex((s) => s.id === stepId) ?? 0) + 1
  }

  private entries(snapshot: ProgressSnapshot): CourseEntry[] {
    return this.course.lessons.map((lesson) => {
      const place = snapshot.places.find((p) => p.lessonId === lesson.id)
      const stepIds = new Set(lesson.steps.map((s) => s.id))
      const done = snapshot.steps.filter(
        (s) => s.lessonId === lesson.id && s.done && stepIds.has(s.stepId),
      ).length
      return {
        number: lesson.number,
        id: lesson.id,
        title: this.title(lesson),
        steps: lesson.steps.length,
        stepsDone: done,
        timeSpentMs: place?.timeSpentMs ?? 0,
        stepId: place?.stepId ?? null,
        stepNumber: place === undefined ? null : this.stepNumber(lesson.id, place.stepId),
        current: snapshot.currentLessonId === lesson.id,
      }
    })
  }
}

function answer(ok: boolean, lines: string[]): LessonAnswer {
  return { ok, lines }
}

function minutes(ms: number): string {
  if (ms < 60_000) return '< 1 min'
  const total = Math.round(ms / 60_000)
  return total < 60 ? `${total} min` : `${Math.floor(total / 60)} h ${total % 60} min`
}
