// BROKEN on purpose. A new leader ignores what the promises report as accepted
// and treats every slot past the ones it knows are chosen as empty.
//
// Rule P2c ("Paxos Made Simple", section 2.2), which section 3 applies to
// every slot at once: a leader's phase 2 must propose, in each slot, the
// highest-ballot proposal its promises reported there. The old leader may
// have had a command accepted by a majority (chosen, and answered to its
// client) just before it died, before anyone else heard that it was chosen.
// This leader puts its own next command in that slot, a majority accepts it,
// and the slot has two chosen commands: the first client's write is lost.

import { defineNode } from '../../../../shared/node-api'
import multipaxos, { type MultiPaxosMessage, type MultiPaxosState } from '../multipaxos'

export default defineNode<MultiPaxosState, MultiPaxosMessage>({
  ...multipaxos,
  description:
    'A new leader ignores the accepted commands in the promises: two commands chosen in a slot.',
  onMessage(state, env, ctx) {
    if (env.body.type === 'promise') {
      // The bug: forget every accepted proposal the promises reported (our own
      // acceptor's promise among them, handled before any peer's arrived).
      state.recovered = []
      multipaxos.onMessage(state, { ...env, body: { ...env.body, accepted: [] } }, ctx)
      return
    }
    multipaxos.onMessage(state, env, ctx)
  },
})
