// Checks for the eventually consistent store (src/workers/algorithms/gossip).
//
//   Convergence           once the faults heal and gossip has run, every live
//                         replica holds the same versions of every key (Demers
//                         et al. 1987: anti-entropy spreads every update to every
//                         site; Dynamo 4.7). Not true mid-run, so it is judged
//                         when a run has settled: `converged()`, or
//                         `checkConvergence(cluster)` on a running cluster.
//   Replica Monotonicity  at every step: a replica never lets go of a version
//                         except for one that replaces it (a newer write under
//                         LWW, a descendant under version vectors). Checked
//                         event by event, like Raft's invariants.
//
// Each replica's store is its one persistent field, so every state event that
// changes it carries the whole store: the trace alone is enough.

import type { Cluster } from '../../shared/cluster'
import type { NodeId } from '../../shared/envelope'
import type { TraceEvent } from '../../shared/trace'
import { covers, describeVersions, type Version } from '../../workers/algorithms/gossip/versions'
import type { TraceChecker, Violation } from './index'

export type Store = Readonly<Record<string, readonly Version[]>>

export interface Replica {
  id: NodeId
  store: Store
}

/** Past this many reports, further ones add nothing a learner can use. */
export const violationsReportedMax = 50

function violation(rule: string, message: string, nodes: NodeId[], events: number[]): Violation {
  return { seq: 0, t: 0, kind: 'violation', node: '*', rule, message, nodes, events }
}

/** One replica's versions of a key, written the same way whatever order it holds them in. */
function shown(versions: readonly Version[] | undefined): string {
  if (versions === undefined || versions.length === 0) return 'nothing'
  return versions
    .map((v) => describeVersions([v]))
    .sort()
    .join('|')
}

/** Every key on which the replicas disagree, as one violation each, saying who holds what. */
export function divergences(replicas: readonly Replica[]): Violation[] {
  const keys = [...new Set(replicas.flatMap((replica) => Object.keys(replica.store)))].sort()
  const found: Violation[] = []
  for (const key of keys) {
    const holders = new Map<string, NodeId[]>()
    for (const replica of replicas) {
      const text = shown(replica.store[key])
      holders.set(text, [...(holders.get(text) ?? []), replica.id])
    }
    if (holders.size < 2) continue
    const who = [...holders].map(
      ([text, ids]) => `${ids.join(', ')} ${ids.length === 1 ? 'holds' : 'hold'} ${text}`,
    )
    found.push(
      violation(
        'Convergence',
        `after the faults healed, replicas still disagree on ${key}: ${who.join('; ')}.`,
        replicas.map((replica) => replica.id),
        [],
      ),
    )
    if (found.length >= violationsReportedMax) break
  }
  return found
}

/** Follows each replica's store through the trace. */
export class GossipConvergence implements TraceChecker {
  readonly name = 'gossip-convergence'
  private readonly stores = new Map<NodeId, { store: Store; seq: number }>()
  private readonly down = new Set<NodeId>()
  private reported = 0

  observe(event: TraceEvent): Violation[] {
    if (event.kind === 'crash') this.down.add(event.node)
    if (event.kind !== 'state') return []
    this.down.delete(event.node) // a state event: the node runs (a restart begins with one)
    const change = event.changes.find((c) => c.field === 'store' && c.op === 'set')
    if (change === undefined || change.op !== 'set') return []
    const store = change.value as Store
    const before = this.stores.get(event.node)
    this.stores.set(event.node, { store, seq: event.seq })
    if (before === undefined) return []
    const found: Violation[] = []
    for (const [key, versions] of Object.entries(before.store)) {
      const lost = versions.filter((v) => !covers(store[key] ?? [], v))
      if (lost.length === 0 || this.reported >= violationsReportedMax) continue
      this.reported++
      found.push(
        violation(
          'Replica Monotonicity',
          `${event.node} let go of ${key}=${describeVersions(lost)} without a version that replaces it; it now holds ${shown(store[key])}.`,
          [event.node],
          [before.seq, event.seq],
        ),
      )
    }
    return found
  }

  /** Judges convergence now: call it once the faults have healed and gossip has had time. */
  converged(): Violation[] {
    const live = [...this.stores]
      .filter(([id]) => !this.down.has(id))
      .map(([id, { store }]) => ({ id, store }))
    return divergences(live)
  }
}

/** Convergence of a running cluster (either runtime), judged from every live node's state. */
export async function checkConvergence(cluster: Cluster): Promise<Violation[]> {
  const replicas: Replica[] = []
  for (const id of cluster.nodeIds()) {
    const inspection = await cluster.inspect(id)
    const state = inspection.state as { store?: Store } | undefined
    if (inspection.status !== 'dead' && state?.store !== undefined) {
      replicas.push({ id, store: state.store })
    }
  }
  return divergences(replicas)
}
