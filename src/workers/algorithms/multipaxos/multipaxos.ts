// Multi-Paxos: a replicated key-value store built from a sequence of Paxos instances.
//
// Leslie Lamport, "Paxos Made Simple", 2001, section 3 ("Implementing a State
// Machine"). The log is a sequence of slots; each slot is one instance of the
// single-decree Paxos of section 2 (../paxos/paxos.ts) and chooses one command.
// Every node is an acceptor and a learner; one of them, the leader (2.4's
// distinguished proposer, picked with timeouts), is the only proposer.
// Section 3's saving: the leader runs phase 1 ONCE, for every slot at the same
// time, then only phase 2, one round trip per command, for as long as it leads.
//
// Read it top to bottom: ballots and slots, the role changes, phase 1 (the
// election), phase 2 (replication), learning, and the key-value state machine
// that clients reach with Maelstrom's lin-kv requests, answered as Raft does.

import type { Command } from '../raft/raft'
import { defineNode, type Body, type Ctx, type Envelope } from '../../../shared/node-api'

type NodeId = string

// Timing, as Raft's (its section 5.6): heartbeats come well inside the time
// after which the others give up on the leader and run phase 1 themselves.
export const electionTimeoutMsMin = 150
export const electionTimeoutMsMax = 300
export const heartbeatMs = 50
/** At most this many slots ride in one message, so a lagging node catches up in steps. */
export const slotsPerMessageMax = 64

/** A ballot (2.2's proposal number): a round, with the proposer's id to break ties. */
export type Ballot = { round: number; node: NodeId }
const noBallot: Ballot = { round: 0, node: '' }

export function compareBallots(a: Ballot, b: Ballot): number {
  if (a.round !== b.round) return a.round - b.round
  return a.node < b.node ? -1 : a.node > b.node ? 1 : 0
}

function ballotText(ballot: Ballot): string {
  return ballot.round === 0 ? '-' : `${ballot.round}.${ballot.node}`
}

/** What an acceptor accepted in one slot: `command` null is a no-op; noBallot, nothing yet. */
export type Slot = { ballot: Ballot; command: Command | null }
type Commands = Slot['command'][]

export interface MultiPaxosState {
  // Acceptor: persistent (2.2), saved by the host before any reply leaves (2.5).
  /** One promise covers every slot: never accept a ballot below this one. */
  promised: Ballot
  /** accepted[s]: the proposal accepted in slot s (slots count from 0). */
  accepted: Slot[]

  // Proposer (volatile).
  role: 'follower' | 'preparing' | 'leader'
  /** The ballot this node prepares or leads with. */
  ballot: Ballot
  leaderId: NodeId | null
  /** The highest round heard of: a new ballot must beat it. */
  highestRound: number
  promisedBy: NodeId[]
  /** Phase 1 covers every slot from here on; the slots before it are chosen and known here. */
  firstSlot: number
  /** recovered[i]: the highest-ballot proposal the promises reported for slot firstSlot + i. */
  recovered: Slot[]

  // Leader (volatile, set up by becomeLeader).
  nextSlot: number
  /** Each acceptor accepted our ballot in every slot from firstSlot up to (not including) this. */
  acceptedUpTo: Record<NodeId, number>
  /** Accepts sent to each acceptor up to here (what is lost goes again with the next heartbeat). */
  sentUpTo: Record<NodeId, number>
  replicationScheduled: boolean

  // Learner (volatile): what it knows is chosen, and the state machine it drives.
  /** chosen[s]: the command chosen in slot s, for every slot below chosen.length. */
  chosen: (Command | null)[]
  applied: number
  kv: Record<string, unknown>
}
type State = MultiPaxosState

export type MultiPaxosMessage =
  // Phase 1(a) for every slot from firstSlot on, and 1(b): what was accepted there.
  | { type: 'prepare'; ballot: Ballot; firstSlot: number }
  | { type: 'promise'; ballot: Ballot; accepted: (Slot & { slot: number })[] }
  // Phase 2(a): commands[i] for slot `slot + i` (none: a heartbeat); slots below chosenUpTo are chosen.
  | { type: 'accept'; ballot: Ballot; slot: number; commands: Commands; chosenUpTo: number }
  // Phase 2(b), with how many slots this node has learned, so the leader can send what it lacks.
  | { type: 'accepted'; ballot: Ballot; slot: number; count: number; learned: number }
  | { type: 'reject'; ballot: Ballot; promised: Ballot }
  // Chosen commands for a learner that lags behind.
  | { type: 'chosen'; slot: number; commands: Commands }

