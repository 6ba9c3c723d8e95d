// Two-phase commit on the real-time cluster: worker threads, TCP on
// 127.0.0.1, real timers. Transfers from several clients at once, a
// participant crash and restart in between, and the balances must add up to
// what the committed transfers make them. Waits are generous: behaviour, not speed.

import { afterEach, describe, expect, it } from 'vitest'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import type { Body } from '../../src/shared/envelope'

let cluster: RealTimeCluster | null = null
afterEach(async () => {
  await cluster?.stop()
  cluster = null
})

const accounts = ['a', 'b', 'c', 'd']

async function transfer(
  c: RealTimeCluster,
  from: string,
  to: string,
  amount: number,
  client = 'c1',
): Promise<Body | 'timeout'> {
  const result = await c.request(
    'n1',
    { type: 'transfer', from, to, amount },
    { timeoutMs: 3_000, client },
  )
  return result.ok ? result.body : 'timeout'
}

/** The committed balance of `account`, waiting while it is locked by a transaction in doubt. */
async function balanceOf(c: RealTimeCluster, account: string): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const result = await c.request('n1', { type: 'balance', account }, { timeoutMs: 2_000 })
    if (result.ok && result.body.type === 'balance_ok') return Number(result.body.balance)
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`no balance for ${account}`)
}

describe('the real-time cluster runs two-phase commit', { timeout: 30_000 }, () => {
  it('start 2pc 3: concurrent transfers commit or abort whole; the balances add up', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    await c.start({ algorithm: '2pc', nodes: 3, seed: 1 })
    const expected: Record<string, number> = { a: 100, b: 100, c: 100, d: 100 }
    const settle = (reply: Body | 'timeout', from: string, to: string, amount: number): void => {
      expect(reply, `${from}->${to} ${amount}`).not.toBe('timeout')
      if ((reply as Body).type === 'transfer_ok') {
        expected[from] -= amount
        expected[to] += amount
      } else {
        expect(reply).toMatchObject({ type: 'error', code: 14 })
      }
    }

    const first = await transfer(c, 'a', 'c', 10)
    expect(first, JSON.stringify(first)).toMatchObject({ type: 'transfer_ok', tx: 't1' })
    settle(first, 'a', 'c', 10)
    expect(await transfer(c, 'b', 'd', 500)).toMatchObject({ type: 'error', code: 14 })

    // Three clients at once, five rounds: some collide on a lock and abort.
    for (let round = 0; round < 5; round++) {
      const moves = ['c1', 'c2', 'c3'].map((client, i) => {
        const from = accounts[(round + i) % 4]
        const to = accounts[(round + i + 1 + (i % 2)) % 4]
        return { client, from, to, amount: 1 + round + i }
      })
      const replies = await Promise.all(
        moves.map((m) => transfer(c, m.from, m.to, m.amount, m.client)),
      )
      moves.forEach((m, i) => settle(replies[i], m.from, m.to, m.amount))
    }

    // A participant crashes and comes back with its accounts from storage. A
    // transaction it was in doubt about keeps its lock until it asks n1 again,
    // and until then a transfer touching that account aborts; one commits soon.
    await c.kill('n3')
    await c.restart('n3')
    let after: Body | 'timeout' = 'timeout'
    for (let attempt = 0; attempt < 30 && (after as Body).type !== 'transfer_ok'; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 100))
      after = await transfer(c, 'd', 'a', 7)
      settle(after, 'd', 'a', 7)
    }
    expect(after, JSON.stringify(after)).toMatchObject({ type: 'transfer_ok' })

    const balances = await Promise.all(accounts.map((account) => balanceOf(c, account)))
    expect(Object.fromEntries(accounts.map((a, i) => [a, balances[i]]))).toEqual(expected)
    expect(balances.reduce((sum, b) => sum + b, 0)).toBe(400)
    expect(c.violations).toEqual([])
  })
})
