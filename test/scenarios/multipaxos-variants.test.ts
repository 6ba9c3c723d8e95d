// Multi-Paxos's deliberately broken variants, each caught by the module's
// checks in a fixed scenario that the reference passes: the slot-by-slot
// "only a single value is chosen" check (multipaxos-invariants.ts) and the
// linearizability check of the clients' history under the kv model.
// Reference: Lamport, "Paxos Made Simple", sections 2.2 and 3.

import { describe, expect, it } from 'vitest'
import { checkHistory } from '../../src/main/check/check-history'
import { HistoryRecorder } from '../../src/main/check/history-import'
import type { KvClient } from '../../src/main/client/kv-client'
import { complete } from '../../src/main/commands/complete'
import { Session } from '../../src/main/commands/interpreter'
import { Simulator } from '../../src/main/sim/simulator'
import { perform, waitForLeader } from './helpers'

const clientOptions = { timeoutMs: 300, operationMsMax: 600, retryMs: 10 }

/** A 3-node Multi-Paxos cluster with a client, recording the history for the checker. */
async function cluster(seed: number, variant: string | undefined) {
  const sim = new Simulator()
  const history = new HistoryRecorder()
  sim.events((event) => void history.add(event))
  await sim.start({ algorithm: 'multipaxos', nodes: 3, seed, ...(variant ? { variant } : {}) })
  const leader = waitForLeader(sim)
  const client: KvClient = sim.client('c1', clientOptions, leader)
  return { sim, leader, client, history }
}

function verdict(sim: Simulator, history: HistoryRecorder) {
  const report = checkHistory({ model: 'kv', operations: history.operations() })
  return { rules: sim.violations.map((v) => v.rule), linearizable: report.result }
}

/**
 * The leader has a write chosen (a majority accepted it, the client has its
 * "ok") and dies before the others hear it was chosen. A new leader must find
 * it in the promises (P2c) and keep it; then a second write, and a read.
 */
async function leaderDiesAfterChoosing(variant?: string) {
  const { sim, leader, client, history } = await cluster(1, variant)
  expect(perform(sim, client, { f: 'write', key: 'x', value: 1 }).type).toBe('ok')
  await sim.kill(leader) // at once: no later Accept told the others slot 0 is chosen
  const next = waitForLeader(sim)
  client.startAt(next)
  perform(sim, client, { f: 'write', key: 'y', value: 2 })
  perform(sim, client, { f: 'read', key: 'x' })
  return verdict(sim, history)
}

/** The leader is cut off alone; it takes a write; the others elect a leader and read. */
async function leaderCutOffTakesAWrite(variant?: string) {
  const { sim, leader, client, history } = await cluster(2, variant)
  expect(perform(sim, client, { f: 'write', key: 'x', value: 1 }).type).toBe('ok')
  const others = sim.nodeIds().filter((id) => id !== leader)
  await sim.partition([[leader], others])
  perform(sim, client, { f: 'write', key: 'x', value: 2 }) // reaches only the cut-off leader
  const next = waitForLeader(sim, 2_000, others)
  client.startAt(next)
  perform(sim, client, { f: 'read', key: 'x' })
  return verdict(sim, history)
}

describe('Multi-Paxos variants, caught by the checks', () => {
  it('reference: a new leader keeps the chosen write it found in the promises', async () => {
    expect(await leaderDiesAfterChoosing()).toEqual({ rules: [], linearizable: 'linearizable' })
  })

  it('ignores-accepted: the new leader chooses a second command in slot 0 (P2c, 2.2)', async () => {
    const found = await leaderDiesAfterChoosing('ignores-accepted')
    expect(found.rules).toContain('Only a single value is chosen')
    expect(found.linearizable).toBe('not linearizable')
  })

  it('reference: a cut-off leader answers no write it could not get chosen', async () => {
    expect(await leaderCutOffTakesAWrite()).toEqual({ rules: [], linearizable: 'linearizable' })
  })

  it('answers-before-chosen: the acknowledged write is gone at the new leader (2.2, 3)', async () => {
    const found = await leaderCutOffTakesAWrite('answers-before-chosen')
    expect(found.rules).toEqual([]) // nothing was chosen twice: the write was never chosen at all
    expect(found.linearizable).toBe('not linearizable')
  })

  it('are chosen in the terminal: start multipaxos --variant NAME, with completion', async () => {
    expect(complete('start multipaxos 3 --variant ', []).candidates).toEqual([
      'answers-before-chosen',
      'ignores-accepted',
    ])
    const session = new Session()
    try {
      const started = await session.run('start multipaxos 3 --sim --variant answers-before-chosen')
      expect(started.ok, started.lines.join('\n')).toBe(true)
      expect(started.lines[0]).toContain('variant answers-before-chosen')
    } finally {
      await session.close()
    }
  })
})