type Message<Type> = Extract<MultiPaxosMessage, { type: Type }>
type PaxosCtx = Ctx<MultiPaxosMessage>

// ---------------------------------------------------------------------------
// Helpers.

/** A majority: any two majorities share an acceptor, who remembers (2.2). */
function quorum(ctx: PaxosCtx): number {
  return Math.floor((ctx.peers.length + 1) / 2) + 1
}

/** Sends to a node; a node's messages to itself are handled at once, without the network. */
function sendTo(state: State, dest: NodeId, body: MultiPaxosMessage, ctx: PaxosCtx): void {
  if (dest === ctx.id) handle(state, { src: ctx.id, dest, body }, ctx)
  else ctx.send(dest, body)
}

function resetElectionTimer(ctx: PaxosCtx): void {
  // Randomized, as Raft's (5.2): nodes that start phase 1 together would keep
  // pre-empting each other's ballots (a livelock, ../paxos/paxos.ts, 2.4).
  const spread = electionTimeoutMsMax - electionTimeoutMsMin
  ctx.setTimer('election', electionTimeoutMsMin + Math.floor(ctx.random() * spread))
}

/**
 * The acceptor saves `commands` as accepted with `ballot` in slots first, first+1, ...
 * A saved array is kept like a log file: it changes only at its end. So to
 * change slots in the middle, we cut it there and write the rest again as new
 * entries (the host saves from the first entry that is not the one it saved).
 */
function acceptSlots(state: State, ballot: Ballot, first: number, commands: Commands) {
  const same = (i: number) => compareBallots(state.accepted[first + i]?.ballot ?? noBallot, ballot)
  if (commands.every((_, i) => same(i) === 0)) return // sent again: saved already
  const rest = state.accepted.slice(first + commands.length).map((slot) => ({ ...slot }))
  state.accepted.length = Math.min(state.accepted.length, first)
  while (state.accepted.length < first) state.accepted.push({ ballot: noBallot, command: null })
  for (const command of commands) state.accepted.push({ ballot, command })
  state.accepted.push(...rest)
}

// ---------------------------------------------------------------------------
// Role changes. Each is the only way into its role.

function becomeFollower(state: State, ctx: PaxosCtx): void {
  state.role = 'follower'
  state.leaderId = null
  state.replicationScheduled = false
  ctx.cancelTimer('heartbeat')
  resetElectionTimer(ctx)
}

/** Phase 1(a), for every slot at once: a ballot above any seen, from our first unknown slot on. */
function becomePreparing(state: State, ctx: PaxosCtx): void {
  if (state.role === 'leader') throw new Error('becomePreparing: a leader does not prepare')
  // Our own acceptor saved its promise of our last ballot, so even after a
  // restart this round is new: a ballot never carries two commands for a slot (2.5).
  const round = Math.max(state.highestRound, state.promised.round, state.ballot.round) + 1
  state.ballot = { round, node: ctx.id }
  state.role = 'preparing'
  state.leaderId = null
  state.promisedBy = []
  state.firstSlot = state.chosen.length
  state.recovered = []
  resetElectionTimer(ctx) // if phase 1 stalls, try again with a higher ballot
  const prepare = { type: 'prepare', ballot: state.ballot, firstSlot: state.firstSlot } as const
  for (const node of [ctx.id, ...ctx.peers]) sendTo(state, node, prepare, ctx)
}

function becomeLeader(state: State, ctx: PaxosCtx): void {
  if (state.role !== 'preparing' || compareBallots(state.promised, state.ballot) !== 0) {
    throw new Error(`becomeLeader: a ${state.role} that promised ${ballotText(state.promised)}`)
  }
  state.role = 'leader'
  state.leaderId = ctx.id
  ctx.cancelTimer('election')
  // Phase 2(a) for every slot phase 1 found. Rule P2c, slot by slot: propose
  // the highest-ballot proposal reported, since it may be chosen already. A
  // slot with none gets a no-op (section 3): a gap would hold up every later
  // slot, since learners apply commands in slot order.
  const commands = state.recovered.map((slot) => (slot.ballot.round > 0 ? slot.command : null))
  acceptSlots(state, state.ballot, state.firstSlot, commands)
  state.nextSlot = state.firstSlot + commands.length
  for (const peer of ctx.peers) {
    state.acceptedUpTo[peer] = state.firstSlot
    state.sentUpTo[peer] = state.firstSlot
  }
  advanceChosen(state, ctx) // a cluster of one chooses on its own
  sendHeartbeats(state, ctx)
}

