// BROKEN on purpose. A leader answers reads from its own copy of the data
// instead of through the log. A leader cut off from the majority does not know
// it has been replaced, and answers with values that are no longer current: a
// stale read, which linearizability forbids (section 8).

import { defineNode } from '../../../../shared/node-api'
import raft, { type RaftMessage, type RaftState } from '../raft'

export default defineNode<RaftState, RaftMessage>({
  ...raft,
  description: 'Serves reads from local state without the log: stale reads after a partition.',
  onMessage(state, env, ctx) {
    const body = env.body as { type: string; key?: unknown }
    if (body.type === 'read' && state.role === 'leader' && typeof body.key === 'string') {
      // The bug: no round through the log, so no proof that this node still leads.
      ctx.reply(
        env,
        Object.hasOwn(state.kv, body.key)
          ? { type: 'read_ok', value: state.kv[body.key] }
          : { type: 'error', code: 20, text: `key ${body.key} does not exist` },
      )
      return
    }
    raft.onMessage(state, env, ctx)
  },
})
