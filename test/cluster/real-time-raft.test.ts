// The real-time cluster: every node a worker thread, talking over TCP on
// 127.0.0.1, with real timers (the Raft paper's 150-300 ms elections). These
// tests bound waits generously: they check behaviour, not speed.

import { readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import type { TraceEvent } from '../../src/shared/trace'
import { leaderOf, logOf, summaries, waitForLeader, write } from './helpers'

let cluster: RealTimeCluster | null = null
afterEach(async () => {
  await cluster?.stop()
  cluster = null
})

async function raft(nodes = 5, variant?: string): Promise<RealTimeCluster> {
  cluster = new RealTimeCluster()
  await cluster.start({ algorithm: 'raft', nodes, seed: 1, ...(variant ? { variant } : {}) })
  return cluster
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('the real-time cluster runs Raft', { timeout: 30_000 }, () => {
  it('elects a leader, and a new one after the leader is killed; writes commit under it', async () => {
    const c = await raft()
    const first = await waitForLeader(c)
    expect(await write(c, first, 'x', 1)).toBe('write_ok')
    await c.kill(first)
    const second = await waitForLeader(c)
    expect(second).not.toBe(first)
    expect(await write(c, second, 'x', 2)).toBe('write_ok')
    const read = await c.request(second, { type: 'read', key: 'x' })
    expect(read.ok && read.body).toMatchObject({ type: 'read_ok', value: 2 })
    expect(c.violations).toEqual([])
  })

  it('commits in the majority of a partition, not in the minority; logs converge after heal', async () => {
    const c = await raft()
    const old = await waitForLeader(c)
    const others = c.nodeIds().filter((id) => id !== old)
    const minority = [old, others[0]]
    const majority = others.slice(1)
    await c.partition([minority, majority])
    expect(await write(c, old, 'x', 'minority', 600)).toBe('timeout')
    const next = await waitForLeader(c, 5_000, majority)
    expect(await write(c, next, 'x', 'majority')).toBe('write_ok')
    await c.heal()
    await sleep(800)
    const logs = await Promise.all(c.nodeIds().map((id) => logOf(c, id)))
    for (const log of logs) expect(JSON.stringify(log)).toBe(JSON.stringify(logs[0]))
    expect(JSON.stringify(logs[0])).not.toContain('"minority"')
    expect(c.violations).toEqual([])
  })

  it('restarts a node with its saved term, vote and log', async () => {
    const c = await raft(3)
    const leader = await waitForLeader(c)
    for (let i = 0; i < 5; i++) expect(await write(c, leader, 'k', i)).toBe('write_ok')
    const follower = c.nodeIds().find((id) => id !== leader) ?? 'n1'
    await sleep(200)
    const before = (await c.inspect(follower)).state as {
      currentTerm: number
      votedFor: string | null
      log: unknown[]
    }
    await c.kill(follower)
    const saved = (await c.inspect(follower)).saved as typeof before
    expect(saved).toEqual({
      currentTerm: before.currentTerm,
      votedFor: before.votedFor,
      log: before.log,
    })
    await c.restart(follower)
    const after = (await c.inspect(follower)).state as typeof before
    expect(after.currentTerm).toBeGreaterThanOrEqual(before.currentTerm)
    expect(after.log.slice(0, before.log.length)).toEqual(before.log)
  })

  it('stops a node whose handler never returns within a few seconds, and the others keep serving', async () => {
    const c = await raft(5, 'endless-loop')
    const leader = await waitForLeader(c)
    const crashes: TraceEvent[] = []
    c.events((event) => {
      if (event.kind === 'crash') crashes.push(event)
    })
    const started = Date.now()
    void c.request(leader, { type: 'write', key: 'loop', value: 1 }, { timeoutMs: 100 })
    while (c.status(leader) !== 'dead' && Date.now() - started < 8_000) await sleep(10)
    expect(c.status(leader)).toBe('dead')
    expect(Date.now() - started).toBeLessThan(5_000)
    expect((await c.inspect(leader)).error).toMatch(/ran for more than \d+ ms.*endless loop/)
    expect(crashes).toHaveLength(1)
    const next = await waitForLeader(c)
    expect(await write(c, next, 'x', 'still serving')).toBe('write_ok')
  })

  it('loses, duplicates and reorders nothing when no fault is set', async () => {
    cluster = new RealTimeCluster()
    const c = cluster
    await c.start({ algorithm: 'echo', nodes: 3, seed: 1 })
    const sent = new Map<string, number[]>()
    const received = new Map<string, number[]>()
    c.events((event) => {
      if ((event.kind === 'send' || event.kind === 'recv') && event.body.type === 'hello') {
        const link = `${event.src}->${event.dest}`
        const map = event.kind === 'send' ? sent : received
        let mids = map.get(link)
        if (mids === undefined) map.set(link, (mids = []))
        mids.push(event.mid)
      }
    })
    // Each node sends 5,000 numbered hellos to each of its two peers, in two
    // bursts of 2,500: 30,000 messages.
    for (const id of c.nodeIds()) {
      for (let burst = 0; burst < 2; burst++) {
        // A generous bound: on a busy shared machine a burst of 5,000 sends can take seconds.
        const reply = await c.request(id, { type: 'burst', count: 2_500 }, { timeoutMs: 15_000 })
        expect(reply.ok && reply.body).toMatchObject({ type: 'burst_ok', sent: 5_000 })
      }
    }
    const all = (): number => [...received.values()].reduce((sum, mids) => sum + mids.length, 0)
    expect(await c.waitFor(() => all() === 30_000, 20_000), `${all()} of 30,000 arrived`).toBe(true)
    for (const [link, mids] of sent) expect(received.get(link), link).toEqual(mids)
    for (const id of c.nodeIds()) {
      const summary = (await c.inspect(id)).summary
      expect(summary, id).toMatchObject({ received: 10_000, outOfOrder: 0 })
    }
  })

  it('drops the share of messages that the loss setting asks for', async () => {
    const c = await raft(5)
    await waitForLeader(c)
    await c.setLink('*', '*', { loss: 0.3 })
    let sends = 0
    let losses = 0
    c.events((event) => {
      if (event.kind === 'send' && /^n/.test(event.dest)) sends++
      if (event.kind === 'drop' && event.reason === 'loss') losses++
    })
    await sleep(3_000)
    expect(sends).toBeGreaterThan(300)
    // Binomial: with n sends, 4 standard deviations either side of 30%.
    const spread = 4 * Math.sqrt((0.3 * 0.7) / sends)
    expect(losses / sends).toBeGreaterThan(0.3 - spread)
    expect(losses / sends).toBeLessThan(0.3 + spread)
  })
})

describe('the cluster network is closed to strangers', { timeout: 30_000 }, () => {
  it('listens on 127.0.0.1 only, and refuses a connection without the run secret', async () => {
    const c = await raft(3)
    await waitForLeader(c)
    const { host, port } = c.endpoint('n1')
    expect(host).toBe('127.0.0.1')
    // What the kernel says is bound, read from its socket table (no traffic sent):
    // the listening socket on that port is on 127.0.0.1 (0100007F), not on every address.
    const listening = readFileSync('/proc/net/tcp', 'utf8')
      .split('\n')
      .slice(1)
      .map((line) => line.trim().split(/\s+/))
      .filter(
        (fields) =>
          fields[3] === '0A' && Number.parseInt(fields[1]?.split(':')[1] ?? '', 16) === port,
      )
    expect(listening.map((fields) => fields[1].split(':')[0])).toEqual(['0100007F'])
    // The same port on another local address is not open: only 127.0.0.1 was bound.
    // A stranger who knows the port but not the secret is cut off, and nothing reaches the node.
    const received: TraceEvent[] = []
    c.events((event) => {
      if (event.kind === 'recv' && event.src === 'n9') received.push(event)
    })
    const closedBy = await new Promise<string>((resolve) => {
      const socket = connect({ host, port }, () => {
        const frame = (value: unknown): Buffer => {
          const json = Buffer.from(JSON.stringify(value))
          const head = Buffer.alloc(4)
          head.writeUInt32BE(json.length)
          return Buffer.concat([head, json])
        }
        socket.write(frame({ hello: 'n2', secret: 'guess' }))
        socket.write(
          frame({
            mid: 1,
            envelope: { src: 'n9', dest: 'n1', body: { type: 'request_vote', term: 99 } },
          }),
        )
      })
      socket.on('close', () => resolve('closed'))
      socket.on('error', () => resolve('closed'))
      setTimeout(() => resolve('still open'), 2_000)
    })
    expect(closedBy).toBe('closed')
    await sleep(100)
    expect(received).toEqual([])
    const terms = [...(await summaries(c)).values()].map((s) => s.term)
    expect(Math.max(...terms.map((t) => t ?? 0))).toBeLessThan(99)
    expect(await leaderOf(c)).not.toBeNull()
  })
})
