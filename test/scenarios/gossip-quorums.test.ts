// N, R and W (Dynamo, DeCandia et al. 2007, section 4.5): a coordinator sends
// a write to the key's N replicas and answers after W acks, a read asks them
// and answers after R. With R + W > N every read quorum shares a replica with
// every write quorum, so a read sees the latest acknowledged write; with
// R + W <= N it may not. The linearizability checker shows the difference.
//
// What "R + W > N" buys here, precisely: with strict quorums (sloppy off: only
// the key's own N replicas count), one client at a time, a read that starts
// after a write was acknowledged returns that write or a later one. It does
// not make the store linearizable in general: with concurrent writes and reads
// a read can see a write that is still in flight and a later read miss it (read
// repair here is not the synchronous write-back of ABD), and a sloppy quorum
// (4.6) counts nodes outside the N, so two quorums need not meet at all.

import { describe, expect, it } from 'vitest'
import { checkHistory, reportLines } from '../../src/main/check/check-history'
import { HistoryRecorder } from '../../src/main/check/history-import'
import type { KvClient } from '../../src/main/client/kv-client'
import type { Simulator } from '../../src/main/sim/simulator'
import type { NodeOptions } from '../../src/shared/node-api'
import { randomStream } from '../../src/shared/random'
import type { Operation } from '../../src/shared/trace'
import { preferenceList } from '../../src/workers/algorithms/gossip/gossip'
import { perform } from './helpers'
import { gossipCluster } from './gossip-helpers'

const clientOptions = { timeoutMs: 1_000, operationMsMax: 3_000, retryMs: 10 }

async function recorded(
  seed: number,
  options: NodeOptions,
): Promise<{ sim: Simulator; client: KvClient; history: HistoryRecorder }> {
  const { sim } = await gossipCluster(seed, options)
  const history = new HistoryRecorder()
  sim.events((event) => void history.add(event))
  // Slow links, so that replication visibly lags behind the acknowledgement.
  await sim.setLink('*', '*', { delayMsMin: 1, delayMsMax: 30 })
  return { sim, client: sim.client('c1', clientOptions), history }
}

/** One operation at `node`, a millisecond after the last one ended (at the same instant the checker would count them as concurrent). */
function run(sim: Simulator, client: KvClient, node: string, op: Operation): unknown {
  sim.advance(1)
  client.startAt(node)
  const done = perform(sim, client, op)
  return done.type === 'ok' ? (done.value ?? 'ok') : done.type
}

/** Writes a fresh value at one random node, then at once reads it at another, 100 times. */
async function readAfterWrite(seed: number, options: NodeOptions) {
  const { sim, client, history } = await recorded(seed, options)
  const random = randomStream(seed, 'targets')
  const ids = sim.nodeIds()
  const pick = (): string => ids[Math.floor(random() * ids.length)]
  let stale = 0
  for (let i = 1; i <= 100; i++) {
    expect(run(sim, client, pick(), { f: 'write', key: 'x', value: i })).toBe('ok')
    if (run(sim, client, pick(), { f: 'read', key: 'x' }) !== i) stale++
  }
  return { stale, report: checkHistory({ model: 'kv', operations: history.operations() }) }
}

describe('R + W > N versus R + W <= N, without faults (N = 3 of 5 nodes)', () => {
  it.each([1, 2, 3, 4, 5])(
    'seed %i: R = 2, W = 2 (strict): every read sees the write just acknowledged; linearizable',
    async (seed) => {
      const { stale, report } = await readAfterWrite(seed, { n: 3, r: 2, w: 2, sloppy: false })
      expect(stale).toBe(0)
      expect(report.result, reportLines(report).join('\n')).toBe('linearizable')
    },
  )

  it('R = 1, W = 1: reads at a replica that gossip has not reached yet are stale', async () => {
    const { stale, report } = await readAfterWrite(1, { n: 3, r: 1, w: 1 })
    expect(stale).toBeGreaterThan(10)
    expect(report.result).toBe('not linearizable')
  })
})

describe('under a partition: n1, n2 | n3, n4, n5 (x lives on n1, n2, n3)', () => {
  /** x = 0 everywhere; partition; write x = 1 at `writer`; read x at `reader`. */
  async function partitioned(options: NodeOptions, writer: string, reader: string) {
    const { sim, client, history } = await recorded(7, options)
    expect(preferenceList('x', sim.nodeIds(), 3)).toEqual(['n1', 'n2', 'n3'])
    expect(run(sim, client, 'n3', { f: 'write', key: 'x', value: 0 })).toBe('ok')
    sim.advance(1_000)
    await sim.partition([
      ['n1', 'n2'],
      ['n3', 'n4', 'n5'],
    ])
    const write = run(sim, client, writer, { f: 'write', key: 'x', value: 1 })
    const read = run(sim, client, reader, { f: 'read', key: 'x' })
    const report = checkHistory({ model: 'kv', operations: history.operations() })
    return { write, read, report }
  }

  it('R = 1, W = 1: the write is acknowledged at n1, n4 then reads the old value: NOT linearizable', async () => {
    const { write, read, report } = await partitioned({ n: 3, r: 1, w: 1 }, 'n1', 'n4')
    expect([write, read]).toEqual(['ok', 0])
    expect(report.result).toBe('not linearizable')
    const lines = reportLines(report).join('\n')
    expect(lines).toMatch(/NOT linearizable: 3 operations \(kv model\), key x/)
    expect(report.result === 'not linearizable' && report.explanation).toBe(
      'the read of x that returned 0 by c1 cannot be placed: the write of 0 to x by c1 and ' +
        'the write of 1 to x by c1 had completed before it began, which leave the value 1.',
    )
  })

  it('R = 2, W = 2 (strict): n4 cannot gather two of n1, n2, n3, so it answers nothing stale; linearizable', async () => {
    const { write, read, report } = await partitioned(
      { n: 3, r: 2, w: 2, sloppy: false },
      'n1',
      'n4',
    )
    // n1 and n2 are two of x's three replicas: the write gets its quorum.
    expect(write).toBe('ok')
    // n4 reaches only n3 and says so (code 11); the client tries n5, then n1,
    // whose side holds the quorum and the new value.
    expect(read).toBe(1)
    expect(report.result, reportLines(report).join('\n')).toBe('linearizable')
  })

  it('R = 2, W = 2 with a sloppy quorum: n4 and n3 acknowledge, n1 and n2 answer the read; NOT linearizable', async () => {
    const { write, read, report } = await partitioned(
      { n: 3, r: 2, w: 2, sloppy: true },
      'n4',
      'n1',
    )
    expect([write, read]).toEqual(['ok', 0])
    expect(report.result).toBe('not linearizable')
  })
})
