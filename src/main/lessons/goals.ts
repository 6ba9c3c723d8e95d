// The goal vocabulary: every predicate a lesson step may ask for, how it is
// written in lesson.yaml, and how it is judged against the live trace and
// cluster (contracts 3 and 4). The vocabulary is fixed: a lesson names goals,
// it never defines them. lessons/README.md documents each kind.

import { z } from 'zod'
import type { NodeInspection, NodeStatus } from '../../shared/cluster'
import type { NodeId } from '../../shared/envelope'
import type { NodeSummary } from '../../shared/node-api'
import type { TraceEvent, TraceKind } from '../../shared/trace'
import { traceEventSchema } from '../../shared/trace-schema'
import type { Language } from './lesson'
import { judgeReplicas, judgeSummary } from './state-goals'

/** Every trace event kind, as the trace schema knows them (one list for the whole app). */
const traceKinds = [...(traceEventSchema._zod.propValues.kind ?? [])].filter(
  (kind): kind is TraceKind => typeof kind === 'string',
) as [TraceKind, ...TraceKind[]]

const nodeId = z.string().regex(/^n\d{1,3}$/, { error: 'a node is written n1, n2, ...' })
const count = z
  .int({ error: 'a count is a whole number' })
  .min(1, { error: 'a count is 1 or more' })

/** Each goal kind's fields, as written in YAML (kebab-case keys). */
const goalFields = {
  typed: z.strictObject({
    command: z.string({ error: 'command names a terminal command, e.g. kill' }),
    args: z.string({ error: 'args is the rest of the line, e.g. leader' }).optional(),
    ok: z.boolean({ error: 'ok is true or false' }).optional(),
  }),
  happened: z.strictObject({
    event: z.enum(traceKinds, { error: `event is one of ${traceKinds.join(', ')}` }),
    node: nodeId.optional(),
    role: z.string({ error: 'role is a word, e.g. leader' }).optional(),
    message: z.string({ error: 'message is a message type, e.g. request_vote' }).optional(),
    reason: z
      .enum(['partition', 'loss', 'dead', 'unknown-node'], {
        error: 'reason is partition, loss, dead or unknown-node',
      })
      .optional(),
    'at-least': count.optional(),
  }),
  'leader-elected': z.strictObject({
    'after-leader-crash': z.boolean({ error: 'after-leader-crash is true or false' }).optional(),
    'term-at-least': count.optional(),
  }),
  'split-vote': z.strictObject({}),
  nodes: z.strictObject({
    node: nodeId.optional(),
    role: z.string({ error: 'role is a word, e.g. leader' }).optional(),
    status: z.enum(['up', 'dead', 'paused'], { error: 'status is up, dead or paused' }).optional(),
    'at-least': count.optional(),
    exactly: z.int({ error: 'exactly is a whole number' }).min(0).optional(),
  }),
  'commit-index': z.strictObject({
    'at-least': count,
    on: z.union([z.enum(['majority', 'all']), nodeId], {
      error: 'on is majority, all or a node such as n1',
    }),
  }),
  'log-matches': z.strictObject({
    node: nodeId.optional(),
  }),
  replicas: z.strictObject({
    agree: z.boolean({ error: 'agree is true or false' }),
  }),
  summary: z
    .strictObject({
      field: z.string({ error: 'field names a column of status, e.g. inDoubt' }),
      node: nodeId.optional(),
      'at-least': z.number({ error: 'at-least is a number' }).optional(),
      equals: z.string({ error: 'equals is the text the column shows, e.g. leader' }).optional(),
    })
    .refine((f) => f['at-least'] === undefined || f.equals === undefined, {
      error: 'summary takes at-least or equals, not both',
      path: ['equals'],
    }),
  checker: z.strictObject({
    invariants: z.enum(['hold', 'broken'], { error: 'invariants is hold or broken' }).optional(),
    rule: z.string({ error: 'rule names an invariant, e.g. Election Safety' }).optional(),
    linearizable: z.boolean({ error: 'linearizable is true or false' }).optional(),
  }),
  'explorer-passes': z.strictObject({
    runs: count.max(10_000, { error: 'runs is at most 10000' }),
  }),
} as const

