// The link table: the one place that decides what the network does to a
// message. With no faults set, nothing is lost, duplicated or reordered; every
// drop, delay and duplicate is injected here on purpose, and traced. The
// simulator consults it with its seeded stream; the real-time cluster with the
// nodes' streams, through the same rules.

import type { NodeId } from '../../shared/envelope'
import type { Random } from '../../shared/random'
import type { DropReason, LinkShape } from '../../shared/trace'

export const noFaults: LinkShape = {
  loss: 0,
  delayMsMin: 0,
  delayMsMax: 0,
  duplicate: 0,
  reorder: 0,
}

/** What the link rules need to know: the simulator's table and the real-time shared one both answer. */
export interface LinkView {
  connected(from: NodeId, to: NodeId): boolean
  shapeOf(from: NodeId, to: NodeId): LinkShape
}

export type LinkDecision =
  | { deliver: false; reason: DropReason }
  | { deliver: true; delayMs: number; reorder: boolean; duplicateDelayMs: number | null }

export class LinkTable implements LinkView {
  private readonly shapes = new Map<string, LinkShape>()
  private base: LinkShape
  /** The group each node is in; nodes in different groups cannot talk. Empty: no partition. */
  private readonly groupOf = new Map<NodeId, number>()

  constructor(base: LinkShape = noFaults) {
    this.base = validateShape(base)
  }

  /** Changes the shape of the links from `from` to `to` (`*` for every node). */
  setLink(from: NodeId, to: NodeId, change: Partial<LinkShape>): void {
    if (from === '*' && to === '*') {
      this.base = validateShape({ ...this.base, ...change })
      for (const [key, shape] of this.shapes)
        this.shapes.set(key, validateShape({ ...shape, ...change }))
      return
    }
    const key = `${from}>${to}`
    this.shapes.set(key, validateShape({ ...this.shapeOf(from, to), ...change }))
  }

  shapeOf(from: NodeId, to: NodeId): LinkShape {
    if (this.shapes.size === 0) return this.base
    return (
      this.shapes.get(`${from}>${to}`) ??
      this.shapes.get(`${from}>*`) ??
      this.shapes.get(`*>${to}`) ??
      this.base
    )
  }

  /** Groups that cannot reach each other; nodes named in no group form one more group. */
  partition(groups: NodeId[][], allNodes: readonly NodeId[]): void {
    this.groupOf.clear()
    groups.forEach((group, index) => {
      for (const node of group) this.groupOf.set(node, index)
    })
    for (const node of allNodes) if (!this.groupOf.has(node)) this.groupOf.set(node, groups.length)
  }

  heal(): void {
    this.groupOf.clear()
  }

  /** Clears every fault: no partition, and every link reliable with the given shape. */
  reset(base: LinkShape = noFaults): void {
    this.shapes.clear()
    this.groupOf.clear()
    this.base = validateShape(base)
  }

  connected(from: NodeId, to: NodeId): boolean {
    if (this.groupOf.size === 0) return true
    const a = this.groupOf.get(from)
    const b = this.groupOf.get(to)
    // Clients and nodes outside the partition's list are never cut off.
    return a === undefined || b === undefined || a === b
  }

  isPartitioned(): boolean {
    return this.groupOf.size > 0
  }

  /** What happens to one message sent now from `from` to `to`. */
  decide(from: NodeId, to: NodeId, random: Random): LinkDecision {
    return decide(this, from, to, random)
  }
}

/** The one set of rules for what a link does to a message, for both runtimes. */
export function decide(links: LinkView, from: NodeId, to: NodeId, random: Random): LinkDecision {
  if (!links.connected(from, to)) return { deliver: false, reason: 'partition' }
  const shape = links.shapeOf(from, to)
  if (shape.loss > 0 && random() < shape.loss) return { deliver: false, reason: 'loss' }
  const delayMs = sampleDelay(shape, random)
  const reorder = shape.reorder > 0 && random() < shape.reorder
  const duplicateDelayMs =
    shape.duplicate > 0 && random() < shape.duplicate ? sampleDelay(shape, random) : null
  return { deliver: true, delayMs, reorder, duplicateDelayMs }
}

function sampleDelay(shape: LinkShape, random: Random): number {
  if (shape.delayMsMax <= shape.delayMsMin) return shape.delayMsMin
  return shape.delayMsMin + random() * (shape.delayMsMax - shape.delayMsMin)
}

/** Throws a sentence a learner can act on when a shape makes no sense. */
export function validateShape(shape: LinkShape): LinkShape {
  for (const field of ['loss', 'duplicate', 'reorder'] as const) {
    const p = shape[field]
    if (!(p >= 0 && p <= 1))
      throw new Error(`${field} must be a probability between 0 and 1, not ${p}.`)
  }
  const { delayMsMin, delayMsMax } = shape
  if (!(delayMsMin >= 0) || !(delayMsMax >= 0) || !Number.isFinite(delayMsMax)) {
    throw new Error(`delays must be whole milliseconds >= 0, not ${delayMsMin}-${delayMsMax}.`)
  }
  if (delayMsMin > delayMsMax) {
    throw new Error(
      `the delay range ${delayMsMin}-${delayMsMax} ms runs backwards; write it low-high.`,
    )
  }
  return { ...shape }
}
