// Lessons that ask for code: their starting code (a broken variant, a
// skeleton) fails the explorer and their solution patch makes it pass, both
// run on the job thread as `explore --code` runs them; the explorer-passes
// goal says what is missing without running anything; the code patch format
// is checked with its line; the terminal's explore --code is parsed,
// completed and refused clearly.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ApiCore } from '../../src/main/api/core'
import { LearnerCodeSlot } from '../../src/main/code/learner-code'
import { asksForCode, edited, startingCode } from '../../src/main/code/lesson-code'
import { complete } from '../../src/main/commands/complete'
import { Session } from '../../src/main/commands/interpreter'
import { parse } from '../../src/main/commands/parse'
import { JobThread } from '../../src/main/jobs/job-thread'
import { loadCourse } from '../../src/main/lesson-files'
import { judgeGoal, type GoalContext, type LearnerCodeStatus } from '../../src/main/lessons/goals'
import { memoryProgress } from '../../src/main/lessons/progress'
import { readLesson } from '../../src/main/lessons/read-lesson'
import { learnerCodeOptions, openKeptRuns } from '../../src/main/session-factory'

const course = loadCourse()
const codeLessons = course.lessons.filter(asksForCode)
const jobs = new JobThread()
afterAll(() => jobs.close())

describe('lessons that ask for code', { timeout: 300_000 }, () => {
  it('are lessons 6 and 17', () => {
    expect(codeLessons.map((lesson) => lesson.number)).toEqual([6, 17])
  })

  it.each(codeLessons.map((lesson) => [lesson.id, lesson] as const))(
    '%s: the starting code fails the explorer; with the solution patch it passes',
    async (_id, lesson) => {
      const start = startingCode(lesson.setup)
      const explore = (source: string, runs: number) =>
        jobs.exploreCode({ algorithm: start.algorithm, source, fileName: start.fileName, runs })
      const broken = await explore(start.source, 20)
      expect(broken.found?.failure.message).toMatch(/^(Election Safety|Leader Completeness)/)
      const fixed = lesson.steps.reduce(
        (source, step) => edited(source, step.solutionCode ?? [], step.id),
        start.source,
      )
      expect(fixed).not.toBe(start.source)
      expect(await explore(fixed, 30)).toMatchObject({ runs: 30, found: null })
    },
  )

  it("17's skeleton is raft.ts without the vote decision, and its patch puts the reference's back", () => {
    const lesson = codeLessons.find((l) => l.number === 17)
    if (lesson === undefined) throw new Error('no lesson 17')
    const skeleton = startingCode(lesson.setup).source
    expect(skeleton).toContain('// TODO: decide whether to grant this vote')
    expect(skeleton).not.toContain('const canVote')
    const solved = lesson.steps.reduce(
      (s, step) => edited(s, step.solutionCode ?? [], step.id),
      skeleton,
    )
    expect(solved).toContain(
      'const canVote = state.votedFor === null || state.votedFor === msg.candidateId',
    )
  })
})

describe('the explorer-passes goal', () => {
  const goal = { kind: 'explorer-passes' as const, runs: 30 }
  const judge = async (status: LearnerCodeStatus | undefined) => {
    const context: GoalContext = {
      events: [],
      summariesAtStart: new Map(),
      commands: [],
      cluster: null,
      verdict: () => Promise.resolve({ violations: [], linearizable: null }),
      ...(status === undefined ? {} : { learnerCode: () => status }),
    }
    return judgeGoal(goal, context, 'en')
  }
  const missing = async (status: LearnerCodeStatus | undefined): Promise<string | null> => {
    const result = await judge(status)
    return result.met ? null : result.missing
  }

  it('says what is missing, in order, and is met only by a passing exploration of the current code', async () => {
    expect(await missing(undefined)).toMatch(/no Code tab/)
    expect(await judge({ applied: false })).toEqual({
      met: false,
      missing: 'apply your code in the Code tab first, then type explore --code.',
    })
    expect(await judge({ applied: true, explored: null })).toEqual({
      met: false,
      missing: 'run the explorer on the code you applied: explore --code --runs 30.',
    })
    expect(
      await missing({ applied: true, explored: { runs: 3, failure: 'invariant: X' } }),
    ).toMatch(/^the explorer broke your code: invariant: X/)
    expect(await missing({ applied: true, explored: { runs: 10, failure: null } })).toMatch(
      /passed 10 .* asks for 30: explore --code --runs 30/,
    )
    expect(await judge({ applied: true, explored: { runs: 30, failure: null } })).toEqual({
      met: true,
    })
  })

  it('forgets a verdict once other code is applied', async () => {
    const slot = new LearnerCodeSlot()
    const session = new Session({
      jobs,
      ...learnerCodeOptions(slot),
      lessons: { course, progress: memoryProgress(), now: () => 0 },
    })
    try {
      await session.run('lesson 6')
      const start = slot.startingCode()
      expect(start?.fileName).toBe('figure8-commit.ts')
      slot.apply({ algorithm: 'raft', fileName: 'raft.ts', source: start?.source ?? '' })
      const explored = await session.run('explore --code --runs 2 --seed 3')
      expect(explored.lines[0]).toMatch(
        /^run 1 \(seed 3\) broke it: invariant: Leader Completeness/,
      )
      expect(explored.lines).toContain('  (your raft.ts on 5 nodes, seed 3)')
      expect(explored.lines.at(-1)).toBe('replay it exactly: explore --code --seed 3 --runs 1')
      slot.apply({ algorithm: 'raft', fileName: 'raft.ts', source: `${start?.source ?? ''}\n` })
      await session.run('next')
      await session.run('next')
      await session.run('next')
      const status = await session.run('lesson')
      expect(status.lines.join('\n')).toContain('run the explorer on the code you applied')
    } finally {
      await session.close()
    }
  })
})

