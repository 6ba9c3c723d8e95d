// Tables in the terminal: ruled, numbers right, fitted to the width.

import { describe, expect, it } from 'vitest'
import { renderTable, visibleText } from '../../src/renderer/terminal-table'
import { nodeMentions } from '../../src/renderer/node-links'

describe('terminal tables', () => {
  const columns = ['node', 'status', 'role', 'commit']
  const rows = [
    ['n1', 'up', 'leader', '12'],
    ['n2', 'dead', '-', '-'],
    ['n10', 'up', 'follower', '7'],
  ]

  it('rules the table, aligns numbers right and colours roles', () => {
    const lines = renderTable(columns, rows, 80)
    expect(lines.map(visibleText)).toEqual([
      '┌──────┬────────┬──────────┬────────┐',
      '│ node │ status │ role     │ commit │',
      '├──────┼────────┼──────────┼────────┤',
      '│ n1   │ up     │ leader   │     12 │',
      '│ n2   │ dead   │ -        │      - │',
      '│ n10  │ up     │ follower │      7 │',
      '└──────┴────────┴──────────┴────────┘',
    ])
    expect(lines[3]).toContain('\x1b[32mleader')
    expect(lines[4]).toContain('\x1b[31mdead')
  })

  it('narrows the widest columns to fit, cutting their cells with …', () => {
    const wide = renderTable(['node', 'locks'], [['n1', 'a:c1 b:c2 c:c3 d:c4 e:c5 f:c6']], 30)
    for (const line of wide) expect(visibleText(line).length).toBeLessThanOrEqual(30)
    expect(visibleText(wide[3])).toMatch(/a:c1 b:c2 .*…/)
  })
})

describe('node links', () => {
  const nodes = new Set(['n1', 'n2', 'n3'])
  it('finds whole node names, not parts of other words', () => {
    expect(nodeMentions('n1->n2 AppendEntries term=2 (n3)', nodes)).toEqual([
      { node: 'n1', start: 0 },
      { node: 'n2', start: 4 },
      { node: 'n3', start: 29 },
    ])
    expect(nodeMentions('pn1 n11 c1 127.0.0.1:n1 n4', nodes)).toEqual([])
  })
})
