// Lesson validation: every shipped lesson reads without a mistake in every
// language, and a broken lesson reports each mistake with its file and line.

import { describe, expect, it } from 'vitest'
import { loadCourse } from '../../src/main/lesson-files'
import { goalKinds } from '../../src/main/lessons/goals'
import { languages, problemLine, type LessonFiles } from '../../src/main/lessons/lesson'
import { readCourse, readLesson } from '../../src/main/lessons/read-lesson'

describe('the shipped lessons', () => {
  const course = loadCourse()

  it('read without a mistake', () => {
    expect(course.problems.map(problemLine)).toEqual([])
  })

  it('are numbered from 1 with no gap, and include the first two', () => {
    const numbers = course.lessons.map((lesson) => lesson.number)
    expect(numbers.slice(0, 2)).toEqual([1, 2])
    expect(numbers).toEqual(numbers.map((_, i) => i + 1))
  })

  it.each(languages)('have a title, and text and hints for every step, in %s', (language) => {
    for (const lesson of course.lessons) {
      const text = lesson.text[language]
      expect(text.title, lesson.id).not.toBe('')
      for (const step of lesson.steps) {
        expect(text.steps[step.id]?.text, `${lesson.id} ${step.id}`).toBeTruthy()
        expect(text.steps[step.id]?.hints.length, `${lesson.id} ${step.id}`).toBeGreaterThan(0)
      }
    }
  })
})

const goodYaml = `setup:
  algorithm: raft
  nodes: 3
  runtime: sim
  seed: 1
steps:
  - id: look
    goal:
      typed: { command: status }
    solution: ['status']
    wrong: ['help']
`

const goodText = (title: string): string => `# ${title}

## look

Type \`status\`.

### hints

- Type status.
`

function files(
  yaml: string | undefined,
  en: string | undefined,
  zh: string | undefined,
): LessonFiles {
  return { id: '09-broken', folder: 'lessons/09-broken', yaml, texts: { en, zh } }
}

describe('a broken lesson', () => {
  it('a good one reads', () => {
    const read = readLesson(files(goodYaml, goodText('Look'), goodText('看')))
    expect(read.problems).toEqual([])
    expect(read.lesson?.steps.map((s) => s.id)).toEqual(['look'])
  })

  it('reports every mistake, each with its file and line', () => {
    const yaml = `${goodYaml.replace('algorithm: raft', 'algorithm: rafty')}  - id: elect
    goal:
      leader: {}
    solution: ['kill', 'lesson 2']
    wrong: ['wait 100']
  - id: count
    goal:
      all:
        - happened: { event: crashed }
        - nodes: { role: leader, colour: red }
    solution: ['wait 100']
    wrong: []
`
    const en = `# Look

## look

Type \`status\`.

### hints

## elect

Elect someone.

### hints

- Wait.

## extra

Not a step.

### hints

- None.
`
    const read = readLesson(files(yaml, en, goodText('看')))
    expect(read.lesson).toBeNull()
    const lines = read.problems.map(problemLine)
    expect(lines[0]).toMatch(
      /^lessons\/09-broken\/lesson\.yaml:2: there is no algorithm "rafty"; the algorithms are .*raft/,
    )
    expect(lines.slice(1)).toEqual([
      `lessons/09-broken/lesson.yaml:14: there is no goal kind "leader"; the kinds are ${goalKinds.join(', ')}.`,
      'lessons/09-broken/lesson.yaml:15: the solution command "kill" does not parse: kill needs a node: kill <node>, e.g. kill leader.',
      'lessons/09-broken/lesson.yaml:15: lesson steers the lesson itself; a solution list cannot use it.',
      'lessons/09-broken/lesson.yaml:20: event is one of send, recv, drop, timer-set, timer-fire, state, crash, restart, pause, resume, link, invoke, ok, fail, info, violation, log.',
      'lessons/09-broken/lesson.yaml:21: nodes has no field "colour"; it takes node, role, status, at-least, exactly.',
      'lessons/09-broken/lesson.yaml:23: a step needs at least one wrong command that must not meet its goal.',
      'lessons/09-broken/en.md:7: step look has no hints; add "### hints" with at least one "- hint" under it.',
      'lessons/09-broken/en.md:17: "## extra" is not a step in lesson.yaml (its steps: look, elect, count).',
      'lessons/09-broken/en.md:23: step count has no text here; add a "## count" section.',
      'lessons/09-broken/zh.md:9: step elect has no text here; add a "## elect" section.',
      'lessons/09-broken/zh.md:9: step count has no text here; add a "## count" section.',
    ])
  })

  it('reports YAML that does not parse, a missing language and a bad variant', () => {
    expect(
      readLesson(files('setup: [raft\n', goodText('a'), goodText('b'))).problems.map(problemLine),
    ).toEqual([
      expect.stringMatching(
        /^lessons\/09-broken\/lesson\.yaml:1: this is not valid YAML: Flow sequence/,
      ),
    ])
    const variant = goodYaml.replace('seed: 1', 'seed: 1\n  variant: sloppy')
    expect(readLesson(files(variant, goodText('a'), undefined)).problems.map(problemLine)).toEqual([
      expect.stringMatching(
        /^lessons\/09-broken\/lesson\.yaml:6: raft has no variant "sloppy"; its variants are .*votes-twice/,
      ),
      'lessons/09-broken/zh.md:1: the lesson has no zh.md: every lesson is written in en and zh.',
    ])
  })

  it('keeps a broken lesson out of the course and the good ones in', () => {
    const good = {
      ...files(goodYaml, goodText('a'), goodText('b')),
      id: '01-good',
      folder: 'lessons/01-good',
    }
    const bad = files(
      goodYaml.replace('status }', 'status, args: 1 }'),
      goodText('a'),
      goodText('b'),
    )
    const course = readCourse([bad, good])
    expect(course.lessons.map((l) => l.id)).toEqual(['01-good'])
    expect(course.problems.map(problemLine)).toEqual([
      'lessons/09-broken/lesson.yaml:9: args is the rest of the line, e.g. leader.',
    ])
  })
})
