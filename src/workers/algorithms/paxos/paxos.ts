// Single-decree Paxos: a cluster agrees on one value, once and for all.
//
// Leslie Lamport, "Paxos Made Simple", 2001. Section numbers below are that
// paper's. Every node plays all three roles of section 2.1: proposer, acceptor
// and learner. A client asks any node to `propose` a value; the answer is the
// value that was CHOSEN, which may be another client's.
//
// Read it top to bottom: ballots, the acceptor (2.2: the promise it keeps), the
// proposer (2.2: its two phases), the learner (2.3), then progress (2.4).

import { defineNode, type Body, type Ctx, type Envelope } from '../../../shared/node-api'

type NodeId = string

/** A proposer that hears nothing for this long (lost messages, dead acceptors) tries again. */
export const phaseTimeoutMs = 100
/** Section 2.4: after a rejection, wait a random time in this range before trying again. */
export const backoffMsMin = 10
export const backoffMsMax = 100
/** Client requests that may wait at one node for the chosen value. */
export const waitingClientsMax = 100

/**
 * A ballot, the paper's "proposal number" (2.2): a round, and the proposer's
 * id to break ties. Ballots are totally ordered, and no two proposers ever use
 * the same one: they draw from disjoint sets of numbers, as 2.5 suggests.
 */
export type Ballot = { round: number; node: NodeId }

/** Lower than every real ballot: "nothing promised" or "nothing accepted". */
export const noBallot: Ballot = { round: 0, node: '' }

export function compareBallots(a: Ballot, b: Ballot): number {
  if (a.round !== b.round) return a.round - b.round
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0
}

export function ballotText(ballot: Ballot): string {
  return ballot.round === 0 ? '-' : `${ballot.round}.${ballot.node}`
}

export interface PaxosState {
  // Acceptor (2.2). Persistent: an acceptor "must remember this information
  // even if it fails and then restarts" (2.2); the host saves these fields
  // before any reply leaves, as 2.5 asks of stable storage.
  promisedBallot: Ballot
  acceptedBallot: Ballot
  acceptedValue: unknown

  // Proposer (volatile).
  phase: 'idle' | 'preparing' | 'accepting' | 'waiting'
  ballot: Ballot
  promisedBy: NodeId[]
  /** The highest-numbered proposal reported in the promises so far (phase 1). */
  highestAccepted: { ballot: Ballot; value: unknown }
  /** The highest round heard of anywhere: a new ballot must beat it. */
  highestRound: number
  /** Client requests waiting for the chosen value; the first one's value is what we propose. */
  clients: Envelope<Body>[]

  // Learner (volatile).
  /** For each ballot (as text), the acceptors that accepted it. */
  acceptedBy: Record<string, NodeId[]>
  chosen: { value: unknown } | null

  /** How many acceptors make a quorum: a majority, so any two quorums share an acceptor (2.2). */
  quorum: number
}

export type PaxosMessage =
  | { type: 'prepare'; ballot: Ballot } // phase 1(a)
  | { type: 'promise'; ballot: Ballot; acceptedBallot: Ballot; acceptedValue: unknown } // 1(b)
  | { type: 'accept'; ballot: Ballot; value: unknown } // phase 2(a)
  | { type: 'accepted'; ballot: Ballot; value: unknown } // 2(b), to every learner (2.3)
  // Not one of the two phases; 2.2 suggests it: tell a proposer to abandon its ballot.
  | { type: 'reject'; ballot: Ballot; promisedBallot: Ballot }

type Message<Type> = Extract<PaxosMessage, { type: Type }>
type PaxosCtx = Ctx<PaxosMessage>

/** Sends to a node; a node's messages to itself are handled at once, without the network. */
function sendTo(state: PaxosState, dest: NodeId, body: PaxosMessage, ctx: PaxosCtx): void {
  if (dest === ctx.id) handle(state, { src: ctx.id, dest, body }, ctx)
  else ctx.send(dest, body)
}

function sendToAll(state: PaxosState, body: PaxosMessage, ctx: PaxosCtx): void {
  for (const node of [ctx.id, ...ctx.peers]) sendTo(state, node, body, ctx)
}

function backoffMs(ctx: PaxosCtx): number {
  return backoffMsMin + Math.floor(ctx.random() * (backoffMsMax - backoffMsMin))
}

// ---------------------------------------------------------------------------
// The acceptor (2.2). Its one rule, P1a: accept a proposal numbered n unless it
// has promised (answered a prepare) a ballot higher than n.

