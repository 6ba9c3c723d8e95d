// The real-time cluster's shared state: one SharedArrayBuffer that the main
// thread writes and every node's worker reads. Faults take effect at once,
// without a message round trip through the nodes: a partition set now cuts
// the next message, wherever it is sent from.
//
// Layout, for N nodes (index 0 is n1):
//   Int32   status[N]       0 up, 1 dead, 2 paused
//   Int32   group[N]        partition group; all equal when healed
//   Float64 clock[3]        speed, cluster ms at the last speed change, real ms then
//   Float64 busySince[N]    real ms when the node's current handler began, 0 when idle
//   Float64 links[N*N*5]    per link from->to: loss, delayMsMin, delayMsMax, duplicate, reorder

import type { NodeId } from '../../shared/envelope'
import type { LinkShape } from '../../shared/trace'
import type { LinkView } from './link-table'

export type NodeState = 'up' | 'dead' | 'paused'
const states: NodeState[] = ['up', 'dead', 'paused']

export class SharedTable implements LinkView {
  readonly buffer: SharedArrayBuffer
  private readonly status: Int32Array
  private readonly group: Int32Array
  private readonly clock: Float64Array
  private readonly busy: Float64Array
  private readonly links: Float64Array

  constructor(
    readonly ids: readonly NodeId[],
    buffer?: SharedArrayBuffer,
  ) {
    const n = ids.length
    const ints = 2 * n
    const intBytes = Math.ceil((ints * 4) / 8) * 8
    const floats = 3 + n + n * n * 5
    this.buffer = buffer ?? new SharedArrayBuffer(intBytes + floats * 8)
    this.status = new Int32Array(this.buffer, 0, n)
    this.group = new Int32Array(this.buffer, n * 4, n)
    this.clock = new Float64Array(this.buffer, intBytes, 3)
    this.busy = new Float64Array(this.buffer, intBytes + 3 * 8, n)
    this.links = new Float64Array(this.buffer, intBytes + (3 + n) * 8, n * n * 5)
  }

  index(id: NodeId): number {
    return this.ids.indexOf(id)
  }

  // --- nodes ---

  state(id: NodeId): NodeState {
    const i = this.index(id)
    return i < 0 ? 'dead' : states[Atomics.load(this.status, i)]
  }

  setState(id: NodeId, state: NodeState): void {
    Atomics.store(this.status, this.index(id), states.indexOf(state))
  }

  // --- partitions ---

  connected(from: NodeId, to: NodeId): boolean {
    const a = this.index(from)
    const b = this.index(to)
    // Clients (not in the table) sit outside the cluster's network faults.
    return a < 0 || b < 0 || Atomics.load(this.group, a) === Atomics.load(this.group, b)
  }

  /** Groups that cannot reach each other; nodes named in no group form one more group. */
  partition(groups: NodeId[][]): void {
    for (let i = 0; i < this.ids.length; i++) Atomics.store(this.group, i, groups.length)
    groups.forEach((group, g) => {
      for (const id of group) Atomics.store(this.group, this.index(id), g)
    })
  }

  heal(): void {
    for (let i = 0; i < this.ids.length; i++) Atomics.store(this.group, i, 0)
  }

  // --- links ---

  shapeOf(from: NodeId, to: NodeId): LinkShape {
    const a = this.index(from)
    const b = this.index(to)
    if (a < 0 || b < 0) return { loss: 0, delayMsMin: 0, delayMsMax: 0, duplicate: 0, reorder: 0 }
    const o = (a * this.ids.length + b) * 5
    const l = this.links
    return {
      loss: l[o],
      delayMsMin: l[o + 1],
      delayMsMax: l[o + 2],
      duplicate: l[o + 3],
      reorder: l[o + 4],
    }
  }

  setShape(from: NodeId, to: NodeId, shape: LinkShape): void {
    const o = (this.index(from) * this.ids.length + this.index(to)) * 5
    this.links.set(
      [shape.loss, shape.delayMsMin, shape.delayMsMax, shape.duplicate, shape.reorder],
      o,
    )
  }

  // --- time: the cluster runs at a speed; timers and delays scale with it ---

  setSpeed(speed: number, realNowMs: number): void {
    const clusterNow = this.clusterNow(realNowMs)
    this.clock[1] = clusterNow
    this.clock[2] = realNowMs
    this.clock[0] = speed
  }

  speed(): number {
    return this.clock[0]
  }

  /** Cluster time (ms since the run began, at the cluster's speed) for a real time. */
  clusterNow(realNowMs: number): number {
    return this.clock[1] + (realNowMs - this.clock[2]) * this.clock[0]
  }

  startClock(realNowMs: number): void {
    this.clock[0] = 1
    this.clock[1] = 0
    this.clock[2] = realNowMs
  }

  // --- the watchdog: how long has each node's current handler been running? ---

  markBusy(id: NodeId, realNowMs: number): void {
    this.busy[this.index(id)] = realNowMs
  }

  markIdle(id: NodeId): void {
    this.busy[this.index(id)] = 0
  }

  busySince(id: NodeId): number {
    return this.busy[this.index(id)]
  }
}
