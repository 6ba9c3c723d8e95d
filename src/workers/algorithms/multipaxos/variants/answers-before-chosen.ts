// BROKEN on purpose. The leader answers a write as soon as its own acceptor
// has accepted it, without waiting for a majority.
//
// A command is chosen only once a majority of acceptors has accepted it
// ("Paxos Made Simple", section 2.2; section 3 runs one such instance per
// slot), because only then does every later leader's phase 1 find it: any
// majority of promises includes one of those acceptors. Accepted by the
// leader alone, the command can vanish. A leader cut off from the others
// still takes writes and says "ok"; the majority elects a new leader whose
// phase 1 never hears of them, and a read there misses an acknowledged write.

import { defineNode } from '../../../../shared/node-api'
import multipaxos, { type MultiPaxosMessage, type MultiPaxosState } from '../multipaxos'

export default defineNode<MultiPaxosState, MultiPaxosMessage>({
  ...multipaxos,
  description:
    'The leader answers a write once it alone accepted it: acknowledged writes are lost.',
  onMessage(state, env, ctx) {
    const leading = state.role === 'leader'
    multipaxos.onMessage(state, env, ctx)
    // The bug: "ok" now, for a command in a slot that is not chosen yet.
    if (leading && env.body.type === 'write') ctx.reply(env, { type: 'write_ok' })
  },
})