/** A higher ballot than ours means another proposer: stop, rather than pre-empt it and duel. */
function noteBallot(state: State, ballot: Ballot, ctx: PaxosCtx): void {
  state.highestRound = Math.max(state.highestRound, ballot.round)
  if (state.role !== 'follower' && compareBallots(ballot, state.ballot) > 0) {
    becomeFollower(state, ctx)
  }
}

function onTimer(state: State, name: string, ctx: PaxosCtx): void {
  if (name === 'election' && state.role !== 'leader') {
    becomePreparing(state, ctx) // no leader heard for a whole timeout, or phase 1 stalled
  } else if (name === 'heartbeat' && state.role === 'leader') {
    sendHeartbeats(state, ctx)
  } else if (name === 'replicate') {
    state.replicationScheduled = false
    if (state.role !== 'leader') return
    for (const peer of ctx.peers)
      if (state.sentUpTo[peer] < state.nextSlot) sendAccepts(state, peer, ctx)
  }
}

// ---------------------------------------------------------------------------
// Phase 1: the election.

function onPrepare(state: State, msg: Message<'prepare'>, from: NodeId, ctx: PaxosCtx): void {
  noteBallot(state, msg.ballot, ctx)
  if (compareBallots(msg.ballot, state.promised) < 0) {
    sendTo(state, from, { type: 'reject', ballot: msg.ballot, promised: state.promised }, ctx)
    return
  }
  // Phase 1(b) for every slot from firstSlot on: promise, and report what was
  // accepted there. The candidate knows the slots before firstSlot are chosen.
  state.promised = msg.ballot
  if (from !== ctx.id) resetElectionTimer(ctx) // a live candidate: give it time to win
  const accepted: Message<'promise'>['accepted'] = []
  for (let slot = msg.firstSlot; slot < state.accepted.length; slot++) {
    if (state.accepted[slot].ballot.round > 0) accepted.push({ slot, ...state.accepted[slot] })
  }
  sendTo(state, from, { type: 'promise', ballot: msg.ballot, accepted }, ctx)
}

function onPromise(state: State, msg: Message<'promise'>, from: NodeId, ctx: PaxosCtx): void {
  if (state.role !== 'preparing' || compareBallots(msg.ballot, state.ballot) !== 0) return // late
  if (state.promisedBy.includes(from)) return // a duplicate
  state.promisedBy.push(from)
  for (const { slot, ballot, command } of msg.accepted) {
    const i = slot - state.firstSlot
    while (state.recovered.length <= i) state.recovered.push({ ballot: noBallot, command: null })
    if (compareBallots(ballot, state.recovered[i].ballot) > 0)
      state.recovered[i] = { ballot, command }
  }
  if (state.promisedBy.length >= quorum(ctx)) becomeLeader(state, ctx)
}

// ---------------------------------------------------------------------------
// Phase 2: replication. No phase 1 per slot: the promises cover them all.

function sendAccepts(state: State, peer: NodeId, ctx: PaxosCtx, from = state.sentUpTo[peer]) {
  const to = Math.min(state.nextSlot, from + slotsPerMessageMax)
  const commands = state.accepted.slice(from, to).map((slot) => slot.command)
  const chosenUpTo = state.chosen.length
  ctx.send(peer, { type: 'accept', ballot: state.ballot, slot: from, commands, chosenUpTo })
  state.sentUpTo[peer] = to
}

function sendHeartbeats(state: State, ctx: PaxosCtx): void {
  // An Accept, empty or not, holds off the others' phase 1 and says what is
  // chosen; whatever is not accepted yet goes again, in case it was lost.
  for (const peer of ctx.peers) sendAccepts(state, peer, ctx, state.acceptedUpTo[peer])
  ctx.setTimer('heartbeat', heartbeatMs)
}

