// The goals about what nodes hold now: `replicas` (the gossip store's replicas
// agree or have diverged) and `summary` (a column of status reaches a value),
// each met and not met, on clusters given as inspections.

import { describe, expect, it } from 'vitest'
import type { NodeInspection } from '../../src/shared/cluster'
import { judgeGoal, readGoal, type Goal, type GoalContext } from '../../src/main/lessons/goals'

function cluster(inspections: NodeInspection[]): GoalContext {
  return {
    events: [],
    summariesAtStart: new Map(),
    commands: [],
    cluster: {
      nodeIds: () => inspections.map((i) => i.id),
      inspect: (id) => Promise.resolve(inspections.find((i) => i.id === id) as NodeInspection),
    },
    verdict: () => Promise.resolve({ violations: [], linearizable: null }),
  }
}

function goal(yaml: unknown): Goal {
  const read = readGoal(yaml)
  if (!('goal' in read)) throw new Error(JSON.stringify(read.issues))
  return read.goal
}

const version = (value: number, at: number): unknown => ({ value, t: at, node: 'n1' })
const replica = (id: string, store: Record<string, unknown[]>, dead = false): NodeInspection => ({
  id,
  status: dead ? 'dead' : 'up',
  summary: { role: 'replica' },
  state: dead ? undefined : { store },
  saved: { store },
})

describe('replicas', () => {
  const same = [replica('n1', { x: [version(2, 5)] }), replica('n2', { x: [version(2, 5)] })]
  const split = [replica('n1', { x: [version(1, 3)] }), replica('n2', { x: [version(2, 5)] })]

  it('agree: true is met when every live replica holds the same versions, and not while they differ', async () => {
    const agree = goal({ replicas: { agree: true } })
    expect(await judgeGoal(agree, cluster(same), 'en')).toEqual({ met: true })
    const result = await judgeGoal(agree, cluster(split), 'en')
    expect(result.met).toBe(false)
    if (!result.met) expect(result.missing).toContain('replicas still disagree on x')
  })

  it('agree: false is met once two replicas differ, and not while they agree', async () => {
    const diverged = goal({ replicas: { agree: false } })
    expect(await judgeGoal(diverged, cluster(split), 'en')).toEqual({ met: true })
    expect((await judgeGoal(diverged, cluster(same), 'en')).met).toBe(false)
  })

  it('leaves out a dead replica, and says so when the cluster keeps no store', async () => {
    const withDead = [...same, replica('n3', { x: [version(1, 3)] }, true)]
    expect(await judgeGoal(goal({ replicas: { agree: true } }), cluster(withDead), 'en')).toEqual({
      met: true,
    })
    const raft: NodeInspection = {
      id: 'n1',
      status: 'up',
      summary: { role: 'leader' },
      state: { log: [] },
      saved: {},
    }
    const result = await judgeGoal(goal({ replicas: { agree: true } }), cluster([raft]), 'zh')
    expect(result).toMatchObject({ met: false })
    if (!result.met) expect(result.missing).toContain('gossip')
  })
})

describe('summary', () => {
  const participants = (inDoubt: number, up = true): NodeInspection[] => [
    { id: 'n1', status: 'up', summary: { role: 'coordinator' }, state: {}, saved: {} },
    { id: 'n2', status: up ? 'up' : 'dead', summary: { role: 'participant', inDoubt }, saved: {} },
  ]

  it('at-least is met when an up node shows that number or more in the column', async () => {
    const inDoubt = goal({ summary: { field: 'inDoubt', 'at-least': 1 } })
    expect(await judgeGoal(inDoubt, cluster(participants(1)), 'en')).toEqual({ met: true })
    const result = await judgeGoal(inDoubt, cluster(participants(0)), 'en')
    expect(result).toEqual({
      met: false,
      missing: 'status should show inDoubt at least 1 on any node that is up, and does not yet.',
    })
    expect((await judgeGoal(inDoubt, cluster(participants(1, false)), 'en')).met).toBe(false)
  })

  it('equals compares the text shown, on the node named', async () => {
    const onN1 = goal({ summary: { field: 'role', node: 'n1', equals: 'coordinator' } })
    const onN2 = goal({ summary: { field: 'role', node: 'n2', equals: 'coordinator' } })
    expect(await judgeGoal(onN1, cluster(participants(0)), 'en')).toEqual({ met: true })
    expect((await judgeGoal(onN2, cluster(participants(0)), 'en')).met).toBe(false)
  })

  it('is read with one clear sentence for each mistake', () => {
    expect(readGoal({ summary: { field: 'x', 'at-least': 1, equals: '1' } })).toEqual({
      issues: [
        { path: ['summary', 'equals'], message: 'summary takes at-least or equals, not both.' },
      ],
    })
    expect(readGoal({ replicas: {} })).toMatchObject({
      issues: [{ path: ['replicas', 'agree'], message: 'agree is true or false.' }],
    })
  })
})
