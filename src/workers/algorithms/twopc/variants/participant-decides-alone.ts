// BROKEN on purpose. A participant in doubt (it voted yes, no decision came)
// gives up waiting and aborts on its own. But the coordinator may have decided
// commit, and the other participants applied it: half a transfer happens.
// Waiting is the price of two-phase commit; this variant refuses to pay it.

import { defineNode } from '../../../../shared/node-api'
import twopc, { learnDecision, type TwoPcMessage, type TwoPcState } from '../twopc'

export default defineNode<TwoPcState, TwoPcMessage>({
  ...twopc,
  description: 'A participant in doubt times out and aborts on its own, whatever was decided.',
  onTimer(state, name, ctx) {
    if (name === 'ask') {
      // The bug: no decision within one timeout, so abort what is still in doubt.
      for (const tx of Object.keys(state.prepared)) learnDecision(state, tx, 'abort', ctx)
      return
    }
    twopc.onTimer(state, name, ctx)
  },
})
