// BROKEN on purpose (liveness, not safety). A rejected proposer retries at once
// with a higher ballot instead of waiting a random time (section 2.4). Two
// proposers then keep pre-empting each other: each one's prepare arrives
// before the other's accept, and nothing is ever chosen (a livelock).

import { defineNode } from '../../../../shared/node-api'
import paxos, { startBallot, type PaxosMessage, type PaxosState } from '../paxos'

export default defineNode<PaxosState, PaxosMessage>({
  ...paxos,
  description: 'Retries at once after a rejection: dueling proposers can livelock.',
  onMessage(state, env, ctx) {
    paxos.onMessage(state, env, ctx)
    // The bug: no random wait; go again the moment we were turned down.
    if (env.body.type === 'reject' && state.phase === 'waiting') startBallot(state, ctx)
  },
})
