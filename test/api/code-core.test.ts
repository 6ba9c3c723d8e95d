// The code editor's requests through the core, as either transport hands them
// over: an algorithm's module as source text (with the files its types need),
// a learner's module checked (problems at their places), applied to the
// running real-time cluster (nodes restart on it, keeping their saved fields
// where they fit), and named versions saved and loaded from the store.

import { beforeEach, describe, expect, it } from 'vitest'
import { RefusedRequest } from '../../src/main/api/core'
import {
  requestMessageSchema,
  requestSchemas,
  type EventMessage,
  type RequestArgs,
  type RequestName,
} from '../../src/shared/api'
import type { TraceEvent } from '../../src/shared/trace'
import { algorithms } from '../../src/workers/algorithms'
import { useCore } from './core-fixture'

let events: TraceEvent[] = []
const fixture = useCore('code', (message: EventMessage) => {
  if (message.kind === 'event' && message.name === 'trace') events.push(...message.payload.events)
})

beforeEach(() => {
  events = []
})

async function type(...lines: string[]): Promise<void> {
  for (const line of lines) {
    const result = await fixture.core.request('run', { line })
    if (!result.ok) throw new Error(`${line}: ${result.lines.join(' ')}`)
  }
}

/** Validates the arguments and the result as the transports do. */
async function ask<Name extends RequestName>(name: Name, args: RequestArgs<Name>) {
  const parsed = requestSchemas[name].args.safeParse(args)
  if (!parsed.success) throw new Error(parsed.error.message)
  const result = await fixture.core.request(name, parsed.data as RequestArgs<Name>)
  expect(requestSchemas[name].result.safeParse(result).success).toBe(true)
  return result
}

