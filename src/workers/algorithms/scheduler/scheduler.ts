// A task scheduler in the spirit of a cluster orchestrator (Borg, Nomad,
// Kubernetes), replicated with Raft. Every node runs Raft and is also a
// worker; the Raft leader is the scheduler.
//
//   { type: 'submit', task, cost } -> { type: 'submit_ok', task }  once the submission commits
//   { type: 'tasks' }              -> { type: 'tasks_ok', tasks: [{ task, state, worker, attempts }] }
//
// Errors: 11 not the leader (retry elsewhere, nothing happened); 12 a
// malformed request; 22 a task of that name was already submitted.
//
// The task table is a state machine driven by Raft's log, like the lock
// table in lock.ts: submissions, assignments and completions ride in log
// entries whose Raft `command` is null, and every replica applies them after
// commit. Raft itself is unchanged.
//
// Heartbeats are NOT in the log. Every worker sends one to the leader every
// workerHeartbeatMs; logging them would fill the log with facts that only
// matter for a moment. Liveness is a judgement the current leader makes about
// the present, so it lives in the leader's volatile state, and a new leader
// starts by giving every worker a full timeout.
//
// No task runs on two workers at once, by leases:
//   - a worker runs tasks only while it holds a lease, leaseMs from the moment
//     it SENT a heartbeat the leader answered; when the lease runs out it
//     stops everything it runs (it may be cut off, and a new worker may get
//     its tasks), and it looks at its lease before every step it takes, so a
//     worker that was paused stops first thing when it wakes;
//   - the leader answers a heartbeat only while a majority of the cluster has
//     answered it within contactMs, so a deposed leader stranded in a
//     minority stops granting leases; an answer counts from when the leader
//     SENT what it answers (each AppendEntries carries the leader's clock and
//     its answer brings it back), so a leader that wakes from a pause into a
//     backlog of old answers does not take them for fresh contact;
//   - the leader reassigns a silent worker's tasks only after reassignAfterMs
//     > leaseMs + contactMs + delays: by then every lease that worker holds,
//     from this leader or an old one, has run out.

import { type Body, type Ctx, type Envelope, defineNode } from '../../../shared/node-api'
import raft, { lastLogIndex, type Entry, type RaftMessage, type RaftState } from '../raft/raft'

export interface Timing {
  workerHeartbeatMs: number
  leaseMs: number
  contactMs: number
  /** A worker heard from within this long may get new tasks. */
  liveMs: number
  reassignAfterMs: number
}

export const referenceTiming: Timing = {
  workerHeartbeatMs: 50,
  leaseMs: 300,
  contactMs: 150,
  liveMs: 200,
  reassignAfterMs: 600,
}

/** Limits: a task table and a cost a learner can still read. */
export const tasksMax = 1_000
export const costMsMax = 60_000

export type SchedCommand =
  | { op: 'submit'; task: string; cost: number; replyTo: string; msg_id?: number }
  | { op: 'assign'; task: string; worker: string }
  | { op: 'done'; task: string; worker: string; attempt: number }

export interface SchedEntry extends Entry {
  sched?: SchedCommand
}

export interface Task {
  task: string
  cost: number
  state: 'queued' | 'assigned' | 'done'
  worker: string | null
  /** How many times it was assigned; the current assignment's number. */
  attempts: number
}

export interface SchedulerState extends RaftState {
  /** The task table, rebuilt from the log after a restart. */
  tasks: Record<string, Task>
  schedApplied: number
  // The leader's volatile view of its workers and its majority.
  lastHeard: Record<string, number>
  /** When this node became leader: no worker is judged silent for less time than that. */
  leaderSince: number
  peerContact: Record<string, number>
  roundRobin: number
  // The worker's volatile state: a crash stops every task it runs.
  leaseUntil: number
  leaseFrom: string | null
  /** Running here: task -> attempt. */
  running: Record<string, number>
  /** Finished here and not yet seen done in the table: task -> attempt. */
  finished: Record<string, number>
}

type SchedCtx = Ctx<RaftMessage>

/**
 * The ctx Raft sends through: each AppendEntries carries the sender's clock
 * (`sentAt`), and the answer to one (`answering`) carries the same stamp back.
 * Raft itself reads neither; the lease rule above does.
 */
