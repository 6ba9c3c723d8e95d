// BROKEN on purpose, and common in practice: a lock on one server with a
// time-to-live, the Redis `SET key client NX PX ttl` pattern. The lock frees
// itself when its time runs out, so a crashed holder cannot keep it forever.
//
// What goes wrong (Kleppmann, "How to do distributed locking", 2016): a
// holder that pauses (garbage collection, a page fault, a slow network) longer
// than its TTL loses the lock without knowing it. Another client acquires it,
// then the first wakes up and writes as if it still held it: two holders at
// once. There are no fencing tokens, so the resource cannot tell them apart.
// A crash of the server also forgets every lock (nothing is persisted).
//
// Requests and answers are those of the `lock` module, without a token:
//   { type: 'acquire', key, client, lease_ms } -> acquire_ok | error 22 (held)
//   { type: 'renew', key, client, lease_ms? }  -> renew_ok   | error 22 (not yours)
//   { type: 'release', key, client }           -> release_ok | error 22 (not yours)
// Every node is a server of its own; clients pick one (n1).

import { defineNode } from '../../../shared/node-api'
import {
  emptyStore,
  isResource,
  onStoreRequest,
  resourceSummary,
  type FencedStore,
} from './fenced-store'
import { leaseMsMax, leaseMsMin } from './lock'

interface TtlLock {
  holder: string
  ttlMs: number
  /** On this server's clock: the only clock there is. */
  expiresAt: number
}

export interface NaiveLockState {
  locks: Record<string, TtlLock>
  store: FencedStore
  /** This node plays the protected resource, not a lock server. */
  resource: boolean
}

export default defineNode<NaiveLockState>({
  name: 'lock-naive',
  description: 'One server, locks with a time-to-live and no fencing (Redis SET NX PX).',
  persistent: ['store'],

  init(ctx, saved) {
    return { locks: {}, store: saved?.store ?? emptyStore(), resource: isResource(ctx) }
  },

  onMessage(state, env, ctx) {
    if (isResource(ctx)) return onStoreRequest(state.store, env, ctx)
    const body = env.body
    const key = body.key
    const client = typeof body.client === 'string' ? body.client : env.src
    const lock = typeof key === 'string' ? state.locks[key] : undefined
    // The TTL: past it, the lock is free, whatever its holder believes.
    const mine = lock !== undefined && lock.expiresAt > ctx.now() && lock.holder === client
    const free = lock === undefined || lock.expiresAt <= ctx.now()
    const ttlMs = typeof body.lease_ms === 'number' ? body.lease_ms : lock?.ttlMs
    const ttlOk = ttlMs !== undefined && ttlMs >= leaseMsMin && ttlMs <= leaseMsMax
    if (typeof key !== 'string' || (body.type !== 'release' && !ttlOk)) {
      ctx.reply(env, {
        type: 'error',
        code: 12,
        text: `a lock request needs a key, and lease_ms between ${leaseMsMin} and ${leaseMsMax}`,
      })
      return
    }
    switch (body.type) {
      case 'acquire':
        if (!free) return ctx.reply(env, { type: 'error', code: 22, text: `${key} is held` })
        state.locks[key] = {
          holder: client,
          ttlMs: ttlMs ?? 0,
          expiresAt: ctx.now() + (ttlMs ?? 0),
        }
        return ctx.reply(env, { type: 'acquire_ok', lease_ms: ttlMs })
      case 'renew':
        if (!mine) return ctx.reply(env, { type: 'error', code: 22, text: `not your lock` })
        state.locks[key] = {
          holder: client,
          ttlMs: ttlMs ?? 0,
          expiresAt: ctx.now() + (ttlMs ?? 0),
        }
        return ctx.reply(env, { type: 'renew_ok', lease_ms: ttlMs })
      case 'release':
        // Redis needs a script for this check; a plain DEL would free anyone's lock.
        if (!mine) return ctx.reply(env, { type: 'error', code: 22, text: `not your lock` })
        delete state.locks[key]
        return ctx.reply(env, { type: 'release_ok' })
      default:
        return ctx.reply(env, {
          type: 'error',
          code: 10,
          text: `lock-naive does not know ${body.type}`,
        })
    }
  },

  onTimer() {
    // No timers: an expired lock is noticed when someone next asks for it.
  },

  summary(state) {
    if (state.resource) return resourceSummary(state.store)
    return {
      locks: Object.entries(state.locks)
        .map(([k, l]) => `${k}:${l.holder}`)
        .join(' '),
    }
  },
})
