// BROKEN on purpose. Commits entries of earlier terms by counting replicas,
// the rule section 5.4.2 forbids: Figure 8 shows such an entry overwritten
// after it was stored on a majority, so a committed write can be lost.

import { defineNode, type Ctx } from '../../../../shared/node-api'
import raft, { applyCommitted, lastLogIndex, type RaftMessage, type RaftState } from '../raft'

/** The broken rule: the highest index stored on a majority commits, whatever its term. */
function commitByCountingReplicas(state: RaftState, ctx: Ctx<RaftMessage>): void {
  if (state.role !== 'leader') return
  const matched = [lastLogIndex(state), ...ctx.peers.map((peer) => state.matchIndex[peer] ?? 0)]
  matched.sort((a, b) => b - a)
  const n = matched[Math.floor(matched.length / 2)]
  if (n > state.commitIndex) {
    state.commitIndex = n // the bug: no check that log[n].term == currentTerm
    applyCommitted(state, ctx)
  }
}

export default defineNode<RaftState, RaftMessage>({
  ...raft,
  description: 'Commits earlier-term entries by counting replicas (the Figure 8 trap).',
  onMessage(state, env, ctx) {
    raft.onMessage(state, env, ctx)
    commitByCountingReplicas(state, ctx)
  },
})
