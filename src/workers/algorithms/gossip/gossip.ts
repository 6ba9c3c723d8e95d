// An eventually consistent key-value store, in the style of Amazon's Dynamo.
//
// Giuseppe DeCandia et al., "Dynamo: Amazon's Highly Available Key-value
// Store", SOSP 2007 (section numbers below are that paper's), and Alan Demers
// et al., "Epidemic Algorithms for Replicated Database Maintenance", PODC 1987
// (its "rumor mongering" and "anti-entropy").
//
// Dynamo chooses availability over consistency (section 2.3: "always
// writeable"): every node takes reads and writes from clients at once, even
// when it is cut off from all the others. Replicas then disagree for a while,
// and three mechanisms bring them back together: the coordinator's quorum
// round (4.5), rumors pushed to random peers (Demers), and periodic
// anti-entropy between random pairs (Demers; Dynamo 4.7 does it with Merkle
// trees). Conflicting writes are resolved by last-writer-wins timestamps or
// kept side by side as siblings under version vectors (4.4).
//
// Beside this file: versions.ts (how versions are ordered and merged: who
// wins a conflict) and options.ts (the knobs N, R, W and the rest).

import { defineNode, type Body, type Ctx, type Envelope } from '../../../shared/node-api'
import {
  describeUpdates,
  describeVersions,
  hashOf,
  lacks,
  mergeVersions,
  newest,
  newVersion,
  stampOf,
  storeDigest,
  type Stamp,
  type Updates,
  type Version,
} from './versions'
import { configOf, type Config } from './options'

export type { Stamp, Updates, Version } from './versions'

/** Each gossip tick pushes hot rumors to `fanout` random peers. */
export const gossipMs = 50
/** Each anti-entropy tick compares digests with one random peer. */
export const antiEntropyMs = 250
/** Demers' "counter" rumor mongering: push a rumor on this many ticks, then lose interest. */
export const rumorRounds = 3
/** How long a coordinator waits for its R or W answers before giving up on the quorum. */
export const quorumTimeoutMs = 500
/** At most this many keys ride in one rumor; the rest wait for the next tick. */
export const rumorKeysMax = 64
/** At most this many client requests wait for a quorum at once. */
export const requestsMax = 1_000

/** A client request this node coordinates, waiting for its quorum (4.5). */
export interface Request {
  op: 'read' | 'write'
  key: string
  client: string
  msgId?: number
  /** Replicas whose answer counts toward R or W (maybe this node), and how many must. */
  answered: string[]
  needed: number
  done: boolean
  /** Reads: the newest versions heard, and what each replica said (for read repair). */
  versions: Version[]
  answers: Record<string, Version[]>
}

export interface GossipState {
  /** Persistent: each key's version (LWW) or concurrent siblings (vv). Dynamo keeps it on disk. */
  store: Record<string, Version[]>
  config: Config
  /** Hot rumors: key -> ticks left to push it (Demers' infective sites). */
  rumors: Record<string, number>
  requests: Record<string, Request>
  nextRequest: number
}

export type GossipMessage =
  | { type: 'replicate'; request: number; key: string; versions: Version[] }
  | { type: 'replicate_ok'; request: number }
  | { type: 'fetch'; request: number; key: string }
  | { type: 'fetch_ok'; request: number; key: string; versions: Version[] }
  | { type: 'rumor'; updates: Updates }
  | { type: 'repair'; updates: Updates }
  | { type: 'digest'; stamps: Record<string, Stamp[]> }
  | { type: 'sync'; updates: Updates; want: string[] }

type GossipCtx = Ctx<GossipMessage>

// ---------------------------------------------------------------------------
// Placement (sections 4.2, 4.3): the key's N replicas, its preference list.
// Dynamo walks a consistent-hashing ring; here the ring is the sorted node
// list, and a key starts at the node its hash picks. Every node computes the
// same list, so every coordinator asks the same N replicas.

export function preferenceList(key: string, nodes: readonly string[], n: number): string[] {
  // Shorter ids first, so that n10 comes after n9.
  const ring = [...nodes].sort((a, b) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0))
  const start = hashOf(key) % ring.length
  return Array.from({ length: Math.min(n, ring.length) }, (_, i) => ring[(start + i) % ring.length])
}

