// Raft: a replicated key-value store.
//
// Diego Ongaro and John Ousterhout, "In Search of an Understandable Consensus
// Algorithm (Extended Version)", 2014. Section numbers below are that paper's;
// Figure 2 is its one-page summary of the whole algorithm.
//
// Read it top to bottom: the state, the three role changes, the election
// (section 5.2), replication (5.3) and commitment (5.4), then the key-value
// state machine that clients talk to. Every rule that keeps Raft safe carries
// a comment saying which section it comes from and what breaks without it.

import { defineNode, type Body, type Ctx, type Envelope } from '../../../shared/node-api'

// Timing (section 5.6 and 9.3): elections need broadcastTime << electionTimeout.
// 150-300 ms is the paper's choice; heartbeats must come well inside it.
export const electionTimeoutMsMin = 150
export const electionTimeoutMsMax = 300
export const heartbeatMs = 50
/** At most this many entries ride in one AppendEntries, so a lagging follower catches up in steps. */
export const entriesPerMessageMax = 64

export type Role = 'follower' | 'candidate' | 'leader'

/** A client's command, as the leader wrote it into the log. */
export interface Command {
  op: 'read' | 'write' | 'cas'
  key: string
  value?: unknown
  from?: unknown
  to?: unknown
  /** Who asked, so the leader can answer when the entry is applied. */
  client: string
  msg_id?: number
}

/** A log entry. `command` is null for the no-op a new leader appends (section 8). */
export interface Entry {
  term: number
  command: Command | null
}

export interface RaftState {
  // Persistent state on all servers (Figure 2): saved before answering any RPC.
  currentTerm: number
  votedFor: string | null
  /** log[0] holds index 1: Raft counts log indices from 1. */
  log: Entry[]

  // Volatile state on all servers.
  role: Role
  leaderId: string | null
  commitIndex: number
  lastApplied: number
  votesGranted: string[]
  /** The key-value store: the state machine that the log drives. */
  kv: Record<string, unknown>

  // Volatile state on leaders, reinitialized after each election.
  nextIndex: Record<string, number>
  matchIndex: Record<string, number>
  /** A 'replicate' timer is set: new entries go out together on its tick. */
  replicationScheduled: boolean
}

export interface RequestVote {
  type: 'request_vote'
  term: number
  candidateId: string
  lastLogIndex: number
  lastLogTerm: number
}

export interface RequestVoteResult {
  type: 'request_vote_result'
  term: number
  voteGranted: boolean
}

export interface AppendEntries {
  type: 'append_entries'
  term: number
  leaderId: string
  prevLogIndex: number
  prevLogTerm: number
  entries: Entry[]
  leaderCommit: number
}

export interface AppendEntriesResult {
  type: 'append_entries_result'
  term: number
  success: boolean
  /** On success: the follower's log matches the leader's up to here. */
  matchIndex: number
  /** On failure (fast back-off): the term of the conflicting entry, 0 if the log was too short. */
  conflictTerm: number
  /** On failure: the first index of conflictTerm in the follower's log, or its length + 1. */
  conflictIndex: number
}

export type RaftMessage = RequestVote | RequestVoteResult | AppendEntries | AppendEntriesResult

type RaftCtx = Ctx<RaftMessage>

// ---------------------------------------------------------------------------
// Log helpers. Indices are Raft's: 1 is the first entry, 0 means "before the log".

export function lastLogIndex(state: RaftState): number {
  return state.log.length
}

export function termAt(state: RaftState, index: number): number {
  return index === 0 ? 0 : state.log[index - 1].term
}

function isMajority(count: number, ctx: RaftCtx): boolean {
  return count * 2 > ctx.peers.length + 1
}

export function resetElectionTimer(ctx: RaftCtx): void {
  // Section 5.2: randomized timeouts make split votes rare and short.
  const spread = electionTimeoutMsMax - electionTimeoutMsMin
  ctx.setTimer('election', electionTimeoutMsMin + Math.floor(ctx.random() * spread))
}

// ---------------------------------------------------------------------------
// Role changes (section 5.1, Figure 4). Each is the only way into its role.

export function becomeFollower(state: RaftState, term: number, ctx: RaftCtx): void {
  if (term < state.currentTerm) throw new Error(`becomeFollower: term ${term} is in the past`)
  if (term > state.currentTerm) {
    state.currentTerm = term
    state.votedFor = null // a new term: this server has not voted in it yet
  }
  state.role = 'follower'
  state.leaderId = null
  ctx.cancelTimer('heartbeat')
  resetElectionTimer(ctx)
}

