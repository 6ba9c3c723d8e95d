// Two-phase commit: a transfer between accounts held by different nodes
// happens at all of them or at none.
//
// Jim Gray, "Notes on Data Base Operating Systems", 1978, gave the protocol;
// this is the version of Philip Bernstein, Vassos Hadzilacos and Nathan
// Goodman, "Concurrency Control and Recovery in Database Systems", 1987,
// chapter 7 (section numbers below are theirs): its DT log, its recovery rules
// and the simplest form of its termination protocol.
//
// n1 is the coordinator; every other node is a participant holding two
// accounts (bank.ts). A client asks n1 for a transfer. Phase 1: n1 asks the
// participants holding the two accounts to prepare, and each votes yes or no.
// Phase 2: n1 decides commit only if every one voted yes, else abort, and tells
// them. Read on for the state, the coordinator, the participant, recovery, and
// what clients can ask.
//
// The price of this simplicity is blocking: a participant that voted yes has
// promised to commit if told to, so it can no longer decide alone. If the
// coordinator dies before telling it, it waits, its accounts locked, until the
// coordinator is back. (three-phase.ts is the attempt to do better.)

import {
  defineNode,
  type Body,
  type Ctx,
  type Envelope,
  type NodeId,
} from '../../../shared/node-api'
import {
  applyChanges,
  balancesText,
  changesFor,
  coordinatorId,
  holderOf,
  openAccounts,
  readBalance,
  reasonToRefuse,
  transferProblem,
  type Account,
  type Change,
  type ConcurrencyControl,
  type Decision,
  type Prepared,
  type Transfer,
} from './bank'
import {
  describeMessage,
  type BalanceRequest,
  type Prepare,
  type TransferRequest,
  type TwoPcMessage,
  type Versions,
  type Vote,
} from './messages'

export type { TwoPcMessage }

/** The coordinator waits this long for all votes, then aborts (a missing vote counts as no). */
export const votesTimeoutMs = 500
/** A participant in doubt asks the coordinator for the decision this often. */
export const decisionRequestMs = 300
/** Transactions the coordinator runs at once; past this a transfer is refused (code 11). */
export const transactionsInFlightMax = 32

export type StartRecord = {
  tx: string
  record: 'start'
  participants: NodeId[]
  transfer: Transfer
  client: NodeId
  msg_id?: number
}
/** One entry of the DT log (section 7.3). Entries are only ever appended. */
export type LogRecord = StartRecord | { tx: string; record: Decision }

export interface TwoPcState {
  // Stable storage: the host saves these after each handler, BEFORE its messages leave.
  /** Coordinator: start, commit and abort records. Participant: commit and abort records. */
  log: LogRecord[]
  /** Participant: the transactions it voted yes on and has no decision for (in doubt). Their accounts stay locked until the decision. */
  prepared: Record<string, Prepared>
  /** Participant: its accounts, committed values only. */
  accounts: Record<string, Account>

  // Volatile: rebuilt from stable storage on restart.
  role: 'coordinator' | 'participant'
  concurrency: ConcurrencyControl
  /** Every decision this node knows: its log, by transaction. */
  decided: Record<string, Decision>
  commits: number
  aborts: number
  /** Coordinator: transactions waiting for votes (optimistic: for versions first). */
  voting: Record<string, Voting>
  /** Coordinator: start records so far; the next transaction is t<started + 1>. */
  started: number
}

export interface Voting {
  start: StartRecord
  changes: Record<NodeId, Change[]>
  /** Participants that voted yes. */
  yes: NodeId[]
  /** Optimistic control: each account's version as read; prepare waits for all of them. */
  versions: Record<string, number>
}

type TwoPcCtx = Ctx<TwoPcMessage>

function answer(ctx: TwoPcCtx, client: NodeId, msgId: number | undefined, body: Body): void {
  ctx.send(client, msgId === undefined ? body : { ...body, in_reply_to: msgId })
}

/** Appends a decision to the log (either role): the one way a decision is made durable. */
export function recordDecision(state: TwoPcState, tx: string, decision: Decision): void {
  if (state.decided[tx] !== undefined) throw new Error(`${tx} is decided already`)
  state.log.push({ tx, record: decision })
  remember(state, tx, decision)
}

function remember(state: TwoPcState, tx: string, decision: Decision): void {
  state.decided[tx] = decision
  if (decision === 'commit') state.commits += 1
  else state.aborts += 1
}

// ---------------------------------------------------------------------------
// The coordinator.

