// A node's message to itself arrives in a real-time cluster, as it does in the
// simulator (the scheduler's leader heartbeats its own worker). The host once
// dropped it as sent to an unknown node.

import { afterEach, describe, expect, it } from 'vitest'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import type { TraceEvent } from '../../src/shared/trace'

// Asked `note`, the node sends itself a reminder; once the reminder arrives
// it answers `heard` with how many reminders it has had.
const reminder = `import { defineNode } from 'consensus-lab'

export default defineNode<{ reminders: number }>({
  name: 'reminder',
  persistent: [],
  init: () => ({ reminders: 0 }),
  onMessage(state, env, ctx) {
    if (env.body.type === 'note') ctx.send(ctx.id, { type: 'reminder' })
    if (env.body.type === 'reminder') state.reminders += 1
    if (env.body.type === 'heard') ctx.reply(env, { type: 'heard_ok', reminders: state.reminders })
  },
  onTimer() {},
})
`

let cluster: RealTimeCluster | null = null
afterEach(async () => {
  await cluster?.stop()
  cluster = null
})

describe('a message a node sends itself', { timeout: 30_000 }, () => {
  it('arrives in a real-time cluster, traced as a send and a receive', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    const events: TraceEvent[] = []
    c.events((event) => events.push(event))
    await c.start({ algorithm: 'reminder', nodes: 2, code: { source: reminder, fileName: 'r.ts' } })
    await c.request('n1', { type: 'note' }, { timeoutMs: 200 })
    const arrived = () => events.some((e) => e.kind === 'recv' && e.src === 'n1' && e.dest === 'n1')
    expect(await c.waitFor(arrived, 2_000)).toBe(true)
    const reply = await c.request('n1', { type: 'heard' })
    expect(reply.ok && reply.body).toMatchObject({ type: 'heard_ok', reminders: 1 })
    expect(events.filter((e) => e.kind === 'drop')).toEqual([])
  })
})