function becomeCandidate(state: RaftState, ctx: RaftCtx): void {
  if (state.role === 'leader') throw new Error('becomeCandidate: a leader does not start elections')
  // Section 5.2: increment currentTerm, vote for self, reset the timer, ask everyone.
  state.currentTerm += 1
  state.role = 'candidate'
  state.votedFor = ctx.id
  state.leaderId = null
  state.votesGranted = [ctx.id]
  resetElectionTimer(ctx)
  if (isMajority(state.votesGranted.length, ctx)) {
    becomeLeader(state, ctx) // a cluster of one elects itself
    return
  }
  for (const peer of ctx.peers) {
    ctx.send(peer, {
      type: 'request_vote',
      term: state.currentTerm,
      candidateId: ctx.id,
      lastLogIndex: lastLogIndex(state),
      lastLogTerm: termAt(state, lastLogIndex(state)),
    })
  }
}

function becomeLeader(state: RaftState, ctx: RaftCtx): void {
  if (state.role !== 'candidate') throw new Error(`becomeLeader: a ${state.role} cannot lead`)
  state.role = 'leader'
  state.leaderId = ctx.id
  ctx.cancelTimer('election')
  // Figure 2: nextIndex starts just past the leader's log, matchIndex at 0.
  for (const peer of ctx.peers) {
    state.nextIndex[peer] = lastLogIndex(state) + 1
    state.matchIndex[peer] = 0
  }
  // Section 8: a no-op entry of the new term. A leader may only commit entries
  // of its own term by counting replicas (5.4.2); committing this one commits
  // everything before it, so earlier terms' entries do not wait for a client.
  state.log.push({ term: state.currentTerm, command: null })
  advanceCommitIndex(state, ctx) // a cluster of one commits on its own
  broadcastAppendEntries(state, ctx)
}

// ---------------------------------------------------------------------------
// Timers.

function onTimer(state: RaftState, name: string, ctx: RaftCtx): void {
  if (name === 'election' && state.role !== 'leader') {
    // Section 5.2: no word from a leader or candidate for a whole timeout.
    becomeCandidate(state, ctx)
  } else if (name === 'heartbeat' && state.role === 'leader') {
    broadcastAppendEntries(state, ctx)
  } else if (name === 'replicate') {
    if (state.role === 'leader') replicateNewEntries(state, ctx)
    else state.replicationScheduled = false
  }
}

// ---------------------------------------------------------------------------
// Leader election (section 5.2).

function onRequestVote(state: RaftState, msg: RequestVote, from: string, ctx: RaftCtx): void {
  if (msg.term > state.currentTerm) becomeFollower(state, msg.term, ctx)

  // Section 5.4.1, the election restriction: vote only for a candidate whose log
  // is at least as up-to-date as ours (compare last terms, then lengths).
  // Without it a leader could be elected that lacks a committed entry.
  const ourLastTerm = termAt(state, lastLogIndex(state))
  const upToDate =
    msg.lastLogTerm > ourLastTerm ||
    (msg.lastLogTerm === ourLastTerm && msg.lastLogIndex >= lastLogIndex(state))

  // Section 5.2: at most one vote per term, first come first served.
  const canVote = state.votedFor === null || state.votedFor === msg.candidateId
  const voteGranted = msg.term === state.currentTerm && canVote && upToDate
  if (voteGranted) {
    state.votedFor = msg.candidateId
    resetElectionTimer(ctx) // granting a vote is hearing from a live candidate
  }
  // votedFor is persistent: the host saves it before this reply leaves.
  ctx.send(from, { type: 'request_vote_result', term: state.currentTerm, voteGranted })
}

function onRequestVoteResult(
  state: RaftState,
  msg: RequestVoteResult,
  from: string,
  ctx: RaftCtx,
): void {
  if (msg.term > state.currentTerm) {
    becomeFollower(state, msg.term, ctx)
    return
  }
  // A vote from an earlier term or for an election we are no longer running counts for nothing.
  if (state.role !== 'candidate' || msg.term !== state.currentTerm || !msg.voteGranted) return
  if (!state.votesGranted.includes(from)) state.votesGranted.push(from)
  if (isMajority(state.votesGranted.length, ctx)) becomeLeader(state, ctx)
}

// ---------------------------------------------------------------------------
// Log replication (section 5.3).

