// The gossip store on the real-time cluster: five worker threads over TCP,
// real timers. A write taken by one replica reaches the others by gossip, and
// the cluster's options (N, R, W) reach every node as ctx.options. Waits are
// bounded generously: this checks behaviour, not speed.

import { afterEach, describe, expect, it } from 'vitest'
import { checkConvergence } from '../../src/main/check/gossip-convergence'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import { preferenceList } from '../../src/workers/algorithms/gossip/gossip'
import { summaries, write } from './helpers'

let cluster: RealTimeCluster | null = null
afterEach(async () => {
  await cluster?.stop()
  cluster = null
})

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('the real-time cluster runs the gossip store', { timeout: 30_000 }, () => {
  it('a write at n1 is read at n4 once gossip has carried it; every replica converges', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    await c.start({
      algorithm: 'gossip',
      nodes: 5,
      seed: 1,
      options: { n: 3, r: 1, w: 1, resolution: 'vv' },
    })
    for (const [id, summary] of await summaries(c)) {
      expect(summary.quorum, id).toBe('N=3 R=1 W=1 vv sloppy')
    }
    // x lives on n1, n2, n3: only gossip brings it to n4, which answers from its own copy (R = 1).
    expect(preferenceList('x', c.nodeIds(), 3)).toEqual(['n1', 'n2', 'n3'])
    expect(await write(c, 'n1', 'x', 'hello')).toBe('write_ok')
    const readAtN4 = async (): Promise<unknown> => {
      const reply = await c.request('n4', { type: 'read', key: 'x' })
      return reply.ok && reply.body.type === 'read_ok' ? reply.body.value : null
    }
    const deadline = Date.now() + 5_000
    let value = await readAtN4()
    while (value !== 'hello' && Date.now() < deadline) {
      await sleep(20)
      value = await readAtN4()
    }
    expect(value).toBe('hello')
    const digests = async (): Promise<Set<unknown>> =>
      new Set([...(await summaries(c)).values()].map((summary) => summary.digest))
    while ((await digests()).size > 1 && Date.now() < deadline) await sleep(20)
    expect(await checkConvergence(c)).toEqual([])
    const n5 = (await c.inspect('n5')).state as { store: Record<string, unknown[]> }
    expect(n5.store.x).toEqual([expect.objectContaining({ value: 'hello', clock: { n1: 1 } })])
    expect(c.violations).toEqual([])
  })
})
