// A node module given as source text, the way a learner's edited code arrives:
// compiled before anything runs (a syntax error or a forbidden import is a
// sentence, not a crash), then run in every node's worker, with failures
// pointing at the learner's own line.

import { afterEach, describe, expect, it } from 'vitest'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import type { CrashEvent } from '../../src/shared/trace'

const counter = `import { defineNode } from 'consensus-lab'

interface State { count: number }

export default defineNode<State>({
  name: 'counter',
  persistent: ['count'],
  init: (_ctx, saved) => ({ count: saved?.count ?? 0 }),
  onMessage(state, env, ctx) {
    if (env.body.type === 'boom') {
      throw new Error('my bug')
    }
    state.count += 1
    ctx.reply(env, { type: 'count_ok', count: state.count })
  },
  onTimer() {},
})
`

/** The line of `counter` holding `text`, counted from 1. */
const lineOf = (text: string): number =>
  counter.split('\n').findIndex((line) => line.includes(text)) + 1

let cluster: RealTimeCluster | null = null
afterEach(async () => {
  await cluster?.stop()
  cluster = null
})

describe('code given as source text', { timeout: 30_000 }, () => {
  it('runs on every node, keeps its saved fields, and reports a failure at the line in the file', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    const crashes: CrashEvent[] = []
    c.events((event) => {
      if (event.kind === 'crash') crashes.push(event)
    })
    await c.start({
      algorithm: 'counter',
      nodes: 2,
      code: { source: counter, fileName: 'counter.ts' },
    })
    for (const expected of [1, 2]) {
      const reply = await c.request('n1', { type: 'count' })
      expect(reply.ok && reply.body).toMatchObject({ type: 'count_ok', count: expected })
    }
    await c.request('n2', { type: 'boom' }, { timeoutMs: 300 })
    expect(await c.waitFor(() => crashes.length === 1, 2_000)).toBe(true)
    expect(crashes[0].error?.message).toContain('my bug')
    expect(crashes[0].error?.location?.file).toMatch(/counter\.ts$/)
    expect(crashes[0].error?.location?.line).toBe(lineOf("throw new Error('my bug')"))
    await c.kill('n1')
    await c.restart('n1')
    const after = await c.request('n1', { type: 'count' })
    expect(after.ok && after.body).toMatchObject({ count: 3 })
  })

  it('refuses a syntax error before anything runs, naming the line', async () => {
    cluster = new RealTimeCluster()
    const broken = counter.replace('state.count += 1', 'state.count += )')
    await expect(
      cluster.start({
        algorithm: 'counter',
        nodes: 2,
        code: { source: broken, fileName: 'counter.ts' },
      }),
    ).rejects.toThrow(new RegExp(`^counter\\.ts:${lineOf('state.count += 1')}:\\d+: Unexpected`))
  })

  it('refuses an import of anything but the node API', async () => {
    cluster = new RealTimeCluster()
    const sneaky = `import { readFileSync } from 'node:fs'\n${counter.replace(
      'state.count += 1',
      "state.count += readFileSync('/etc/hostname').length",
    )}`
    await expect(
      cluster.start({
        algorithm: 'counter',
        nodes: 1,
        code: { source: sneaky, fileName: 'counter.ts' },
      }),
    ).rejects.toThrow(/may import only the node API.*not "node:fs"/)
  })

  it('refuses a module that exports no node', async () => {
    cluster = new RealTimeCluster()
    await expect(
      cluster.start({
        algorithm: 'x',
        nodes: 1,
        code: { source: 'export const x = 1', fileName: 'x.ts' },
      }),
    ).rejects.toThrow(/must export a node as its default/)
  })
})
