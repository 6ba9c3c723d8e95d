// Helpers for tests of the real-time cluster: real threads, real sockets, real
// time. Waits are bounded generously (liveness, not speed).

import { expect } from 'vitest'
import type { RealTimeCluster } from '../../src/main/cluster/cluster'
import type { NodeSummary } from '../../src/shared/node-api'

export async function summaries(cluster: RealTimeCluster): Promise<Map<string, NodeSummary>> {
  const result = new Map<string, NodeSummary>()
  for (const id of cluster.nodeIds()) {
    if (cluster.status(id) === 'dead') continue
    result.set(id, (await cluster.inspect(id)).summary)
  }
  return result
}

export async function leaderOf(cluster: RealTimeCluster, among?: string[]): Promise<string | null> {
  let best: { id: string; term: number } | null = null
  for (const [id, summary] of await summaries(cluster)) {
    if (among !== undefined && !among.includes(id)) continue
    if (summary.role !== 'leader') continue
    const term = summary.term ?? 0
    if (best === null || term > best.term) best = { id, term }
  }
  return best?.id ?? null
}

/** Waits (real time) for a leader, at most `limitMs`. */
export async function waitForLeader(
  cluster: RealTimeCluster,
  limitMs = 5_000,
  among?: string[],
): Promise<string> {
  const deadline = Date.now() + limitMs
  for (;;) {
    const leader = await leaderOf(cluster, among)
    if (leader !== null) return leader
    if (Date.now() > deadline) expect.fail(`no leader within ${limitMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

export async function write(
  cluster: RealTimeCluster,
  node: string,
  key: string,
  value: unknown,
  timeoutMs = 1_000,
): Promise<string> {
  const result = await cluster.request(node, { type: 'write', key, value }, { timeoutMs })
  return result.ok ? result.body.type : 'timeout'
}

export async function logOf(cluster: RealTimeCluster, id: string): Promise<unknown[]> {
  const state = (await cluster.inspect(id)).state as { log?: unknown[] } | undefined
  return state?.log ?? []
}