function randomPeers(ctx: GossipCtx, count: number): string[] {
  const peers = [...ctx.peers]
  for (let i = 0; i < Math.min(count, peers.length); i++) {
    const j = i + Math.floor(ctx.random() * (peers.length - i))
    ;[peers[i], peers[j]] = [peers[j], peers[i]]
  }
  return peers.slice(0, count)
}

// ---------------------------------------------------------------------------
// The replica's copy. Every node keeps every key it hears of (Demers' full
// replication): the preference list only names the N copies that a
// coordinator waits for; the others are kept up to date by gossip alone.

/** Merges versions heard from elsewhere; news makes this replica spread it (Demers: infective). */
function absorb(state: GossipState, key: string, incoming: readonly Version[]): void {
  const held = state.store[key] ?? []
  if (!lacks(held, incoming)) return
  state.store[key] = mergeVersions(held, incoming)
  state.rumors[key] = rumorRounds
}

function absorbAll(state: GossipState, updates: Updates): void {
  for (const key of Object.keys(updates)) absorb(state, key, updates[key])
}

// ---------------------------------------------------------------------------
// Clients (section 4.5): the node a client asks coordinates the request. It
// sends it to the key's N replicas and answers after W acks (writes) or R
// answers (reads). R + W > N makes every read quorum meet every write quorum.

function onClientRequest(state: GossipState, env: Envelope<Body>, ctx: GossipCtx): void {
  const body = env.body
  if (body.type === 'cas') {
    // Compare-and-set needs every replica to agree on the current value first:
    // exactly what this store gives up. Two replicas could both see `from` and
    // both succeed, losing one update. So say no (Maelstrom's code 10).
    ctx.reply(env, { type: 'error', code: 10, text: 'cas needs consensus; use raft' })
    return
  }
  if (typeof body.key !== 'string' && typeof body.key !== 'number') {
    ctx.reply(env, { type: 'error', code: 12, text: 'a request needs a key' })
    return
  }
  if (Object.keys(state.requests).length >= requestsMax) {
    ctx.reply(env, { type: 'error', code: 11, text: 'too many requests in flight; try again' })
    return
  }
  const key = String(body.key)
  const op = body.type === 'write' ? 'write' : 'read'
  const id = state.nextRequest++
  const request: Request = {
    op,
    key,
    client: env.src,
    ...(body.msg_id === undefined ? {} : { msgId: body.msg_id }),
    answered: [],
    needed: op === 'write' ? state.config.w : state.config.r,
    done: false,
    versions: [],
    answers: {},
  }
  state.requests[id] = request
  const replicas = preferenceList(key, [ctx.id, ...ctx.peers], state.config.n)
  const { resolution, sloppy } = state.config
  // Always writeable (2.3): a write is stored here before anyone else hears of it.
  const version =
    op === 'write'
      ? newVersion(state.store[key] ?? [], body.value, ctx.now(), ctx.id, resolution)
      : null
  if (version !== null) absorb(state, key, [version])
  // Our own copy counts when we are one of the N, or always under a sloppy
  // quorum (4.6): a healthy node stands in for a replica it cannot reach, and
  // gossip hands the write over later (our version of hinted handoff).
  if (replicas.includes(ctx.id) || sloppy) {
    request.answered.push(ctx.id)
    if (op === 'read') request.versions = state.store[key] ?? []
  }
  for (const replica of replicas.filter((replica) => replica !== ctx.id)) {
    ctx.send(
      replica,
      version === null
        ? { type: 'fetch', request: id, key }
        : { type: 'replicate', request: id, key, versions: [version] },
    )
  }
  ctx.setTimer(`request:${id}`, quorumTimeoutMs)
  finishIfQuorum(request, ctx)
}

function answer(request: Request, body: Body, ctx: GossipCtx): void {
  ctx.send(
    request.client,
    request.msgId === undefined ? body : { ...body, in_reply_to: request.msgId },
  )
}

