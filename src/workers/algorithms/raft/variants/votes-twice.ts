// BROKEN on purpose. Votes for every candidate that asks in a term, not just
// the first: section 5.2 allows one vote per term, and without that rule two
// candidates can both win the same term (Election Safety).

import { defineNode } from '../../../../shared/node-api'
import raft, { type RaftMessage, type RaftState } from '../raft'

export default defineNode<RaftState, RaftMessage>({
  ...raft,
  description: 'Votes twice in one term: two leaders can win the same election.',
  onMessage(state, env, ctx) {
    // The bug: forget this term's vote before every request, so each candidate gets one.
    if (
      env.body.type === 'request_vote' &&
      (env.body as RaftMessage & { term: number }).term === state.currentTerm
    ) {
      state.votedFor = null
    }
    raft.onMessage(state, env, ctx)
  },
})
