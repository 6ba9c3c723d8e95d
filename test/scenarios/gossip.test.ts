// The eventually consistent store (src/workers/algorithms/gossip) in the
// simulator: writes spread by rumor and anti-entropy (Demers et al. 1987);
// under a partition both sides take writes and diverge; after the heal they
// converge, by last-writer-wins or with version-vector siblings (Dynamo,
// DeCandia et al. 2007, section 4.4). Each test reads init / act / check.

import { describe, expect, it } from 'vitest'
import { GossipConvergence } from '../../src/main/check/gossip-convergence'
import type { Simulator } from '../../src/main/sim/simulator'
import type { Body } from '../../src/shared/envelope'
import type { TraceEvent } from '../../src/shared/trace'
import {
  antiEntropyMs,
  preferenceList,
  type GossipState,
  type Version,
} from '../../src/workers/algorithms/gossip/gossip'
import { gossipCluster, valuesAt, versionsAt, type GossipRun } from './gossip-helpers'

async function ask(sim: Simulator, node: string, body: Body): Promise<Body> {
  const reply = await sim.request(node, body)
  if (!reply.ok) throw new Error(`${node} did not answer ${body.type}`)
  return reply.body
}

const left = ['n1', 'n2']
const right = ['n3', 'n4', 'n5']

describe('gossip: writes spread', () => {
  it('a write acknowledged by one replica reaches all five by rumor (Demers et al.)', async () => {
    const { sim, convergence, events } = await gossipCluster(1, { n: 3, r: 1, w: 1 })
    expect(await ask(sim, 'n1', { type: 'write', key: 'x', value: 1 })).toMatchObject({
      type: 'write_ok',
    })
    // Within a few gossip ticks, and before any anti-entropy round could matter.
    expect(
      sim.runUntil(() => sim.nodeIds().every((id) => valuesAt(sim, id, 'x')[0] === 1), 200),
    ).toBe(true)
    const rumors = events.filter((e) => e.kind === 'send' && e.body.type === 'rumor')
    expect(rumors.length).toBeGreaterThan(0)
    // n4 and n5 are not among x's three replicas: only gossip brought it to them.
    expect(preferenceList('x', sim.nodeIds(), 3)).toEqual(['n1', 'n2', 'n3'])
    expect(await ask(sim, 'n5', { type: 'read', key: 'x' })).toMatchObject({
      type: 'read_ok',
      value: 1,
    })
    expect(convergence.converged()).toEqual([])
    expect(sim.violations).toEqual([])
  })

  it('refuses cas (code 10), reports a missing key (code 20), and stops on a bad option', async () => {
    const { sim } = await gossipCluster(2)
    expect(await ask(sim, 'n2', { type: 'cas', key: 'x', from: 1, to: 2 })).toMatchObject({
      type: 'error',
      code: 10,
    })
    expect(await ask(sim, 'n2', { type: 'read', key: 'nope' })).toMatchObject({
      type: 'error',
      code: 20,
    })
    const bad = await gossipCluster(2, { n: 3, r: 4 })
    const inspection = await bad.sim.inspect('n1')
    expect(inspection.status).toBe('dead')
    expect(inspection.error).toMatch(/r must be a whole number from 1 to 3, not 4/)
  })
})