function onAccept(state: State, msg: Message<'accept'>, from: NodeId, ctx: PaxosCtx): void {
  noteBallot(state, msg.ballot, ctx)
  if (compareBallots(msg.ballot, state.promised) < 0) {
    ctx.send(from, { type: 'reject', ballot: msg.ballot, promised: state.promised })
    return
  }
  // Phase 2(b): accept, since we promised no higher ballot. Accepting one also promises it.
  state.promised = msg.ballot
  state.leaderId = from
  resetElectionTimer(ctx)
  acceptSlots(state, msg.ballot, msg.slot, msg.commands)
  // Learning without commands on the wire: this leader proposes one command
  // per slot, so where we accepted its ballot, we hold what it says is chosen.
  for (let s = state.chosen.length; s < msg.chosenUpTo; s++) {
    if (compareBallots(state.accepted[s]?.ballot ?? noBallot, msg.ballot) !== 0) break
    state.chosen.push(state.accepted[s].command)
  }
  applyChosen(state, ctx)
  const reply = { slot: msg.slot, count: msg.commands.length, learned: state.chosen.length }
  ctx.send(from, { type: 'accepted', ballot: msg.ballot, ...reply })
}

function onAccepted(state: State, msg: Message<'accepted'>, from: NodeId, ctx: PaxosCtx): void {
  if (state.role !== 'leader' || compareBallots(msg.ballot, state.ballot) !== 0) return
  // Replies come late, twice or out of order: count only what joins up with
  // what this acceptor accepted before, so acceptedUpTo has no gap behind it.
  if (msg.slot <= state.acceptedUpTo[from]) {
    state.acceptedUpTo[from] = Math.max(state.acceptedUpTo[from], msg.slot + msg.count)
  }
  advanceChosen(state, ctx)
  // A learner behind our firstSlot cannot learn from our Accepts (we proposed
  // nothing there): send it the chosen commands themselves.
  if (msg.learned < state.firstSlot) {
    const to = Math.min(state.firstSlot, msg.learned + slotsPerMessageMax)
    const commands = state.chosen.slice(msg.learned, to)
    ctx.send(from, { type: 'chosen', slot: msg.learned, commands })
  }
  if (state.sentUpTo[from] < state.nextSlot) sendAccepts(state, from, ctx) // pipelining
}

/** Section 3: slot s is chosen once a majority has accepted our proposal for it. */
function advanceChosen(state: State, ctx: PaxosCtx): void {
  const upTo = [state.nextSlot, ...ctx.peers.map((peer) => state.acceptedUpTo[peer])]
  const chosenUpTo = upTo.sort((a, b) => b - a)[quorum(ctx) - 1]
  // Unlike Raft (its 5.4.2), older ballots' proposals need no special care:
  // phase 2 proposed every one of them again, under our own ballot.
  for (let s = state.chosen.length; s < chosenUpTo; s++) {
    if (compareBallots(state.accepted[s].ballot, state.ballot) !== 0) {
      throw new Error(`advanceChosen: slot ${s} does not hold our proposal`)
    }
    state.chosen.push(state.accepted[s].command)
  }
  applyChosen(state, ctx)
}

function onChosen(state: State, msg: Message<'chosen'>, ctx: PaxosCtx): void {
  // A chosen command never changes, so it does not matter which leader says so.
  for (let s = state.chosen.length; s >= msg.slot && s < msg.slot + msg.commands.length; s++) {
    state.chosen.push(msg.commands[s - msg.slot])
  }
  applyChosen(state, ctx)
}

// ---------------------------------------------------------------------------
// The state machine: a key-value store, driven by chosen commands in slot
// order. Reads go through the log too: a leader that answered from its own
// copy could have been replaced without knowing it, and answer a stale value.

function applyChosen(state: State, ctx: PaxosCtx): void {
  while (state.applied < state.chosen.length) {
    const command = state.chosen[state.applied]
    state.applied += 1
    if (command === null) continue // a no-op that filled a gap
    const reply = applyCommand(state, command)
    // Only the leader answers: it is the one the client asked (or its successor).
    if (state.role === 'leader') ctx.send(command.client, { ...reply, in_reply_to: command.msg_id })
  }
}

function applyCommand(state: State, command: Command): Body {
  const { key } = command
  if (command.op === 'write') {
    state.kv[key] = command.value
    return { type: 'write_ok' }
  }
  if (!Object.hasOwn(state.kv, key)) return { type: 'error', code: 20, text: `no key ${key}` }
  if (command.op === 'read') return { type: 'read_ok', value: state.kv[key] }
  const [found, expected] = [JSON.stringify(state.kv[key]), JSON.stringify(command.from)]
  if (found !== expected)
    return { type: 'error', code: 22, text: `expected ${expected}, found ${found}` }
  state.kv[key] = command.to
  return { type: 'cas_ok' }
}