/** P1a: refuse a ballot lower than one promised. Returns true when it refused. */
function refuse(state: PaxosState, msg: { ballot: Ballot }, from: NodeId, ctx: PaxosCtx) {
  if (compareBallots(msg.ballot, state.promisedBallot) >= 0) return false
  const promisedBallot = state.promisedBallot
  sendTo(state, from, { type: 'reject', ballot: msg.ballot, promisedBallot }, ctx)
  return true
}

function onPrepare(state: PaxosState, msg: Message<'prepare'>, from: NodeId, ctx: PaxosCtx): void {
  if (refuse(state, msg, from, ctx)) return
  // Phase 1(b): promise never to accept a lower ballot, and report the
  // highest-numbered proposal accepted so far. The promise is persistent:
  // forgotten in a crash, it would let a lower ballot in (variant forgets-promise).
  state.promisedBallot = msg.ballot
  const { acceptedBallot, acceptedValue } = state
  sendTo(state, from, { type: 'promise', ballot: msg.ballot, acceptedBallot, acceptedValue }, ctx)
}

function onAccept(state: PaxosState, msg: Message<'accept'>, from: NodeId, ctx: PaxosCtx): void {
  if (refuse(state, msg, from, ctx)) return
  // Phase 2(b): accept it. Accepting a ballot also promises it (P1a holds for it).
  state.promisedBallot = msg.ballot
  state.acceptedBallot = msg.ballot
  state.acceptedValue = msg.value
  // Section 2.3: each acceptor tells every learner (every node) what it accepted.
  sendToAll(state, { type: 'accepted', ballot: msg.ballot, value: msg.value }, ctx)
}

// ---------------------------------------------------------------------------
// The proposer (2.2).

/** Phase 1(a): pick a ballot higher than any seen and ask every acceptor to promise it. */
export function startBallot(state: PaxosState, ctx: PaxosCtx): void {
  if (state.chosen !== null || state.clients.length === 0) throw new Error('nothing to propose')
  // Our own acceptor saved its promise of our last ballot, so after a restart
  // this round is still new: we never reuse a ballot with another value (2.5).
  const round = Math.max(state.highestRound, state.promisedBallot.round, state.ballot.round) + 1
  state.ballot = { round, node: ctx.id }
  state.phase = 'preparing'
  state.promisedBy = []
  state.highestAccepted = { ballot: noBallot, value: null }
  // If this ballot stalls, try a higher one; random, so that stalled proposers do not collide again.
  ctx.setTimer('retry', phaseTimeoutMs + backoffMs(ctx))
  sendToAll(state, { type: 'prepare', ballot: state.ballot }, ctx)
}

function onPromise(state: PaxosState, msg: Message<'promise'>, from: NodeId, ctx: PaxosCtx): void {
  if (state.phase !== 'preparing' || compareBallots(msg.ballot, state.ballot) !== 0) return // late
  if (state.promisedBy.includes(from)) return // a duplicate
  state.promisedBy.push(from)
  if (compareBallots(msg.acceptedBallot, state.highestAccepted.ballot) > 0) {
    state.highestAccepted = { ballot: msg.acceptedBallot, value: msg.acceptedValue }
  }
  if (state.promisedBy.length < state.quorum) return
  // Phase 2(a), rule P2c: if any acceptor in the quorum accepted a proposal,
  // propose the value of the highest-numbered one: it may already be chosen,
  // and then it is the only value we may propose. Only if none did is the
  // choice free (variant ignores-accepted skips this and chooses twice).
  const { ballot, value } = state.highestAccepted
  const proposal = ballot.round > 0 ? value : state.clients[0]?.body.value
  state.phase = 'accepting'
  sendToAll(state, { type: 'accept', ballot: state.ballot, value: proposal }, ctx)
}

function onReject(state: PaxosState, msg: Message<'reject'>, ctx: PaxosCtx): void {
  state.highestRound = Math.max(state.highestRound, msg.promisedBallot.round)
  const current = state.phase === 'preparing' || state.phase === 'accepting'
  if (!current || compareBallots(msg.ballot, state.ballot) !== 0) return
  // Section 2.4: a higher ballot is out there; abandon ours. Two proposers that
  // retried at once would keep pre-empting each other for ever (a livelock:
  // each one's prepare cancels the other's accept). A random wait makes one of
  // them go first (variant no-backoff retries at once and can duel for ever).
  state.phase = 'waiting'
  ctx.setTimer('retry', backoffMs(ctx))
}

// ---------------------------------------------------------------------------
// The learner (2.3): a value is chosen when a majority of acceptors accepted
// the same ballot. Counting acceptances of one ballot, never of one value:
// two ballots with the same value are two different proposals.