function onTransfer(state: TwoPcState, env: Envelope<TransferRequest>, ctx: TwoPcCtx): void {
  const { from, to, amount, msg_id } = env.body
  const nodes = [ctx.id, ...ctx.peers]
  const problem =
    state.role !== 'coordinator'
      ? { code: 11, text: `only the coordinator ${coordinatorId} runs transfers` }
      : Object.keys(state.voting).length >= transactionsInFlightMax
        ? { code: 11, text: `${transactionsInFlightMax} transfers are running; try again` }
        : transferProblem(env.body, nodes)
  if (problem !== null) return answer(ctx, env.src, msg_id, { type: 'error', ...problem })

  const tx = `t${state.started + 1}`
  const changes = changesFor({ from, to, amount }, nodes)
  const participants = Object.keys(changes).sort()
  const start: StartRecord = {
    tx,
    record: 'start',
    participants,
    transfer: { from, to, amount },
    client: env.src,
    msg_id,
  }
  // Section 7.4: the start record names the participants, so that a restarted
  // coordinator knows this transaction and whom to tell about its abort. It is
  // in stable storage before any message about the transaction leaves.
  state.log.push(start)
  state.started += 1
  state.voting[tx] = { start, changes, yes: [], versions: {} }
  ctx.setTimer(`votes ${tx}`, votesTimeoutMs)
  if (state.concurrency === 'locking') return sendPrepares(state, tx, ctx)
  // Optimistic: Kung and Robinson's read phase first. Learn each account's
  // version and lock nothing; the participants validate them at prepare.
  for (const p of participants) {
    ctx.send(p, { type: 'read_versions', tx, accounts: changes[p].map((c) => c.account) })
  }
}

function onVersions(state: TwoPcState, msg: Versions, ctx: TwoPcCtx): void {
  const voting = state.voting[msg.tx] as Voting | undefined
  if (voting === undefined) return // decided already (timed out): nothing to prepare
  const accounts = Object.values(voting.changes).flatMap((list) => list.map((c) => c.account))
  const unread = (): number => accounts.filter((a) => voting.versions[a] === undefined).length
  if (unread() === 0) return // the prepares went out already: a duplicate
  Object.assign(voting.versions, msg.versions)
  if (unread() === 0) sendPrepares(state, msg.tx, ctx)
}

/** Phase 1: ask each participant to prepare its part and vote. */
function sendPrepares(state: TwoPcState, tx: string, ctx: TwoPcCtx): void {
  const { start, changes, versions } = state.voting[tx]
  for (const p of start.participants) {
    const mine = changes[p].map((c) =>
      state.concurrency === 'optimistic' ? { ...c, version: versions[c.account] } : c,
    )
    ctx.send(p, { type: 'prepare', tx, changes: mine, participants: start.participants })
  }
}

function onVote(state: TwoPcState, msg: Vote, from: NodeId, ctx: TwoPcCtx): void {
  const voting = state.voting[msg.tx] as Voting | undefined
  if (voting === undefined) return // decided already: a late or repeated vote changes nothing
  if (msg.vote === 'no')
    return decide(state, msg.tx, 'abort', `${from} voted no: ${msg.reason}`, ctx)
  if (!voting.yes.includes(from)) voting.yes.push(from)
  // Section 7.2, rule AC3: the decision is commit only if every participant voted yes.
  if (voting.start.participants.every((p) => voting.yes.includes(p))) {
    decide(state, msg.tx, 'commit', '', ctx)
  }
}

/** The coordinator's one way to decide: log it, then tell the participants and the client. */
export function decide(
  state: TwoPcState,
  tx: string,
  decision: Decision,
  why: string,
  ctx: TwoPcCtx,
): void {
  const voting = state.voting[tx] as Voting | undefined
  if (state.role !== 'coordinator' || voting === undefined)
    throw new Error(`decide: ${tx} is not waiting`)
  // Section 7.3: the decision is in the log BEFORE it is sent. Once a
  // participant may have heard it, a restarted coordinator must repeat it.
  recordDecision(state, tx, decision)
  delete state.voting[tx]
  ctx.cancelTimer(`votes ${tx}`)
  const { participants, client, msg_id } = voting.start
  for (const p of participants) ctx.send(p, { type: 'decision', tx, decision })
  const reply =
    decision === 'commit'
      ? { type: 'transfer_ok', tx }
      : { type: 'error', code: 14, text: `${tx} aborted: ${why}` }
  answer(ctx, client, msg_id, reply)
}

