// Three-phase commit: two-phase commit plus one round, so that participants
// can finish a transaction without the coordinator.
//
// Dale Skeen, "Nonblocking Commit Protocols", SIGMOD 1981; Bernstein,
// Hadzilacos and Goodman, "Concurrency Control and Recovery in Database
// Systems", 1987, section 7.5. Everything not written here (transfers,
// prepare and votes, the accounts, locking, recovery) is twopc.ts's.
//
// What it buys. In 2PC a participant that voted yes and hears nothing cannot
// tell "the coordinator committed" from "it aborted" from "nobody decided":
// it blocks. 3PC puts a round between the votes and the decision: the
// coordinator first tells everyone that everyone voted yes (pre_commit), waits
// for their acks, and only then commits. Nobody commits while a live
// participant is still uncertain. So when the coordinator falls silent, the
// participants ask each other for their states and decide alone: anyone
// committable means commit, everyone uncertain means abort.
//
// What it assumes, and why it is still unsafe. That reasoning holds only if
// silence means a crash: every message arrives within `linkDelayMsMax`, none
// is lost, and a node that stops answering has stopped. A partition breaks
// that. Cut n3 off just as the coordinator sends pre_commit: n1 hears no ack
// from n3, takes it for dead and commits with n2, while n3, uncertain and
// hearing nobody, aborts. Each side kept the rules; the rules took silence
// for death. Chapter 7 of Bernstein et al. shows that when messages can be
// lost or links cut, every atomic commitment protocol can block; 3PC chooses
// not to block, so under a partition it gives up atomicity.

import { defineNode, type Body, type Ctx, type NodeId } from '../../../shared/node-api'
import type { Decision } from './bank'
import { describeMessage, type TwoPcMessage, type Vote } from './messages'
import twopc, {
  decide,
  learnDecision,
  recordDecision,
  recover,
  startingState,
  summarize,
  votesTimeoutMs,
  type TwoPcState,
} from './twopc'

/** The assumption everything rests on: a message arrives within this delay, or never was sent. */
export const linkDelayMsMax = 100
/** After pre_commit, the coordinator waits this long for acks; the silent have crashed. */
export const acksTimeoutMs = 500
// A participant suspects the coordinator only when a live one must have
// spoken by now: pre_commit goes out within votesTimeoutMs of the start, the
// decision within acksTimeoutMs of pre_commit, each then within one delay.
export const uncertainTimeoutMs = votesTimeoutMs + 2 * linkDelayMsMax
export const committableTimeoutMs = acksTimeoutMs + 2 * linkDelayMsMax
/** While terminating, wait this long for the others' states; the silent have crashed. */
export const reportsTimeoutMs = 3 * linkDelayMsMax

/** Where a participant stands on a transaction, as it reports it to the others. */
export type TxState = 'unknown' | 'uncertain' | 'committable' | Decision

export interface ThreePcState extends TwoPcState {
  /** Stable: transactions known to be committable (every participant voted yes). The coordinator writes it before pre_commit leaves, a participant before its ack. */
  committable: Record<string, true>
  /** Coordinator: who acknowledged pre_commit. */
  acks: Record<string, NodeId[]>
  /** Participant running termination: the states heard so far. */
  reports: Record<string, Record<NodeId, TxState>>
}

export type PreCommit = { type: 'pre_commit'; tx: string }
export type PreCommitAck = { type: 'pre_commit_ack'; tx: string }
export type StateRequest = { type: 'state_request'; tx: string }
export type StateReport = { type: 'state_report'; tx: string; state: TxState }
export type ThreePcMessage = TwoPcMessage | PreCommit | PreCommitAck | StateRequest | StateReport

type ThreePcCtx = Ctx<ThreePcMessage>

// ---------------------------------------------------------------------------
// The coordinator: votes, then pre_commit and acks, then the decision.

