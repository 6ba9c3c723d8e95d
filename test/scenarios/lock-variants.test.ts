// The lock service's deliberately broken variants, each caught by the checks
// in a fixed scenario that the reference passes: the linearizability check of
// the clients' acquires and releases under the lock model (one holder at a
// time, tokens that grow) and the resource's own check (lock-invariants.ts).
// n1-n3 run Raft and serve locks; n4 is the protected resource.

import { describe, expect, it } from 'vitest'
import { checkHistory } from '../../src/main/check/check-history'
import { complete } from '../../src/main/commands/complete'
import { Session } from '../../src/main/commands/interpreter'
import { Simulator } from '../../src/main/sim/simulator'
import type { Body } from '../../src/shared/envelope'
import { waitForLeader } from './helpers'
import { ask, LockClient } from './lock-helpers'

const members = ['n1', 'n2', 'n3']
const leaseMs = 20_000 // longer than the run: a lock is freed only by its release

async function lockCluster(seed: number, variant: string | undefined) {
  const sim = new Simulator()
  const spec = { algorithm: 'lock', nodes: 4, seed, options: { resource: 'n4' } }
  await sim.start({ ...spec, ...(variant ? { variant } : {}) })
  return { sim, leader: waitForLeader(sim, 2_000, members) }
}

/** One acquire or release, run to its answer (null: no answer, outcome unknown). */
function operate(sim: Simulator, client: LockClient, f: 'acquire' | 'release', key: string) {
  let reply: Body | null | undefined
  client.operate(f, key, leaseMs, (answer) => {
    reply = answer
  })
  sim.runUntil(() => reply !== undefined, 5_000)
  return reply ?? null
}

async function store(sim: Simulator, holder: string, token: unknown): Promise<string> {
  const write = { type: 'store', key: 'file', value: holder, holder, token }
  return (await ask(sim, 'n4', holder, write)).type
}

function verdict(sim: Simulator, clients: LockClient[]) {
  const operations = clients.flatMap((client) => client.history)
  const report = checkHistory({ model: 'lock', operations })
  return { rules: sim.violations.map((v) => v.rule), linearizable: report.result }
}

/** c1 takes and frees the lock twice; its leader dies; c2 takes it from the next leader. */
async function leaderChangesBetweenHolders(variant?: string) {
  const { sim, leader } = await lockCluster(1, variant)
  const c1 = new LockClient(sim, 'c1', members, leader)
  let lastToken: unknown
  for (let i = 0; i < 2; i++) {
    lastToken = operate(sim, c1, 'acquire', 'L')?.token
    await store(sim, 'c1', lastToken)
    operate(sim, c1, 'release', 'L')
  }
  await sim.kill(leader)
  const next = waitForLeader(
    sim,
    2_000,
    members.filter((id) => id !== leader),
  )
  const c2 = new LockClient(sim, 'c2', members, next)
  const grant = operate(sim, c2, 'acquire', 'L')
  const c2Write = await store(sim, 'c2', grant?.token)
  return { ...verdict(sim, [c1, c2]), c2Write, lastToken, token: grant?.token }
}

/**
 * The leader is cut off alone. Before that it granted A; now c1 asks it for B,
 * then L, and c2 asks the majority's new leader for L. Both write to the
 * resource, then c1 again. (Here the cut-off leader's L entry and the new
 * leader's happen to sit at the same index, so their tokens are equal.)
 */
async function cutOffLeaderGrants(variant?: string) {
  const { sim, leader } = await lockCluster(2, variant)
  const others = members.filter((id) => id !== leader)
  const c1 = new LockClient(sim, 'c1', members, leader)
  operate(sim, c1, 'acquire', 'A')
  await sim.partition([[leader], [...others, 'n4']])
  operate(sim, c1, 'acquire', 'B') // an entry that will never commit, before L's
  const stale = operate(sim, c1, 'acquire', 'L')
  const c2 = new LockClient(sim, 'c2', members, waitForLeader(sim, 2_000, others))
  const grant = operate(sim, c2, 'acquire', 'L')
  if (stale?.type === 'acquire_ok') await store(sim, 'c1', stale.token)
  await store(sim, 'c2', grant?.token)
  if (stale?.type === 'acquire_ok') await store(sim, 'c1', stale.token)
  return { ...verdict(sim, [c1, c2]), c1: stale?.type ?? 'no answer', c2: grant?.type }
}

describe('lock service variants, caught by the checks', () => {
  it('reference: tokens keep growing across a change of leader', async () => {
    const found = await leaderChangesBetweenHolders()
    expect(found).toMatchObject({ rules: [], linearizable: 'linearizable', c2Write: 'store_ok' })
    expect(found.token as number).toBeGreaterThan(found.lastToken as number)
  })

  it('tokens-per-term: the new leader’s token is lower; the resource refuses its holder', async () => {
    const found = await leaderChangesBetweenHolders('tokens-per-term')
    expect(found.token as number).toBeLessThan(found.lastToken as number)
    expect(found.linearizable).toBe('not linearizable')
    expect(found.c2Write).toBe('error') // stale fencing token: the rightful holder is locked out
  })

  it('reference: a cut-off leader grants nothing, so L has one holder', async () => {
    const found = await cutOffLeaderGrants()
    expect(found).toMatchObject({ rules: [], linearizable: 'linearizable' })
    // c1's requests time out at the cut-off leader and it tries the next node, where it may win L.
    expect([found.c1, found.c2].filter((answer) => answer === 'acquire_ok')).toHaveLength(1)
  })

  it('grants-before-commit: two holders of L at once, and the resource takes both', async () => {
    const found = await cutOffLeaderGrants('grants-before-commit')
    expect(found).toMatchObject({ c1: 'acquire_ok', c2: 'acquire_ok' })
    expect(found.linearizable).toBe('not linearizable')
    expect(found.rules).toContain('Mutual Exclusion')
  })

  it('are chosen in the terminal: start lock --variant NAME, with completion', async () => {
    expect(complete('start lock 3 --variant ', []).candidates).toEqual([
      'grants-before-commit',
      'tokens-per-term',
    ])
    const session = new Session()
    try {
      const started = await session.run('start lock 3 --sim --variant grants-before-commit')
      expect(started.ok, started.lines.join('\n')).toBe(true)
      expect(started.lines[0]).toContain('variant grants-before-commit')
    } finally {
      await session.close()
    }
  })
})