function finishIfQuorum(request: Request, ctx: GossipCtx): void {
  if (request.done || request.answered.length < request.needed) return
  request.done = true
  if (request.op === 'write') return answer(request, { type: 'write_ok' }, ctx)
  const chosen = newest(request.versions)
  if (chosen === undefined) {
    answer(request, { type: 'error', code: 20, text: `key ${request.key} does not exist` }, ctx)
  } else {
    // Siblings (4.4): Dynamo hands them all to the application to merge, as
    // the shopping cart takes their union. A lin-kv register has no merge, so
    // the reply's `value` is one sibling, chosen alike on every node (the
    // latest stamp), and `siblings` lists them all.
    const all =
      request.versions.length > 1 ? { siblings: request.versions.map((v) => v.value) } : {}
    answer(request, { type: 'read_ok', value: chosen.value, ...all }, ctx)
  }
  for (const replica of Object.keys(request.answers)) readRepair(request, replica, ctx)
}

/** Section 5, read repair: a replica that answered with less than the newest is sent the newest. */
function readRepair(request: Request, replica: string, ctx: GossipCtx): void {
  if (lacks(request.answers[replica], request.versions)) {
    ctx.send(replica, { type: 'repair', updates: { [request.key]: request.versions } })
  }
}

/** A replica acknowledged a write (versions null) or answered a read. */
function onAnswer(
  state: GossipState,
  id: number,
  from: string,
  versions: Version[] | null,
  ctx: GossipCtx,
): void {
  const request = state.requests[id] as Request | undefined
  // Late (the request timed out) or twice (a duplicated message): nothing to count.
  if (request === undefined || request.answered.includes(from)) return
  request.answered.push(from)
  if (versions !== null) {
    request.answers[from] = versions
    request.versions = mergeVersions(request.versions, versions)
    if (request.done) readRepair(request, from, ctx) // an answer after the reply is repaired too
  }
  finishIfQuorum(request, ctx)
}

function expireRequest(state: GossipState, id: string, ctx: GossipCtx): void {
  const request = state.requests[id] as Request | undefined
  delete state.requests[id]
  if (request === undefined || request.done) return
  const heard = `${request.answered.length} of ${request.needed} replicas answered in time`
  // A write that missed its quorum is still stored here and will spread, so
  // its fate is unknown: code 0 (timeout), never a definite failure. A read
  // that missed its quorum changed nothing: code 11, try again elsewhere.
  if (request.op === 'write') {
    answer(request, { type: 'error', code: 0, text: `${heard}; the write may still spread` }, ctx)
  } else answer(request, { type: 'error', code: 11, text: `${heard}; try again` }, ctx)
}

// ---------------------------------------------------------------------------
// Epidemics (Demers et al.). Rumor mongering spreads a new write fast but may
// miss a replica (a rumor dies out, a message is lost, a node is down);
// anti-entropy is slow but reaches everyone in the end. Together: fast, and
// eventually consistent.

function spreadRumors(state: GossipState, ctx: GossipCtx): void {
  const keys = Object.keys(state.rumors).slice(0, rumorKeysMax)
  if (keys.length === 0) return
  const updates: Updates = {}
  for (const key of keys) {
    updates[key] = state.store[key]
    state.rumors[key] -= 1
    if (state.rumors[key] <= 0) delete state.rumors[key] // lost interest
  }
  for (const peer of randomPeers(ctx, state.config.fanout))
    ctx.send(peer, { type: 'rumor', updates })
}

/** Anti-entropy, push-pull: send a digest to one random peer; it answers with what we lack. */
function startAntiEntropy(state: GossipState, ctx: GossipCtx): void {
  const [peer] = randomPeers(ctx, 1)
  if (peer === undefined) return
  const stamps: Record<string, Stamp[]> = {}
  for (const key of Object.keys(state.store)) stamps[key] = state.store[key].map(stampOf)
  ctx.send(peer, { type: 'digest', stamps })
}

function onDigest(
  state: GossipState,
  stamps: Record<string, Stamp[]>,
  from: string,
  ctx: GossipCtx,
): void {
  const updates: Updates = {}
  for (const key of Object.keys(state.store)) {
    if (lacks(stamps[key] ?? [], state.store[key])) updates[key] = state.store[key] // push
  }
  const want = Object.keys(stamps).filter((key) => lacks(state.store[key] ?? [], stamps[key])) // pull
  if (Object.keys(updates).length > 0 || want.length > 0)
    ctx.send(from, { type: 'sync', updates, want })
}

