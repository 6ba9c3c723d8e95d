// BROKEN on purpose. The proposer ignores the proposals that the promises
// report as accepted and proposes its own value. Rule P2c (section 2.2) exists
// because one of those may already be chosen: ignoring it chooses a second value.

import { defineNode } from '../../../../shared/node-api'
import paxos, { noBallot, type PaxosMessage, type PaxosState } from '../paxos'

export default defineNode<PaxosState, PaxosMessage>({
  ...paxos,
  description: 'Ignores accepted values in the promises and proposes its own: two values chosen.',
  onMessage(state, env, ctx) {
    if (env.body.type === 'promise') {
      // The bug: forget every accepted proposal the promises reported.
      state.highestAccepted = { ballot: noBallot, value: null }
      paxos.onMessage(state, { ...env, body: { ...env.body, acceptedBallot: noBallot } }, ctx)
      return
    }
    paxos.onMessage(state, env, ctx)
  },
})