function stampingCtx(ctx: SchedCtx, answering?: Body): SchedCtx {
  const stamp = <B extends RaftMessage | Body>(body: B): B => {
    if (body.type === 'append_entries') return { ...body, sentAt: ctx.now() }
    if (body.type === 'append_entries_result' && typeof answering?.sentAt === 'number')
      return { ...body, sentAt: answering.sentAt }
    return body
  }
  return {
    id: ctx.id,
    peers: ctx.peers,
    options: ctx.options,
    now: () => ctx.now(),
    random: () => ctx.random(),
    send: (dest, body) => ctx.send(dest, stamp(body)),
    reply: (env, body) => ctx.reply(env, stamp(body)),
    setTimer: (name, ms) => ctx.setTimer(name, ms),
    cancelTimer: (name) => ctx.cancelTimer(name),
    log: (...parts) => ctx.log(...parts),
  }
}

function isMajority(count: number, ctx: SchedCtx): boolean {
  return count * 2 > ctx.peers.length + 1
}

function append(state: SchedulerState, command: SchedCommand, ctx: SchedCtx): void {
  // Section 5.3, as in Raft's own client path: append, then replicate on the next tick.
  const entry: SchedEntry = { term: state.currentTerm, command: null, sched: command }
  state.log.push(entry)
  if (ctx.peers.length === 0) state.commitIndex = lastLogIndex(state) // a group of one
  if (!state.replicationScheduled) {
    state.replicationScheduled = true
    ctx.setTimer('replicate', 0)
  }
}

// ---------------------------------------------------------------------------
// The task table: applied in log order, the same on every replica.

function applySchedEntries(state: SchedulerState, ctx: SchedCtx): void {
  if (state.lastApplied < state.schedApplied) throw new Error('task table ahead of the log')
  const assigned = new Set<string>()
  while (state.schedApplied < state.lastApplied) {
    state.schedApplied += 1
    const command = (state.log[state.schedApplied - 1] as SchedEntry).sched
    if (command === undefined) continue
    const task = state.tasks[command.task]
    if (command.op === 'submit') {
      if (task === undefined) {
        const fresh: Task = {
          task: command.task,
          cost: command.cost,
          state: 'queued',
          worker: null,
          attempts: 0,
        }
        state.tasks[command.task] = fresh
      }
      // As in Raft: only the leader answers, it is the one the client asked.
      if (state.role === 'leader') {
        const answer =
          task === undefined
            ? { type: 'submit_ok', task: command.task }
            : { type: 'error', code: 22, text: `${command.task} was already submitted` }
        ctx.send(command.replyTo, { ...answer, in_reply_to: command.msg_id })
      }
    } else if (command.op === 'assign' && task !== undefined && task.state !== 'done') {
      task.state = 'assigned'
      task.worker = command.worker
      task.attempts += 1
      assigned.add(task.task)
    } else if (
      command.op === 'done' &&
      task?.worker === command.worker &&
      task.attempts === command.attempt
    ) {
      // A report from an earlier attempt, since reassigned, changes nothing:
      // the attempt number fences completions, as a fencing token fences
      // writes (lock/fenced-store.ts), whatever a late worker believes.
      task.state = 'done'
    }
  }
  // Committed: now, and only now, a worker may be told to run its task. Told
  // once the whole batch is applied, so that only the assignment that stands
  // is sent: a new leader catching up applies many entries at once, and an
  // earlier assignment in them, already superseded, must not start again.
  if (state.role !== 'leader') return
  for (const name of assigned) {
    if (state.tasks[name].state === 'assigned') sendRun(state.tasks[name], ctx)
  }
}

function sendRun(task: Task, ctx: SchedCtx): void {
  if (task.worker === null) throw new Error(`sendRun: ${task.task} has no worker`)
  ctx.send(task.worker, { type: 'run', task: task.task, cost: task.cost, attempt: task.attempts })
}

// ---------------------------------------------------------------------------
// The scheduler: only on the leader.

/** Cost of the unfinished tasks assigned to each worker. */
function loads(state: SchedulerState, workers: string[]): Record<string, number> {
  const load: Record<string, number> = Object.fromEntries(workers.map((w) => [w, 0]))
  for (const task of Object.values(state.tasks)) {
    if (task.state === 'assigned' && task.worker !== null && task.worker in load) {
      load[task.worker] += task.cost
    }
  }
  return load
}