export type GoalKind = keyof typeof goalFields | 'all'

/** Every goal kind, in the order the reference lists them. */
export const goalKinds: readonly GoalKind[] = [...(Object.keys(goalFields) as GoalKind[]), 'all']

export type Goal =
  | { kind: 'typed'; command: string; args?: string; ok: boolean }
  | {
      kind: 'happened'
      event: TraceKind
      node?: NodeId
      role?: string
      message?: string
      reason?: string
      atLeast: number
    }
  | { kind: 'leader-elected'; afterLeaderCrash: boolean; termAtLeast: number }
  | { kind: 'split-vote' }
  | {
      kind: 'nodes'
      node?: NodeId
      role?: string
      status?: NodeStatus
      atLeast: number
      exactly?: number
    }
  /** `on`: majority, all, or a node id. */
  | { kind: 'commit-index'; atLeast: number; on: string }
  /** `node` absent: every node other than the leader. */
  | { kind: 'log-matches'; node?: NodeId }
  | { kind: 'replicas'; agree: boolean }
  | { kind: 'summary'; field: string; node?: NodeId; atLeast?: number; equals?: string }
  | { kind: 'checker'; invariants?: 'hold' | 'broken'; rule?: string; linearizable?: boolean }
  | { kind: 'explorer-passes'; runs: number }
  | { kind: 'all'; goals: Goal[] }

/** A mistake in a goal, at a path below the goal (for its line in the file). */
export interface GoalIssue {
  path: (string | number)[]
  message: string
}

/**
 * Reads a goal as written in YAML: a map with exactly one key, the kind.
 * Returns the goal, or every issue found (paths relative to the goal).
 */
export function readGoal(value: unknown): { goal: Goal } | { issues: GoalIssue[] } {
  const kinds = goalKinds.join(', ')
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return { issues: [{ path: [], message: `a goal is a map with one kind, one of: ${kinds}.` }] }
  }
  const keys = Object.keys(value)
  if (keys.length !== 1) {
    return {
      issues: [
        {
          path: [],
          message: `a goal names exactly one kind, not ${keys.length === 0 ? 'none' : keys.join(' and ')}; to ask for several, use all: [...].`,
        },
      ],
    }
  }
  const kind = keys[0]
  const fields = (value as Record<string, unknown>)[kind]
  if (kind === 'all') {
    if (!Array.isArray(fields) || fields.length === 0) {
      return { issues: [{ path: ['all'], message: 'all takes a list of one or more goals.' }] }
    }
    const goals: Goal[] = []
    const issues: GoalIssue[] = []
    fields.forEach((item, i) => {
      const read = readGoal(item)
      if ('goal' in read) goals.push(read.goal)
      else
        issues.push(...read.issues.map((issue) => ({ ...issue, path: ['all', i, ...issue.path] })))
    })
    return issues.length > 0 ? { issues } : { goal: { kind: 'all', goals } }
  }
  if (!(kind in goalFields)) {
    return {
      issues: [
        { path: [kind], message: `there is no goal kind "${kind}"; the kinds are ${kinds}.` },
      ],
    }
  }
  const schema = goalFields[kind as keyof typeof goalFields]
  const parsed = schema.safeParse(fields ?? {})
  if (!parsed.success) {
    return {
      issues: parsed.error.issues.map((issue) => {
        if (issue.code === 'unrecognized_keys') {
          const allowed = Object.keys(schema.shape)
          return {
            path: [kind, ...issue.path.map(pathPart), issue.keys[0]],
            message: `${kind} has no field "${issue.keys.join('", "')}"; it takes ${allowed.length === 0 ? 'none: write {}' : allowed.join(', ')}.`,
          }
        }
        if (issue.path.length === 0) {
          return { path: [kind], message: `${kind} takes a map of fields, e.g. ${kind}: {}.` }
        }
        return { path: [kind, ...issue.path.map(pathPart)], message: `${issue.message}.` }
      }),
    }
  }
  return { goal: toGoal(kind as keyof typeof goalFields, parsed.data) }
}

