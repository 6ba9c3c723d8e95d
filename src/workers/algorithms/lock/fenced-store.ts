// A protected resource that checks fencing tokens: the storage a lock guards.
//
// Martin Kleppmann, "How to do distributed locking" (2016): a lock with a
// lease cannot by itself stop a holder that paused (a GC pause, a swapped-out
// process) past its lease from writing later, when someone else holds the lock.
// The fix is on the resource's side: every write carries the fencing token the
// lock service granted, and the resource refuses a token lower than one it has
// already seen. Tokens grow with every grant, so the paused holder's is stale.
//
// Any node named by the cluster option `resource` plays this role instead of
// serving locks (both `lock` and `lock-naive` honour it).

import type { Body, Ctx, Envelope, NodeSummary } from '../../../shared/node-api'

/** The error code for a refused stale write: 22, a definite "precondition failed". */
export const staleTokenCode = 22

export interface FencedStore {
  /** The highest fencing token seen per key: lower ones are refused. */
  highestToken: Record<string, number>
  values: Record<string, unknown>
}

/** A write to the resource: `{ type: 'store', key, value, holder, token? }`. */
export interface StoreRequest {
  type: 'store'
  key: string
  value: unknown
  /** Who writes (the lock holder's name), so a checker can tell holders apart. */
  holder: string
  /** The fencing token of the lock the writer believes it holds; absent without fencing. */
  token?: number
}

export function emptyStore(): FencedStore {
  return { highestToken: {}, values: {} }
}

/** True when this node is the protected resource rather than a lock server. */
export function isResource(ctx: Pick<Ctx, 'id' | 'options'>): boolean {
  return ctx.options.resource === ctx.id
}

/**
 * What the resource shows in status and the cluster view: its role (it is no
 * member of the lock service) and, per key, the value and the highest token.
 */
export function resourceSummary(store: FencedStore): NodeSummary {
  const keys = Object.keys(store.values).sort()
  return {
    role: 'resource',
    stored: keys.map((key) => `${key}=${JSON.stringify(store.values[key])}`).join(' '),
    tokens: Object.entries(store.highestToken)
      .map(([key, token]) => `${key}:${token}`)
      .join(' '),
  }
}

export function onStoreRequest(
  store: FencedStore,
  env: Envelope<Body>,
  ctx: Pick<Ctx, 'reply'>,
): void {
  const write = env.body as Partial<StoreRequest>
  if (write.type !== 'store' || typeof write.key !== 'string' || typeof write.holder !== 'string') {
    ctx.reply(env, {
      type: 'error',
      code: 12,
      text: 'the resource takes { type: "store", key, value, holder, token? }',
    })
    return
  }
  const highest = store.highestToken[write.key]
  const token = typeof write.token === 'number' ? write.token : undefined
  // The fencing rule: a token lower than one already seen belongs to a holder
  // whose lock has since been granted to someone else. Equal is the same holder.
  // Once a key is fenced, a write without a token could come from anyone.
  if (highest !== undefined && (token === undefined || token < highest)) {
    ctx.reply(env, {
      type: 'error',
      code: staleTokenCode,
      text: `stale fencing token ${token ?? 'none'}: already saw ${highest}`,
    })
    return
  }
  // Without a token there is nothing to compare: an unfenced resource trusts every writer.
  if (token !== undefined) store.highestToken[write.key] = token
  store.values[write.key] = write.value
  ctx.reply(env, {
    type: 'store_ok',
    key: write.key,
    holder: write.holder,
    ...(token === undefined ? {} : { token }),
  })
}
