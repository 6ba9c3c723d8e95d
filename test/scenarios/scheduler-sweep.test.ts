// The scheduler under crashes and partitions, over 30 seeds: tasks are
// submitted, a node is killed and restarted, a partition comes and heals.
// After heal every acknowledged task must have run to completion, and no task
// may ever run on two workers at once. A failure prints its seed;
// `SEED=n npx vitest run test/scenarios/scheduler-sweep` replays one.

import { describe, expect, it } from 'vitest'
import { SchedulerInvariants } from '../../src/main/check/scheduler-invariants'
import { Simulator } from '../../src/main/sim/simulator'
import { randomStream } from '../../src/shared/random'
import type { SchedulerState } from '../../src/workers/algorithms/scheduler/scheduler'
import { expectNoViolations, waitForLeader } from './helpers'

async function run(seed: number): Promise<void> {
  const sim = new Simulator()
  await sim.start({ algorithm: 'scheduler', nodes: 5, seed })
  await sim.setLink('*', '*', { loss: 0.02, delayMsMin: 1, delayMsMax: 15 })
  const check = new SchedulerInvariants()
  sim.events((event) => void check.observe(event))
  const random = randomStream(seed, 'scheduler-sweep')
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]
  const ids = sim.nodeIds()
  const first = waitForLeader(sim)
  for (let i = 0; i < 8; i++) {
    const reply = await sim.request(
      first,
      { type: 'submit', task: `t${i}`, cost: 100 + Math.floor(random() * 900) },
      { client: 'c1', timeoutMs: 1_000 },
    )
    expect(reply.ok && reply.body.type, `seed ${seed}: submit t${i}`).toBe('submit_ok')
  }
  const victim = pick(ids)
  sim.schedule(100, () => void sim.kill(victim))
  sim.schedule(700, () => void sim.restart(victim))
  sim.schedule(1_000, () => void sim.partition([[pick(ids), pick(ids)]]))
  sim.schedule(1_900, () => void sim.heal())
  sim.advance(10_000)
  const leader = waitForLeader(sim)
  const tasks = sim.peekState<SchedulerState>(leader)?.tasks ?? {}
  expect(Object.keys(tasks).length, `seed ${seed}`).toBe(8)
  for (const t of Object.values(tasks)) expect(t.state, `seed ${seed}: ${t.task}`).toBe('done')
  expect(check.unfinished(), `seed ${seed}`).toEqual([])
  expectNoViolations(sim)
}

describe('scheduler sweep', () => {
  const only = Number(process.env.SEED)
  const seeds =
    Number.isInteger(only) && only > 0 ? [only] : Array.from({ length: 30 }, (_, i) => i + 1)
  for (const seed of seeds) {
    it(`seed ${seed}: every task completes after heal, none runs twice at once`, () => run(seed))
  }
})
