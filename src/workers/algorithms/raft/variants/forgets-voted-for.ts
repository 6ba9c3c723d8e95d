// BROKEN on purpose. Does not save votedFor: after a crash and restart in the
// same term, the node votes again, for someone else (Figure 2 lists votedFor as
// persistent state for exactly this reason).

import { defineNode } from '../../../../shared/node-api'
import raft, { type RaftMessage, type RaftState } from '../raft'

export default defineNode<RaftState, RaftMessage>({
  ...raft,
  description: 'Forgets to persist votedFor: a restarted node can vote twice in one term.',
  // The bug: votedFor is missing from the saved fields.
  persistent: ['currentTerm', 'log'],
})
