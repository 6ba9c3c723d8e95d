// The real-time cluster on this machine: committed writes per second with 16
// clients and their latency, and the time from killing the leader to the first
// write committed under a new one (100 trials, the Raft paper's 150-300 ms
// election timeouts). The floor: the raw TCP round trip between two worker
// threads on 127.0.0.1, measured in the same run.

import { Worker } from 'node:worker_threads'
import { RealTimeCluster } from '../src/main/cluster/cluster'
import { percentile } from '../src/main/client/workload'
import { figure, section } from './report'

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Two worker threads bounce a small frame over loopback TCP (noDelay), like two nodes. */
async function tcpRoundTripMs(rounds: number): Promise<number[]> {
  const server = new Worker(
    `const net = require('node:net'); const { parentPort } = require('node:worker_threads');
     const s = net.createServer((c) => { c.setNoDelay(true); c.on('data', (d) => c.write(d)) });
     s.listen(0, '127.0.0.1', () => parentPort.postMessage(s.address().port))`,
    { eval: true },
  )
  const port = await new Promise<number>((resolve) => server.once('message', resolve))
  const client = new Worker(
    `const net = require('node:net'); const { parentPort, workerData } = require('node:worker_threads');
     const c = net.createConnection({ host: '127.0.0.1', port: workerData.port, noDelay: true });
     const times = []; let start = 0; const payload = Buffer.alloc(200, 7)
     const ping = () => { start = performance.now(); c.write(payload) }
     let got = 0
     c.on('data', (d) => { got += d.length; if (got < payload.length) return; got = 0
       times.push(performance.now() - start)
       if (times.length === workerData.rounds) { parentPort.postMessage(times); c.destroy() } else ping() })
     c.on('connect', ping)`,
    { eval: true, workerData: { port, rounds } },
  )
  const times = await new Promise<number[]>((resolve) => client.once('message', resolve))
  await Promise.all([server.terminate(), client.terminate()])
  return times
}

async function leaderOf(cluster: RealTimeCluster): Promise<string | null> {
  for (const id of cluster.nodeIds()) {
    if (cluster.status(id) !== 'up') continue
    if ((await cluster.inspect(id)).summary.role === 'leader') return id
  }
  return null
}

export async function waitForLeader(cluster: RealTimeCluster): Promise<string> {
  for (;;) {
    const leader = await leaderOf(cluster)
    if (leader !== null) return leader
    await sleep(5)
  }
}

async function throughput(seconds: number): Promise<{ perSecond: number; latenciesMs: number[] }> {
  const cluster = new RealTimeCluster()
  await cluster.start({ algorithm: 'raft', nodes: 5, seed: 1 })
  const leader = await waitForLeader(cluster)
  const clients = Array.from({ length: 16 }, (_, i) =>
    cluster.client(`c${i + 1}`, undefined, leader),
  )
  const latenciesMs: number[] = []
  let ok = 0
  let running = true
  const started = performance.now()
  await Promise.all(
    clients.map(async (client, c) => {
      for (let i = 0; running; i++) {
        const sent = performance.now()
        const result = await new Promise<string>((resolve) =>
          client.invoke({ f: 'write', key: `k${c}`, value: i }, (r) => resolve(r.type)),
        )
        if (result === 'ok') {
          ok++
          latenciesMs.push(performance.now() - sent)
        }
        if (performance.now() - started > seconds * 1000) running = false
      }
    }),
  )
  const elapsed = (performance.now() - started) / 1000
  await cluster.stop()
  return { perSecond: ok / elapsed, latenciesMs }
}

/** Kill the leader; how long until a write commits under a new one? */
async function failovers(trials: number): Promise<number[]> {
  const cluster = new RealTimeCluster()
  await cluster.start({ algorithm: 'raft', nodes: 5, seed: 2 })
  const times: number[] = []
  for (let trial = 0; trial < trials; trial++) {
    const old = await waitForLeader(cluster)
    await sleep(100 + Math.random() * 100) // kill at a random point between heartbeats
    const killedAt = performance.now()
    await cluster.kill(old)
    let committedAt: number | null = null
    while (committedAt === null) {
      for (const id of cluster.nodeIds()) {
        if (cluster.status(id) !== 'up') continue
        void cluster
          .request(id, { type: 'write', key: 'f', value: trial }, { timeoutMs: 200 })
          .then((r) => {
            if (r.ok && r.body.type === 'write_ok' && committedAt === null)
              committedAt = performance.now()
          })
      }
      await sleep(5)
    }
    times.push(committedAt - killedAt)
    await cluster.restart(old)
    await sleep(300)
  }
  await cluster.stop()
  return times
}

export async function clusterBenchmarks(): Promise<void> {
  section('real-time cluster (5 worker threads, TCP on 127.0.0.1, this machine)')
  const rtt = await tcpRoundTripMs(2_000)
  const rttMedian = percentile(rtt, 50)
  const floor = `TCP round trip between two worker threads ${rttMedian.toFixed(3)} ms`
  figure('cluster: raw TCP round trip between two worker threads, median', rttMedian, 'ms')
  figure('cluster: raw TCP round trip between two worker threads, p99', percentile(rtt, 99), 'ms')
  const { perSecond, latenciesMs } = await throughput(5)
  figure('cluster: raft committed writes, 16 clients', perSecond, 'writes/s', floor)
  figure('cluster: raft write latency, median', percentile(latenciesMs, 50), 'ms', floor)
  figure('cluster: raft write latency, p99', percentile(latenciesMs, 99), 'ms', floor)
  const times = await failovers(100)
  const paper = 'Raft paper: 287 ms median, 513 ms worst'
  figure(
    'cluster: leader killed -> write committed under new leader, median',
    percentile(times, 50),
    'ms',
    paper,
  )
  figure(
    'cluster: leader killed -> write committed under new leader, p99',
    percentile(times, 99),
    'ms',
    paper,
  )
  figure(
    'cluster: leader killed -> write committed under new leader, worst',
    Math.max(...times),
    'ms',
    paper,
  )
}
