// Echo: the smallest cluster worth running, as in Maelstrom's first workload.
// A client's `echo` comes back as `echo_ok`. A `burst` makes the node send
// numbered `hello`s to every peer, to watch messages travel (lesson 1) and to
// show that a link set to lose nothing loses, repeats and reorders nothing.

import { defineNode, handlerLimits } from '../../../shared/node-api'

export interface EchoState {
  /** For each peer, the number of the last `hello` sent to it: each link counts 1, 2, 3, ... */
  lastHelloTo: Record<string, number>
  /** For each peer, the last `hello` number received from it. */
  lastHelloFrom: Record<string, number>
  /** Hellos that arrived out of order or twice (none, on a link with no faults). */
  outOfOrder: number
}

export default defineNode<EchoState>({
  name: 'echo',
  description: 'Echo: answers echo requests, and sends bursts of numbered hellos to its peers.',
  persistent: [],

  init() {
    return { lastHelloTo: {}, lastHelloFrom: {}, outOfOrder: 0 }
  },

  onMessage(state, env, ctx) {
    const body = env.body
    switch (body.type) {
      case 'echo':
        ctx.reply(env, { type: 'echo_ok', echo: body.echo })
        return
      case 'burst': {
        // One handler may send only so much (handlerLimits); the reply counts too.
        const countMax = Math.floor((handlerLimits.sendsMax - 1) / Math.max(1, ctx.peers.length))
        const count = Math.min(countMax, Math.max(0, Math.floor(Number(body.count) || 0)))
        for (const peer of ctx.peers) {
          for (let i = 0; i < count; i++) {
            const n = (state.lastHelloTo[peer] ?? 0) + 1
            state.lastHelloTo[peer] = n
            ctx.send(peer, { type: 'hello', n })
          }
        }
        ctx.reply(env, { type: 'burst_ok', sent: count * ctx.peers.length })
        return
      }
      case 'hello': {
        const n = Number(body.n)
        if (n !== (state.lastHelloFrom[env.src] ?? 0) + 1) state.outOfOrder++
        state.lastHelloFrom[env.src] = n
        return
      }
      default:
        ctx.reply(env, { type: 'error', code: 10, text: `echo does not know ${body.type}` })
    }
  },

  onTimer() {},

  summary(state) {
    const received = Object.values(state.lastHelloFrom).reduce((sum, n) => sum + n, 0)
    return { role: 'echo', received, outOfOrder: state.outOfOrder }
  },
})