function onClientRequest(state: State, env: Envelope<Body>, ctx: PaxosCtx): void {
  const body = env.body
  if (state.role !== 'leader') {
    // Only the leader proposes: a definite failure (code 11), with a hint where to go.
    const leader = state.leaderId
    const text = leader === null ? 'no leader known yet' : `not the leader; try ${leader}`
    ctx.reply(env, { type: 'error', code: 11, text, ...(leader === null ? {} : { leader }) })
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
  // Phase 2 at once, in the next free slot; our own acceptor accepts first.
  acceptSlots(state, state.ballot, state.nextSlot, [command])
  state.nextSlot += 1
  advanceChosen(state, ctx) // a cluster of one chooses at once
  // Batching: the Accepts go out on the next tick, shared by every request arriving meanwhile.
  if (!state.replicationScheduled) {
    state.replicationScheduled = true
    ctx.setTimer('replicate', 0)
  }
}

function handle(state: State, env: Envelope<MultiPaxosMessage | Body>, ctx: PaxosCtx): void {
  const msg = env.body as MultiPaxosMessage
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
      return noteBallot(state, msg.promised, ctx) // our ballot lost: wait, then maybe try again
    case 'chosen':
      return onChosen(state, msg, ctx)
  }
  const request = env as Envelope<Body>
  if (['read', 'write', 'cas'].includes(request.body.type)) {
    return onClientRequest(state, request, ctx)
  }
  const text = `multipaxos does not know ${request.body.type}`
  ctx.reply(request, { type: 'error', code: 10, text })
}

// ---------------------------------------------------------------------------

export default defineNode<MultiPaxosState, MultiPaxosMessage>({
  name: 'multipaxos',
  description: 'Multi-Paxos ("Paxos Made Simple", section 3): a leader, slots, a key-value store.',
  persistent: ['promised', 'accepted'],

  init(ctx, saved) {
    resetElectionTimer(ctx)
    return {
      promised: saved?.promised ?? noBallot,
      accepted: saved?.accepted ?? [],
      role: 'follower',
      ballot: noBallot,
      leaderId: null,
      highestRound: 0,
      promisedBy: [],
      firstSlot: 0,
      recovered: [],
      nextSlot: 0,
      acceptedUpTo: {},
      sentUpTo: {},
      replicationScheduled: false,
      // Volatile: after a restart, what is chosen is learned again from the
      // leader, and the key-value store is rebuilt by applying it from slot 0.
      chosen: [],
      applied: 0,
      kv: {},
    }
  },

  onMessage: handle,
  onTimer,

  summary(state) {
    return {
      role: state.role,
      // The ballot's round plays Raft's term: sim.leader() and `status` read it.
      term: state.promised.round,
      ballot: ballotText(state.promised),
      leader: state.leaderId,
      commitIndex: state.chosen.length, // slots known chosen here
      logLength: state.accepted.length,
    }
  },

  describe(body) {
    const m = body as MultiPaxosMessage
    const slots = (first: number, commands: Commands) =>
      `slots=[${commands
        .slice(0, 3)
        .map((c, i) => `${first + i} ${describeCommand(c)}`)
        .join(', ')}${commands.length > 3 ? ` +${commands.length - 3}` : ''}]`
    switch (m.type) {
      case 'prepare':
        return `Prepare ballot=${ballotText(m.ballot)} from=${m.firstSlot}`
      case 'promise':
        return `Promise ballot=${ballotText(m.ballot)} accepted=${m.accepted.length}`
      case 'accept':
        return `Accept ballot=${ballotText(m.ballot)} chosen=${m.chosenUpTo} ${slots(m.slot, m.commands)}`
      case 'accepted':
        return `Accepted ballot=${ballotText(m.ballot)} slots=${m.slot}+${m.count} learned=${m.learned}`
      case 'reject':
        return `Reject ballot=${ballotText(m.ballot)} promised=${ballotText(m.promised)}`
      case 'chosen':
        return `Chosen ${slots(m.slot, m.commands)}`
      default:
        return body.type
    }
  },
})

function describeCommand(c: Command | null): string {
  if (c === null) return 'no-op'
  if (c.op === 'write') return `put ${c.key} ${JSON.stringify(c.value)}`
  if (c.op === 'cas') return `cas ${c.key} ${JSON.stringify(c.from)} ${JSON.stringify(c.to)}`
  return `get ${c.key}`
}
