// Helpers for the store's tests: a temporary folder per test, a store opened
// in it, and trace events of every shape a run produces.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach } from 'vitest'
import { openStore, type LabStore, type StoreOptions } from '../../src/main/store/store'
import type { TraceEvent } from '../../src/shared/trace'

/** A fresh folder under the system's temp folder for each test, removed after it. */
export function useTempFolder(): () => string {
  let folder: string | null = null
  afterEach(() => {
    if (folder !== null) rmSync(folder, { recursive: true, force: true })
    folder = null
  })
  return () => (folder ??= mkdtempSync(join(tmpdir(), 'consensus-lab-store-')))
}

/** Opens a store on `file`, failing the test with the message if it cannot. */
export function storeAt(file: string, options: StoreOptions = {}): LabStore {
  const opened = openStore(file, options)
  if (!opened.ok) throw new Error(opened.message)
  return opened.store
}

/**
 * Event number `seq` of a made-up but realistic run on 3 nodes: messages,
 * timers, state changes and client operations, with time moving on.
 */
export function sampleEvent(seq: number): TraceEvent {
  const node = `n${(seq % 3) + 1}`
  const t = seq * 0.25
  switch (seq % 8) {
    case 0:
      return {
        seq,
        t,
        node,
        kind: 'invoke',
        opId: seq,
        client: 'c1',
        op: { f: 'write', key: 'x', value: seq },
      }
    case 1:
      return {
        seq,
        t,
        node,
        kind: 'ok',
        opId: seq - 1,
        client: 'c1',
        op: { f: 'write', key: 'x', value: seq - 1 },
      }
    case 2:
      return {
        seq,
        t,
        node,
        kind: 'send',
        mid: seq,
        src: node,
        dest: 'n1',
        body: { type: 'append_entries', term: 2, entries: [{ term: 2, command: { key: 'x' } }] },
      }
    case 3:
      return {
        seq,
        t,
        node,
        kind: 'recv',
        mid: seq - 1,
        src: 'n2',
        dest: node,
        body: { type: 'ack', term: 2 },
      }
    case 4:
      return { seq, t, node, kind: 'timer-set', name: 'election', ms: 150 + (seq % 150) }
    case 5:
      return {
        seq,
        t,
        node,
        kind: 'state',
        summary: {
          role: 'follower',
          term: 2,
          commitIndex: seq >> 3,
          leader: 'n1',
          logLength: seq >> 3,
        },
        changes: [{ field: 'currentTerm', op: 'set', value: 2 }],
      }
    case 6:
      return { seq, t, node, kind: 'log', text: `line ${seq} with "quotes" and ünïcödé` }
    default:
      return { seq, t, node, kind: 'timer-fire', name: 'heartbeat' }
  }
}

export function sampleEvents(from: number, count: number): TraceEvent[] {
  return Array.from({ length: count }, (_, i) => sampleEvent(from + i))
}