function pathPart(part: PropertyKey): string | number {
  return typeof part === 'number' ? part : String(part)
}

function toGoal(kind: keyof typeof goalFields, f: Record<string, unknown>): Goal {
  const text = (key: string): string | undefined => f[key] as string | undefined
  const number = (key: string): number | undefined => f[key] as number | undefined
  const optional = <K extends string, V>(key: K, v: V | undefined): Partial<Record<K, V>> =>
    (v === undefined ? {} : { [key]: v }) as Partial<Record<K, V>>
  switch (kind) {
    case 'typed':
      return {
        kind,
        command: text('command') ?? '',
        ...optional('args', text('args')),
        ok: (f['ok'] as boolean | undefined) ?? true,
      }
    case 'happened':
      return {
        kind,
        event: f['event'] as TraceKind,
        ...optional('node', text('node')),
        ...optional('role', text('role')),
        ...optional('message', text('message')),
        ...optional('reason', text('reason')),
        atLeast: number('at-least') ?? 1,
      }
    case 'leader-elected':
      return {
        kind,
        afterLeaderCrash: (f['after-leader-crash'] as boolean | undefined) ?? false,
        termAtLeast: number('term-at-least') ?? 1,
      }
    case 'split-vote':
      return { kind }
    case 'nodes':
      return {
        kind,
        ...optional('node', text('node')),
        ...optional('role', text('role')),
        ...optional('status', f['status'] as NodeStatus | undefined),
        atLeast: number('at-least') ?? 1,
        ...optional('exactly', number('exactly')),
      }
    case 'commit-index':
      return { kind, atLeast: number('at-least') ?? 1, on: text('on') ?? 'majority' }
    case 'log-matches':
      return { kind, ...optional('node', text('node')) }
    case 'replicas':
      return { kind, agree: f['agree'] as boolean }
    case 'summary':
      return {
        kind,
        field: text('field') ?? '',
        ...optional('node', text('node')),
        ...optional('atLeast', number('at-least')),
        ...optional('equals', text('equals')),
      }
    case 'checker':
      return {
        kind,
        ...optional('invariants', f['invariants'] as 'hold' | 'broken' | undefined),
        ...optional('rule', text('rule')),
        ...optional('linearizable', f['linearizable'] as boolean | undefined),
      }
    case 'explorer-passes':
      return { kind, runs: number('runs') ?? 1 }
  }
}

// --- Judging a goal ---

/** A command the learner typed while on the step. */
export interface TypedCommand {
  /** The command's name as help lists it (aliases resolved): `put` for `write`. */
  name: string
  /** The words after the name, joined by one space. */
  args: string
  ok: boolean
}

export interface CheckerVerdict {
  violations: readonly { rule: string }[]
  /** null: no client operations yet, or too hard to decide in time. */
  linearizable: boolean | null
}

/**
 * The learner's code as the session knows it: not applied yet, or applied
 * and, once they typed `explore --code` on that very code, the explorer's
 * verdict (schedules run, and the failure's sentence or null).
 */
export type LearnerCodeStatus =
  { applied: false } | { applied: true; explored: { runs: number; failure: string | null } | null }

/** What a goal is judged against. */
export interface GoalContext {
  /** Every event since the step began, oldest first. */
  events: readonly TraceEvent[]
  /** Each node's last summary when the step began. */
  summariesAtStart: ReadonlyMap<NodeId, NodeSummary>
  /** Commands typed on this step, oldest first. */
  commands: readonly TypedCommand[]
  /** The live cluster, or null when none runs. */
  cluster: {
    nodeIds(): NodeId[]
    inspect(id: NodeId): Promise<NodeInspection>
  } | null
  /** The checkers' verdict on this run so far. */
  verdict(): Promise<CheckerVerdict>
  /**
   * The learner's applied code and the explorer's last verdict on it; absent
   * where nothing supplies learner code. Reading it runs nothing: the
   * explorer takes seconds, so it runs only when the learner types
   * `explore --code`, and this goal reads what it said.
   */
  learnerCode?: () => LearnerCodeStatus
}

