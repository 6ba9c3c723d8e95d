// Helpers for the gossip store's scenario tests: a simulated cluster with its
// convergence checker following the trace, and each replica's versions of a key.

import { GossipConvergence } from '../../src/main/check/gossip-convergence'
import { Simulator } from '../../src/main/sim/simulator'
import type { NodeOptions } from '../../src/shared/node-api'
import type { TraceEvent } from '../../src/shared/trace'
import type { GossipState, Version } from '../../src/workers/algorithms/gossip/gossip'

export interface GossipRun {
  sim: Simulator
  convergence: GossipConvergence
  events: TraceEvent[]
}

/** A gossip cluster with its convergence checker following the trace from the first event. */
export async function gossipCluster(
  seed: number,
  options: NodeOptions = {},
  variant?: string,
  nodes = 5,
): Promise<GossipRun> {
  const sim = new Simulator()
  const convergence = new GossipConvergence()
  const events: TraceEvent[] = []
  sim.events((event) => {
    convergence.observe(event)
    if (event.kind === 'send' || event.kind === 'state') events.push(event)
  })
  await sim.start({ algorithm: 'gossip', nodes, seed, options, ...(variant ? { variant } : {}) })
  return { sim, convergence, events }
}

export function versionsAt(sim: Simulator, id: string, key: string): readonly Version[] {
  return sim.peekState<GossipState>(id)?.store[key] ?? []
}

export function valuesAt(sim: Simulator, id: string, key: string): unknown[] {
  return versionsAt(sim, id, key).map((v) => v.value)
}
