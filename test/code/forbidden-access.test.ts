// Learner code may use only the node API: an import of anything else, code
// loaded at run time, and the host's doors to the world (`process`,
// `require`, the global object, functions built from text) are refused, at
// compile time where they can be seen, or by crashing that node with a
// sentence at the learner's line. The other nodes and the main thread run on.

import { afterEach, describe, expect, it } from 'vitest'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import { CompileError, compileNodeModule } from '../../src/main/cluster/compile'
import type { CrashEvent } from '../../src/shared/trace'

/** A node that does one forbidden thing per message type, each on a line of its own. */
const reaching = `import { defineNode } from 'consensus-lab'

export default defineNode<{ count: number }>({
  name: 'reaching',
  persistent: ['count'],
  init: () => ({ count: 0 }),
  onMessage(state, env, ctx) {
    const type = env.body.type
    if (type === 'exit') process.exit(1)
    if (type === 'global') (globalThis as { process?: { exit(): void } }).process?.exit()
    if (type === 'escape') (() => 0).constructor('return process')().exit(1)
    if (type === 'async-escape') (async () => 0).constructor('return process')
    if (type === 'indirect-eval') (0, eval)('this.process.exit(1)')
    if (type === 'eval') eval('process.exit(1)')
    state.count += 1
    ctx.reply(env, { type: 'count_ok', count: state.count })
  },
  onTimer() {},
})
`

const lineOf = (text: string): number =>
  reaching.split('\n').findIndex((line) => line.includes(text)) + 1

async function problemsOf(source: string): Promise<CompileError> {
  const error = await compileNodeModule(source, 'reaching.ts').then(
    () => null,
    (thrown: unknown) => thrown,
  )
  if (!(error instanceof CompileError))
    throw new Error(`expected a CompileError, got ${String(error)}`)
  return error
}

let cluster: RealTimeCluster | null = null
afterEach(async () => {
  await cluster?.stop()
  cluster = null
})

describe('what learner code cannot reach', { timeout: 30_000 }, () => {
  it.each([
    ['exit', 'process is not available to a node module', 'process.exit(1)'],
    ['global', 'globalThis is not available to a node module', 'globalThis as'],
    ['escape', 'Function is not available to a node module', '(() => 0).constructor'],
    ['async-escape', 'Function is not available to a node module', '(async () => 0)'],
    ['indirect-eval', 'eval is not available to a node module', '(0, eval)'],
    ['eval', 'eval is not available to a node module', "eval('process"],
  ])('%s crashes only that node, with a sentence at the line', async (type, sentence, text) => {
    cluster = new RealTimeCluster()
    const c = cluster
    const crashes: CrashEvent[] = []
    c.events((event) => {
      if (event.kind === 'crash') crashes.push(event)
    })
    await c.start({
      algorithm: 'reaching',
      nodes: 2,
      code: { source: reaching, fileName: 'reaching.ts' },
    })
    await c.request('n1', { type }, { timeoutMs: 300 })
    expect(await c.waitFor(() => crashes.length === 1, 3_000)).toBe(true)
    expect(crashes[0].node).toBe('n1')
    expect(crashes[0].error?.message).toContain(sentence)
    expect(crashes[0].error?.location?.file).toMatch(/reaching\.ts$/)
    expect(crashes[0].error?.location?.line).toBe(lineOf(text))
    const other = await c.request('n2', { type: 'count' })
    expect(other.ok && other.body).toMatchObject({ type: 'count_ok', count: 1 })
  })

  it('refuses require of a module at compile time, at its line', async () => {
    const source = reaching.replace(
      'state.count += 1',
      "state.count += require('fs').readFileSync('/etc/hostname').length",
    )
    const error = await problemsOf(source)
    expect(error.message).toMatch(/may import only the node API.*not "fs"/)
    expect(error.problems[0]).toMatchObject({ line: lineOf('state.count += 1') })
  })

  it('refuses modules loaded at run time, at their lines', async () => {
    const source = reaching
      .replace('state.count += 1', "const name = 'fs'; void import(name)")
      .replace(
        "ctx.reply(env, { type: 'count_ok', count: state.count })",
        'void import(name + "/promises")',
      )
    const error = await problemsOf(source)
    expect(error.problems.map((problem) => problem.line)).toEqual([
      lineOf('state.count += 1'),
      lineOf("ctx.reply(env, { type: 'count_ok'"),
    ])
    expect(error.message).toMatch(
      /^reaching\.ts:\d+:\d+: a node module may not load modules at run time .* \(and 1 more\)$/,
    )
  })

  it('does not mistake an import type for a module loaded at run time', async () => {
    const source = reaching.replace(
      'state.count += 1',
      "const summary: import('consensus-lab').NodeSummary = {}; state.count += summary.term ?? 1",
    )
    await expect(compileNodeModule(source, 'reaching.ts')).resolves.toMatchObject({
      fileName: 'reaching.ts',
    })
  })

  it('does not mistake a word in a string or a comment for an import', async () => {
    const source = reaching.replace(
      'state.count += 1',
      "state.count += 'import(x)'.length // import(y)",
    )
    await expect(compileNodeModule(source, 'reaching.ts')).resolves.toMatchObject({
      fileName: 'reaching.ts',
    })
  })
})