/** A goal judged: met, or a sentence saying what is still missing (in the lesson's language). */
export type GoalResult = { met: true } | { met: false; missing: string }

const met: GoalResult = { met: true }

type Say = Record<Language, string>
const notMet = (language: Language, say: Say): GoalResult => ({
  met: false,
  missing: say[language],
})

export async function judgeGoal(
  goal: Goal,
  context: GoalContext,
  language: Language,
): Promise<GoalResult> {
  const no = (say: Say): GoalResult => notMet(language, say)
  switch (goal.kind) {
    case 'typed': {
      const done = context.commands.some(
        (c) =>
          c.name === goal.command &&
          (goal.args === undefined || c.args === goal.args) &&
          (!goal.ok || c.ok),
      )
      const line = goal.args === undefined ? goal.command : `${goal.command} ${goal.args}`
      return done ? met : no({ en: `type ${line}.`, zh: `输入 ${line}。` })
    }
    case 'happened': {
      const seen = context.events.filter((event) => eventMatches(goal, event)).length
      if (seen >= goal.atLeast) return met
      const what = describeHappened(goal)
      return no({
        en: `not seen yet: ${what.en}${goal.atLeast > 1 ? ` (${seen} of ${goal.atLeast})` : ''}.`,
        zh: `还没有发生：${what.zh}${goal.atLeast > 1 ? `（${seen}/${goal.atLeast}）` : ''}。`,
      })
    }
    case 'leader-elected':
      return leaderElected(goal, context)
        ? met
        : goal.afterLeaderCrash
          ? no({
              en: 'not yet: the leader must crash, and then another node must win an election in a later term.',
              zh: '还没有：需要先让领导者崩溃，然后另一个节点在更高的任期里赢得选举。',
            })
          : no({ en: 'no node has won an election yet.', zh: '还没有节点赢得选举。' })
    case 'split-vote':
      return splitVote(context)
        ? met
        : no({
            en: 'no split vote yet: a term in which two or more candidates stood and none won.',
            zh: '还没有出现分票：某个任期里有两个以上的候选者，却没有一个当选。',
          })
    case 'nodes': {
      if (context.cluster === null) return no(noCluster)
      const matching = (await inspectAll(context.cluster)).filter((i) => nodeMatches(goal, i))
      const enough =
        goal.exactly === undefined
          ? matching.length >= goal.atLeast
          : matching.length === goal.exactly
      if (enough) return met
      const who = [goal.node, goal.role, goal.status].filter((w) => w !== undefined).join(' ')
      const want =
        goal.exactly === undefined ? `at least ${goal.atLeast}` : `exactly ${goal.exactly}`
      const wantZh =
        goal.exactly === undefined ? `至少 ${goal.atLeast} 个` : `正好 ${goal.exactly} 个`
      return no({
        en: `the cluster should have ${want} node(s) ${who}, and has ${matching.length}.`,
        zh: `集群里应当有${wantZh}节点是 ${who}，现在有 ${matching.length} 个。`,
      })
    }
    case 'commit-index': {
      if (context.cluster === null) return no(noCluster)
      const all = await inspectAll(context.cluster)
      const reached = (i: NodeInspection): boolean =>
        i.status !== 'dead' && (i.summary.commitIndex ?? 0) >= goal.atLeast
      const done =
        goal.on === 'majority'
          ? all.filter(reached).length > all.length / 2
          : goal.on === 'all'
            ? all.every(reached)
            : all.some((i) => i.id === goal.on && reached(i))
      const where = {
        majority: ['a majority of nodes', '多数节点'],
        all: ['every node', '所有节点'],
      }[goal.on] ?? [goal.on, goal.on]
      return done
        ? met
        : no({
            en: `the commit index must reach ${goal.atLeast} on ${where[0]}.`,
            zh: `${where[1]}上的提交索引要达到 ${goal.atLeast}。`,
          })
    }
    case 'log-matches':
      if (context.cluster === null) return no(noCluster)
      return judgeLogsMatch(goal, await inspectAll(context.cluster), no)
    case 'replicas':
      if (context.cluster === null) return no(noCluster)
      return judgeReplicas(goal.agree, await inspectAll(context.cluster), no)
    case 'summary':
      if (context.cluster === null) return no(noCluster)
      return judgeSummary(goal, await inspectAll(context.cluster), no)
    case 'checker':
      return judgeChecker(goal, await context.verdict(), no)
    case 'explorer-passes':
      return judgeExplorerPasses(goal.runs, context.learnerCode?.(), no)
    case 'all':
      for (const part of goal.goals) {
        const result = await judgeGoal(part, context, language)
        if (!result.met) return result
      }
      return met
  }
}

