// A lock service in the spirit of Chubby (Burrows, "The Chubby lock service
// for loosely-coupled distributed systems", OSDI 2006), replicated with Raft.
//
// Clients speak three requests; every one goes through Raft's log, so every
// replica grants the same locks in the same order:
//
//   { type: 'acquire', key, client, lease_ms } -> { type: 'acquire_ok', token, lease_ms }
//   { type: 'renew', key, client, lease_ms? }  -> { type: 'renew_ok', token, lease_ms }
//   { type: 'release', key, client }           -> { type: 'release_ok' }
//
// Errors: 11 not the leader (retry elsewhere, it did not happen); 22 the lock
// is held by another client (acquire) or not held by you (renew, release); 12
// a malformed request. 22 is definite: the request changed nothing.
//
// Fencing tokens (Chubby's "sequencers"): a grant's token is the log index of
// the entry that granted it, so tokens grow with every grant on every replica.
//
// Leases: a holder must renew before its lease runs out, or the lock is free
// again. Expiry must be judged the same on every replica, so it is measured in
// the log, not on each replica's clock: the leader stamps each lock command
// with its clock when it appends it, and a command applied later judges the
// earlier leases against that stamp.
//
// Raft itself is unchanged: a lock command rides in a log entry whose Raft
// `command` is null, which Raft's key-value machine skips as a no-op, and this
// module applies it once Raft has applied (committed) that entry.

import { type Body, type Ctx, type Envelope, defineNode } from '../../../shared/node-api'
import raft, { lastLogIndex, type Entry, type RaftMessage, type RaftState } from '../raft/raft'
import {
  emptyStore,
  isResource,
  onStoreRequest,
  resourceSummary,
  type FencedStore,
} from './fenced-store'

/** A lease shorter than this would expire before its grant could reach the client. */
export const leaseMsMin = 10
export const leaseMsMax = 60_000

export interface LockCommand {
  op: 'acquire' | 'renew' | 'release'
  key: string
  /** The holder's name, as the client gave it. */
  client: string
  leaseMs: number
  /** The leader's clock when it appended the command: the log's time. */
  at: number
  /** Where the answer goes, and which request it answers. */
  replyTo: string
  msg_id?: number
}

/** A Raft entry that Raft treats as a no-op and this module applies. */
export interface LockEntry extends Entry {
  lock?: LockCommand
}

export interface Lock {
  holder: string
  token: number
  leaseMs: number
  /** In the log's time (the stamps), not any replica's clock. */
  expiresAt: number
}

export interface LockState extends RaftState {
  /** The lock table: the state machine this log drives. Volatile, rebuilt from the log. */
  locks: Record<string, Lock>
  /** The last log index whose lock command was applied. */
  locksApplied: number
  /** The latest stamp applied: the log's time never runs backwards, even across leaders. */
  logTime: number
  /** Only on the node playing the protected resource (option `resource`). */
  store: FencedStore
  /** This node plays the protected resource, not a lock server. */
  resource: boolean
}

type LockCtx = Ctx<RaftMessage>

/** The fencing token of the grant at log index `index` (1-based) of `log`. */
export type FencingToken = (log: readonly Entry[], index: number) => number

/** The grant's own log index: higher than every earlier grant's, on every replica, under every leader. */
const tokenIsLogIndex: FencingToken = (_log, index) => index

/** The ctx Raft sees: the protected resource, if any, is not a member of the Raft group. */
function raftCtx(ctx: LockCtx): LockCtx {
  const resource = ctx.options.resource
  if (typeof resource !== 'string') return ctx
  return {
    id: ctx.id,
    peers: ctx.peers.filter((peer) => peer !== resource),
    options: ctx.options,
    now: () => ctx.now(),
    random: () => ctx.random(),
    send: (dest, body) => ctx.send(dest, body),
    reply: (env, body) => ctx.reply(env, body),
    setTimer: (name, ms) => ctx.setTimer(name, ms),
    cancelTimer: (name) => ctx.cancelTimer(name),
    log: (...parts) => ctx.log(...parts),
  }
}

export function isFree(lock: Lock | undefined, now: number): boolean {
  // A lease that ran out frees the lock without anyone saying so.
  return lock === undefined || lock.expiresAt <= now
}

/** Applies one committed lock command, whose grant would get fencing token `token`; returns the answer. */
function applyLockCommand(state: LockState, command: LockCommand, token: number): Body {
  // A new leader's clock may read earlier than the last stamp; time in the log only moves on.
  state.logTime = Math.max(state.logTime, command.at)
  const now = state.logTime
  const lock = state.locks[command.key]
  const mine = !isFree(lock, now) && lock?.holder === command.client
  switch (command.op) {
    case 'acquire': {
      if (!isFree(lock, now)) {
        return { type: 'error', code: 22, text: `${command.key} is held by ${lock?.holder}` }
      }
      const granted = { holder: command.client, token, leaseMs: command.leaseMs }
      state.locks[command.key] = { ...granted, expiresAt: now + command.leaseMs }
      return { type: 'acquire_ok', token, lease_ms: command.leaseMs }
    }
    case 'renew': {
      if (!mine || lock === undefined) {
        return { type: 'error', code: 22, text: `${command.client} does not hold ${command.key}` }
      }
      lock.expiresAt = now + command.leaseMs
      lock.leaseMs = command.leaseMs
      return { type: 'renew_ok', token: lock.token, lease_ms: command.leaseMs }
    }
    case 'release': {
      if (!mine) {
        return { type: 'error', code: 22, text: `${command.client} does not hold ${command.key}` }
      }
      delete state.locks[command.key]
      return { type: 'release_ok' }
    }
  }
}