function onVote(state: ThreePcState, msg: Vote, from: NodeId, ctx: ThreePcCtx): void {
  const voting = state.voting[msg.tx]
  if (voting === undefined || state.committable[msg.tx]) return // past phase 1 already
  if (msg.vote === 'no')
    return decide(state, msg.tx, 'abort', `${from} voted no: ${msg.reason}`, ctx)
  if (!voting.yes.includes(from)) voting.yes.push(from)
  if (!voting.start.participants.every((p) => voting.yes.includes(p))) return
  // Everyone voted yes. Before anyone commits, everyone must learn that, so
  // that whoever outlives the coordinator knows commit is the outcome. The
  // mark is stable before pre_commit leaves: a restarted coordinator commits.
  state.committable[msg.tx] = true
  state.acks[msg.tx] = []
  ctx.cancelTimer(`votes ${msg.tx}`)
  ctx.setTimer(`acks ${msg.tx}`, acksTimeoutMs)
  for (const p of voting.start.participants) ctx.send(p, { type: 'pre_commit', tx: msg.tx })
}

function onPreCommitAck(state: ThreePcState, tx: string, from: NodeId, ctx: ThreePcCtx): void {
  const acks = state.acks[tx] as NodeId[] | undefined
  if (acks === undefined) return
  if (!acks.includes(from)) acks.push(from)
  if (state.voting[tx].start.participants.every((p) => acks.includes(p))) commit(state, tx, ctx)
}

/** Every participant acked pre_commit, or the silent ones crashed (so we assume): commit. */
function commit(state: ThreePcState, tx: string, ctx: ThreePcCtx): void {
  decide(state, tx, 'commit', '', ctx)
  delete state.committable[tx]
  delete state.acks[tx]
  ctx.cancelTimer(`acks ${tx}`)
}

// ---------------------------------------------------------------------------
// The participant: pre_commit, then the decision, or termination without the coordinator.

function onPreCommit(state: ThreePcState, tx: string, from: NodeId, ctx: ThreePcCtx): void {
  if (state.prepared[tx] === undefined) return // decided already
  state.committable[tx] = true // stable before the ack leaves
  ctx.send(from, { type: 'pre_commit_ack', tx })
  ctx.setTimer(`terminate ${tx}`, committableTimeoutMs)
}

function learn(state: ThreePcState, tx: string, decision: Decision, ctx: ThreePcCtx): void {
  learnDecision(state, tx, decision, ctx)
  delete state.committable[tx]
  delete state.reports[tx]
  ctx.cancelTimer(`terminate ${tx}`)
  ctx.cancelTimer(`reports ${tx}`)
}

function stateOf(state: ThreePcState, tx: string): TxState {
  if (state.decided[tx] !== undefined) return state.decided[tx]
  if (state.committable[tx]) return 'committable'
  return state.prepared[tx] !== undefined ? 'uncertain' : 'unknown'
}

/**
 * The coordinator fell silent: collect every participant's state and decide
 * (the termination protocol). Bernstein's 7.5 first elects one backup
 * coordinator; here every participant that times out runs it, which comes to
 * the same because, silence meaning death, they all see the same states.
 */
function startTermination(state: ThreePcState, tx: string, ctx: ThreePcCtx): void {
  const prepared = state.prepared[tx]
  if (prepared === undefined) return // decided meanwhile
  state.reports[tx] = { [ctx.id]: stateOf(state, tx) }
  for (const p of prepared.participants) {
    if (p !== ctx.id) ctx.send(p, { type: 'state_request', tx })
  }
  ctx.setTimer(`reports ${tx}`, reportsTimeoutMs)
  if (prepared.participants.length === 1) concludeTermination(state, tx, ctx)
}

function onStateRequest(state: ThreePcState, tx: string, from: NodeId, ctx: ThreePcCtx): void {
  // Never heard of it (its prepare came while this node was down): abort now,
  // which promises never to vote yes. The coordinator cannot have had our yes.
  if (stateOf(state, tx) === 'unknown') recordDecision(state, tx, 'abort')
  ctx.send(from, { type: 'state_report', tx, state: stateOf(state, tx) })
}