/** The explorer's verdict on the learner's current code, as `explore --code` last gave it. */
function judgeExplorerPasses(
  runs: number,
  status: LearnerCodeStatus | undefined,
  no: (say: Say) => GoalResult,
): GoalResult {
  if (status === undefined) {
    return no({
      en: 'this step explores code you apply from the Code tab, and this session has no Code tab to supply it: open the lesson in the app.',
      zh: '这一步要探索你在代码页（Code）里应用的代码，而这个会话没有代码页可以提供代码：请在应用程序里打开这一课。',
    })
  }
  if (!status.applied) {
    return no({
      en: 'apply your code in the Code tab first, then type explore --code.',
      zh: '先在代码页（Code）里应用你的代码，再输入 explore --code。',
    })
  }
  const explored = status.explored
  if (explored === null) {
    return no({
      en: `run the explorer on the code you applied: explore --code --runs ${runs}.`,
      zh: `对你应用的代码运行探索器：explore --code --runs ${runs}。`,
    })
  }
  if (explored.failure !== null) {
    return no({
      en: `the explorer broke your code: ${explored.failure} Fix it, apply it, and explore again.`,
      zh: `探索器找到了你代码的问题：${explored.failure} 修改代码、应用，再探索一次。`,
    })
  }
  if (explored.runs < runs) {
    return no({
      en: `your code passed ${explored.runs} random fault schedules; this step asks for ${runs}: explore --code --runs ${runs}.`,
      zh: `你的代码通过了 ${explored.runs} 个随机故障计划；这一步要求 ${runs} 个：explore --code --runs ${runs}。`,
    })
  }
  return met
}

const noCluster: Say = {
  en: 'no cluster is running; type lesson to set this lesson up again.',
  zh: '现在没有集群在运行；输入 lesson 重新布置本课。',
}

function judgeChecker(
  goal: Goal & { kind: 'checker' },
  verdict: CheckerVerdict,
  no: (say: Say) => GoalResult,
): GoalResult {
  if (goal.invariants !== undefined) {
    const broken = verdict.violations.filter((v) => goal.rule === undefined || v.rule === goal.rule)
    const rule = goal.rule ?? 'any invariant'
    if (goal.invariants === 'hold' && broken.length > 0) {
      return no({ en: `${rule} is broken in this run.`, zh: `这次运行违反了 ${rule}。` })
    }
    if (goal.invariants === 'broken' && broken.length === 0) {
      return no({ en: `${rule} is not broken yet.`, zh: `${rule} 还没有被违反。` })
    }
  }
  if (goal.linearizable !== undefined && verdict.linearizable !== goal.linearizable) {
    if (verdict.linearizable === null) {
      return no({
        en: 'there is no client history to judge yet: put and get some values first.',
        zh: '还没有可供检查的客户端历史：先用 put 和 get 读写一些值。',
      })
    }
    return goal.linearizable
      ? no({ en: 'the history is not linearizable.', zh: '这段历史不是线性一致的。' })
      : no({ en: 'the history is still linearizable.', zh: '这段历史仍然是线性一致的。' })
  }
  return met
}

