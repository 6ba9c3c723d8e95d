// BROKEN on purpose. No anti-entropy, and each replica pushes a new write on
// one gossip tick only, then forgets it (Demers et al.'s "direct mail" done
// by rumor: timely but unreliable). A replica that was down, or cut off, while
// a write spread never hears of it: after the faults heal the replicas still
// disagree, and stay that way until the key is written again.

import { defineNode } from '../../../../shared/node-api'
import gossip, { type GossipMessage, type GossipState } from '../gossip'

export default defineNode<GossipState, GossipMessage>({
  ...gossip,
  description:
    'No anti-entropy, rumors pushed once: a replica that missed a write never catches up.',
  onTimer(state, name, ctx) {
    if (name === 'anti-entropy') return // the bug: replicas never compare what they hold
    gossip.onTimer(state, name, ctx)
    if (name === 'gossip') state.rumors = {} // the bug: one push per rumor, then silence
  },
})