function onStateReport(state: ThreePcState, msg: StateReport, from: NodeId, ctx: ThreePcCtx): void {
  const reports = state.reports[msg.tx] as Record<NodeId, TxState> | undefined
  if (reports === undefined) return // not terminating (any more)
  reports[from] = msg.state
  const participants = state.prepared[msg.tx].participants
  if (participants.every((p) => reports[p] !== undefined)) concludeTermination(state, msg.tx, ctx)
}

function concludeTermination(state: ThreePcState, tx: string, ctx: ThreePcCtx): void {
  const states = Object.values(state.reports[tx])
  // Someone decided: that is the decision. Else someone committable: everyone
  // voted yes and the coordinator may have committed, so commit. Else all are
  // uncertain: the coordinator never sent pre_commit (the live would have it
  // by now), so it cannot have committed: abort.
  const decision: Decision = states.includes('commit')
    ? 'commit'
    : states.includes('abort')
      ? 'abort'
      : states.includes('committable')
        ? 'commit'
        : 'abort'
  const participants = state.prepared[tx].participants
  learn(state, tx, decision, ctx)
  for (const p of participants) if (p !== ctx.id) ctx.send(p, { type: 'decision', tx, decision })
}

// ---------------------------------------------------------------------------

export default defineNode<ThreePcState, ThreePcMessage>({
  name: '3pc',
  description:
    'Three-phase commit (Skeen 1981): a pre-commit round lets participants decide without the coordinator; unsafe under partitions.',
  persistent: ['log', 'prepared', 'accounts', 'committable'],

  init(ctx, saved) {
    const state: ThreePcState = {
      ...startingState(ctx, saved, 'locking'),
      committable: saved?.committable ?? {},
      acks: {},
      reports: {},
    }
    // A restarted coordinator that sent pre_commit commits: by then every live
    // participant is committable and would commit without it. Otherwise abort.
    // A restarted participant does not run termination (it missed what
    // happened while it was down); it asks, as in 2PC.
    recover(state, ctx, (tx) => (state.committable[tx] ? 'commit' : 'abort'))
    for (const tx of Object.keys(state.committable)) {
      if (state.decided[tx] !== undefined) delete state.committable[tx]
    }
    return state
  },

  onMessage(state, env, ctx) {
    const msg = env.body as ThreePcMessage
    switch (msg.type) {
      case 'vote':
        return onVote(state, msg, env.src, ctx)
      case 'pre_commit':
        return onPreCommit(state, msg.tx, env.src, ctx)
      case 'pre_commit_ack':
        return onPreCommitAck(state, msg.tx, env.src, ctx)
      case 'state_request':
        return onStateRequest(state, msg.tx, env.src, ctx)
      case 'state_report':
        return onStateReport(state, msg, env.src, ctx)
      case 'decision':
        return learn(state, msg.tx, msg.decision, ctx)
      case 'prepare': {
        const before = stateOf(state, msg.tx)
        twopc.onMessage(state, env, ctx)
        // A fresh yes vote starts the clock on the coordinator.
        if (before === 'unknown' && stateOf(state, msg.tx) === 'uncertain') {
          ctx.setTimer(`terminate ${msg.tx}`, uncertainTimeoutMs)
        }
        return
      }
    }
    twopc.onMessage(state, env, ctx) // transfers, balances, decision requests
  },

  onTimer(state, name, ctx) {
    const [kind, tx] = name.split(' ')
    if (kind === 'acks' && state.acks[tx] !== undefined) commit(state, tx, ctx)
    else if (kind === 'terminate') startTermination(state, tx, ctx)
    else if (kind === 'reports' && state.reports[tx] !== undefined)
      concludeTermination(state, tx, ctx)
    else twopc.onTimer(state, name, ctx)
  },

  summary(state) {
    const committable = Object.keys(state.committable).length
    return { ...summarize(state), committable }
  },

  describe(body) {
    const m = body as ThreePcMessage
    switch (m.type) {
      case 'pre_commit':
        return `PreCommit ${m.tx}`
      case 'pre_commit_ack':
        return `PreCommitAck ${m.tx}`
      case 'state_request':
        return `StateRequest ${m.tx}`
      case 'state_report':
        return `StateReport ${m.tx} ${m.state}`
    }
    return describeMessage(body as Body)
  },
})