function onVotesTimeout(state: TwoPcState, tx: string, ctx: TwoPcCtx): void {
  const voting = state.voting[tx] as Voting | undefined
  if (voting === undefined) return
  // The coordinator has promised nothing yet, so it may abort; a participant
  // whose yes was late learns the abort when it asks.
  const silent = voting.start.participants.filter((p) => !voting.yes.includes(p))
  decide(state, tx, 'abort', `no vote from ${silent.join(', ')} in ${votesTimeoutMs} ms`, ctx)
}

// ---------------------------------------------------------------------------
// The participant.

function onPrepare(state: TwoPcState, msg: Prepare, from: NodeId, ctx: TwoPcCtx): void {
  // Asked again (a duplicate, or a prepare that arrives after the decision):
  // the same vote as before. A vote is never changed.
  const decided = state.decided[msg.tx] as Decision | undefined
  if (state.prepared[msg.tx] !== undefined || decided !== undefined) {
    const vote = state.prepared[msg.tx] !== undefined || decided === 'commit' ? 'yes' : 'no'
    return ctx.send(from, { type: 'vote', tx: msg.tx, vote })
  }
  const reason = reasonToRefuse(state.concurrency, state.accounts, state.prepared, msg.changes)
  if (reason !== null) {
    // Section 7.3: a participant that votes no may abort at once, since the
    // coordinator cannot commit without its yes.
    recordDecision(state, msg.tx, 'abort')
    return ctx.send(from, { type: 'vote', tx: msg.tx, vote: 'no', reason })
  }
  // The promise: from now on this participant must be able to commit, whatever
  // happens, crashes included. So the changes and the vote are in stable
  // storage BEFORE the yes leaves (`prepared` is persistent: the host saves it
  // when this handler returns, then sends). This also takes the locks.
  state.prepared[msg.tx] = { changes: msg.changes, participants: msg.participants }
  ctx.send(from, { type: 'vote', tx: msg.tx, vote: 'yes' })
  if (Object.keys(state.prepared).length === 1) ctx.setTimer('ask', decisionRequestMs)
}

/** Phase 2 at a participant: apply or discard, release the locks, log the decision. */
export function learnDecision(
  state: TwoPcState,
  tx: string,
  decision: Decision,
  ctx: TwoPcCtx,
): void {
  if (state.decided[tx] !== undefined) return // applied already: a duplicate, or a second answer
  const prepared = state.prepared[tx] as Prepared | undefined
  if (prepared === undefined) {
    // No yes vote on record, so this participant may abort on its own (7.4).
    // Only an abort should come here (its prepare was lost, or came late); a
    // commit means a yes vote made and then forgotten, which persisting
    // `prepared` before voting rules out.
    if (decision === 'commit') ctx.log(`commit for ${tx} without a yes vote on record: aborting it`)
    return recordDecision(state, tx, 'abort')
  }
  if (decision === 'commit') applyChanges(state.accounts, prepared.changes)
  delete state.prepared[tx]
  recordDecision(state, tx, decision)
}

/**
 * The termination protocol in its simplest form: while in doubt, ask the
 * coordinator again and again. A participant in doubt cannot decide alone:
 * the others may have committed, or the coordinator aborted. So it waits:
 * this is blocking (7.3). Bernstein's cooperative form asks the other
 * participants too, which helps only if one of them has heard the decision.
 */
function onAsk(state: TwoPcState, ctx: TwoPcCtx): void {
  const inDoubt = Object.keys(state.prepared)
  for (const tx of inDoubt) ctx.send(coordinatorId, { type: 'decision_request', tx })
  if (inDoubt.length > 0) ctx.setTimer('ask', decisionRequestMs)
}

// ---------------------------------------------------------------------------
// Recovery (section 7.4): what a node does on restart, from its log alone.

/** A node's state as it starts: stable storage as saved (or new), the rest empty. */
export function startingState(
  ctx: TwoPcCtx,
  saved: Partial<TwoPcState> | undefined,
  concurrency: ConcurrencyControl,
): TwoPcState {
  return {
    log: saved?.log ?? [],
    prepared: saved?.prepared ?? {},
    accounts: saved?.accounts ?? openAccounts(ctx.id),
    role: ctx.id === coordinatorId ? 'coordinator' : 'participant',
    concurrency,
    decided: {},
    commits: 0,
    aborts: 0,
    voting: {},
    started: 0,
  }
}