describe('gossip: a partition, then a heal (Dynamo 2.3: always writeable)', () => {
  it('both sides take conflicting writes and diverge; after the heal last-writer-wins keeps the later timestamp', async () => {
    const { sim, convergence } = await gossipCluster(3, { n: 3, r: 1, w: 1, resolution: 'lww' })
    await ask(sim, 'n3', { type: 'write', key: 'x', value: 'before' })
    sim.advance(500)
    await sim.partition([left, right])
    // The majority side writes first, the minority side later: the later one wins, wherever it was.
    expect(await ask(sim, 'n4', { type: 'write', key: 'x', value: 'right' })).toMatchObject({
      type: 'write_ok',
    })
    sim.advance(20)
    expect(await ask(sim, 'n1', { type: 'write', key: 'x', value: 'left' })).toMatchObject({
      type: 'write_ok',
    })
    sim.advance(1_000)
    for (const id of left) expect(valuesAt(sim, id, 'x'), id).toEqual(['left'])
    for (const id of right) expect(valuesAt(sim, id, 'x'), id).toEqual(['right'])
    expect(await ask(sim, 'n2', { type: 'read', key: 'x' })).toMatchObject({ value: 'left' })
    expect(await ask(sim, 'n5', { type: 'read', key: 'x' })).toMatchObject({ value: 'right' })
    // The checker sees the divergence: it is not vacuous.
    expect(
      convergence
        .converged()
        .map((v) => v.message)
        .join('\n'),
    ).toMatch(
      /replicas still disagree on x: n1, n2 hold "left"@\d+\/n1; n3, n4, n5 hold "right"@\d+\/n4/,
    )

    await sim.heal()
    sim.advance(4 * antiEntropyMs)
    const winner = versionsAt(sim, 'n5', 'x')
    expect(winner).toHaveLength(1)
    expect(winner[0]).toMatchObject({ value: 'left', node: 'n1' })
    for (const id of sim.nodeIds()) expect(valuesAt(sim, id, 'x'), id).toEqual(['left'])
    expect(convergence.converged()).toEqual([])
    expect(sim.violations).toEqual([])
  })

  it('with version vectors the two writes become siblings everywhere, and the next write merges them', async () => {
    const { sim, convergence } = await gossipCluster(4, { n: 3, r: 1, w: 1, resolution: 'vv' })
    await sim.partition([left, right])
    await ask(sim, 'n4', { type: 'write', key: 'x', value: 'right' })
    sim.advance(20)
    await ask(sim, 'n1', { type: 'write', key: 'x', value: 'left' })
    sim.advance(500)
    await sim.heal()
    sim.advance(4 * antiEntropyMs)
    // Neither clock descends from the other: no replica may drop either (section 4.4).
    for (const id of sim.nodeIds()) {
      expect(valuesAt(sim, id, 'x').sort(), id).toEqual(['left', 'right'])
      expect((await sim.inspect(id)).summary.siblings, id).toBe(1)
    }
    expect(convergence.converged()).toEqual([]) // they agree: on the same two siblings
    // A read gives the lin-kv client one value, the same on every node (the
    // later stamp), and names the siblings.
    for (const id of ['n2', 'n3']) {
      expect(await ask(sim, id, { type: 'read', key: 'x' })).toMatchObject({
        type: 'read_ok',
        value: 'left',
        siblings: expect.arrayContaining(['left', 'right']) as unknown,
      })
    }
    // A write at a node holding both descends from both: it replaces them.
    await ask(sim, 'n3', { type: 'write', key: 'x', value: 'merged' })
    sim.advance(4 * antiEntropyMs)
    for (const id of sim.nodeIds()) {
      expect(versionsAt(sim, id, 'x'), id).toEqual([
        expect.objectContaining({ value: 'merged', clock: { n1: 1, n3: 1, n4: 1 } }),
      ])
    }
    expect(convergence.converged()).toEqual([])
    expect(sim.violations).toEqual([])
  })
})

describe('gossip: a replica that missed the writes', () => {
  async function missedWrites(variant?: string): Promise<GossipRun> {
    const run = await gossipCluster(5, { n: 3, r: 1, w: 1 }, variant)
    const { sim } = run
    await sim.kill('n5')
    for (const [i, key] of ['a', 'b', 'x', 'y', 'z'].entries()) {
      await ask(sim, 'n1', { type: 'write', key, value: i })
    }
    sim.advance(1_000) // every rumor has died out by now
    await sim.restart('n5')
    sim.advance(3_000)
    return run
  }

  it('catches up by anti-entropy after it restarts', async () => {
    const { sim, convergence } = await missedWrites()
    expect(Object.keys(sim.peekState<GossipState>('n5')?.store ?? {}).sort()).toEqual([
      'a',
      'b',
      'x',
      'y',
      'z',
    ])
    expect(convergence.converged()).toEqual([])
    expect(sim.violations).toEqual([])
  })

  it('never catches up without anti-entropy: the convergence check catches no-anti-entropy', async () => {
    const { sim, convergence } = await missedWrites('no-anti-entropy')
    expect(sim.peekState<GossipState>('n5')?.store).toEqual({})
    const found = convergence.converged()
    expect(found.length).toBe(5)
    expect(found[0].message).toMatch(
      /disagree on a: n1, n2, n3, n4 hold 0@\d+\/n1; n5 holds nothing/,
    )
  })
})

describe('the replica monotonicity check', () => {
  it('reports a replica that drops a version without a newer one', () => {
    const checker = new GossipConvergence()
    const state = (seq: number, store: Record<string, Version[]>): TraceEvent => ({
      seq,
      t: seq,
      kind: 'state',
      node: 'n1',
      summary: {},
      changes: [{ field: 'store', op: 'set', value: store }],
    })
    const v1: Version = { value: 1, t: 10, node: 'n2' }
    const v2: Version = { value: 2, t: 20, node: 'n3' }
    expect(checker.observe(state(1, { x: [v1] }))).toEqual([])
    expect(checker.observe(state(2, { x: [v2] }))).toEqual([]) // replaced by a later write
    const [found] = checker.observe(state(3, { x: [v1] }))
    expect(found).toMatchObject({ rule: 'Replica Monotonicity', nodes: ['n1'], events: [2, 3] })
    expect(found.message).toMatch(/n1 let go of x=2@20\/n3 without a version that replaces it/)
  })
})
