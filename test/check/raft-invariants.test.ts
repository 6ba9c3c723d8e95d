// The invariant checks must catch each broken rule (a check that never fires
// proves nothing), name the rule, the nodes, the term and index, and point at
// the events. Reference: Raft paper, Figure 3.

import { describe, expect, it } from 'vitest'
import { RaftInvariants } from '../../src/main/check/raft-invariants'
import { Simulator } from '../../src/main/sim/simulator'
import type { AnyNodeDefinition } from '../../src/shared/node-api'
import type { FieldChange, StateEvent } from '../../src/shared/trace'
import raft, { type Entry, type RaftState } from '../../src/workers/algorithms/raft/raft'

let seq = 0
function state(
  node: string,
  summary: { role: string; term: number; commitIndex: number },
  log?: { from: number; append: Entry[] },
  initial = false,
): StateEvent {
  const changes: FieldChange[] = log === undefined ? [] : [{ field: 'log', op: 'splice', ...log }]
  return {
    seq: ++seq,
    t: seq,
    node,
    kind: 'state',
    summary,
    changes,
    ...(initial ? { initial } : {}),
  }
}
const entry = (term: number, key = 'x', value: unknown = term): Entry => ({
  term,
  command: { op: 'write', key, value, client: 'c1' },
})

function rulesBroken(events: StateEvent[]): string[] {
  const checker = new RaftInvariants()
  return events.flatMap((event) => checker.observe(event).map((v) => v.rule))
}

describe('Raft invariant checks (Figure 3)', () => {
  it('Election Safety: flags two leaders in one term, and names them', () => {
    const checker = new RaftInvariants()
    checker.observe(state('n1', { role: 'leader', term: 2, commitIndex: 0 }))
    const [violation] = checker.observe(state('n2', { role: 'leader', term: 2, commitIndex: 0 }))
    expect(violation).toMatchObject({ rule: 'Election Safety', nodes: ['n1', 'n2'], term: 2 })
    expect(violation.events).toHaveLength(2)
    // Leaders of different terms are fine.
    expect(
      rulesBroken([
        state('n1', { role: 'leader', term: 3, commitIndex: 0 }),
        state('n2', { role: 'leader', term: 4, commitIndex: 0 }),
      ]),
    ).toEqual([])
  })

  it('Election Safety: flags a server that grants votes to two candidates in one term', () => {
    const checker = new RaftInvariants()
    const vote = (voter: string, candidate: string, term: number) =>
      checker.observe({
        seq: ++seq,
        t: seq,
        kind: 'send',
        node: voter,
        mid: seq,
        src: voter,
        dest: candidate,
        body: { type: 'request_vote_result', term, voteGranted: true },
      })
    expect(vote('n1', 'n2', 4)).toEqual([])
    expect(vote('n1', 'n2', 4)).toEqual([]) // the same vote again (a duplicate) is fine
    expect(vote('n1', 'n3', 5)).toEqual([]) // a new term, a new vote
    const [violation] = vote('n1', 'n3', 4)
    expect(violation).toMatchObject({ rule: 'Election Safety', term: 4, nodes: ['n1', 'n2', 'n3'] })
    expect(violation.message).toBe(
      'n1 voted for both n2 and n3 in term 4; a server votes once per term.',
    )
  })

  it('Leader Append-Only: flags a leader that removes entries from its own log', () => {
    expect(
      rulesBroken([
        state(
          'n1',
          { role: 'leader', term: 2, commitIndex: 0 },
          { from: 0, append: [entry(1), entry(2)] },
        ),
        state(
          'n1',
          { role: 'leader', term: 2, commitIndex: 0 },
          { from: 1, append: [entry(2, 'y')] },
        ),
      ]),
    ).toContain('Leader Append-Only')
    // A follower replacing uncommitted entries is Raft working as designed (section 5.3).
    expect(
      rulesBroken([
        state(
          'n2',
          { role: 'follower', term: 2, commitIndex: 0 },
          { from: 0, append: [entry(1), entry(1, 'y')] },
        ),
        state('n2', { role: 'follower', term: 2, commitIndex: 0 }, { from: 1, append: [entry(2)] }),
      ]),
    ).toEqual([])
  })

  it('Log Matching: flags two logs with one entry (index, term) but different prefixes', () => {
    const checker = new RaftInvariants()
    // Entry 2 is the same (term 3) in both logs, but entry 1 differs (terms 1 and 2):
    // the logs cannot both be right, though no single index shows it alone.
    checker.observe(
      state(
        'n1',
        { role: 'follower', term: 3, commitIndex: 0 },
        { from: 0, append: [entry(1, 'a'), entry(3)] },
      ),
    )
    const [violation] = checker.observe(
      state(
        'n2',
        { role: 'follower', term: 3, commitIndex: 0 },
        { from: 0, append: [entry(2, 'b'), entry(3)] },
      ),
    )
    expect(violation).toMatchObject({
      rule: 'Log Matching',
      index: 2,
      term: 3,
      nodes: ['n1', 'n2'],
    })
  })

  it('State Machine Safety: flags two nodes applying different entries at one index', () => {
    const checker = new RaftInvariants()
    checker.observe(
      state(
        'n1',
        { role: 'follower', term: 2, commitIndex: 1 },
        { from: 0, append: [entry(1, 'x', 1)] },
      ),
    )
    const [violation] = checker.observe(
      state(
        'n2',
        { role: 'follower', term: 2, commitIndex: 1 },
        { from: 0, append: [entry(2, 'x', 2)] },
      ),
    )
    expect(violation).toMatchObject({ rule: 'State Machine Safety', index: 1, nodes: ['n1', 'n2'] })
  })

  it('State Machine Safety: flags a node that removes an entry it has applied', () => {
    expect(
      rulesBroken([
        state(
          'n1',
          { role: 'follower', term: 2, commitIndex: 2 },
          { from: 0, append: [entry(1), entry(1, 'y')] },
        ),
        state('n1', { role: 'follower', term: 3, commitIndex: 2 }, { from: 1, append: [entry(3)] }),
      ]),
    ).toContain('State Machine Safety')
  })

  it('Leader Completeness: flags a leader elected without a committed entry', () => {
    const checker = new RaftInvariants()
    checker.observe(
      state(
        'n1',
        { role: 'leader', term: 1, commitIndex: 2 },
        { from: 0, append: [entry(1), entry(1, 'y')] },
      ),
    )
    const [violation] = checker.observe(
      state('n3', { role: 'leader', term: 2, commitIndex: 0 }, { from: 0, append: [entry(1)] }),
    )
    expect(violation).toMatchObject({
      rule: 'Leader Completeness',
      term: 2,
      index: 2,
      nodes: ['n1', 'n3'],
    })
  })

  it('Leader Completeness: binds leaders of terms after the commit, not a stale one before it', () => {
    // n2 leads term 4, cut off. n1 then leads term 5 and commits entry 2 of term 1 (through
    // its own entry 3). n2 lacks entry 2, and may: the entry was committed in term 5, not 1.
    const checker = new RaftInvariants()
    const found: string[] = []
    const observe = (event: StateEvent): void => {
      for (const violation of checker.observe(event)) found.push(violation.rule)
    }
    observe(
      state('n2', { role: 'leader', term: 4, commitIndex: 0 }, { from: 0, append: [entry(1)] }),
    )
    observe(
      state(
        'n1',
        { role: 'leader', term: 5, commitIndex: 3 },
        { from: 0, append: [entry(1), entry(1, 'y'), entry(5)] },
      ),
    )
    expect(found).toEqual([])
    // A leader of term 6 without it breaks the rule.
    observe(
      state('n3', { role: 'leader', term: 6, commitIndex: 0 }, { from: 0, append: [entry(1)] }),
    )
    expect(found).toEqual(['Leader Completeness'])
  })

  it('starts a node over after a restart (its log arrives whole in the initial state)', () => {
    expect(
      rulesBroken([
        state('n1', { role: 'follower', term: 1, commitIndex: 1 }, { from: 0, append: [entry(1)] }),
        state(
          'n1',
          { role: 'follower', term: 1, commitIndex: 0 },
          { from: 0, append: [entry(1)] },
          true,
        ),
        state('n1', { role: 'follower', term: 1, commitIndex: 1 }),
      ]),
    ).toEqual([])
  })
})

