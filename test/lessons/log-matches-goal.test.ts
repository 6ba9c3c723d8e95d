// The log-matches goal: a node's log holds the leader's entries and commit
// index (Raft section 5.3: the leader brings every follower's log into line
// with its own). Judged on inspections of a cluster made up here, so each
// case says exactly which logs it compares.

import { describe, expect, it } from 'vitest'
import type { NodeInspection, NodeStatus } from '../../src/shared/cluster'
import type { NodeId } from '../../src/shared/envelope'
import { judgeGoal, readGoal, type Goal, type GoalContext } from '../../src/main/lessons/goals'

type Entry = { term: number; command: { op: 'write'; key: string; value: number } | null }

const noOp = (term: number): Entry => ({ term, command: null })
const put = (term: number, key: string, value: number): Entry => ({
  term,
  command: { op: 'write', key, value },
})

function node(
  id: NodeId,
  role: string,
  term: number,
  log: Entry[],
  commitIndex: number,
  status: NodeStatus = 'up',
): NodeInspection {
  return {
    id,
    status,
    summary: { role, term, commitIndex, logLength: log.length },
    state: { currentTerm: term, log, commitIndex },
    saved: { currentTerm: term, log },
  }
}

function context(nodes: NodeInspection[]): GoalContext {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  return {
    events: [],
    summariesAtStart: new Map(),
    commands: [],
    cluster: {
      nodeIds: () => nodes.map((n) => n.id),
      inspect: (id) => {
        const found = byId.get(id)
        if (found === undefined) throw new Error(`no node ${id} in this test`)
        return Promise.resolve(found)
      },
    },
    verdict: () => Promise.resolve({ violations: [], linearizable: null }),
  }
}

function goal(yaml: unknown): Goal {
  const read = readGoal(yaml)
  if (!('goal' in read)) throw new Error(read.issues.map((i) => i.message).join(' '))
  return read.goal
}

const leaderLog = [noOp(1), put(1, 'x', 1), put(1, 'x', 2)]

describe('log-matches', () => {
  it('is met when the node holds every entry of the leader and its commit index', async () => {
    const nodes = [
      node('n1', 'leader', 1, leaderLog, 3),
      node('n2', 'follower', 1, leaderLog, 3),
      node('n3', 'follower', 1, leaderLog, 3),
    ]
    expect(await judgeGoal(goal({ 'log-matches': { node: 'n3' } }), context(nodes), 'en')).toEqual({
      met: true,
    })
    expect(await judgeGoal(goal({ 'log-matches': {} }), context(nodes), 'en')).toEqual({
      met: true,
    })
  })

  it('is not met while a follower lags behind (fewer entries, then a lower commit index)', async () => {
    const short = [
      node('n1', 'leader', 1, leaderLog, 3),
      node('n3', 'follower', 1, leaderLog.slice(0, 2), 2),
    ]
    const result = await judgeGoal(goal({ 'log-matches': { node: 'n3' } }), context(short), 'en')
    expect(result).toEqual({
      met: false,
      missing: expect.stringContaining('from index 3: it has 2 entries, the leader 3') as string,
    })
    const uncommitted = [
      node('n1', 'leader', 1, leaderLog, 3),
      node('n3', 'follower', 1, leaderLog, 2),
    ]
    const told = await judgeGoal(goal({ 'log-matches': {} }), context(uncommitted), 'zh')
    expect(told).toEqual({ met: false, missing: expect.stringContaining('提交索引是 2') as string })
  })

  it('is not met when an entry differs in term at the same index (a stale leader’s write)', async () => {
    const nodes = [
      node('n4', 'leader', 2, [noOp(1), put(1, 'x', 1), noOp(2)], 2),
      node('n1', 'follower', 2, [noOp(1), put(1, 'x', 1), put(1, 'x', 2)], 2),
    ]
    const result = await judgeGoal(goal({ 'log-matches': { node: 'n1' } }), context(nodes), 'en')
    expect(result).toEqual({
      met: false,
      missing: expect.stringContaining('from index 3') as string,
    })
  })

  it('compares with the leader of the highest term, not a stale one cut off in an older term', async () => {
    const stale = [noOp(1), put(1, 'x', 1), put(1, 'x', 2)]
    const current = [noOp(1), put(1, 'x', 1), noOp(2), put(2, 'x', 3)]
    const nodes = [
      node('n1', 'leader', 1, stale, 2),
      node('n2', 'follower', 1, stale, 2),
      node('n4', 'leader', 2, current, 4),
      node('n5', 'follower', 2, current, 4),
    ]
    expect(await judgeGoal(goal({ 'log-matches': { node: 'n5' } }), context(nodes), 'en')).toEqual({
      met: true,
    })
    const n2 = await judgeGoal(goal({ 'log-matches': { node: 'n2' } }), context(nodes), 'en')
    expect(n2).toEqual({ met: false, missing: expect.stringContaining('(n4)') as string })
  })

  it('is not met for a paused node, without a leader, or for a node the cluster lacks', async () => {
    const paused = [
      node('n1', 'leader', 1, leaderLog, 3),
      node('n3', 'follower', 1, leaderLog, 3, 'paused'),
    ]
    expect(await judgeGoal(goal({ 'log-matches': {} }), context(paused), 'en')).toEqual({
      met: false,
      missing: expect.stringContaining('n3 is paused') as string,
    })
    const leaderless = [
      node('n1', 'candidate', 2, leaderLog, 3),
      node('n2', 'follower', 2, leaderLog, 3),
    ]
    expect(await judgeGoal(goal({ 'log-matches': {} }), context(leaderless), 'en')).toEqual({
      met: false,
      missing: expect.stringContaining('no node leads now') as string,
    })
    const absent = await judgeGoal(goal({ 'log-matches': { node: 'n9' } }), context(paused), 'en')
    expect(absent).toEqual({ met: false, missing: 'this cluster has no node n9.' })
  })

  it('reads only a node field, written n1, n2, ...', () => {
    expect(readGoal({ 'log-matches': { node: 'three' } })).toEqual({
      issues: [{ path: ['log-matches', 'node'], message: 'a node is written n1, n2, ....' }],
    })
    expect(readGoal({ 'log-matches': { nodes: 'n3' } })).toEqual({
      issues: [
        {
          path: ['log-matches', 'nodes'],
          message: 'log-matches has no field "nodes"; it takes node.',
        },
      ],
    })
  })
})