/** `undecided` says what a restarted coordinator decides for what it started and did not decide. */
export function recover(
  state: TwoPcState,
  ctx: TwoPcCtx,
  undecided: (tx: string) => Decision,
): void {
  for (const entry of state.log) {
    if (entry.record === 'start') {
      state.started += 1
      state.voting[entry.tx] = { start: entry, changes: {}, yes: [], versions: {} }
      continue
    }
    remember(state, entry.tx, entry.record)
    delete state.voting[entry.tx]
  }
  for (const tx of Object.keys(state.voting)) {
    decide(state, tx, undecided(tx), `${ctx.id} restarted before deciding`, ctx)
  }
  // A participant still in doubt: its locks stay held, and it asks again.
  if (Object.keys(state.prepared).length > 0) ctx.setTimer('ask', decisionRequestMs)
}

// ---------------------------------------------------------------------------
// Balances: any node takes the request, so a client need not know who holds
// what, and passes it to the holder, which answers the client directly.

function onBalance(state: TwoPcState, env: Envelope<BalanceRequest>, ctx: TwoPcCtx): void {
  const { account, msg_id } = env.body
  const client = env.body.client ?? env.src
  const holder = holderOf(String(account), [ctx.id, ...ctx.peers])
  if (holder !== undefined && holder !== ctx.id) {
    return ctx.send(holder, { type: 'balance', account, client, msg_id })
  }
  const reply = readBalance(state.concurrency, state.accounts, state.prepared, String(account))
  answer(ctx, client, msg_id, reply)
}

// ---------------------------------------------------------------------------

/** The module with either concurrency control: `2pc` locks, `2pc-occ` checks versions. */
export function twoPhaseCommit(concurrency: ConcurrencyControl) {
  return defineNode<TwoPcState, TwoPcMessage>({
    name: concurrency === 'locking' ? '2pc' : '2pc-occ',
    description: `Two-phase commit of bank transfers (Gray 1978; Bernstein et al. 1987, ch. 7), ${concurrency === 'locking' ? 'with two-phase locking' : 'with optimistic version checks'}.`,
    persistent: ['log', 'prepared', 'accounts'],

    init(ctx, saved) {
      const state = startingState(ctx, saved, concurrency)
      // A transaction started and never decided: no participant can have
      // committed it (that takes this coordinator's decision), so abort.
      recover(state, ctx, () => 'abort')
      return state
    },

    onMessage(state, env, ctx) {
      const msg = env.body as TwoPcMessage
      switch (msg.type) {
        case 'transfer':
          return onTransfer(state, env as Envelope<TransferRequest>, ctx)
        case 'versions':
          return onVersions(state, msg, ctx)
        case 'vote':
          return onVote(state, msg, env.src, ctx)
        case 'decision_request': {
          // Termination, coordinator side. Undecided: the decision will come anyway.
          const decision = state.decided[msg.tx] as Decision | undefined
          if (decision !== undefined) ctx.send(env.src, { type: 'decision', tx: msg.tx, decision })
          return
        }
        case 'read_versions': {
          // Optimistic control's read phase, participant side: no lock, no promise.
          const versions: Record<string, number> = {}
          for (const a of msg.accounts) {
            if (a in state.accounts) versions[a] = state.accounts[a].version
          }
          return ctx.send(env.src, { type: 'versions', tx: msg.tx, versions })
        }
        case 'prepare':
          return onPrepare(state, msg, env.src, ctx)
        case 'decision':
          return learnDecision(state, msg.tx, msg.decision, ctx)
        case 'balance':
          return onBalance(state, env as Envelope<BalanceRequest>, ctx)
      }
      // Unknown: tell a client (requests carry msg_id), never answer an answer.
      const body = env.body as Body
      if (body.msg_id !== undefined) {
        ctx.reply(env, { type: 'error', code: 10, text: `this node does not know ${body.type}` })
      }
    },

    onTimer(state, name, ctx) {
      if (name === 'ask') onAsk(state, ctx)
      else if (name.startsWith('votes ')) onVotesTimeout(state, name.slice('votes '.length), ctx)
    },

    summary: summarize,
    describe: describeMessage,
  })
}

/** What the status table shows; the checker reads the log and accounts instead. */
export function summarize(state: TwoPcState): Record<string, string | number> {
  const counts = { commits: state.commits, aborts: state.aborts }
  if (state.role === 'coordinator') {
    return { role: state.role, undecided: Object.keys(state.voting).length, ...counts }
  }
  const held = Object.values(state.prepared).flatMap((p) => p.changes.map((c) => c.account))
  return {
    role: state.role,
    inDoubt: Object.keys(state.prepared).length,
    held: held.sort().join(','),
    balances: balancesText(state.accounts),
    ...counts,
  }
}

export default twoPhaseCommit('locking')
