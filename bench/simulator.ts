// The simulator's speed: delivered messages per wall-clock second for a 5-node
// Raft under a steady write load from 16 clients, with the invariant checks on
// (as every test and explorer run has them) and off; and how that holds when
// the log is 1,000 and 100,000 entries long. The floor is a trivial echo node
// on the same simulator: the cost of the machinery itself, with no algorithm.

import { startWorkload, writeHeavy } from '../src/main/client/workload'
import { Simulator } from '../src/main/sim/simulator'
import { defineNode } from '../src/shared/node-api'
import { randomStream } from '../src/shared/random'
import { figure, section } from './report'

/** Two nodes that bounce sixteen messages back and forth forever. */
const echo = defineNode<{ count: number }>({
  name: 'echo',
  persistent: [],
  init(ctx) {
    if (ctx.id === 'n1') for (let i = 0; i < 16; i++) ctx.send(ctx.peers[0], { type: 'ping' })
    return { count: 0 }
  },
  onMessage(state, env, ctx) {
    state.count++
    ctx.send(env.src, { type: env.body.type === 'ping' ? 'pong' : 'ping' })
  },
  onTimer() {},
})

function echoFloor(): number {
  const sim = new Simulator({ resolve: () => echo, invariants: false })
  void sim.start({ algorithm: 'echo', nodes: 2 })
  sim.advance(100)
  const before = sim.stats.delivered
  const started = performance.now()
  sim.advance(20_000)
  return ((sim.stats.delivered - before) / (performance.now() - started)) * 1000
}

interface Window {
  messagesPerSecond: number
  logLength: number
}

/** Starts a 5-node Raft with 16 clients writing, and measures windows of `windowWrites` writes. */
function raftWindows(
  invariants: boolean,
  windowsAtLogLength: number[],
  windowWrites: number,
): Window[] {
  const sim = new Simulator({ invariants })
  void sim.start({ algorithm: 'raft', nodes: 5, seed: 7 })
  sim.runUntil(() => sim.leader() !== null, 5_000)
  const leader = sim.leader()
  if (leader === null) throw new Error('no leader')
  const clients = Array.from({ length: 16 }, (_, i) => sim.client(`c${i + 1}`, undefined, leader))
  const random = randomStream(7, 'workload')
  const logLength = (): number => sim.peekState<{ log: unknown[] }>(leader)?.log.length ?? 0
  const run = (writes: number): { ms: number; delivered: number } => {
    let done = false
    const before = sim.stats.delivered
    const started = performance.now()
    startWorkload(
      clients,
      { ...writeHeavy, operations: writes },
      random,
      () => sim.now(),
      () => {
        done = true
      },
    )
    sim.runUntil(() => done, 3_600_000)
    if (!done) throw new Error('the workload did not finish')
    return { ms: performance.now() - started, delivered: sim.stats.delivered - before }
  }
  const windows: Window[] = []
  for (const target of windowsAtLogLength) {
    const missing = target - logLength()
    if (missing > 0) run(missing)
    const { ms, delivered } = run(windowWrites)
    windows.push({ messagesPerSecond: (delivered / ms) * 1000, logLength: target })
  }
  if (sim.violations.length > 0)
    throw new Error(`violations in a benchmark run: ${sim.violations[0].message}`)
  return windows
}

function medianOf(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

/** Runs `measure` several times: this machine is shared, so one run says little. */
function median(trials: number, measure: () => number): number {
  return medianOf(Array.from({ length: trials }, measure))
}

export function simulatorBenchmarks(): void {
  section(
    'simulator (virtual time, one thread; each figure the median of 5 runs, log lengths of 3)',
  )
  const floor = median(5, echoFloor)
  const floorText = `echo node ${Math.round(floor).toLocaleString('en-US')} msg/s`
  figure('sim: echo ping-pong, 2 nodes, no algorithm (the floor)', floor, 'msg/s')
  const checked = median(5, () => raftWindows(true, [0], 30_000)[0].messagesPerSecond)
  figure('sim: raft 5 nodes, 16 clients writing, invariant checks on', checked, 'msg/s', floorText)
  const bare = median(5, () => raftWindows(false, [0], 30_000)[0].messagesPerSecond)
  figure('sim: raft 5 nodes, 16 clients writing, invariant checks off', bare, 'msg/s', floorText)
  const runs = Array.from({ length: 3 }, () => raftWindows(true, [1_000, 100_000], 10_000))
  const short = medianOf(runs.map((windows) => windows[0].messagesPerSecond))
  const long = medianOf(runs.map((windows) => windows[1].messagesPerSecond))
  figure('sim: raft with invariant checks, at log length 1,000', short, 'msg/s', floorText)
  figure('sim: raft with invariant checks, at log length 100,000', long, 'msg/s', floorText)
  figure(
    'sim: speed at 100,000 entries relative to 1,000',
    long / short,
    'x',
    '1.00 = no cost from log length',
  )
}
