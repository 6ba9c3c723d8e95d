// The timeline's columns: batches in, rows out. Messages pair their send with
// their receive or drop, sampled batches weigh what they stand for, the
// cluster at any moment reads back from the state rows, and a window of time
// is two binary searches.

import { describe, expect, it } from 'vitest'
import { messageFlags, TimelineColumns } from '../../src/renderer/timeline/columns'
import { rowsBetween } from '../../src/renderer/timeline/level-of-detail'
import { lowerBound, Table, upperBound, weightBetween } from '../../src/renderer/timeline/table'
import { batch, message, state, type EventWithoutSeq } from './timeline-events'

describe('the columnar table', () => {
  it('keeps keys in order, grows, and forgets from the front', () => {
    const table = new Table({ key: Float64Array, weight: Float64Array })
    for (let i = 0; i < 1_000; i++) {
      const row = table.push(i % 7 === 0 ? i - 3 : i) // an event stamped a little early
      table.columns.weight[row] = (row === 0 ? 0 : table.columns.weight[row - 1]) + 2
    }
    expect(table.length).toBe(1_000)
    for (let i = 1; i < table.length; i++) {
      expect(table.columns.key[i]).toBeGreaterThanOrEqual(table.columns.key[i - 1])
    }
    expect(lowerBound(table.columns.key, table.length, 500)).toBe(500)
    expect(upperBound(table.columns.key, table.length, 500)).toBe(501)
    expect(weightBetween(table, 100, 200)).toBe(200)
    table.shift(400)
    expect(table.length).toBe(600)
    expect(table.forgotten).toBe(400)
    expect(table.columns.key[0]).toBe(400)
    expect(table.rowOf(399)).toBe(-1)
    expect(table.rowOf(450)).toBe(50)
    // The weight of the first rows held still counts from the forgotten ones.
    expect(weightBetween(table, 0, 10)).toBe(20)
  })
})

