// Goals about what the nodes hold now, beyond roles and logs: the replicas of
// the gossip store agreeing or not (eventual consistency made visible), and
// one column of `status` reaching a value (a 2PC participant in doubt, a 3PC
// participant committable). Judged on the live cluster, like `nodes`.

import type { NodeInspection } from '../../shared/cluster'
import type { NodeId } from '../../shared/envelope'
import { divergences, type Replica, type Store } from '../check/gossip-convergence'
import type { GoalResult } from './goals'
import type { Language } from './lesson'

type Say = Record<Language, string>

/** The replicas of a store: every live node whose state has a `store` of versions. */
function replicasOf(all: readonly NodeInspection[]): Replica[] {
  const replicas: Replica[] = []
  for (const inspection of all) {
    const state = inspection.state as { store?: Store } | undefined
    if (inspection.status !== 'dead' && state?.store !== undefined) {
      replicas.push({ id: inspection.id, store: state.store })
    }
  }
  return replicas
}

/**
 * `replicas: { agree }`: every live replica holds the same versions of every
 * key (agree: true), or at least one key is held differently (agree: false).
 * The same comparison as the gossip store's Convergence check.
 */
export function judgeReplicas(
  agree: boolean,
  all: readonly NodeInspection[],
  no: (say: Say) => GoalResult,
): GoalResult {
  const replicas = replicasOf(all)
  if (replicas.length === 0) {
    return no({
      en: 'this cluster keeps no replicated store to compare; the gossip store does (start gossip 5 --sim).',
      zh: '这个集群没有可以比较的副本存储；gossip 存储才有（start gossip 5 --sim）。',
    })
  }
  const differing = divergences(replicas)
  if (agree && differing.length > 0) {
    return no({
      en: `the replicas do not agree yet: ${differing[0].message.replace(/^after the faults healed, /, '')}`,
      zh: `副本还不一致：${differing.length} 个键在不同节点上的值不同（status 的 digest 列不相同）。`,
    })
  }
  if (!agree && differing.length === 0) {
    return no({
      en: 'every replica holds the same values: nothing has diverged.',
      zh: '所有副本的值都一样：还没有出现分歧。',
    })
  }
  return { met: true }
}

export interface SummaryGoal {
  field: string
  node?: NodeId
  atLeast?: number
  equals?: string
}

/**
 * `summary: { field, node?, at-least? | equals? }`: some up node (or the node
 * named) shows that value in that column of `status`: a number at least
 * `at-least`, or exactly the text `equals`.
 */
export function judgeSummary(
  goal: SummaryGoal,
  all: readonly NodeInspection[],
  no: (say: Say) => GoalResult,
): GoalResult {
  const shows = (inspection: NodeInspection): boolean => {
    if (inspection.status !== 'up') return false
    if (goal.node !== undefined && inspection.id !== goal.node) return false
    const value = inspection.summary[goal.field]
    if (goal.equals !== undefined) return value !== undefined && String(value) === goal.equals
    return typeof value === 'number' && value >= (goal.atLeast ?? 1)
  }
  if (all.some(shows)) return { met: true }
  const who = goal.node ?? 'any node that is up'
  const whoZh = goal.node ?? '任何一个运行中的节点'
  const want =
    goal.equals !== undefined ? `"${goal.equals}"` : `at least ${String(goal.atLeast ?? 1)}`
  const wantZh =
    goal.equals !== undefined ? `“${goal.equals}”` : `至少 ${String(goal.atLeast ?? 1)}`
  return no({
    en: `status should show ${goal.field} ${want} on ${who}, and does not yet.`,
    zh: `status 里${whoZh}的 ${goal.field} 应当是${wantZh}，现在还不是。`,
  })
}