/** A node's log and commit index, read from its state as the `log` command reads them; null without a log. */
function replicatedLog(
  inspection: NodeInspection,
): { entries: string[]; commitIndex: number } | null {
  const state = inspection.state as { log?: unknown; commitIndex?: unknown } | undefined
  if (state === undefined || !Array.isArray(state.log)) return null
  return {
    entries: state.log.map((entry) => JSON.stringify(entry)),
    commitIndex: typeof state.commitIndex === 'number' ? state.commitIndex : 0,
  }
}

/**
 * The leader's log against the others': the same entries at every index, and
 * the same commit index. The leader is the up node leading the highest term (a
 * stale leader cut off in an older term is not it).
 */
function judgeLogsMatch(
  goal: Goal & { kind: 'log-matches' },
  all: NodeInspection[],
  no: (say: Say) => GoalResult,
): GoalResult {
  const leaders = all
    .filter((i) => i.status === 'up' && i.summary.role === 'leader')
    .sort((a, b) => (b.summary.term ?? 0) - (a.summary.term ?? 0))
  const leader = leaders[0]
  if (leader === undefined) {
    return no({
      en: 'no node leads now; logs are compared with the leader’s.',
      zh: '现在没有领导者；日志要和领导者的比较。',
    })
  }
  const leaderLog = replicatedLog(leader)
  if (leaderLog === null) {
    return no({
      en: `${leader.id} keeps no log (its algorithm has none).`,
      zh: `${leader.id} 没有日志（它的算法不用日志）。`,
    })
  }
  const targets = all.filter((i) =>
    goal.node === undefined ? i.id !== leader.id : i.id === goal.node,
  )
  if (goal.node !== undefined && targets.length === 0) {
    return no({
      en: `this cluster has no node ${goal.node}.`,
      zh: `这个集群里没有节点 ${goal.node}。`,
    })
  }
  for (const target of targets) {
    const who = target.id
    if (target.status !== 'up') {
      return no({
        en: `${who} is ${target.status}: it cannot catch up with the leader (${leader.id}) until it runs again.`,
        zh: `${who} 现在是 ${target.status} 状态：它重新运行之前，追不上领导者（${leader.id}）。`,
      })
    }
    const log = replicatedLog(target)
    if (log === null) return no({ en: `${who} keeps no log.`, zh: `${who} 没有日志。` })
    const differs = leaderLog.entries.findIndex((entry, i) => log.entries[i] !== entry)
    if (differs >= 0 || log.entries.length !== leaderLog.entries.length) {
      const index = differs >= 0 ? differs + 1 : leaderLog.entries.length + 1
      return no({
        en: `${who}'s log differs from the leader's (${leader.id}) from index ${index}: it has ${log.entries.length} entries, the leader ${leaderLog.entries.length}.`,
        zh: `${who} 的日志从第 ${index} 条起和领导者（${leader.id}）的不同：它有 ${log.entries.length} 条，领导者有 ${leaderLog.entries.length} 条。`,
      })
    }
    if (log.commitIndex !== leaderLog.commitIndex) {
      return no({
        en: `${who} has the leader's entries, but its commit index is ${log.commitIndex}, the leader's (${leader.id}) ${leaderLog.commitIndex}.`,
        zh: `${who} 已经有了领导者的全部条目，但它的提交索引是 ${log.commitIndex}，领导者（${leader.id}）的是 ${leaderLog.commitIndex}。`,
      })
    }
  }
  return met
}

function eventMatches(goal: Goal & { kind: 'happened' }, event: TraceEvent): boolean {
  if (event.kind !== goal.event) return false
  if (goal.node !== undefined && event.node !== goal.node) return false
  if (goal.role !== undefined && (event.kind !== 'state' || event.summary.role !== goal.role))
    return false
  if (goal.message !== undefined && !('body' in event && event.body.type === goal.message))
    return false
  if (goal.reason !== undefined && !(event.kind === 'drop' && event.reason === goal.reason))
    return false
  return true
}

