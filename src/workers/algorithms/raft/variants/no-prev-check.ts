// BROKEN on purpose. Accepts AppendEntries without the consistency check of
// section 5.3: a follower appends the leader's entries even where its log does
// not hold the entry before them, so logs with gaps or other terms' histories
// end up "matching" (Log Matching breaks, and with it what was committed).

import { defineNode } from '../../../../shared/node-api'
import raft, {
  lastLogIndex,
  termAt,
  type AppendEntries,
  type RaftMessage,
  type RaftState,
} from '../raft'

export default defineNode<RaftState, RaftMessage>({
  ...raft,
  description: 'Accepts AppendEntries without checking the previous entry.',
  onMessage(state, env, ctx) {
    const body = env.body as RaftMessage
    if (body.type === 'append_entries' && body.term >= state.currentTerm) {
      // The bug: pretend our log holds the previous entry, wherever it ends.
      const prevLogIndex = Math.min(body.prevLogIndex, lastLogIndex(state))
      const pretended: AppendEntries = {
        ...body,
        prevLogIndex,
        prevLogTerm: termAt(state, prevLogIndex),
      }
      raft.onMessage(state, { ...env, body: pretended }, ctx)
      return
    }
    raft.onMessage(state, env, ctx)
  },
})
