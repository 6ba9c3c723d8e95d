// Reads and checks a lesson from its files' text: lesson.yaml (setup, steps,
// goals, solutions) and one Markdown file per language. Every mistake is
// reported with its file and line, in one sentence; a lesson with any mistake
// is not offered to learners. Pure: the loader at the edge reads the files.

import { LineCounter, parseDocument, isMap, isSeq, type Document, type Node } from 'yaml'
import { z } from 'zod'
import { algorithms } from '../../workers/algorithms'
import { findSpec } from '../commands/commands'
import { parse } from '../commands/parse'
import { readGoal, type Goal } from './goals'
import {
  languages,
  type Course,
  type Lesson,
  type LessonFiles,
  type LessonProblem,
  type LessonSetup,
  type LessonStep,
  type LessonText,
} from './lesson'
import { readLessonMarkdown } from './lesson-markdown'

/** Commands that steer lessons: they cannot be part of a lesson's own commands. */
export const lessonCommandNames = ['lessons', 'lesson', 'hint', 'next', 'back', 'lang']

const stepIdPattern = /^[a-z0-9][a-z0-9-]*$/
const commandLine = z.string({ error: 'each command is a line of text, e.g. "kill leader"' })

/** A code patch as lesson.yaml writes it: a list of edits, each find and replace. */
const codeEditsSchema = z
  .array(
    z
      .strictObject(
        {
          find: z
            .string({ error: 'find is the text to replace, quoted or as a | block' })
            .min(1, { error: 'find cannot be empty' }),
          replace: z.string({ error: 'replace is the text to put in its place (it may be empty)' }),
        },
        { error: 'a code edit is a map: find, replace' },
      )
      .refine((edit) => edit.find !== edit.replace, {
        error: 'this edit replaces its text with the same text; change something or remove it',
      }),
    { error: 'a code patch is a list of edits, each a map of find and replace' },
  )
  .min(1, { error: 'a code patch needs at least one edit' })

const lessonSchema = z.strictObject({
  setup: z.unknown(),
  steps: z
    .array(z.unknown(), { error: 'steps is a list of steps' })
    .min(1, { error: 'a lesson needs at least one step' }),
})

const setupSchema = z.strictObject(
  {
    algorithm: z.string({ error: 'algorithm names an algorithm, e.g. raft' }),
    variant: z.string({ error: 'variant names a broken variant, e.g. votes-twice' }).optional(),
    nodes: z
      .int({ error: 'nodes is a whole number from 1 to 25' })
      .min(1, { error: 'nodes is a whole number from 1 to 25' })
      .max(25, { error: 'nodes is a whole number from 1 to 25' }),
    runtime: z.enum(['sim', 'real-time'], { error: 'runtime is sim or real-time' }),
    seed: z
      .int({ error: 'seed is a whole number' })
      .min(0)
      .max(2 ** 31 - 1),
    faults: z.array(commandLine, { error: 'faults is a list of commands' }).optional(),
    code: codeEditsSchema.optional(),
  },
  { error: 'setup is a map: algorithm, nodes, runtime, seed (and variant, faults, code)' },
)

const stepSchema = z.strictObject(
  {
    id: z.string({ error: 'id is a word naming the step' }).regex(stepIdPattern, {
      error: 'a step id is lower case letters, digits and dashes, e.g. kill-leader',
    }),
    goal: z.unknown(),
    'hint-after': z.int({ error: 'hint-after is a whole number' }).min(1).max(100).optional(),
    solution: z
      .array(commandLine, { error: 'solution is a list of commands' })
      .min(1, { error: 'a step needs a solution of at least one command' }),
    wrong: z
      .array(commandLine, { error: 'wrong is a list of commands' })
      .min(1, { error: 'a step needs at least one wrong command that must not meet its goal' }),
    'solution-code': codeEditsSchema.optional(),
  },
  { error: 'a step is a map: id, goal, solution, wrong (and hint-after, solution-code)' },
)

/** Failed attempts before a hint is offered, when a step does not say. */
export const hintAfterDefault = 3

/** Reads every lesson; the course keeps the lessons without mistakes, in folder order. */
export function readCourse(all: LessonFiles[]): Course {
  const problems: LessonProblem[] = []
  const lessons: Lesson[] = []
  const sorted = [...all].sort((a, b) => a.id.localeCompare(b.id))
  const numbers = new Map<number, string>()
  for (const files of sorted) {
    const read = readLesson(files)
    problems.push(...read.problems)
    if (read.lesson === null) continue
    const other = numbers.get(read.lesson.number)
    if (other !== undefined) {
      problems.push({
        file: files.folder,
        line: 1,
        message: `lessons ${other} and ${files.id} have the same number; give each folder its own NN- prefix.`,
      })
      continue
    }
    numbers.set(read.lesson.number, files.id)
    lessons.push(read.lesson)
  }
  return { lessons, problems }
}

