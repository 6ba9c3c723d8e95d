// Raft under an unreliable network and random faults, in the simulator: loss,
// delay, duplication and reordering on every link, with crashes, restarts,
// pauses and partitions, while clients keep working. After the faults stop,
// the cluster must converge and every reply must match the log order.
//
// A failing seed prints a command that replays just that run.

import { describe, expect, it } from 'vitest'
import type { Simulator } from '../../src/main/sim/simulator'
import { startWorkload } from '../../src/main/client/workload'
import { randomStream, type Random } from '../../src/shared/random'
import {
  collectReplies,
  expectLogsConverged,
  expectNoViolations,
  expectRepliesMatchLog,
  logOf,
  raftCluster,
  waitForLeader,
} from './helpers'

const lossy = { loss: 0.1, delayMsMin: 1, delayMsMax: 30, reorder: 0.2, duplicate: 0.05 }
const clean = { loss: 0, delayMsMin: 1, delayMsMax: 3, reorder: 0, duplicate: 0 }

/** One random fault: kill, restart, pause, resume, partition or heal. */
async function randomFault(sim: Simulator, random: Random): Promise<string> {
  const ids = sim.nodeIds()
  const pick = <T>(items: T[]): T => items[Math.floor(random() * items.length)]
  const up = ids.filter((id) => sim.status(id) === 'up')
  const down = ids.filter((id) => sim.status(id) === 'dead')
  const paused = ids.filter((id) => sim.status(id) === 'paused')
  const roll = random()
  if (roll < 0.2 && up.length > 2) {
    const id = pick(up)
    await sim.kill(id)
    return `kill ${id}`
  }
  if (roll < 0.4 && down.length > 0) {
    const id = pick(down)
    await sim.restart(id)
    return `restart ${id}`
  }
  if (roll < 0.5 && up.length > 2) {
    const id = pick(up)
    await sim.pause(id)
    return `pause ${id}`
  }
  if (roll < 0.6 && paused.length > 0) {
    const id = pick(paused)
    await sim.resume(id)
    return `resume ${id}`
  }
  if (roll < 0.8) {
    const shuffled = [...ids].sort(() => random() - 0.5)
    const cut = 1 + Math.floor(random() * (ids.length - 1))
    await sim.partition([shuffled.slice(0, cut), shuffled.slice(cut)])
    return `partition ${shuffled.slice(0, cut).join(',')} | ${shuffled.slice(cut).join(',')}`
  }
  await sim.heal()
  return 'heal'
}

/** Runs one seed: faults every `faultEveryMs` for `faultsMs`, then quiet. Returns a failure or null. */
async function runSeed(seed: number, faultsMs: number, operations: number): Promise<void> {
  const sim = await raftCluster(5, seed)
  const replies = collectReplies(sim)
  const random = randomStream(seed, 'faults')
  await sim.setLink('*', '*', lossy)
  const clients = [sim.client('c1'), sim.client('c2'), sim.client('c3'), sim.client('c4')]
  let done = false
  startWorkload(
    clients,
    { operations, keys: ['x', 'y'], mix: { read: 1, write: 2, cas: 1 }, valuesMax: 4 },
    randomStream(seed, 'workload'),
    () => sim.now(),
    () => {
      done = true
    },
  )
  const schedule: string[] = []
  for (let t = 0; t < faultsMs; t += 250) {
    schedule.push(`${sim.now().toFixed(0)}ms ${await randomFault(sim, random)}`)
    sim.advance(250)
  }
  // Faults stop: heal everything and let the cluster settle.
  await sim.heal()
  await sim.setLink('*', '*', clean)
  for (const id of sim.nodeIds()) {
    if (sim.status(id) === 'paused') await sim.resume(id)
    if (sim.status(id) === 'dead') await sim.restart(id)
  }
  sim.runUntil(() => done, 30_000)
  waitForLeader(sim, 5_000)
  sim.advance(2_000)
  const context = `seed ${seed}; replay with: SEED=${seed} npx vitest run test/scenarios/raft-faults.test.ts\nfaults: ${schedule.join('; ')}`
  expect(done, `the workload did not finish (${context})`).toBe(true)
  expect(
    sim.violations.map((v) => v.message),
    context,
  ).toEqual([])
  try {
    expectLogsConverged(sim)
    expectRepliesMatchLog(logOf(sim, 'n1'), replies)
  } catch (error) {
    throw new Error(`${String(error)}\n${context}`, { cause: error })
  }
  expectNoViolations(sim)
}

const onlySeed = process.env['SEED'] === undefined ? null : Number(process.env['SEED'])

describe('Raft under faults', () => {
  it.runIf(onlySeed === null)(
    'stays safe over a lossy, reordering, duplicating network with crashes and partitions (seed 21)',
    async () => {
      // Faults: 10% loss, 1-30 ms delay, 20% reordering, 5% duplication on
      // every link, and a random fault every 250 ms for 20 s; 4 clients.
      await runSeed(21, 20_000, 400)
    },
  )

  it('passes a sweep of random fault schedules with no violation', async () => {
    // Faults: as above, for 5 s per seed, over many seeds (or just SEED).
    const seeds = onlySeed === null ? Array.from({ length: 300 }, (_, i) => 100 + i) : [onlySeed]
    for (const seed of seeds) await runSeed(seed, 5_000, 120)
  })
})