/** `weights` option, e.g. "n1=3,n2=1": a worker with weight 3 takes three times the load. */
function weightOf(worker: string, ctx: SchedCtx): number {
  const spec = typeof ctx.options.weights === 'string' ? ctx.options.weights : ''
  const found = spec.split(',').find((pair) => pair.split('=')[0] === worker)
  const weight = Number(found?.split('=')[1])
  return Number.isFinite(weight) && weight > 0 ? weight : 1
}

function pickWorker(
  state: SchedulerState,
  workers: string[],
  load: Record<string, number>,
  ctx: SchedCtx,
): string {
  const policy = ctx.options.policy ?? 'least-loaded'
  if (policy === 'round-robin') {
    state.roundRobin = (state.roundRobin + 1) % workers.length
    return workers[state.roundRobin]
  }
  const weighted = policy === 'weighted'
  const score = (w: string): number => load[w] / (weighted ? weightOf(w, ctx) : 1)
  // Ties go to the first in name order, so runs replay exactly.
  return workers.reduce((best, w) => (score(w) < score(best) ? w : best))
}

function schedule(state: SchedulerState, ctx: SchedCtx, timing: Timing): void {
  // Decide only on a table that includes every entry of our log, so that an
  // assignment appended but not yet committed is never made twice.
  if (state.role !== 'leader' || state.lastApplied < lastLogIndex(state)) return
  const now = ctx.now()
  const everyone = [ctx.id, ...ctx.peers].sort()
  const live = everyone.filter((w) => now - (state.lastHeard[w] ?? -Infinity) <= timing.liveMs)
  if (live.length === 0) return
  const load = loads(state, live)
  for (const task of Object.values(state.tasks)) {
    const silent =
      task.state === 'assigned' &&
      task.worker !== null &&
      now - Math.max(state.lastHeard[task.worker] ?? 0, state.leaderSince) > timing.reassignAfterMs
    if (task.state !== 'queued' && !silent) continue
    const worker = pickWorker(state, live, load, ctx)
    load[worker] += task.cost
    // Raft section 5.4: an assignment is a log entry, and it takes effect
    // (the worker is told to run) only once committed. A deposed leader's
    // entries never commit, so a deposed leader cannot assign.
    append(state, { op: 'assign', task: task.task, worker }, ctx)
  }
}

function onHeartbeat(
  state: SchedulerState,
  env: Envelope<Body>,
  ctx: SchedCtx,
  timing: Timing,
): void {
  if (state.role !== 'leader') return
  // A lease is granted only by a leader a majority has answered lately.
  const now = ctx.now()
  const recent = ctx.peers.filter(
    (p) => now - (state.peerContact[p] ?? -Infinity) <= timing.contactMs,
  )
  if (!isMajority(recent.length + 1, ctx)) return
  const worker = env.src
  state.lastHeard[worker] = now
  ctx.send(worker, { type: 'heartbeat_ok', at: env.body.at })
  const running = (env.body.running ?? {}) as Record<string, number>
  const finished = (env.body.finished ?? {}) as Record<string, number>
  // As in schedule(): act only on a table with nothing pending, so that a run
  // is never resent for an assignment whose replacement awaits commit.
  if (state.lastApplied < lastLogIndex(state)) return
  for (const task of Object.values(state.tasks)) {
    if (task.state !== 'assigned' || task.worker !== worker) continue
    if (finished[task.task] === task.attempts) {
      append(state, { op: 'done', task: task.task, worker, attempt: task.attempts }, ctx)
      return // one entry at a time: the next heartbeat reports the rest
    } else if (running[task.task] !== task.attempts) {
      sendRun(task, ctx) // the run message was lost, or the worker restarted
    }
  }
}

// ---------------------------------------------------------------------------
// The worker: every node.

function hasLease(state: SchedulerState, ctx: SchedCtx): boolean {
  return ctx.now() < state.leaseUntil
}

function sendHeartbeat(state: SchedulerState, ctx: SchedCtx, timing: Timing): void {
  ctx.setTimer('worker-heartbeat', timing.workerHeartbeatMs)
  if (state.leaderId === null) return
  // The leader's own worker reports the same way, by a message to itself.
  ctx.send(state.leaderId, {
    type: 'heartbeat',
    at: ctx.now(),
    // Copies: a message is frozen once sent, and these maps change after.
    running: { ...state.running },
    finished: { ...state.finished },
  })
}