/** Takes what the peer sent, and sends what it asked for (the second half of push-pull). */
function onSync(
  state: GossipState,
  msg: { updates: Updates; want: string[] },
  from: string,
  ctx: GossipCtx,
): void {
  absorbAll(state, msg.updates)
  const wanted: Updates = {}
  for (const key of msg.want) if (state.store[key] !== undefined) wanted[key] = state.store[key]
  if (Object.keys(wanted).length > 0) ctx.send(from, { type: 'sync', updates: wanted, want: [] })
}

// ---------------------------------------------------------------------------

export default defineNode<GossipState, GossipMessage>({
  name: 'gossip',
  description: 'A Dynamo-style store (DeCandia et al., 2007): N/R/W quorums, gossip, anti-entropy.',
  persistent: ['store'],

  init(ctx, saved) {
    const config = configOf(ctx)
    ctx.setTimer('gossip', gossipMs)
    // A random first delay, so that replicas do not all compare at the same instant.
    ctx.setTimer('anti-entropy', Math.floor(antiEntropyMs * (0.5 + ctx.random())))
    return {
      store: saved?.store ?? {},
      config,
      // Volatile: after a crash the rumors are forgotten and anti-entropy
      // finds what was missed; clients waiting on this node time out.
      rumors: {},
      requests: {},
      // Request ids start from the clock, so that a late answer meant for an
      // earlier life of this node (before a crash) matches no new request.
      nextRequest: Math.floor(ctx.now()) * 1000,
    }
  },

  onMessage(state, env, ctx) {
    const msg = env.body as GossipMessage
    switch (msg.type) {
      case 'replicate':
        absorb(state, msg.key, msg.versions)
        return ctx.send(env.src, { type: 'replicate_ok', request: msg.request })
      case 'replicate_ok':
        return onAnswer(state, msg.request, env.src, null, ctx)
      case 'fetch':
        return ctx.send(env.src, { ...msg, type: 'fetch_ok', versions: state.store[msg.key] ?? [] })
      case 'fetch_ok':
        absorb(state, msg.key, msg.versions) // the coordinator is a replica too
        return onAnswer(state, msg.request, env.src, msg.versions, ctx)
      case 'rumor':
      case 'repair':
        return absorbAll(state, msg.updates)
      case 'digest':
        return onDigest(state, msg.stamps, env.src, ctx)
      case 'sync':
        return onSync(state, msg, env.src, ctx)
    }
    const request = env as Envelope<Body>
    if (['read', 'write', 'cas'].includes(request.body.type))
      return onClientRequest(state, request, ctx)
    ctx.reply(request, { type: 'error', code: 10, text: `unknown request ${request.body.type}` })
  },

  onTimer(state, name, ctx) {
    if (name === 'gossip') {
      spreadRumors(state, ctx)
      ctx.setTimer('gossip', gossipMs)
    } else if (name === 'anti-entropy') {
      startAntiEntropy(state, ctx)
      ctx.setTimer('anti-entropy', antiEntropyMs)
    } else if (name.startsWith('request:')) {
      expireRequest(state, name.slice('request:'.length), ctx)
    }
  },

  summary(state) {
    const { n, r, w, resolution, sloppy } = state.config
    const keys = Object.keys(state.store)
    return {
      role: 'replica',
      quorum: `N=${n} R=${r} W=${w} ${resolution}${sloppy ? ' sloppy' : ''}`,
      keys: keys.length,
      siblings: keys.filter((key) => state.store[key].length > 1).length,
      rumors: Object.keys(state.rumors).length,
      pending: Object.values(state.requests).filter((request) => !request.done).length,
      digest: storeDigest(state.store),
    }
  },

  describe(body) {
    const m = body as GossipMessage
    switch (m.type) {
      case 'replicate':
        return `Replicate req=${m.request} ${m.key}=${describeVersions(m.versions)}`
      case 'replicate_ok':
        return `ReplicateOk req=${m.request}`
      case 'fetch':
        return `Fetch req=${m.request} ${m.key}`
      case 'fetch_ok':
        return `FetchOk req=${m.request} ${m.key}=${describeVersions(m.versions) || 'nothing'}`
      case 'rumor':
        return `Rumor ${describeUpdates(m.updates)}`
      case 'repair':
        return `ReadRepair ${describeUpdates(m.updates)}`
      case 'digest':
        return `Digest ${describeUpdates(m.stamps)}`
      case 'sync':
        return `Sync ${describeUpdates(m.updates)} want=[${m.want.join(', ')}]`
      default:
        return body.type
    }
  },
})