function sendAppendEntries(state: RaftState, peer: string, ctx: RaftCtx): void {
  const prevLogIndex = state.nextIndex[peer] - 1
  const entries = state.log.slice(prevLogIndex, prevLogIndex + entriesPerMessageMax)
  ctx.send(peer, {
    type: 'append_entries',
    term: state.currentTerm,
    leaderId: ctx.id,
    prevLogIndex,
    prevLogTerm: termAt(state, prevLogIndex),
    entries,
    leaderCommit: state.commitIndex,
  })
  // Pipelining: assume these will land and send the next ones after them. A
  // rejection moves nextIndex back (onAppendEntriesResult), so guessing is safe.
  state.nextIndex[peer] = prevLogIndex + entries.length + 1
}

function broadcastAppendEntries(state: RaftState, ctx: RaftCtx): void {
  for (const peer of ctx.peers) sendAppendEntries(state, peer, ctx)
  // An empty AppendEntries is the heartbeat that holds off elections (5.2).
  ctx.setTimer('heartbeat', heartbeatMs)
}

function rejectAppendEntries(
  state: RaftState,
  leader: string,
  conflictTerm: number,
  conflictIndex: number,
  ctx: RaftCtx,
): void {
  ctx.send(leader, {
    type: 'append_entries_result',
    term: state.currentTerm,
    success: false,
    matchIndex: 0,
    conflictTerm,
    conflictIndex,
  })
}

function onAppendEntries(state: RaftState, msg: AppendEntries, from: string, ctx: RaftCtx): void {
  // Figure 2, AppendEntries rule 1: reply false if term < currentTerm.
  if (msg.term < state.currentTerm) {
    rejectAppendEntries(state, from, 0, 0, ctx)
    return
  }
  // A leader of this term or a later one exists: follow it (5.1, 5.2).
  if (msg.term > state.currentTerm || state.role !== 'follower') {
    becomeFollower(state, msg.term, ctx)
  }
  state.leaderId = msg.leaderId
  resetElectionTimer(ctx)

  // Rule 2, the consistency check: our log must hold prevLogIndex with prevLogTerm.
  // On failure, say where our log diverges so the leader can skip back a whole
  // term at a time instead of one entry per round trip (end of section 5.3).
  if (msg.prevLogIndex > lastLogIndex(state)) {
    rejectAppendEntries(state, from, 0, lastLogIndex(state) + 1, ctx)
    return
  }
  if (termAt(state, msg.prevLogIndex) !== msg.prevLogTerm) {
    const conflictTerm = termAt(state, msg.prevLogIndex)
    let conflictIndex = msg.prevLogIndex
    while (conflictIndex > 1 && termAt(state, conflictIndex - 1) === conflictTerm) conflictIndex--
    rejectAppendEntries(state, from, conflictTerm, conflictIndex, ctx)
    return
  }

  // Rules 3 and 4: delete an existing entry only if it conflicts (same index,
  // different term), then append what we lack. Never truncate on a mere match:
  // a delayed, duplicated message would otherwise erase newer entries.
  for (let i = 0; i < msg.entries.length; i++) {
    const index = msg.prevLogIndex + 1 + i
    if (index <= lastLogIndex(state) && termAt(state, index) !== msg.entries[i].term) {
      state.log.length = index - 1
    }
    if (index > lastLogIndex(state)) state.log.push(msg.entries[i])
  }

  // Rule 5: commit up to what the leader has committed, but only as far as
  // this message proved our log matches the leader's.
  const matchIndex = msg.prevLogIndex + msg.entries.length
  if (msg.leaderCommit > state.commitIndex) {
    state.commitIndex = Math.max(state.commitIndex, Math.min(msg.leaderCommit, matchIndex))
    applyCommitted(state, ctx)
  }
  ctx.send(from, {
    type: 'append_entries_result',
    term: state.currentTerm,
    success: true,
    matchIndex,
    conflictTerm: 0,
    conflictIndex: 0,
  })
}

function onAppendEntriesResult(
  state: RaftState,
  msg: AppendEntriesResult,
  peer: string,
  ctx: RaftCtx,
): void {
  if (msg.term > state.currentTerm) {
    becomeFollower(state, msg.term, ctx)
    return
  }
  if (state.role !== 'leader' || msg.term !== state.currentTerm) return

  if (msg.success) {
    // Replies can arrive late or twice: matchIndex only ever moves forward.
    state.matchIndex[peer] = Math.max(state.matchIndex[peer], msg.matchIndex)
    state.nextIndex[peer] = Math.max(state.nextIndex[peer], state.matchIndex[peer] + 1)
    advanceCommitIndex(state, ctx)
    if (state.nextIndex[peer] <= lastLogIndex(state)) sendAppendEntries(state, peer, ctx)
    return
  }

  // Fast back-off: if we hold entries of the conflicting term, retry just after
  // our last one; otherwise skip the follower's whole conflicting term.
  let next = msg.conflictIndex
  if (msg.conflictTerm > 0) {
    for (let index = lastLogIndex(state); index > 0; index--) {
      if (termAt(state, index) === msg.conflictTerm) {
        next = index + 1
        break
      }
    }
  }
  state.nextIndex[peer] = Math.max(1, Math.min(next, lastLogIndex(state) + 1))
  state.nextIndex[peer] = Math.max(state.nextIndex[peer], state.matchIndex[peer] + 1)
  sendAppendEntries(state, peer, ctx)
}