describe('explore --code in the terminal', () => {
  it('parses, completes, and refuses an algorithm or a session without an editor', async () => {
    expect(parse('explore --code --runs 5')).toEqual({
      ok: true,
      command: { kind: 'explore-code', runs: 5, seed: 1 },
    })
    expect(parse('explore --code raft')).toEqual({
      ok: false,
      error:
        'explore --code explores the code you applied in the Code tab, whose algorithm it knows: write explore --code [--runs N] [--seed S].',
    })
    expect(complete('explore --c', []).candidates).toEqual(['--code'])
    expect(complete('explore ', []).candidates).toContain('--code')
    const session = new Session()
    expect((await session.run('explore --code')).lines).toEqual([
      'explore --code explores the code you apply in the Code tab, and this session has none: open the app (npm start or npm run web).',
    ])
    const withEditor = new Session({ learnerCode: () => null })
    expect((await withEditor.run('explore --code')).lines[0]).toMatch(
      /^no code of yours is applied/,
    )
  })
})

describe('code patches in lesson.yaml', () => {
  it('are checked with their line', () => {
    const yaml = [
      'setup:', // 1
      '  algorithm: raft', // 2
      '  nodes: 3', // 3
      '  runtime: sim', // 4
      '  seed: 1', // 5
      '  code:', // 6
      "    - find: ''", // 7
      "      replace: 'x'", // 8
      'steps:', // 9
      '  - id: one', // 10
      '    goal: { typed: { command: status } }', // 11
      "    solution: ['status']", // 12
      "    wrong: ['help']", // 13
      '    solution-code:', // 14
      "      - { find: 'a', replace: 'a' }", // 15
    ].join('\n')
    const text = '# T\n\n## one\n\nText.\n\n### hints\n\n- A hint.\n'
    const read = readLesson({
      id: '99-patch',
      folder: 'lessons/99-patch',
      yaml,
      texts: { en: text, zh: text },
    })
    expect(read.problems.map((p) => `${p.line}: ${p.message}`)).toEqual([
      '7: find cannot be empty.',
      '15: this edit replaces its text with the same text; change something or remove it.',
    ])
  })
})

describe('through the app core, as the Code tab and the terminal use it', () => {
  it(
    'lesson 17 opens the skeleton, Apply keeps it for the explorer, and explore --code breaks it',
    { timeout: 120_000 },
    async () => {
      const folder = mkdtempSync(join(tmpdir(), 'consensus-lab-lesson-code-'))
      const kept = openKeptRuns({ db: join(folder, 'lab.db'), tell: () => {} })
      const core = new ApiCore({ kept, push: () => {}, behind: () => false })
      try {
        expect((await core.request('codeSource', {})).source).not.toContain('// TODO')
        await core.request('run', { line: 'lesson 17' })
        const skeleton = await core.request('codeSource', {})
        expect(skeleton).toMatchObject({ algorithm: 'raft', variant: null, fileName: 'raft.ts' })
        expect(skeleton.source).toContain('// TODO: decide whether to grant this vote')
        const applied = await core.request('codeApply', {
          algorithm: 'raft',
          variant: null,
          source: skeleton.source,
          fileName: skeleton.fileName,
        })
        expect(applied.lines[0]).toBe(
          'kept your code (raft.ts) for the explorer: type explore --code to run it under random faults.',
        )
        const broken = await core.request('codeApply', {
          algorithm: 'raft',
          variant: null,
          source: `${skeleton.source}\nexport const oops = (`,
          fileName: skeleton.fileName,
        })
        expect(broken.applied).toBe(false)
        const explored = await core.request('run', { line: 'explore --code --runs 20' })
        expect(explored.ok).toBe(false)
        expect(explored.lines[0]).toMatch(
          /broke it: invariant: (Election Safety|Leader Completeness)/,
        )
      } finally {
        await core.close()
        kept.close()
        rmSync(folder, { recursive: true, force: true })
      }
    },
  )
})