/** Applies the lock commands of entries Raft has applied, in log order. */
function applyLockEntries(state: LockState, ctx: LockCtx, fencingToken: FencingToken): void {
  // Raft rebuilds its state machine from the log after a restart; so does this one.
  if (state.lastApplied < state.locksApplied) throw new Error('lock table ahead of the log')
  while (state.locksApplied < state.lastApplied) {
    state.locksApplied += 1
    const command = (state.log[state.locksApplied - 1] as LockEntry).lock
    if (command === undefined) continue
    const token = fencingToken(state.log, state.locksApplied)
    const answer = applyLockCommand(state, command, token)
    // As in Raft: only the leader answers, it is the one the client asked.
    if (state.role === 'leader') {
      ctx.send(command.replyTo, { ...answer, in_reply_to: command.msg_id })
    }
  }
}

function onLockRequest(state: LockState, env: Envelope<Body>, ctx: LockCtx): void {
  const body = env.body
  if (state.role !== 'leader') {
    // As in Raft: a definite failure with a hint, so the client retries at the leader.
    ctx.reply(env, {
      type: 'error',
      code: 11,
      text:
        state.leaderId === null ? 'no leader known yet' : `not the leader; try ${state.leaderId}`,
      ...(state.leaderId === null ? {} : { leader: state.leaderId }),
    })
    return
  }
  const leaseMs = typeof body.lease_ms === 'number' ? body.lease_ms : undefined
  const held = state.locks[String(body.key)]
  const problem =
    typeof body.key !== 'string'
      ? 'a lock request needs a key'
      : body.type === 'acquire' &&
          (leaseMs === undefined || leaseMs < leaseMsMin || leaseMs > leaseMsMax)
        ? `acquire needs lease_ms between ${leaseMsMin} and ${leaseMsMax}`
        : null
  if (problem !== null) {
    ctx.reply(env, { type: 'error', code: 12, text: problem })
    return
  }
  const command: LockCommand = {
    op: body.type as LockCommand['op'],
    key: String(body.key),
    client: typeof body.client === 'string' ? body.client : env.src,
    // A renewal without lease_ms keeps the length it had (checked again when applied).
    leaseMs: leaseMs ?? held?.leaseMs ?? leaseMsMin,
    at: ctx.now(),
    replyTo: env.src,
    ...(body.msg_id === undefined ? {} : { msg_id: body.msg_id }),
  }
  // Section 5.3, as in Raft's own client path: append, then replicate on the next tick.
  const entry: LockEntry = { term: state.currentTerm, command: null, lock: command }
  state.log.push(entry)
  if (ctx.peers.length === 0) state.commitIndex = lastLogIndex(state) // a group of one
  if (!state.replicationScheduled) {
    state.replicationScheduled = true
    ctx.setTimer('replicate', 0)
  }
}

/** The lock service, with the rule that makes its fencing tokens (variants/ break it). */
export function makeLockService(description: string, fencingToken: FencingToken) {
  return defineNode<LockState, RaftMessage>({
    name: 'lock',
    description,
    persistent: [...raft.persistent, 'store'],

    init(ctx, saved) {
      const raftState = raft.init(raftCtx(ctx), saved)
      if (isResource(ctx)) ctx.cancelTimer('election') // the resource never stands for election
      return {
        ...raftState,
        locks: {},
        locksApplied: 0,
        logTime: 0,
        store: saved?.store ?? emptyStore(),
        resource: isResource(ctx),
      }
    },

    onMessage(state, env, ctx) {
      if (isResource(ctx)) return onStoreRequest(state.store, env as Envelope<Body>, ctx)
      const inner = raftCtx(ctx)
      const type = env.body.type
      if (type === 'acquire' || type === 'renew' || type === 'release') {
        onLockRequest(state, env as Envelope<Body>, inner)
      } else {
        raft.onMessage(state, env, inner)
      }
      applyLockEntries(state, inner, fencingToken)
    },

    onTimer(state, name, ctx) {
      if (isResource(ctx)) return
      const inner = raftCtx(ctx)
      raft.onTimer(state, name, inner)
      applyLockEntries(state, inner, fencingToken)
    },

    summary(state) {
      if (state.resource) return resourceSummary(state.store)
      const held = Object.entries(state.locks).map(([key, lock]) => `${key}:${lock.holder}`)
      return { ...raft.summary?.(state), locks: held.join(' ') }
    },

    describe(body) {
      if (body.type !== 'append_entries') return raft.describe?.(body) ?? body.type
      // Raft would call a lock entry a no-op: name its lock command instead.
      const text = raft.describe?.(body) ?? body.type
      const entries = (body as { entries?: LockEntry[] }).entries ?? []
      const locks = entries.flatMap((e) => (e.lock === undefined ? [] : [e.lock]))
      if (locks.length === 0) return text
      const shown = locks.slice(0, 3).map((c) => `${c.op} ${c.key} ${c.client}`)
      return `${text} locks=[${shown.join(', ')}${locks.length > 3 ? ' ...' : ''}]`
    },
  })
}

export default makeLockService(
  'A Chubby-style lock service on Raft: leases in log time, fencing tokens.',
  tokenIsLogIndex,
)