// ---------------------------------------------------------------------------
// Commitment (section 5.4).

function storedOnMajority(state: RaftState, index: number, ctx: RaftCtx): boolean {
  let replicas = index <= lastLogIndex(state) ? 1 : 0 // the leader's own log
  for (const peer of ctx.peers) if (state.matchIndex[peer] >= index) replicas++
  return isMajority(replicas, ctx)
}

function advanceCommitIndex(state: RaftState, ctx: RaftCtx): void {
  // Figure 2, rules for leaders: if there exists an N > commitIndex such that a
  // majority of matchIndex[i] >= N and log[N].term == currentTerm, set
  // commitIndex = N. The highest index stored on a majority is always some
  // server's match index (the leader's is its last index), so try those.
  let n = state.commitIndex
  if (lastLogIndex(state) > n && storedOnMajority(state, lastLogIndex(state), ctx)) {
    n = lastLogIndex(state)
  }
  for (const peer of ctx.peers) {
    const candidate = state.matchIndex[peer]
    if (candidate > n && storedOnMajority(state, candidate, ctx)) n = candidate
  }
  // Section 5.4.2: never commit an earlier term's entry by counting replicas.
  // Figure 8 shows such an entry overwritten after it was stored on a majority.
  // Committing an entry of the current term commits every entry before it.
  if (n > state.commitIndex && termAt(state, n) === state.currentTerm) {
    state.commitIndex = n
    applyCommitted(state, ctx)
  }
}

// ---------------------------------------------------------------------------
// The state machine: a key-value store that clients reach with Maelstrom's
// lin-kv requests. Every request, reads included, goes through the log, so
// every answer reflects a point between the request and the reply
// (linearizability, section 8). A read answered from local state could return
// a value that a newer leader has already overwritten.

export function applyCommitted(state: RaftState, ctx: RaftCtx): void {
  while (state.lastApplied < state.commitIndex) {
    state.lastApplied += 1
    const command = state.log[state.lastApplied - 1].command
    if (command === null) continue
    const reply = applyCommand(state, command)
    // Only the leader answers: it is the one the client asked.
    if (state.role === 'leader') {
      ctx.send(command.client, { ...reply, in_reply_to: command.msg_id })
    }
  }
}

function applyCommand(
  state: RaftState,
  command: Command,
): { type: string; [field: string]: unknown } {
  const exists = Object.hasOwn(state.kv, command.key)
  switch (command.op) {
    case 'read':
      return exists
        ? { type: 'read_ok', value: state.kv[command.key] }
        : { type: 'error', code: 20, text: `key ${command.key} does not exist` }
    case 'write':
      state.kv[command.key] = command.value
      return { type: 'write_ok' }
    case 'cas':
      if (!exists) return { type: 'error', code: 20, text: `key ${command.key} does not exist` }
      if (JSON.stringify(state.kv[command.key]) !== JSON.stringify(command.from)) {
        return {
          type: 'error',
          code: 22,
          text: `expected ${JSON.stringify(command.from)}, found ${JSON.stringify(state.kv[command.key])}`,
        }
      }
      state.kv[command.key] = command.to
      return { type: 'cas_ok' }
  }
}

