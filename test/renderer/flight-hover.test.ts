// What the pointer is over in the cluster view: a message, a dot for many, a link.

import { describe, expect, it } from 'vitest'
import { layoutNodes } from '../../src/renderer/cluster-drawing'
import { countByType, describeAt } from '../../src/renderer/flight-hover'
import type { Flight } from '../../src/renderer/flights'

const layout = layoutNodes(['n1', 'n2', 'n3'], 400, 400)
const flight = (mid: number, src: string, dest: string, type: string, dropped = false): Flight => ({
  mid,
  src,
  dest,
  type,
  bornMs: 0,
  droppedMs: dropped ? 10 : null,
})

describe('flight hover', () => {
  const a = flight(1, 'n1', 'n2', 'append_entries')
  const b = flight(2, 'n2', 'n1', 'append_entries_ok', true)
  const dots = [
    { x: 100, y: 100, radius: 5, flights: [a] },
    { x: 130, y: 100, radius: 5, flights: [b] },
  ]

  it('names the message under the pointer, the nearest when two are close', () => {
    expect(describeAt({ x: 103, y: 101 }, dots, layout, [a, b])).toBe('n1→n2 append_entries')
    expect(describeAt({ x: 127, y: 100 }, dots, layout, [a, b])).toBe(
      'n2→n1 append_entries_ok (dropped)',
    )
  })

  it('counts by type under a dot that stands for many', () => {
    const many = [a, flight(3, 'n1', 'n2', 'append_entries'), flight(4, 'n1', 'n2', 'heartbeat')]
    expect(
      describeAt({ x: 50, y: 50 }, [{ x: 50, y: 50, radius: 8, flights: many }], layout, many),
    ).toBe('n1→n2: 3 in flight (append_entries ×2, heartbeat ×1)')
    expect(countByType([])).toBe('')
  })

  it('says what travels on the link under the pointer, both ways', () => {
    const p1 = layout.positions.get('n1') as { x: number; y: number }
    const p2 = layout.positions.get('n2') as { x: number; y: number }
    const middle = { x: (p1.x + p2.x) / 2, y: (p1.y + p2.y) / 2 }
    expect(describeAt(middle, [], layout, [a, b])).toBe(
      'n1↔n2: 2 in flight (append_entries ×1, append_entries_ok ×1)',
    )
    expect(describeAt(middle, [], layout, [])).toBe('n1↔n2: nothing in flight')
    // Over a node is not over its links; far from everything is nothing.
    expect(describeAt(p1, [], layout, [a])).toBeNull()
    expect(describeAt({ x: 0, y: 399 }, [], layout, [a])).toBeNull()
  })
})