function onHeartbeatOk(
  state: SchedulerState,
  env: Envelope<Body>,
  ctx: SchedCtx,
  timing: Timing,
): void {
  // Measured from when WE sent the heartbeat: the leader heard us no earlier.
  const until = Number(env.body.at) + timing.leaseMs
  // An answer that arrives after the lease it grants has run out grants nothing.
  if (until <= ctx.now()) return
  if (until <= state.leaseUntil && state.leaseFrom === env.src) return
  state.leaseUntil = until
  state.leaseFrom = env.src
  ctx.setTimer('lease', until - ctx.now())
}

function onRun(state: SchedulerState, env: Envelope<Body>, ctx: SchedCtx): void {
  const task = String(env.body.task)
  const attempt = Number(env.body.attempt)
  if (!hasLease(state, ctx) || env.src !== state.leaseFrom) return // not ours to run now
  if (state.running[task] === attempt || state.finished[task] === attempt) return
  // Our own table may already know the task went elsewhere (a late message).
  const known = state.tasks[task]
  if (
    known !== undefined &&
    (known.attempts > attempt || (known.attempts === attempt && known.worker !== ctx.id))
  )
    return
  state.running[task] = attempt
  ctx.setTimer(`run:${task}`, Number(env.body.cost))
}

/**
 * First thing in every handler. A paused worker (a long garbage collection, a
 * stopped process) wakes into a backlog of timers and messages, and its lease
 * timer is one item in it, maybe the last: handling the rest first, it would
 * carry on as if it still ran tasks that are someone else's by now
 * (Kleppmann, "How to do distributed locking", 2016). So look at the clock
 * before doing anything else.
 */
function stopIfLeaseEnded(state: SchedulerState, ctx: SchedCtx): void {
  if (!hasLease(state, ctx) && Object.keys(state.running).length > 0) stopAll(state, ctx)
}

function stopAll(state: SchedulerState, ctx: SchedCtx): void {
  // Our lease ran out: we may be cut off and our tasks given away. Stop them.
  for (const task of Object.keys(state.running)) ctx.cancelTimer(`run:${task}`)
  if (Object.keys(state.running).length > 0) ctx.log('lease expired; stopped', state.running)
  state.running = {}
}

/** Forgets finished reports the table has recorded. */
function forgetRecorded(state: SchedulerState): void {
  for (const [task, attempt] of Object.entries(state.finished)) {
    const entry = state.tasks[task]
    if (entry === undefined) continue
    if (entry.attempts > attempt || entry.state === 'done') delete state.finished[task]
  }
}

// ---------------------------------------------------------------------------

function onClientRequest(state: SchedulerState, env: Envelope<Body>, ctx: SchedCtx): void {
  const body = env.body
  if (body.type === 'tasks') {
    // This replica's applied table: on the leader, everything committed so far.
    const tasks = Object.values(state.tasks).map(({ task, state: s, worker, attempts }) => ({
      task,
      state: s,
      worker,
      attempts,
    }))
    ctx.reply(env, { type: 'tasks_ok', tasks })
    return
  }
  if (state.role !== 'leader') {
    ctx.reply(env, {
      type: 'error',
      code: 11,
      text:
        state.leaderId === null ? 'no leader known yet' : `not the leader; try ${state.leaderId}`,
      ...(state.leaderId === null ? {} : { leader: state.leaderId }),
    })
    return
  }
  const cost = body.cost
  if (
    typeof body.task !== 'string' ||
    typeof cost !== 'number' ||
    !(cost > 0 && cost <= costMsMax)
  ) {
    ctx.reply(env, {
      type: 'error',
      code: 12,
      text: `submit needs a task name and a cost of 1 to ${costMsMax} ms`,
    })
    return
  }
  if (Object.keys(state.tasks).length >= tasksMax) {
    ctx.reply(env, { type: 'error', code: 12, text: `the table is full (${tasksMax} tasks)` })
    return
  }
  append(
    state,
    {
      op: 'submit',
      task: body.task,
      cost,
      replyTo: env.src,
      ...(body.msg_id === undefined ? {} : { msg_id: body.msg_id }),
    },
    ctx,
  )
}

