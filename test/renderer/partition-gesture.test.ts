// Drawing a partition with the pointer: which nodes a sweep or a lasso
// chooses, and the command releasing runs.

import { describe, expect, it } from 'vitest'
import { layoutNodes } from '../../src/renderer/cluster-drawing'
import {
  extendGesture,
  gesturePointsMax,
  nodeAt,
  proposePartition,
  selectedNodes,
  startGesture,
} from '../../src/renderer/partition-gesture'

const ids = ['n1', 'n2', 'n3', 'n4', 'n5']
const layout = layoutNodes(ids, 600, 600)
const at = (id: string) => layout.positions.get(id) as { x: number; y: number }

describe('partition gesture', () => {
  it('sweeps from a node across the nodes it passes over', () => {
    let gesture = startGesture(layout, at('n1'))
    expect(gesture.kind).toBe('sweep')
    gesture = extendGesture(gesture, at('n2'))
    gesture = extendGesture(gesture, at('n3'))
    expect(selectedNodes(gesture, layout)).toEqual(['n1', 'n2', 'n3'])
  })

  it('lassoes the nodes a drag from empty space encloses', () => {
    // A box round n1 and n2 only (n1 at the top, n2 to its lower right).
    const [a, b] = [at('n1'), at('n2')]
    const pad = layout.radius + 10
    const corners = [
      { x: Math.min(a.x, b.x) - pad, y: Math.min(a.y, b.y) - pad },
      { x: Math.max(a.x, b.x) + pad, y: Math.min(a.y, b.y) - pad },
      { x: Math.max(a.x, b.x) + pad, y: Math.max(a.y, b.y) + pad },
      { x: Math.min(a.x, b.x) - pad, y: Math.max(a.y, b.y) + pad },
    ]
    expect(nodeAt(layout, corners[0])).toBeNull()
    let gesture = startGesture(layout, corners[0])
    expect(gesture.kind).toBe('lasso')
    for (const corner of corners.slice(1)) gesture = extendGesture(gesture, corner)
    expect(selectedNodes(gesture, layout)).toEqual(['n1', 'n2'])
  })

  it('keeps a long scribble bounded', () => {
    let gesture = startGesture(layout, { x: 1, y: 1 })
    for (let i = 0; i < 3 * gesturePointsMax; i++) gesture = extendGesture(gesture, { x: i, y: 1 })
    expect(gesture.path.length).toBeLessThanOrEqual(gesturePointsMax)
  })

  it('proposes the chosen side against the rest, and nothing for none or all', () => {
    expect(proposePartition(['n4', 'n1'], ids)).toEqual({
      selected: ['n1', 'n4'],
      groups: [
        ['n1', 'n4'],
        ['n2', 'n3', 'n5'],
      ],
      command: 'partition n1,n4 | n2,n3,n5',
      sentence: 'Release to cut 6 links: partition n1,n4 | n2,n3,n5 (Esc cancels).',
    })
    expect(proposePartition([], ids).command).toBeNull()
    expect(proposePartition(ids, ids).command).toBeNull()
    expect(proposePartition(ids, ids).sentence).toMatch(/^Every node is on one side/)
  })
})