/** One lesson, or null with the problems that keep it out. */
export function readLesson(files: LessonFiles): {
  lesson: Lesson | null
  problems: LessonProblem[]
} {
  const problems: LessonProblem[] = []
  const yamlFile = `${files.folder}/lesson.yaml`
  const number = /^(\d{1,3})-[a-z0-9-]+$/.exec(files.id)
  if (number === null) {
    problems.push({
      file: files.folder,
      line: 1,
      message: `a lesson folder is named NN-words, e.g. 02-raft-election, not ${files.id}.`,
    })
  }
  if (files.yaml === undefined) {
    problems.push({ file: yamlFile, line: 1, message: 'the lesson has no lesson.yaml.' })
    return { lesson: null, problems }
  }
  const lineCounter = new LineCounter()
  const doc = parseDocument(files.yaml, { lineCounter, prettyErrors: false })
  for (const error of doc.errors) {
    problems.push({
      file: yamlFile,
      line: error.linePos?.[0].line ?? 1,
      message: `this is not valid YAML: ${error.message.split('\n')[0].replace(/ at line \d+.*$/, '')}.`,
    })
  }
  if (doc.errors.length > 0) return { lesson: null, problems }
  const at = (path: (string | number)[]): number => lineOf(doc, lineCounter, path)
  const yamlProblem = (path: (string | number)[], message: string): void => {
    problems.push({ file: yamlFile, line: at(path), message })
  }

  // Each part is checked on its own, so one mistake never hides another.
  const check = <T>(schema: z.ZodType<T>, value: unknown, at: (string | number)[]): T | null => {
    const parsed = schema.safeParse(value)
    if (parsed.success) return parsed.data
    for (const issue of parsed.error.issues) {
      const path = [...at, ...issue.path.map((p) => (typeof p === 'number' ? p : String(p)))]
      if (issue.code === 'unrecognized_keys') {
        yamlProblem([...path, issue.keys[0]], `unknown field "${issue.keys.join('", "')}" here.`)
      } else {
        yamlProblem(path, `${issue.message}.`)
      }
    }
    return null
  }
  const raw: unknown = doc.toJS()
  check(lessonSchema, raw, [])
  const fieldsOf = (value: unknown): Record<string, unknown> =>
    value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : {}
  const setupData = check(setupSchema, fieldsOf(raw)['setup'], ['setup'])
  const setup = setupData === null ? null : checkSetup(setupData, yamlProblem)

  const steps: LessonStep[] = []
  const seen = new Set<string>()
  const rawSteps = fieldsOf(raw)['steps']
  ;(Array.isArray(rawSteps) ? rawSteps : []).forEach((rawStep: unknown, i) => {
    const step = check(stepSchema, rawStep, ['steps', i])
    const fields = fieldsOf(rawStep)
    const id = step?.id ?? (typeof fields['id'] === 'string' ? fields['id'] : null)
    if (id !== null) {
      if (seen.has(id)) yamlProblem(['steps', i, 'id'], `step id ${id} is used twice.`)
      seen.add(id)
    }
    let goal: Goal | null = null
    if ('goal' in fields) {
      const read = readGoal(fields['goal'])
      if ('issues' in read) {
        for (const issue of read.issues) {
          yamlProblem(['steps', i, 'goal', ...issue.path], issue.message)
        }
      } else goal = read.goal
    } else {
      yamlProblem(['steps', i], 'a step needs a goal.')
    }
    if (step === null) return
    checkCommands(step.solution, ['steps', i, 'solution'], yamlProblem, 'solution')
    checkCommands(step.wrong, ['steps', i, 'wrong'], yamlProblem, 'wrong')
    if (goal === null) return
    steps.push({
      id: step.id,
      goal,
      hintAfter: step['hint-after'] ?? hintAfterDefault,
      solution: step.solution,
      wrong: step.wrong,
      ...(step['solution-code'] === undefined ? {} : { solutionCode: step['solution-code'] }),
    })
  })

  const text = {} as Record<(typeof languages)[number], LessonText>
  for (const language of languages) {
    const file = `${files.folder}/${language}.md`
    const source = files.texts[language]
    if (source === undefined) {
      problems.push({
        file,
        line: 1,
        message: `the lesson has no ${language}.md: every lesson is written in ${languages.join(' and ')}.`,
      })
      continue
    }
    const markdown = readLessonMarkdown(source)
    for (const p of markdown.problems) problems.push({ file, ...p })
    const sections = new Map(markdown.sections.map((s) => [s.id, s]))
    for (const section of markdown.sections) {
      if (!seen.has(section.id)) {
        problems.push({
          file,
          line: section.line,
          message: `"## ${section.id}" is not a step in lesson.yaml (its steps: ${[...seen].join(', ')}).`,
        })
      }
    }
    seen.forEach((id) => {
      if (!sections.has(id)) {
        problems.push({
          file,
          line: lastLine(source),
          message: `step ${id} has no text here; add a "## ${id}" section.`,
        })
      }
    })
    text[language] = {
      title: markdown.title,
      summary: markdown.summary,
      steps: Object.fromEntries(
        markdown.sections.map((s) => [s.id, { text: s.text, hints: s.hints }]),
      ),
    }
  }
  // In file order: lesson.yaml, then each language; by line within a file.
  const order = [yamlFile, ...languages.map((l) => `${files.folder}/${l}.md`)]
  problems.sort((a, b) => order.indexOf(a.file) - order.indexOf(b.file) || a.line - b.line)
  if (problems.length > 0 || setup === null || number === null) return { lesson: null, problems }
  return { lesson: { id: files.id, number: Number(number[1]), setup, steps, text }, problems }
}