function onClientRequest(state: RaftState, env: Envelope<Body>, ctx: RaftCtx): void {
  const body = env.body
  if (state.role !== 'leader') {
    // Not the leader: a definite failure (code 11), with a hint where to go.
    ctx.reply(env, {
      type: 'error',
      code: 11,
      text:
        state.leaderId === null ? 'no leader known yet' : `not the leader; try ${state.leaderId}`,
      ...(state.leaderId === null ? {} : { leader: state.leaderId }),
    })
    return
  }
  if (typeof body.key !== 'string' && typeof body.key !== 'number') {
    ctx.reply(env, { type: 'error', code: 12, text: 'a request needs a key' })
    return
  }
  const command: Command = {
    op: body.type as Command['op'],
    key: String(body.key),
    client: env.src,
    ...(body.msg_id === undefined ? {} : { msg_id: body.msg_id }),
    ...(body.type === 'write' ? { value: body.value } : {}),
    ...(body.type === 'cas' ? { from: body.from, to: body.to } : {}),
  }
  // Section 5.3: the leader appends the command to its log, then replicates it.
  state.log.push({ term: state.currentTerm, command })
  advanceCommitIndex(state, ctx) // a cluster of one commits at once
  // Batching (Ongaro's thesis, 10.2.1): replicate on the next tick rather than
  // now, so that every request arriving meanwhile shares one AppendEntries.
  if (!state.replicationScheduled) {
    state.replicationScheduled = true
    ctx.setTimer('replicate', 0)
  }
}

function replicateNewEntries(state: RaftState, ctx: RaftCtx): void {
  state.replicationScheduled = false
  for (const peer of ctx.peers) {
    // Followers still being repaired get entries as their replies come back.
    if (state.nextIndex[peer] <= lastLogIndex(state)) sendAppendEntries(state, peer, ctx)
  }
}

// ---------------------------------------------------------------------------

export default defineNode<RaftState, RaftMessage>({
  name: 'raft',
  description:
    'Raft (Ongaro and Ousterhout, 2014): leader election, log replication, a key-value store.',
  persistent: ['currentTerm', 'votedFor', 'log'],

  init(ctx, saved) {
    resetElectionTimer(ctx)
    return {
      currentTerm: saved?.currentTerm ?? 0,
      votedFor: saved?.votedFor ?? null,
      log: saved?.log ?? [],
      role: 'follower',
      leaderId: null,
      // Volatile: after a restart, commitment is learned again from the leader
      // and the key-value store is rebuilt by applying the log from the start.
      commitIndex: 0,
      lastApplied: 0,
      votesGranted: [],
      kv: {},
      nextIndex: {},
      matchIndex: {},
      replicationScheduled: false,
    }
  },

  onMessage(state, env, ctx) {
    const msg = env.body as RaftMessage
    switch (msg.type) {
      case 'request_vote':
        return onRequestVote(state, msg, env.src, ctx)
      case 'request_vote_result':
        return onRequestVoteResult(state, msg, env.src, ctx)
      case 'append_entries':
        return onAppendEntries(state, msg, env.src, ctx)
      case 'append_entries_result':
        return onAppendEntriesResult(state, msg, env.src, ctx)
    }
    const request = env as Envelope<Body>
    switch (request.body.type) {
      case 'read':
      case 'write':
      case 'cas':
        return onClientRequest(state, request, ctx)
      default:
        ctx.reply(request, {
          type: 'error',
          code: 10,
          text: `raft does not know ${request.body.type}`,
        })
    }
  },

  onTimer,

  summary(state) {
    return {
      role: state.role,
      term: state.currentTerm,
      commitIndex: state.commitIndex,
      leader: state.leaderId,
      logLength: state.log.length,
    }
  },

  describe(body) {
    switch (body.type) {
      case 'request_vote': {
        const m = body as RequestVote
        return `RequestVote term=${m.term} last=${m.lastLogIndex}/${m.lastLogTerm}`
      }
      case 'request_vote_result': {
        const m = body as RequestVoteResult
        return `Vote term=${m.term} granted=${m.voteGranted}`
      }
      case 'append_entries': {
        const m = body as AppendEntries
        const first = m.prevLogIndex + 1
        const shown = m.entries
          .slice(0, 3)
          .map((e, i) => `${first + i}/${e.term}${describeCommand(e)}`)
        const more = m.entries.length > 3 ? ` +${m.entries.length - 3}` : ''
        return `AppendEntries term=${m.term} prev=${m.prevLogIndex}/${m.prevLogTerm} commit=${m.leaderCommit} entries=[${shown.join(', ')}${more}]`
      }
      case 'append_entries_result': {
        const m = body as AppendEntriesResult
        return m.success
          ? `AppendOk term=${m.term} match=${m.matchIndex}`
          : `AppendReject term=${m.term} conflict=${m.conflictIndex}/${m.conflictTerm}`
      }
      default:
        return body.type
    }
  },
})

function describeCommand(entry: Entry): string {
  const c = entry.command
  if (c === null) return ' no-op'
  if (c.op === 'write') return ` put ${c.key} ${JSON.stringify(c.value)}`
  if (c.op === 'cas') return ` cas ${c.key} ${JSON.stringify(c.from)} ${JSON.stringify(c.to)}`
  return ` get ${c.key}`
}
