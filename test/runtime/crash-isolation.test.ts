// Bad code crashes its node, never the run: the error and the line in the
// node's own code are reported, the other nodes go on, and the node restarts
// from what it had saved.

import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { Simulator } from '../../src/main/sim/simulator'
import type { AnyNodeDefinition } from '../../src/shared/node-api'
import type { CrashEvent, TraceEvent } from '../../src/shared/trace'
import faulty from '../fixtures/faulty-node'

/** The line of faulty-node.ts that throws, found in the file so the test cannot drift from it. */
const throwingLine =
  readFileSync(new URL('../fixtures/faulty-node.ts', import.meta.url), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes("throw new Error('boom")) + 1

function simulatorOf(definition: AnyNodeDefinition): Simulator {
  return new Simulator({ resolve: () => definition })
}

describe('a node whose handler throws', () => {
  it('crashes that node only, with the error and its location, and the run goes on', async () => {
    const sim = simulatorOf(faulty)
    const events: TraceEvent[] = []
    sim.events((event) => events.push(event))
    await sim.start({ algorithm: 'faulty', nodes: 3 })

    // Act: n2 gets a message that makes its handler throw.
    const reply = await sim.request('n2', { type: 'boom' }, { timeoutMs: 100 })

    // Check: no reply, n2 is down with the error and the line that threw.
    expect(reply).toEqual({ ok: false, timeout: true })
    expect(sim.status('n2')).toBe('dead')
    const crash = events.find((e): e is CrashEvent => e.kind === 'crash')
    expect(crash?.node).toBe('n2')
    expect(crash?.error?.message).toContain('boom: this handler fails on purpose')
    expect(crash?.error?.location?.file).toMatch(/faulty-node\.ts$/)
    expect(throwingLine).toBeGreaterThan(0)
    expect(crash?.error?.location?.line).toBe(throwingLine)
    const inspection = await sim.inspect('n2')
    expect(inspection.error).toContain(`faulty-node.ts:${throwingLine}:`)

    // The others still answer.
    for (const id of ['n1', 'n3']) {
      const pong = await sim.request(id, { type: 'ping' })
      expect(pong.ok && pong.body.type).toBe('pong')
    }
  })

  it('restarts from its saved fields', async () => {
    const sim = simulatorOf(faulty)
    await sim.start({ algorithm: 'faulty', nodes: 1 })
    await sim.request('n1', { type: 'ping' })
    await sim.request('n1', { type: 'ping' })
    await sim.request('n1', { type: 'boom' }, { timeoutMs: 50 })
    expect(sim.status('n1')).toBe('dead')
    await sim.restart('n1')
    const pong = await sim.request('n1', { type: 'ping' })
    expect(pong.ok && pong.body.pings).toBe(3)
  })

  it('loses what a handler changed before it threw', async () => {
    // The handler adds to `pings` and then throws: a crash mid-handler saves nothing.
    const halfway: AnyNodeDefinition = {
      name: 'halfway',
      persistent: ['count'],
      init: (_ctx, saved) => ({ count: (saved as { count?: number } | undefined)?.count ?? 0 }),
      onMessage(state) {
        const s = state as { count: number }
        s.count += 10
        throw new Error('failed after changing count')
      },
      onTimer() {},
    }
    const sim = simulatorOf(halfway)
    await sim.start({ algorithm: 'halfway', nodes: 1 })
    await sim.request('n1', { type: 'anything' }, { timeoutMs: 10 })
    expect((await sim.inspect('n1')).saved).toEqual({ count: 0 })
  })

  it('reports a change to a sent message or a saved entry as a clear error', async () => {
    const mutating: AnyNodeDefinition = {
      name: 'mutating',
      persistent: ['log'],
      init: () => ({ log: [{ term: 1 }] }),
      onMessage(state) {
        const s = state as { log: { term: number }[] }
        s.log[0].term = 2 // saved entries are read-only
      },
      onTimer() {},
    }
    const sim = simulatorOf(mutating)
    const crashes: CrashEvent[] = []
    sim.events((e) => {
      if (e.kind === 'crash') crashes.push(e)
    })
    await sim.start({ algorithm: 'mutating', nodes: 1 })
    await sim.request('n1', { type: 'go' }, { timeoutMs: 10 })
    expect(crashes[0]?.error?.message).toMatch(/read-only once a handler returns/)
  })
})
