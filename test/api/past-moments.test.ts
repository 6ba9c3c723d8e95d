// The inspector's past moments read on from the last one when the learner
// scrubs forward: the same answer as reading the run from its start, in far
// less time on a long run. Real-time nodes stamp their own events, so a late
// stamp (an event whose time is a little before the one logged ahead of it)
// must not be lost between two moments.

import { describe, expect, it } from 'vitest'
import { inspect, PastMoments, type RecordedEvents } from '../../src/main/api/inspect'
import type { StateEvent, TraceEvent } from '../../src/shared/trace'
import { useCore } from './core-fixture'

const fixture = useCore('past')

describe('past moments', () => {
  it('read forward from the last moment, give what reading from the start gives', async () => {
    const { core, kept } = fixture
    for (const line of [
      'start raft 5 --sim --seed 3',
      'wait 500',
      'workload 200 --clients 4',
      'kill leader',
      'wait 800',
      'workload 100 --clients 4',
      'restart all',
      'partition n1,n2 | n3,n4,n5',
      'wait 500',
      'workload 50 --clients 4',
    ]) {
      const result = await core.request('run', { line })
      expect(result.ok, `${line}: ${result.lines.join(' ')}`).toBe(true)
    }
    const moments = [0, 300, 450, 700, 701, 1_200, 1_900, 2_600, 10_000]
    for (const node of ['n1', 'n3', 'leader']) {
      for (const at of moments) {
        // Through the core, whose past moments read on from the last one...
        const onward = await core
          .request('inspect', { node, at })
          .catch((error: Error) => error.message)
        // ...and from the start of the run.
        const fresh = await inspect(core.session, kept.runs, { node, at }, new PastMoments()).catch(
          (error: Error) => error.message,
        )
        expect(onward, `${node} at ${at}`).toEqual(fresh)
      }
    }
  })

  it('applies an event stamped a little late when a later moment is read', () => {
    const state = (seq: number, t: number, term: number, entries: number[]): StateEvent => ({
      seq,
      t,
      node: 'n1',
      kind: 'state',
      summary: { role: 'follower', term },
      changes: [
        { field: 'currentTerm', op: 'set', value: term },
        { field: 'log', op: 'splice', from: entries[0] ?? 0, append: entries.slice(1) },
      ],
    })
    // seq 3 was logged after seq 2 but stamped 5 ms before it (another thread's clock).
    const events: TraceEvent[] = [
      state(1, 10, 1, [0, 1]),
      state(2, 30, 2, [1, 2]),
      state(3, 25, 3, [2, 3]),
      state(4, 40, 4, [3, 4]),
    ]
    const run: RecordedEvents = {
      events: (_run, afterSeq = 0) => events.filter((event) => event.seq > afterSeq),
    }
    const past = new PastMoments()
    // At 27 ms: seq 2 is later; seq 3 is in.
    expect(past.nodesAt(run, 1, 27).get('n1')?.fields).toEqual({ currentTerm: 3, log: [1, 3] })
    // At 45 ms, read on: every event, in seq order, as a fresh reading gives.
    const onward = past.nodesAt(run, 1, 45).get('n1')?.fields
    expect(onward).toEqual({ currentTerm: 4, log: [1, 2, 3, 4] })
    expect(new PastMoments().nodesAt(run, 1, 45).get('n1')?.fields).toEqual(onward)
  })
})