export function makeScheduler(name: string, description: string, timing: Timing) {
  return defineNode<SchedulerState, RaftMessage>({
    name,
    description,
    persistent: raft.persistent,

    init(ctx, saved) {
      const raftState = raft.init(ctx, saved)
      ctx.setTimer('worker-heartbeat', timing.workerHeartbeatMs)
      return {
        ...raftState,
        tasks: {},
        schedApplied: 0,
        lastHeard: {},
        leaderSince: 0,
        peerContact: {},
        roundRobin: -1,
        leaseUntil: 0,
        leaseFrom: null,
        running: {},
        finished: {},
      }
    },

    onMessage(state, env, ctx) {
      stopIfLeaseEnded(state, ctx)
      const wasLeader = state.role === 'leader'
      const body = env.body as Body
      const request = env as Envelope<Body>
      switch (body.type) {
        case 'submit':
        case 'tasks':
          onClientRequest(state, request, ctx)
          break
        case 'heartbeat':
          onHeartbeat(state, request, ctx, timing)
          break
        case 'heartbeat_ok':
          onHeartbeatOk(state, request, ctx, timing)
          break
        case 'run':
          onRun(state, request, ctx)
          break
        case 'append_entries_result':
          // An answer in our term shows that peer followed us when we sent what it answers.
          if (body.term === state.currentTerm && typeof body.sentAt === 'number') {
            const since = state.peerContact[env.src] ?? -Infinity
            state.peerContact[env.src] = Math.max(since, body.sentAt)
          }
          raft.onMessage(state, env, stampingCtx(ctx))
          break
        default:
          raft.onMessage(state, env, stampingCtx(ctx, body))
      }
      afterHandler(state, wasLeader, ctx)
    },

    onTimer(state, timer, ctx) {
      stopIfLeaseEnded(state, ctx)
      const wasLeader = state.role === 'leader'
      if (timer === 'worker-heartbeat') {
        sendHeartbeat(state, ctx, timing)
        schedule(state, ctx, timing)
      } else if (timer === 'lease') {
        // If the lease has ended, stopIfLeaseEnded has stopped the tasks. But a
        // real timer may fire a fraction of a millisecond before the lease
        // ends: then look again when it does end, or the tasks would run on
        // unleased, and a new worker could get them while they still run here.
        if (hasLease(state, ctx)) ctx.setTimer('lease', state.leaseUntil - ctx.now())
      } else if (timer.startsWith('run:')) {
        const task = timer.slice('run:'.length)
        if (state.running[task] !== undefined && hasLease(state, ctx)) {
          state.finished[task] = state.running[task]
          delete state.running[task]
          sendHeartbeat(state, ctx, timing) // report the completion at once
        }
      } else {
        raft.onTimer(state, timer, stampingCtx(ctx))
      }
      afterHandler(state, wasLeader, ctx)
    },

    summary(state) {
      const raftSummary = raft.summary?.(state) ?? {}
      const queued = Object.values(state.tasks).filter((t) => t.state === 'queued').length
      return {
        ...raftSummary,
        running: Object.keys(state.running).sort().join(' '),
        queued: state.role === 'leader' ? queued : null,
      }
    },

    describe(body) {
      switch (body.type) {
        case 'heartbeat':
          return `Heartbeat running=[${Object.keys(body.running ?? {}).join(' ')}]`
        case 'run':
          return `Run ${String(body.task)} attempt=${String(body.attempt)} cost=${String(body.cost)}`
        default: {
          const text = raft.describe?.(body) ?? body.type
          if (body.type !== 'append_entries') return text
          const entries = (body as { entries?: SchedEntry[] }).entries ?? []
          const shown = entries.flatMap((e) =>
            e.sched === undefined ? [] : [describeSched(e.sched)],
          )
          return shown.length === 0 ? text : `${text} tasks=[${shown.slice(0, 3).join(', ')}]`
        }
      }
    },
  })

  function afterHandler(state: SchedulerState, wasLeader: boolean, ctx: SchedCtx): void {
    if (!wasLeader && state.role === 'leader') {
      // A new leader gives every worker a full timeout before judging it silent.
      state.leaderSince = ctx.now()
      state.lastHeard = {}
      state.peerContact = {}
    }
    applySchedEntries(state, ctx)
    forgetRecorded(state)
  }
}

function describeSched(c: SchedCommand): string {
  if (c.op === 'submit') return `submit ${c.task}`
  if (c.op === 'assign') return `assign ${c.task} ${c.worker}`
  return `done ${c.task}`
}

export default makeScheduler(
  'scheduler',
  'A task scheduler on Raft: the leader assigns through the log, workers run under leases.',
  referenceTiming,
)
