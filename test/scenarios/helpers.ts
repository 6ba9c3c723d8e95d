// Small helpers for scenario tests: start a cluster, wait for a leader, do one
// client operation and wait for it, read logs, and check the invariants held.

import { expect } from 'vitest'
import type { Completion, KvClient } from '../../src/main/client/kv-client'
import { Simulator } from '../../src/main/sim/simulator'
import type { LinkShape } from '../../src/shared/trace'
import type { Entry, RaftState } from '../../src/workers/algorithms/raft/raft'

export async function raftCluster(
  nodes: number,
  seed: number,
  link?: Partial<LinkShape>,
): Promise<Simulator> {
  const sim = new Simulator()
  await sim.start({ algorithm: 'raft', nodes, seed, ...(link === undefined ? {} : { link }) })
  return sim
}

/** Runs until some live node leads (the highest term wins), or fails after `limitMs`. */
export function waitForLeader(sim: Simulator, limitMs = 2_000, among?: string[]): string {
  const leaderAmong = (): string | null => {
    if (among === undefined) return sim.leader()
    for (const id of among) if (raft(sim, id)?.role === 'leader') return id
    return null
  }
  const found = sim.runUntil(() => leaderAmong() !== null, limitMs)
  expect(found, `no leader within ${limitMs} ms of virtual time`).toBe(true)
  return leaderAmong() as string
}

export function raft(sim: Simulator, id: string): Readonly<RaftState> | undefined {
  return sim.peekState<RaftState>(id)
}

export function logOf(sim: Simulator, id: string): readonly Entry[] {
  return raft(sim, id)?.log ?? []
}

/** One operation by one client, run to its end (ok, fail or info). */
export function perform(
  sim: Simulator,
  client: KvClient,
  op: Parameters<KvClient['invoke']>[0],
  limitMs = 5_000,
): Completion {
  let result: Completion | null = null
  client.invoke(op, (completion) => {
    result = completion
  })
  sim.runUntil(() => result !== null, limitMs)
  if (result === null) throw new Error(`${op.f} ${op.key} did not finish in ${limitMs} ms`)
  return result
}

export function expectNoViolations(sim: Simulator): void {
  expect(
    sim.violations.map((v) => `${v.rule}: ${v.message}`),
    'invariant violations',
  ).toEqual([])
}

/** Every live node's log is identical (after heal and quiet). */
export function expectLogsConverged(sim: Simulator): void {
  const live = sim.nodeIds().filter((id) => sim.status(id) === 'up')
  const reference = JSON.stringify(logOf(sim, live[0]))
  for (const id of live) {
    expect(JSON.stringify(logOf(sim, id)), `log of ${id} differs from ${live[0]}`).toBe(reference)
    expect(raft(sim, id)?.commitIndex, `${id} has not committed everything`).toBe(
      logOf(sim, live[0]).length,
    )
  }
}

/** The values written to `key` by entries in a log, in log order. */
export function writesIn(log: readonly Entry[], key: string): unknown[] {
  return log
    .filter((e) => e.command?.op === 'write' && e.command.key === key)
    .map((e) => e.command?.value)
}

/** Every reply a client received, by `client:msg_id`, collected from the trace. */
export function collectReplies(sim: Simulator): Map<string, Record<string, unknown>> {
  const replies = new Map<string, Record<string, unknown>>()
  sim.events((event) => {
    if (event.kind === 'recv' && /^c\d+$/.test(event.node)) {
      replies.set(`${event.node}:${String(event.body.in_reply_to)}`, event.body)
    }
  })
  return replies
}

/**
 * Replays `log` on an empty key-value store and checks that every reply a
 * client got is what serial execution gives at that command's place in the
 * log. Since every request goes through the log, this is the promise Raft
 * makes to clients (section 8): each answer reflects one point in one order.
 * Returns how many replies were checked.
 */
export function expectRepliesMatchLog(
  log: readonly Entry[],
  replies: Map<string, Record<string, unknown>>,
): number {
  const kv = new Map<string, unknown>()
  let checked = 0
  for (const [i, entry] of log.entries()) {
    const c = entry.command
    if (c === null) continue
    let expected: Record<string, unknown>
    if (c.op === 'read') {
      expected = kv.has(c.key)
        ? { type: 'read_ok', value: kv.get(c.key) }
        : { type: 'error', code: 20 }
    } else if (c.op === 'write') {
      kv.set(c.key, c.value)
      expected = { type: 'write_ok' }
    } else if (!kv.has(c.key)) {
      expected = { type: 'error', code: 20 }
    } else if (JSON.stringify(kv.get(c.key)) !== JSON.stringify(c.from)) {
      expected = { type: 'error', code: 22 }
    } else {
      kv.set(c.key, c.to)
      expected = { type: 'cas_ok' }
    }
    const reply = replies.get(`${c.client}:${String(c.msg_id)}`)
    if (reply === undefined) continue // the client gave up before the answer
    checked++
    expect(reply, `reply to ${c.client} for log index ${i + 1} (${c.op} ${c.key})`).toMatchObject(
      expected,
    )
  }
  return checked
}
