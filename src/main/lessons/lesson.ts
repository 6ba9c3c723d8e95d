// What a lesson is once read and checked: its setup, its steps with goals,
// and its text in each language. Lessons are data (lessons/README.md is the
// authors' reference); nothing here runs code from a lesson file.

import type { CodeEdit } from './code-patch'
import type { Goal } from './goals'

/** The languages every lesson is written in. */
export const languages = ['en', 'zh'] as const
export type Language = (typeof languages)[number]

export function isLanguage(word: string): word is Language {
  return (languages as readonly string[]).includes(word)
}

/** The cluster a lesson starts with. */
export interface LessonSetup {
  algorithm: string
  variant?: string
  nodes: number
  runtime: 'sim' | 'real-time'
  seed: number
  /** Command lines run after the start, e.g. `drop 10%` or `kill n3`. */
  faults: string[]
  /**
   * Edits to the module's source (the variant's, or the reference's) that
   * make the code the editor starts on, e.g. a skeleton; absent: the source as it is.
   */
  code?: CodeEdit[]
}

export interface LessonStep {
  id: string
  goal: Goal
  /** Failed attempts (commands typed without meeting the goal) before a hint is offered. */
  hintAfter: number
  /** Commands that meet the goal from where the previous step left off. */
  solution: string[]
  /** Commands a learner might try that must not meet the goal. */
  wrong: string[]
  /**
   * Edits the learner makes in the Code tab, and applies, before the
   * solution's commands: to the code as the steps before left it.
   */
  solutionCode?: CodeEdit[]
}

export interface StepText {
  /** Markdown. */
  text: string
  /** Markdown, one per hint, shown in order. */
  hints: string[]
}

export interface LessonText {
  title: string
  /** What the lesson is about: the Markdown before the first step. */
  summary: string
  steps: Record<string, StepText>
}

export interface Lesson {
  /** The folder name, e.g. `02-raft-election`: it orders the course. */
  id: string
  /** Its place in the course, from 1. */
  number: number
  setup: LessonSetup
  steps: LessonStep[]
  text: Record<Language, LessonText>
}

/** One mistake in a lesson's files, as `file:line: sentence`. */
export interface LessonProblem {
  file: string
  line: number
  message: string
}

export function problemLine(problem: LessonProblem): string {
  return `${problem.file}:${problem.line}: ${problem.message}`
}

/** A lesson's files as text: the loader at the edge reads them, the core checks them. */
export interface LessonFiles {
  /** The folder name. */
  id: string
  /** Where the folder is, for messages: `lessons/02-raft-election`. */
  folder: string
  /** lesson.yaml, or undefined when the folder has none. */
  yaml: string | undefined
  /** en.md, zh.md, ...; undefined when missing. */
  texts: Record<Language, string | undefined>
}

/** The whole course: lessons in order, and every problem found reading them. */
export interface Course {
  lessons: Lesson[]
  problems: LessonProblem[]
}