function describeHappened(goal: Goal & { kind: 'happened' }): Say {
  const at = goal.node === undefined ? '' : ` at ${goal.node}`
  const atZh = goal.node === undefined ? '' : `（在 ${goal.node}）`
  const extra = [goal.role, goal.message, goal.reason].filter((w) => w !== undefined).join(' ')
  return {
    en: `a ${goal.event} event${extra === '' ? '' : ` (${extra})`}${at}`,
    zh: `${goal.event} 事件${extra === '' ? '' : `（${extra}）`}${atZh}`,
  }
}

function nodeMatches(goal: Goal & { kind: 'nodes' }, inspection: NodeInspection): boolean {
  if (goal.node !== undefined && inspection.id !== goal.node) return false
  if (goal.status !== undefined && inspection.status !== goal.status) return false
  // A dead node's summary is what it was when it died: it holds no role now.
  if (
    goal.role !== undefined &&
    (inspection.status === 'dead' || inspection.summary.role !== goal.role)
  )
    return false
  return true
}

async function inspectAll(cluster: NonNullable<GoalContext['cluster']>): Promise<NodeInspection[]> {
  const all: NodeInspection[] = []
  for (const id of cluster.nodeIds()) all.push(await cluster.inspect(id))
  return all
}

/**
 * Walks the step's events with each node's role and term, calling `onState`
 * with the summary before and after every state change, and `onCrash` with
 * the summary of a node as it crashed.
 */
function walkRoles(
  context: GoalContext,
  on: {
    state?: (node: NodeId, before: NodeSummary | undefined, after: NodeSummary) => void
    crash?: (node: NodeId, last: NodeSummary | undefined) => void
  },
): void {
  const summaries = new Map(context.summariesAtStart)
  for (const event of context.events) {
    if (event.kind === 'state') {
      on.state?.(event.node, summaries.get(event.node), event.summary)
      summaries.set(event.node, event.summary)
    } else if (event.kind === 'crash') {
      on.crash?.(event.node, summaries.get(event.node))
      summaries.delete(event.node)
    }
  }
}

/** A node became leader in this step (in a term it did not lead before), after a leader crashed if asked. */
function leaderElected(goal: Goal & { kind: 'leader-elected' }, context: GoalContext): boolean {
  let crashedLeaderTerm: number | null = null
  let elected = false
  walkRoles(context, {
    crash: (_node, last) => {
      if (last?.role === 'leader')
        crashedLeaderTerm = Math.max(crashedLeaderTerm ?? 0, last.term ?? 0)
    },
    state: (_node, before, after) => {
      const became =
        after.role === 'leader' && !(before?.role === 'leader' && before.term === after.term)
      if (!became || (after.term ?? 0) < goal.termAtLeast) return
      if (!goal.afterLeaderCrash) elected = true
      else if (crashedLeaderTerm !== null && (after.term ?? 0) > crashedLeaderTerm) elected = true
    },
  })
  return elected
}

/** A finished term (some node moved past it) in which two or more nodes stood and none won. */
function splitVote(context: GoalContext): boolean {
  const candidates = new Map<number, Set<NodeId>>()
  const won = new Set<number>()
  let highestTerm = 0
  walkRoles(context, {
    state: (node, _before, after) => {
      const term = after.term ?? 0
      highestTerm = Math.max(highestTerm, term)
      if (after.role === 'candidate') {
        const set = candidates.get(term) ?? new Set<NodeId>()
        set.add(node)
        candidates.set(term, set)
      }
      if (after.role === 'leader') won.add(term)
    },
  })
  for (const [term, nodes] of candidates) {
    if (nodes.size >= 2 && !won.has(term) && term < highestTerm) return true
  }
  return false
}