describe('the checks catch a real bug in a running cluster', () => {
  it('finds two leaders in one term when nodes vote for every candidate', async () => {
    // A broken Raft: it forgets its vote before every RequestVote, so it votes
    // for each candidate that asks (section 5.2 allows one vote per term).
    const votesForAll: AnyNodeDefinition = {
      ...(raft as unknown as AnyNodeDefinition),
      onMessage(state, env, ctx) {
        const s = state as RaftState
        if (env.body.type === 'request_vote' && env.body.term === s.currentTerm) s.votedFor = null
        raft.onMessage(s, env, ctx as never)
      },
    }
    let found = false
    for (let seed = 1; seed <= 200 && !found; seed++) {
      const sim = new Simulator({ resolve: () => votesForAll })
      // Wide delays make candidates overlap, so double votes happen.
      await sim.start({
        algorithm: 'raft',
        nodes: 5,
        seed,
        link: { delayMsMin: 1, delayMsMax: 120 },
      })
      sim.advance(3_000)
      found = sim.violations.some((v) => v.rule === 'Election Safety')
    }
    expect(found).toBe(true)
  })

  it('finds no violation in the reference Raft under the same conditions', async () => {
    for (let seed = 1; seed <= 30; seed++) {
      const sim = new Simulator()
      await sim.start({
        algorithm: 'raft',
        nodes: 5,
        seed,
        link: { delayMsMin: 1, delayMsMax: 120 },
      })
      sim.advance(3_000)
      expect(sim.violations, `seed ${seed}`).toEqual([])
    }
  })
})
