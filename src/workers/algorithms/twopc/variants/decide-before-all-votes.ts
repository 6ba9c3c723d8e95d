// BROKEN on purpose. The coordinator commits as soon as the first yes vote
// arrives, without waiting for the others (rule AC3 of Bernstein et al.,
// section 7.2: commit only if every participant voted yes). A participant that
// then votes no has already aborted its part: half a transfer happens.

import { defineNode } from '../../../../shared/node-api'
import twopc, { decide, type TwoPcMessage, type TwoPcState } from '../twopc'

export default defineNode<TwoPcState, TwoPcMessage>({
  ...twopc,
  description: 'The coordinator commits on the first yes vote, without waiting for the rest.',
  onMessage(state, env, ctx) {
    const body = env.body as TwoPcMessage
    if (body.type === 'vote' && body.vote === 'yes' && state.voting[body.tx] !== undefined) {
      decide(state, body.tx, 'commit', '', ctx) // the bug: one yes stands for all
      return
    }
    twopc.onMessage(state, env, ctx)
  },
})