async function until(condition: () => boolean | Promise<boolean>, limitMs = 5_000): Promise<void> {
  const deadline = Date.now() + limitMs
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('the condition did not hold in time')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function leaderElected(): Promise<boolean> {
  const result = await fixture.core.request('run', { line: 'status' })
  return (
    result.lines.join('\n').includes('leader') || JSON.stringify(result.table).includes('leader')
  )
}

describe('codeSource', () => {
  it("opens raft's reference when nothing runs, importing the node API as 'consensus-lab'", async () => {
    const module = await ask('codeSource', {})
    expect(module).toMatchObject({
      algorithm: 'raft',
      variant: null,
      fileName: 'raft.ts',
      running: null,
    })
    expect(module.source).toContain("from 'consensus-lab'")
    expect(module.source).not.toContain('shared/node-api')
    const paths = module.libraries.map((library) => library.path)
    expect(paths).toEqual(['consensus-lab/index.ts', 'consensus-lab/envelope.ts'])
    expect(module.libraries[0].text).toContain('export function defineNode')
    expect(module.variants.map((variant) => variant.name)).toEqual(
      Object.keys(algorithms.raft.variants),
    )
    expect(module.variants.find((variant) => variant.name === 'votes-twice')?.description).toMatch(
      /two leaders/,
    )
  })

  it('gives a variant with the reference it builds on as a library', async () => {
    const module = await ask('codeSource', { algorithm: 'raft', variant: 'votes-twice' })
    expect(module.fileName).toBe('votes-twice.ts')
    expect(module.source).toContain("from 'consensus-lab/algorithms/raft/raft'")
    expect(module.libraries.map((library) => library.path)).toContain(
      'consensus-lab/algorithms/raft/raft.ts',
    )
  })

  it('gives every algorithm and variant as a module that compiles as given', async () => {
    for (const [algorithm, entry] of Object.entries(algorithms)) {
      for (const variant of [null, ...Object.keys(entry.variants)]) {
        const module = await ask('codeSource', { algorithm, variant })
        const checked = await ask('codeCheck', { source: module.source, fileName: module.fileName })
        expect({ algorithm, variant, problems: checked.problems }).toEqual({
          algorithm,
          variant,
          problems: [],
        })
      }
    }
  })

  it('refuses an algorithm or a variant that does not exist, naming those that do', async () => {
    await expect(ask('codeSource', { algorithm: 'rafts' })).rejects.toThrow(
      new RefusedRequest(
        'there is no algorithm "rafts"; choose one of: ' + Object.keys(algorithms).join(', ') + '.',
      ),
    )
    await expect(ask('codeSource', { algorithm: 'raft', variant: 'votes-thrice' })).rejects.toThrow(
      /raft has no variant "votes-thrice"; choose one of: votes-twice,/,
    )
  })
})

describe('codeCheck', () => {
  it('places a syntax error at its line and column', async () => {
    const { source } = await ask('codeSource', {})
    const lines = source.split('\n')
    const at = lines.findIndex((line) => line.includes('currentTerm: saved?.currentTerm ?? 0'))
    expect(at).toBeGreaterThan(0)
    lines[at] = lines[at].replace(
      'currentTerm: saved?.currentTerm ?? 0',
      'currentTerm: saved?.currentTerm ?? )',
    )
    const { problems } = await ask('codeCheck', { source: lines.join('\n'), fileName: 'raft.ts' })
    expect(problems[0]).toMatchObject({ line: at + 1, column: lines[at].indexOf(')') + 1 })
    expect(problems[0].text).toMatch(/Unexpected/)
  })

  it('places a forbidden import on its line', async () => {
    const { problems } = await ask('codeCheck', {
      source:
        "import { defineNode } from 'consensus-lab'\nimport { readFileSync } from 'node:fs'\nexport default readFileSync\n",
      fileName: 'raft.ts',
    })
    expect(problems.map((problem) => problem.line)).toEqual([2])
    expect(problems[0].text).toMatch(/only the node API.*"node:fs"/)
  })
})

describe('bad arguments', () => {
  it.each([
    ['codeCheck', { source: 'x', fileName: '../../etc/passwd.ts' }],
    ['codeCheck', { source: 'x', fileName: 'raft.py' }],
    ['codeCheck', { source: 'x'.repeat(200_001), fileName: 'raft.ts' }],
    ['codeSave', { algorithm: 'raft', name: 'a/b', source: 'x' }],
    ['codeSave', { algorithm: 'raft', name: '', source: 'x' }],
    ['codeLoad', { algorithm: 'raft' }],
    ['codeApply', { algorithm: 'raft', variant: 'votes-twice', extra: 1 }],
    ['codeSource', { algorithm: 7 }],
  ])('%s refuses bad arguments before the core sees it (case %#)', (name, args) => {
    const parsed = requestMessageSchema.safeParse({ kind: 'request', id: 1, name, args })
    expect(parsed.success).toBe(false)
  })
})

describe('saved versions', () => {
  it('saves named versions, lists them and loads the latest', async () => {
    expect(await ask('codeSaved', { algorithm: 'raft' })).toEqual([])
    await expect(ask('codeLoad', { algorithm: 'raft', name: 'mine' })).rejects.toThrow(
      'no raft code is saved yet; save some first.',
    )
    expect(await ask('codeSave', { algorithm: 'raft', name: 'mine', source: 'one' })).toEqual({
      name: 'mine',
      version: 1,
    })
    expect(await ask('codeSave', { algorithm: 'raft', name: 'mine', source: 'two' })).toEqual({
      name: 'mine',
      version: 2,
    })
    await ask('codeSave', { algorithm: 'raft', name: 'other', source: 'three' })
    const saved = await ask('codeSaved', { algorithm: 'raft' })
    expect(saved.map(({ name, versions }) => [name, versions]).sort()).toEqual([
      ['mine', 2],
      ['other', 1],
    ])
    expect(await ask('codeLoad', { algorithm: 'raft', name: 'mine' })).toEqual({
      name: 'mine',
      version: 2,
      source: 'two',
    })
    await expect(ask('codeLoad', { algorithm: 'raft', name: 'nope' })).rejects.toThrow(
      /no raft code is saved as "nope"; saved: /,
    )
    expect(await ask('codeSaved', { algorithm: 'paxos' })).toEqual([])
  })
})

describe('codeApply', { timeout: 60_000 }, () => {
  it('needs a real-time cluster running the same algorithm', async () => {
    await expect(ask('codeApply', { algorithm: 'raft', variant: 'votes-twice' })).rejects.toThrow(
      /no cluster is running on threads/,
    )
    await type('start raft 3 --sim')
    await expect(ask('codeApply', { algorithm: 'raft', variant: null })).rejects.toThrow(
      /no cluster is running on threads/,
    )
    await type('start paxos 3')
    await expect(ask('codeApply', { algorithm: 'raft', variant: null })).rejects.toThrow(
      "the cluster runs paxos, not raft: open paxos's code, or start raft first.",
    )
  })

  it('restarts every node on a variant, then on edited code, keeping the saved log', async () => {
    await type('start raft 3')
    await until(leaderElected)
    await type('put x 1')
    const toVariant = await ask('codeApply', { algorithm: 'raft', variant: 'votes-twice' })
    expect(toVariant).toEqual({
      applied: true,
      lines: [
        'restarted n1, n2, n3 on variant votes-twice.',
        'kept their saved fields: n1, n2, n3.',
      ],
      problems: [],
    })
    expect((await ask('codeSource', {})).running).toEqual({
      algorithm: 'raft',
      variant: 'votes-twice',
      custom: false,
    })
    const restarts = events.filter((event) => event.kind === 'restart').map((event) => event.node)
    expect(restarts.sort()).toEqual(['n1', 'n2', 'n3'])

    // A module that does not compile stops nothing.
    const { source } = await ask('codeSource', { algorithm: 'raft', variant: null })
    const broken = await ask('codeApply', {
      algorithm: 'raft',
      variant: null,
      source: source.replace(
        'currentTerm: saved?.currentTerm ?? 0',
        'currentTerm: saved?.currentTerm ?? )',
      ),
    })
    expect(broken.applied).toBe(false)
    expect(broken.problems[0].line).toBe(
      source
        .split('\n')
        .findIndex((line) => line.includes('currentTerm: saved?.currentTerm ?? 0')) + 1,
    )
    expect((await ask('codeSource', {})).running?.variant).toBe('votes-twice')

    const edited = source.replace(/description:\s*'[^']*'/, "description: 'my raft'")
    expect(edited).not.toBe(source)
    const applied = await ask('codeApply', { algorithm: 'raft', variant: null, source: edited })
    expect(applied.lines[0]).toBe('restarted n1, n2, n3 on your code (raft.ts).')
    expect((await ask('codeSource', {})).running).toEqual({
      algorithm: 'raft',
      variant: null,
      custom: true,
    })
    // The write survived both restarts: it is in the saved logs.
    await until(leaderElected)
    const read = await fixture.core.request('run', { line: 'get x' })
    expect(read.lines.join(' ')).toMatch(/x = 1|\b1\b/)
  })

  it('starts a node with nothing saved when its saved fields do not fit the new code', async () => {
    await type('start raft 3')
    await until(leaderElected)
    const picky = `import { defineNode } from 'consensus-lab'

export default defineNode<{ currentTerm: string }>({
  name: 'raft',
  persistent: ['currentTerm'],
  init(_ctx, saved) {
    if (saved !== undefined && typeof saved.currentTerm !== 'string') throw new Error('currentTerm should be text')
    return { currentTerm: 'zero' }
  },
  onMessage() {},
  onTimer() {},
})
`
    const applied = await ask('codeApply', { algorithm: 'raft', variant: null, source: picky })
    expect(applied.applied).toBe(true)
    expect(applied.lines[0]).toBe('restarted n1, n2, n3 on your code (raft.ts).')
    expect(applied.lines).toHaveLength(4)
    ;['n1', 'n2', 'n3'].forEach((id, index) => {
      expect(applied.lines[index + 1]).toMatch(
        new RegExp(
          `^${id}'s saved fields did not fit the new code \\(Error: currentTerm should be text.*raft\\.ts:7.*\\), so it started with none\\.$`,
        ),
      )
    })
  })

  it('reports a node that crashes on the new code at the line of the learner file', async () => {
    await type('start raft 2')
    const crashing = `import { defineNode } from 'consensus-lab'

export default defineNode<{ ticks: number }>({
  name: 'raft',
  persistent: [],
  init(ctx) {
    ctx.setTimer('tick', 10)
    return { ticks: 0 }
  },
  onMessage() {},
  onTimer(state) {
    state.ticks += 1
    throw new Error('my bug')
  },
})
`
    await ask('codeApply', { algorithm: 'raft', variant: null, source: crashing })
    await until(() => events.some((event) => event.kind === 'crash' && event.error !== undefined))
    const crash = events.find((event) => event.kind === 'crash' && event.error !== undefined)
    const location = crash?.kind === 'crash' ? crash.error?.location : undefined
    expect(location?.file).toMatch(/raft\.ts$/)
    expect(location?.line).toBe(13)
  })
})
