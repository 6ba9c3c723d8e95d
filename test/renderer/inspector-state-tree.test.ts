// The state tree's model: fields that matter first, long containers in
// groups, what a reader sees with some items open, and what each key does.

import { describe, expect, it } from 'vitest'
import {
  childrenOf,
  rootItems,
  treeKey,
  visibleItems,
  type TreeItem,
} from '../../src/renderer/inspector/state-tree'

const raft = {
  log: [
    { term: 1, command: null },
    { term: 1, command: { op: 'write', key: 'x', value: 1 } },
  ],
  kv: { x: 1 },
  commitIndex: 2,
  votedFor: 'n1',
  currentTerm: 1,
  role: 'leader',
  nextIndex: { n2: 3 },
}

const labels = (items: readonly TreeItem[]) => items.map((item) => item.label)
const shown = (items: readonly TreeItem[]) =>
  items.map((item) => `${'  '.repeat(item.depth)}${item.label}: ${item.preview}`)

describe('the tree', () => {
  it('puts role, term, vote and commit index first, the rest in the order the node keeps them', () => {
    expect(labels(rootItems(raft))).toEqual([
      'role',
      'currentTerm',
      'votedFor',
      'commitIndex',
      'log',
      'kv',
      'nextIndex',
    ])
  })

  it('shows small containers inline and large ones by size', () => {
    const items = rootItems({ small: { a: 1, b: [true, 'x'] }, big: { text: 'y'.repeat(100) } })
    expect(items.map((item) => item.preview)).toEqual(['{a: 1, b: [true, "x"]}', '{1 field}'])
    expect(items.map((item) => item.size)).toEqual(['{2 fields}', '{1 field}'])
    expect(rootItems({ empty: [] })[0]).toMatchObject({ preview: '[]', expandable: false })
  })

  it('opens only what is open', () => {
    const open = new Set(['/log', '/log/1'])
    expect(shown(visibleItems(raft, open))).toEqual([
      'role: "leader"',
      'currentTerm: 1',
      'votedFor: "n1"',
      'commitIndex: 2',
      'log: [2 items]', // too long to show inline
      '  0: {term: 1, command: null}',
      '  1: {term: 1, command: {op: "write", key: "x", value: 1}}',
      '    term: 1',
      '    command: {op: "write", key: "x", value: 1}',
      'kv: {x: 1}',
      'nextIndex: {n2: 3}',
    ])
  })

  it('groups a long array into ranges of 100, and a very long one into ranges of ranges', () => {
    const log = Array.from({ length: 250 }, (_, i) => i)
    const [field] = rootItems({ log })
    expect(labels(childrenOf(field))).toEqual(['[0 … 99]', '[100 … 199]', '[200 … 249]'])
    const last = childrenOf(field)[2]
    expect(
      childrenOf(last)
        .map((item) => `${item.label}=${item.preview}`)
        .slice(0, 2),
    ).toEqual(['200=200', '201=201'])
    const huge = rootItems({ log: Array.from({ length: 25_000 }, () => 0) })[0]
    const ranges = childrenOf(huge)
    expect(ranges).toHaveLength(3)
    expect(ranges[0].label).toBe('[0 … 9999]')
    expect(childrenOf(ranges[0])).toHaveLength(100)
    expect(childrenOf(childrenOf(ranges[0])[0])).toHaveLength(100)
  })

  it('shows a state that is not an object as one item', () => {
    expect(shown(rootItems(42))).toEqual(['state: 42'])
    expect(shown(rootItems(null))).toEqual(['state: null'])
  })
})

describe('the keys', () => {
  const visible = (open: ReadonlySet<string>) => visibleItems(raft, open)
  const none: ReadonlySet<string> = new Set()

  it('moves up and down through what is visible, and to either end', () => {
    expect(treeKey('ArrowDown', visible(none), '/role', none)?.focus).toBe('/currentTerm')
    expect(treeKey('ArrowUp', visible(none), '/currentTerm', none)?.focus).toBe('/role')
    expect(treeKey('ArrowUp', visible(none), '/role', none)?.focus).toBe('/role')
    expect(treeKey('End', visible(none), '/role', none)?.focus).toBe('/nextIndex')
    expect(treeKey('Home', visible(none), '/kv', none)?.focus).toBe('/role')
  })

  it('opens with Right, then goes to the first child; closes with Left, then goes to the parent', () => {
    const opened = treeKey('ArrowRight', visible(none), '/log', none)
    expect(opened).toEqual({ focus: '/log', open: new Set(['/log']) })
    const open = opened?.open ?? none
    expect(treeKey('ArrowRight', visible(open), '/log', open)?.focus).toBe('/log/0')
    expect(treeKey('ArrowLeft', visible(open), '/log/0', open)).toEqual({ focus: '/log', open })
    expect(treeKey('ArrowLeft', visible(open), '/log', open)).toEqual({ focus: '/log', open: none })
    expect(treeKey('ArrowRight', visible(none), '/role', none)).toBeNull()
    expect(treeKey('ArrowLeft', visible(none), '/role', none)).toBeNull()
  })

  it('toggles with Enter and Space, and ignores other keys', () => {
    const open = treeKey('Enter', visible(none), '/kv', none)?.open ?? none
    expect([...open]).toEqual(['/kv'])
    expect([...(treeKey(' ', visible(open), '/kv', open)?.open ?? open)]).toEqual([])
    expect(treeKey('x', visible(none), '/kv', none)).toBeNull()
  })

  it('finds its way back when the focused item is gone', () => {
    expect(treeKey('ArrowDown', visible(none), '/log/7', none)?.focus).toBe('/role')
  })
})
