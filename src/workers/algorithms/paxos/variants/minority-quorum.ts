// BROKEN on purpose. A quorum of fewer than a majority. Paxos is safe because
// any two quorums share an acceptor (section 2.2), which remembers the first
// proposal for the second; two disjoint minorities each choose a value.

import { defineNode } from '../../../../shared/node-api'
import paxos, { type PaxosMessage, type PaxosState } from '../paxos'

export default defineNode<PaxosState, PaxosMessage>({
  ...paxos,
  description: 'Uses a quorum of less than a majority: two minorities choose two values.',
  init(ctx, saved) {
    const state = paxos.init(ctx, saved)
    // The bug: half the cluster, rounded down (2 of 5), is not a majority.
    state.quorum = Math.max(1, Math.floor((ctx.peers.length + 1) / 2))
    return state
  },
})
