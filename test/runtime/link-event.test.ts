// A link change traces the shape of a link it reached: `delay 40-60ms n3->*`
// reports n3's outgoing delay, not an untouched link's (it once printed
// "delay 1-3 ms" for n3->*, the shape of n1->n2).

import { describe, expect, it } from 'vitest'
import { Simulator } from '../../src/main/sim/simulator'
import type { TraceEvent } from '../../src/shared/trace'

describe('a link change in the simulator', () => {
  it.each([
    ['n3', '*'],
    ['*', 'n1'],
    ['n2', 'n4'],
  ])('traces the new shape for %s->%s', async (from, to) => {
    const sim = new Simulator()
    const links: TraceEvent[] = []
    sim.events((event) => {
      if (event.kind === 'link') links.push(event)
    })
    await sim.start({ algorithm: 'echo', nodes: 5, seed: 1 })
    await sim.setLink(from, to, { delayMsMin: 40, delayMsMax: 60 })
    const last = links.at(-1)
    expect(last?.kind === 'link' && last.shape).toMatchObject({ delayMsMin: 40, delayMsMax: 60 })
  })
})
