// A broken Raft for seeing what happens when a handler never returns: a write
// to the key `loop` spins forever. The cluster stops the node after its
// handler budget, reports it, and the other nodes go on serving.

import { defineNode } from '../../../../shared/node-api'
import raft, { type RaftMessage, type RaftState } from '../raft'

export default defineNode<RaftState, RaftMessage>({
  ...raft,
  name: 'raft',
  description: 'Loops forever on a write to the key "loop" (to see the handler watchdog at work).',
  onMessage(state, env, ctx) {
    if (env.body.type === 'write' && env.body.key === 'loop') {
      for (;;) ctx.random() // spins forever: this handler never returns
    }
    raft.onMessage(state, env, ctx)
  },
})