function onAccepted(state: PaxosState, msg: Message<'accepted'>, from: NodeId, ctx: PaxosCtx) {
  if (state.chosen !== null) return
  const key = ballotText(msg.ballot)
  const acceptors = (state.acceptedBy[key] ??= [])
  if (!acceptors.includes(from)) acceptors.push(from)
  if (acceptors.length >= state.quorum) learn(state, msg.value, ctx)
}

function learn(state: PaxosState, value: unknown, ctx: PaxosCtx): void {
  state.chosen = { value }
  state.phase = 'idle'
  state.acceptedBy = {} // no longer needed: a chosen value never changes
  ctx.cancelTimer('retry')
  for (const request of state.clients) ctx.reply(request, { type: 'propose_ok', value })
  state.clients = []
}

function onPropose(state: PaxosState, env: Envelope<Body>, ctx: PaxosCtx): void {
  if (!Object.hasOwn(env.body, 'value')) {
    ctx.reply(env, { type: 'error', code: 12, text: 'propose needs a value' })
    return
  }
  if (state.chosen !== null) {
    ctx.reply(env, { type: 'propose_ok', value: state.chosen.value })
    return
  }
  if (state.clients.length >= waitingClientsMax) {
    ctx.reply(env, { type: 'error', code: 11, text: 'too many clients waiting; try later' })
    return
  }
  // A node proposes one value at a time; later clients wait for whatever is chosen.
  state.clients.push(env)
  if (state.phase === 'idle') startBallot(state, ctx)
}

function handle(state: PaxosState, env: Envelope<PaxosMessage | Body>, ctx: PaxosCtx): void {
  const msg = env.body as PaxosMessage
  switch (msg.type) {
    case 'prepare':
      return onPrepare(state, msg, env.src, ctx)
    case 'promise':
      return onPromise(state, msg, env.src, ctx)
    case 'accept':
      return onAccept(state, msg, env.src, ctx)
    case 'accepted':
      return onAccepted(state, msg, env.src, ctx)
    case 'reject':
      return onReject(state, msg, ctx)
  }
  const request = env as Envelope<Body>
  if (request.body.type === 'propose') return onPropose(state, request, ctx)
  ctx.reply(request, { type: 'error', code: 10, text: `paxos does not know ${request.body.type}` })
}

export default defineNode<PaxosState, PaxosMessage>({
  name: 'paxos',
  description: 'Single-decree Paxos (Lamport, "Paxos Made Simple", 2001): one value, chosen once.',
  persistent: ['promisedBallot', 'acceptedBallot', 'acceptedValue'],

  init(ctx, saved) {
    return {
      promisedBallot: saved?.promisedBallot ?? noBallot,
      acceptedBallot: saved?.acceptedBallot ?? noBallot,
      acceptedValue: saved?.acceptedValue ?? null,
      phase: 'idle',
      ballot: noBallot,
      promisedBy: [],
      highestAccepted: { ballot: noBallot, value: null },
      highestRound: 0,
      clients: [],
      acceptedBy: {},
      chosen: null,
      quorum: Math.floor((ctx.peers.length + 1) / 2) + 1,
    }
  },

  onMessage: handle,

  onTimer(state, name, ctx) {
    // Retry only while someone still waits for an answer we do not know.
    if (name === 'retry' && state.chosen === null && state.clients.length > 0)
      startBallot(state, ctx)
  },

  summary(state) {
    return {
      role: state.phase,
      ballot: ballotText(state.ballot),
      promised: ballotText(state.promisedBallot),
      accepted: ballotText(state.acceptedBallot),
      value: state.acceptedBallot.round === 0 ? null : JSON.stringify(state.acceptedValue),
      chosen: state.chosen === null ? null : JSON.stringify(state.chosen.value),
    }
  },

  describe(body) {
    const m = body as PaxosMessage
    if (!('ballot' in m)) return body.type // a client's request or reply
    // `Prepare ballot=2.n1`, `Promise ballot=2.n1 accepted=1.n3 "x"`, ...
    const head = `${m.type[0].toUpperCase()}${m.type.slice(1)} ballot=${ballotText(m.ballot)}`
    if (m.type === 'promise') {
      return `${head} accepted=${ballotText(m.acceptedBallot)} ${JSON.stringify(m.acceptedValue)}`
    }
    if (m.type === 'reject') return `${head} promised=${ballotText(m.promisedBallot)}`
    return m.type === 'prepare' ? head : `${head} value=${JSON.stringify(m.value)}`
  },
})
