// The Raft lock service under crashes and partitions, over many seeds: four
// clients contend for two locks; every history must be linearizable under the
// lock model (one holder at a time, tokens that grow), and the resource's
// check must find no two holders. Leases are longer than the run, so a lock is
// freed only by its release (the model has no expiry; lock.test.ts covers it).
// A failure prints its seed; `SEED=n npx vitest run test/scenarios/lock-sweep`
// replays one.

import { describe, expect, it } from 'vitest'
import { checkHistory } from '../../src/main/check/check-history'
import { Simulator } from '../../src/main/sim/simulator'
import { randomStream } from '../../src/shared/random'
import { expectNoViolations } from './helpers'
import { LockClient } from './lock-helpers'

const members = ['n1', 'n2', 'n3', 'n4', 'n5']
const runMs = 3_000
const leaseMs = 20_000

async function run(seed: number): Promise<void> {
  const sim = new Simulator()
  await sim.start({ algorithm: 'lock', nodes: 6, seed, options: { resource: 'n6' } })
  await sim.setLink('*', '*', { loss: 0.02, delayMsMin: 1, delayMsMax: 15 })
  const random = randomStream(seed, 'lock-sweep')
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]
  const clients = ['c1', 'c2', 'c3', 'c4'].map(
    (id) => new LockClient(sim, id, members, pick(members)),
  )
  let idle = 0

  // Each client: acquire; if granted, write to the resource with the token,
  // then release. After an unknown acquire it releases too, in case it holds.
  const cycle = (client: LockClient): void => {
    if (sim.now() > runMs) {
      idle++
      return
    }
    const key = pick(['A', 'B'])
    client.operate('acquire', key, leaseMs, (reply) => {
      if (reply !== null && reply.type !== 'acquire_ok')
        return sim.schedule(20, () => cycle(client))
      if (reply !== null) {
        const write = {
          type: 'store',
          key,
          value: client.id,
          holder: client.id,
          token: reply.token,
        }
        client.call(write, () => undefined)
      }
      sim.schedule(10 + Math.floor(random() * 40), () => release(client, key))
    })
  }
  const release = (client: LockClient, key: string): void => {
    client.operate('release', key, leaseMs, (reply) => {
      // Unknown or done: move on. Error 22 after a lost acquire: it never held it.
      void reply
      sim.schedule(10, () => cycle(client))
    })
  }
  for (const client of clients) cycle(client)

  // Faults: a leader crash and restart, then a partition and heal.
  sim.schedule(400, () => void sim.kill(sim.leader() ?? 'n1'))
  sim.schedule(900, () => void sim.restart(pick(members.filter((id) => sim.status(id) === 'dead'))))
  sim.schedule(1_400, () => void sim.partition([[pick(members), pick(members)]]))
  sim.schedule(2_200, () => void sim.heal())
  sim.runUntil(() => idle === clients.length, 30_000)
  expect(idle, `seed ${seed}: clients still busy`).toBe(clients.length)

  const operations = clients.flatMap((client) => client.history)
  const grants = operations.filter((op) => op.input.f === 'acquire' && op.output !== undefined)
  expect(grants.length, `seed ${seed}: too few grants`).toBeGreaterThan(2)
  const report = checkHistory({ model: 'lock', operations, stepsMax: 2_000_000 })
  expect(report.result, `seed ${seed}: ${JSON.stringify(report)}`).toBe('linearizable')
  expectNoViolations(sim)
}

describe('lock service sweep', () => {
  const only = process.env.SEED === undefined ? null : Number(process.env.SEED)
  const seeds = only === null ? Array.from({ length: 50 }, (_, i) => i + 1) : [only]
  it(`is linearizable with one holder at a time under crashes and partitions (seeds ${seeds[0]}..${seeds.at(-1)})`, async () => {
    for (const seed of seeds) await run(seed)
  })
})
