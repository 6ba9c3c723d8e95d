// BROKEN on purpose. A leader that sees a higher term adopts it but stays
// leader (section 5.1 says it must become a follower): there are then two
// leaders in that term (Election Safety).

import { defineNode } from '../../../../shared/node-api'
import raft, { type RaftMessage, type RaftState } from '../raft'

export default defineNode<RaftState, RaftMessage>({
  ...raft,
  description: 'Does not step down on seeing a higher term: two leaders in one term.',
  onMessage(state, env, ctx) {
    const wasLeader = state.role === 'leader'
    raft.onMessage(state, env, ctx)
    if (wasLeader && state.role === 'follower') {
      // The bug: keep leading in the new term.
      state.role = 'leader'
      state.leaderId = ctx.id
      ctx.setTimer('heartbeat', 50)
    }
  },
})