describe('timeline columns', () => {
  it('pairs each send with its receive, and marks drops and sends it never saw', () => {
    const columns = new TimelineColumns()
    columns.ingest(
      batch(1, [
        ...message(1, 'n1', 'n2', 10, 12),
        ...message(2, 'n1', 'n3', 11, 15, 'drop'),
        { kind: 'recv', mid: 3, src: 'n2', dest: 'n1', body: { type: 'x' }, t: 20, node: 'n1' },
        { kind: 'send', mid: 4, src: 'n3', dest: 'n1', body: { type: 'x' }, t: 21, node: 'n3' },
      ]),
    )
    const lane = (id: string) => columns.lanes.find((l) => l.id === id)
    const n1 = lane('n1')?.messages
    expect(n1?.length).toBe(2)
    expect([...(n1?.columns.start.subarray(0, 2) ?? [])]).toEqual([10, 11])
    expect([...(n1?.columns.end.subarray(0, 2) ?? [])]).toEqual([12, 15])
    expect(n1?.columns.flags[0]).toBe(0)
    expect(n1?.columns.flags[1]).toBe(messageFlags.dropped)
    expect(lane('n1')?.drops.length).toBe(1)
    const n2 = lane('n2')?.messages
    expect(n2?.columns.flags[0]).toBe(messageFlags.sendUnseen)
    expect(Number.isNaN(n2?.columns.start[0])).toBe(true)
    expect(Number.isNaN(lane('n3')?.messages.columns.end[0])).toBe(true) // still in flight
    expect(columns.longestFlightMs).toBe(4)
    expect(columns.laneOrder().map((i) => columns.lanes[i].id)).toEqual(['n1', 'n2', 'n3'])
  })

  it('weighs a sampled batch: each kept message stands for the ones left out', () => {
    const columns = new TimelineColumns()
    const sends = Array.from({ length: 10 }, (_, i) => message(i + 1, 'n1', 'n2', i, i + 1)[0])
    columns.ingest({ ...batch(1, sends), skipped: { send: 30 } })
    const messages = columns.lanes[0].messages
    expect(weightBetween(messages, 0, messages.length)).toBe(40)
    expect(columns.sampledOut).toBe(30)
  })

  it('reads back the cluster at any moment: roles, terms, deaths, restarts, partitions', () => {
    const columns = new TimelineColumns()
    columns.ingest(
      batch(1, [
        state('n1', 5, 'follower', 1, 0),
        state('n2', 5, 'follower', 1, 0),
        state('n1', 100, 'leader', 2, 3),
        state('n2', 101, 'follower', 2, 3),
        { kind: 'link', change: 'partition n1 | n2', groups: [['n1'], ['n2']], t: 150, node: 'n1' },
        { kind: 'crash', t: 200, node: 'n1' },
        { kind: 'link', change: 'heal', t: 250, node: 'n1' },
        state('n2', 300, 'leader', 3, 4),
        { kind: 'restart', t: 400, node: 'n1' },
      ]),
    )
    expect(columns.nodesAt(50)).toEqual([
      { id: 'n1', status: 'up', role: 'follower', term: 1, commitIndex: 0 },
      { id: 'n2', status: 'up', role: 'follower', term: 1, commitIndex: 0 },
    ])
    expect(columns.nodesAt(199)[0]).toMatchObject({ status: 'up', role: 'leader', term: 2 })
    expect(columns.groupsAt(199)).toEqual([['n1'], ['n2']])
    expect(columns.nodesAt(200)[0]).toMatchObject({ status: 'dead', role: 'leader', term: 2 })
    expect(columns.groupsAt(260)).toBeNull()
    expect(columns.nodesAt(350)).toEqual([
      { id: 'n1', status: 'dead', role: 'leader', term: 2, commitIndex: 3 },
      { id: 'n2', status: 'up', role: 'leader', term: 3, commitIndex: 4 },
    ])
    expect(columns.nodesAt(400)[0].status).toBe('up')
    expect(columns.nodesAt(0)[0]).toMatchObject({ role: null, term: null })
    expect(columns.faults.map((f) => f.kind)).toEqual(['link', 'crash', 'link', 'restart'])
  })

  it('keeps client operations as spans from invoke to completion', () => {
    const columns = new TimelineColumns()
    const op = { f: 'write' as const, key: 'x', value: 1 }
    columns.ingest(
      batch(1, [
        { kind: 'invoke', opId: 1, client: 'c1', op, t: 10, node: 'c1' },
        { kind: 'invoke', opId: 2, client: 'c2', op, t: 11, node: 'c2' },
        { kind: 'ok', opId: 1, client: 'c1', op, t: 30, node: 'c1' },
        { kind: 'info', opId: 9, client: 'c2', op, t: 31, node: 'c2' }, // its invoke was never seen
      ]),
    )
    expect(columns.clients.map((c) => c.id)).toEqual(['c1', 'c2'])
    const c1 = columns.clients[0].operations
    expect([c1.columns.key[0], c1.columns.end[0], c1.columns.outcome[0]]).toEqual([10, 30, 1])
    const c2 = columns.clients[1].operations
    expect(Number.isNaN(c2.columns.end[0])).toBe(true)
    expect(c2.columns.outcome[0]).toBe(0)
    expect(columns.lanes).toEqual([]) // clients get rows, not lanes
  })

  it('starts afresh when a new run begins', () => {
    const columns = new TimelineColumns()
    columns.ingest(batch(1, message(1, 'n1', 'n2', 1, 2)))
    columns.ingest(batch(2, message(1, 'n4', 'n5', 1, 2)))
    expect(columns.lanes.map((l) => l.id)).toEqual(['n4', 'n5'])
    expect(columns.messageCount()).toBe(1)
  })

  it('finds a window of time by binary search, over a long run', () => {
    const columns = new TimelineColumns()
    let mid = 0
    for (let from = 0; from < 50_000; from += 1_000) {
      const list: EventWithoutSeq[] = []
      for (let t = from; t < from + 1_000; t++) list.push(...message(++mid, 'n1', 'n2', t, t + 3))
      columns.ingest(batch(1, list))
    }
    const messages = columns.lanes[0].messages
    expect(messages.length).toBe(50_000)
    expect(rowsBetween(messages, 1_000.5, 2_000)).toEqual({ from: 1_001, to: 2_000 })
    expect(rowsBetween(messages, 60_000, 70_000)).toEqual({ from: 50_000, to: 50_000 })
  })
})
