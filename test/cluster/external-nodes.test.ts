// External nodes: programs in any language that speak Maelstrom's protocol on
// stdin and stdout join a cluster of ours, behind the same network (faults,
// tracing) as every other node.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { afterEach, describe, expect, it } from 'vitest'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import type { TraceEvent } from '../../src/shared/trace'

const program = `"${process.execPath}" "${fileURLToPath(new URL('../fixtures/maelstrom-echo.mjs', import.meta.url))}"`

let cluster: RealTimeCluster | null = null
afterEach(async () => {
  await cluster?.stop()
  cluster = null
})

/** Running, and not a zombie waiting to be reaped. */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

describe('external nodes', { timeout: 30_000 }, () => {
  it('join a mixed cluster: messages flow both ways, traced, in order', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    const events: TraceEvent[] = []
    c.events((event) => events.push(event))
    await c.start({ algorithm: 'echo', nodes: 3, seed: 1, external: { n3: program } })

    // A client talks to the external node.
    const echo = await c.request(
      'n3',
      { type: 'echo', echo: 'hello from c1' },
      { timeoutMs: 5_000 },
    )
    expect(echo.ok && echo.body).toMatchObject({ type: 'echo_ok', echo: 'hello from c1' })

    // The external node sends to ours; ours count what arrives, in order.
    const burst = await c.request('n3', { type: 'burst', count: 500 }, { timeoutMs: 5_000 })
    expect(burst.ok && burst.body).toMatchObject({ type: 'burst_ok', sent: 1_000 })
    const fromN3 = (): number =>
      events.filter((e) => e.kind === 'recv' && e.src === 'n3' && e.body.type === 'hello').length
    expect(await c.waitFor(() => fromN3() === 1_000, 5_000)).toBe(true)
    for (const id of ['n1', 'n2']) {
      expect((await c.inspect(id)).summary, id).toMatchObject({ received: 500, outOfOrder: 0 })
    }

    // Ours send to the external node, through the same network and faults.
    await c.partition([['n1'], ['n2', 'n3']])
    await c.request('n1', { type: 'burst', count: 10 })
    await c.request('n2', { type: 'burst', count: 10 })
    const toN3 = (reason?: string): number =>
      events.filter(
        (e) =>
          (e.kind === 'recv' || e.kind === 'drop') &&
          e.dest === 'n3' &&
          e.body.type === 'hello' &&
          (reason === undefined ? e.kind === 'recv' : e.kind === 'drop' && e.reason === reason),
      ).length
    expect(await c.waitFor(() => toN3() === 10, 5_000)).toBe(true)
    expect(toN3('partition')).toBe(10)
    expect((await c.inspect('n3')).summary).toEqual({ role: 'external' })
  })

  it('dies with its node: kill stops the program, and restart starts a new one', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    const pids: number[] = []
    c.events((event) => {
      const match = event.kind === 'log' ? /^pid (\d+)$/.exec(event.text) : null
      if (match !== null) pids.push(Number(match[1]))
    })
    await c.start({ algorithm: 'echo', nodes: 2, seed: 1, external: { n2: program } })
    expect(await c.waitFor(() => pids.length === 1, 5_000)).toBe(true)
    expect(alive(pids[0])).toBe(true)
    await c.kill('n2')
    expect(await c.waitFor(() => !alive(pids[0]), 2_000)).toBe(true)
    await c.restart('n2')
    const echo = await c.request('n2', { type: 'echo', echo: 'again' }, { timeoutMs: 5_000 })
    expect(echo.ok && echo.body.type).toBe('echo_ok')
    expect(pids).toHaveLength(2)
  })

  it('reports a program that exits, with its code and what it said', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    const crashes: TraceEvent[] = []
    c.events((event) => {
      if (event.kind === 'crash') crashes.push(event)
    })
    const failing = `"${process.execPath}" -e "console.error('cannot find my config'); process.exit(3)"`
    await c.start({ algorithm: 'echo', nodes: 2, seed: 1, external: { n2: failing } })
    expect(await c.waitFor(() => crashes.length > 0, 5_000)).toBe(true)
    expect((await c.inspect('n2')).error).toMatch(/exited with code 3.*cannot find my config/)
    expect(c.status('n1')).toBe('up')
  })
})