type Report = (path: (string | number)[], message: string) => void

function checkSetup(setup: z.infer<typeof setupSchema>, report: Report): LessonSetup | null {
  const entry = algorithms[setup.algorithm]
  if (entry === undefined) {
    report(
      ['setup', 'algorithm'],
      `there is no algorithm "${setup.algorithm}"; the algorithms are ${Object.keys(algorithms).join(', ')}.`,
    )
    return null
  }
  if (setup.variant !== undefined && entry.variants[setup.variant] === undefined) {
    const known = Object.keys(entry.variants)
    report(
      ['setup', 'variant'],
      `${setup.algorithm} has no variant "${setup.variant}"; ${known.length === 0 ? 'it has none' : `its variants are ${known.join(', ')}`}.`,
    )
    return null
  }
  const faults = setup.faults ?? []
  checkCommands(faults, ['setup', 'faults'], report, 'faults')
  faults.forEach((line, i) => {
    if (parse(line).ok && firstWord(line) === 'start') {
      report(
        ['setup', 'faults', i],
        'faults act on the cluster the setup starts; they cannot start another.',
      )
    }
  })
  return {
    algorithm: setup.algorithm,
    ...(setup.variant === undefined ? {} : { variant: setup.variant }),
    nodes: setup.nodes,
    runtime: setup.runtime,
    seed: setup.seed,
    faults,
    ...(setup.code === undefined ? {} : { code: setup.code }),
  }
}

function checkCommands(
  lines: string[],
  path: (string | number)[],
  report: Report,
  what: string,
): void {
  lines.forEach((line, i) => {
    const parsed = parse(line)
    if (!parsed.ok) {
      report([...path, i], `the ${what} command "${line}" does not parse: ${parsed.error}`)
    } else if (parsed.command.kind === 'empty') {
      report([...path, i], `the ${what} list has an empty command; remove it.`)
    } else if (lessonCommandNames.includes(firstWord(line))) {
      report(
        [...path, i],
        `${firstWord(line)} steers the lesson itself; a ${what} list cannot use it.`,
      )
    }
  })
}

function firstWord(line: string): string {
  const word = line.trim().split(/\s+/)[0] ?? ''
  return findSpec(word)?.name ?? word
}

/** The line of the node at `path`, or of the nearest node above it that exists. */
function lineOf(doc: Document, lineCounter: LineCounter, path: (string | number)[]): number {
  for (let length = path.length; length >= 0; length--) {
    const prefix = path.slice(0, length)
    const node = (prefix.length === 0 ? doc.contents : doc.getIn(prefix, true)) as
      Node | null | undefined
    // A key that is there but empty (`goal:`) has a null node: point at its key.
    if (node === null || node === undefined || node.range === undefined || node.range === null) {
      const parent = prefix.length === 0 ? null : keyNode(doc, prefix)
      if (parent !== null) return lineCounter.linePos(parent).line
      continue
    }
    return lineCounter.linePos(node.range[0]).line
  }
  return 1
}

/** The offset of the key `path` ends with, when its parent is a map. */
function keyNode(doc: Document, path: (string | number)[]): number | null {
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true)
  if (!isMap(parent)) return isSeq(parent) ? (parent.range?.[0] ?? null) : null
  const last = path[path.length - 1]
  for (const pair of parent.items) {
    const key = pair.key as Node | null
    if (key !== null && 'value' in key && (key as { value: unknown }).value === last) {
      return key.range?.[0] ?? null
    }
  }
  return null
}

function lastLine(text: string): number {
  return Math.max(1, text.replace(/\n+$/, '').split('\n').length)
}
