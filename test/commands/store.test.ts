// `start lock ... --resource` and `store`: the terminal writes to the resource
// a lock protects, with the fencing token the session saw granted to that
// client. Kleppmann, "How to do distributed locking" (2016): a holder paused
// past its lease writes late; only a resource that checks growing tokens can
// refuse it. Simulated (--sim), so every line below is the same on every run.

import { afterEach, describe, expect, it } from 'vitest'
import { complete } from '../../src/main/commands/complete'
import { Session } from '../../src/main/commands/interpreter'
import { parse } from '../../src/main/commands/parse'

let session: Session | null = null

afterEach(async () => {
  await session?.close()
  session = null
})

/** Runs the lines in one session; returns each line's result. */
async function run(...lines: string[]) {
  session ??= new Session()
  const results = []
  for (const line of lines) results.push({ line, ...(await session.run(line)) })
  return results
}

describe('store: a write to the protected resource', () => {
  it('with lock, refuses the paused holder whose token is older than the one it saw', async () => {
    // Init: three Raft lock servers and the resource, n4.
    const [started] = await run('start lock 3 --resource --sim --seed 1', 'wait 500')
    expect(started.lines[0]).toContain('n1, n2, n3; n4 is the protected resource')
    // Act: c1 takes the lock briefly and "pauses" past its lease; c2 takes it and writes.
    const [c1, , c2, c2Store, c1Store, check] = await run(
      'acquire lock1 --as c1 --lease 1000',
      'wait 1500',
      'acquire lock1 --as c2',
      'store lock1 b --as c2',
      'store lock1 a --as c1',
      'check',
    )
    // Check: tokens grow (log indexes), the rightful write goes in, the stale one does not.
    expect(c1.lines[0]).toContain('fencing token 2')
    expect(c2.lines[0]).toContain('fencing token 3')
    expect(c2Store.ok).toBe(true)
    expect(c2Store.lines[0]).toMatch(/^accepted \(token 3\)/)
    expect(c1Store.ok).toBe(false)
    expect(c1Store.lines[0]).toMatch(/^rejected: token 2 is older than 3, which n4 has seen/)
    expect(check.ok).toBe(true)
    expect(check.lines[0]).toMatch(/^no invariant broken/)
  })

  it('with lock-naive, takes the stale write, and check finds two holders at once', async () => {
    const [started] = await run('start lock-naive 1 --resource --sim --seed 1')
    expect(started.lines[0]).toContain('n1; n2 is the protected resource')
    const results = await run(
      'acquire lock1 --as c1 --lease 1000',
      'store lock1 a --as c1',
      'wait 1500',
      'acquire lock1 --as c2',
      'store lock1 b --as c2',
      'store lock1 c --as c1',
      'check',
    )
    const [c1Late, check] = results.slice(-2)
    // No token was granted, so the resource has nothing to compare and trusts every writer.
    expect(c1Late.ok).toBe(true)
    expect(c1Late.lines[0]).toMatch(/^accepted \(no token\)/)
    expect(check.ok).toBe(false)
    expect(check.lines.join('\n')).toContain(
      'Mutual Exclusion: n2 accepted a write to lock1 from c1 after c2 had written',
    )
  })

  it('answers bad input with one sentence', async () => {
    const [, noLock] = await run('start raft 3 --sim', 'store lock1 x')
    expect(noLock.lines).toEqual([
      'store writes to the resource a lock protects; this cluster runs raft. Try: start lock 3 --resource --sim',
    ])
    const [, noResource] = await run('start lock 3 --sim', 'store lock1 x')
    expect(noResource.ok).toBe(false)
    expect(noResource.lines[0]).toMatch(/^this cluster has no protected resource/)
    const [, noToken] = await run('start lock 3 --resource --sim', 'store lock1 x --as c3')
    expect(noToken.ok).toBe(false)
    expect(noToken.lines).toEqual([
      'c3 was never granted lock1 in this run, so it has no token to write with; first: acquire lock1 --as c3',
    ])
    for (const [line, said] of [
      ['start raft 3 --resource --sim', '--resource adds the resource a lock protects'],
      ['start lock 3 --resource=n9 --sim', '--resource takes no value'],
      ['start lock 25 --resource --sim', 'with --resource, 24 lock servers at most'],
      ['store lock1', 'store needs a value to write'],
      ['store lock1 x --as bob', '--as names a client'],
      ['store lock1 x --lease 100', 'store has no option --lease'],
    ]) {
      const parsed = parse(line)
      expect(parsed.ok, line).toBe(false)
      if (!parsed.ok) expect(parsed.error, line).toContain(said)
    }
  })

  it('parses --resource as one node more, and completes store and its flag', () => {
    const parsed = parse('start lock 3 --resource --sim')
    expect(parsed).toEqual({
      ok: true,
      command: {
        kind: 'start',
        algorithm: 'lock',
        nodes: 4,
        sim: true,
        options: { resource: 'n4' },
      },
    })
    expect(complete('stor', []).candidates).toEqual(['store'])
    expect(complete('store lock1 x --', []).candidates).toEqual(['--as'])
    expect(complete('start lock 3 --re', []).candidates).toEqual(['--resource'])
  })
})
