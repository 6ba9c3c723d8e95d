// BROKEN on purpose. The leader grants a lock from its own table as soon as it
// appends the acquire, without waiting for the entry to commit.
//
// Raft, section 8 (and 5.3): a leader answers a client only once the command
// is committed, applied in log order. A leader cut off from the majority does
// not know it has been replaced: it keeps "granting" locks in entries that
// will never commit, while the majority's new leader grants the same lock to
// someone else. Two clients hold the lock at once, and the stale grant's
// token may be as high as the real one's, so fencing cannot save the resource.

import { defineNode, type Body } from '../../../../shared/node-api'
import type { RaftMessage } from '../../raft/raft'
import lock, { isFree, type LockState } from '../lock'

export default defineNode<LockState, RaftMessage>({
  ...lock,
  description: 'Broken: the leader grants before the acquire commits; a deposed leader grants too.',
  onMessage(state, env, ctx) {
    const body = env.body as Body
    const logLength = state.log.length
    const free = isFree(state.locks[String(body.key)], ctx.now())
    lock.onMessage(state, env, ctx)
    // The bug: "granted", with the index the entry got as its token, before it commits.
    if (body.type === 'acquire' && state.log.length > logLength && free) {
      ctx.reply(env, { type: 'acquire_ok', token: state.log.length, lease_ms: body.lease_ms })
    }
  },
})
