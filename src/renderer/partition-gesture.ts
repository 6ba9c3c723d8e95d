// Drawing a partition with the pointer, in the cluster view. A drag that
// starts on a node sweeps: every node it passes over joins one side. A drag
// that starts on empty space is a lasso: the nodes it encloses are one side.
// Either way the rest are the other side, and the view shows the links that
// would be cut, and the command that will run, before the button is released.

import type { NodeId } from '../shared/envelope'
import type { Layout, Point } from './cluster-drawing'
import { wordsFor, type Words } from './i18n'

/** A press that moves less than this is a click, not a drag. */
export const dragThresholdPx = 6
/** Points a gesture keeps at most (a long scribble is thinned, never unbounded). */
export const gesturePointsMax = 2_000

export interface Gesture {
  kind: 'sweep' | 'lasso'
  path: Point[]
}

/** The node under a point, if any. */
export function nodeAt(layout: Layout, point: Point): NodeId | null {
  for (const [id, at] of layout.positions) {
    if (Math.hypot(at.x - point.x, at.y - point.y) <= layout.radius) return id
  }
  return null
}

export function startGesture(layout: Layout, point: Point): Gesture {
  return { kind: nodeAt(layout, point) === null ? 'lasso' : 'sweep', path: [point] }
}

/** The gesture with one more point (every other point dropped once it is long). */
export function extendGesture(gesture: Gesture, point: Point): Gesture {
  const path =
    gesture.path.length >= gesturePointsMax
      ? gesture.path.filter((_, i) => i % 2 === 0)
      : [...gesture.path]
  path.push(point)
  return { kind: gesture.kind, path }
}

/** Distance from p to the segment a-b. */
function distanceToSegment(p: Point, a: Point, b: Point): number {
  const dx = b.x - a.x
  const dy = b.y - a.y
  const length2 = dx * dx + dy * dy
  const t =
    length2 === 0 ? 0 : Math.max(0, Math.min(1, ((p.x - a.x) * dx + (p.y - a.y) * dy) / length2))
  return Math.hypot(p.x - (a.x + t * dx), p.y - (a.y + t * dy))
}

/** Ray casting: is the point inside the closed polygon? */
function inside(point: Point, polygon: readonly Point[]): boolean {
  let within = false
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i++) {
    const a = polygon[i]
    const b = polygon[j]
    if (a.y > point.y !== b.y > point.y) {
      const x = a.x + ((point.y - a.y) * (b.x - a.x)) / (b.y - a.y)
      if (point.x < x) within = !within
    }
  }
  return within
}

/** The nodes a gesture puts on one side, in layout order. */
export function selectedNodes(gesture: Gesture, layout: Layout): NodeId[] {
  const selected: NodeId[] = []
  for (const [id, at] of layout.positions) {
    const chosen =
      gesture.kind === 'lasso'
        ? gesture.path.length >= 3 && inside(at, gesture.path)
        : gesture.path.some((point, i) =>
            i === 0
              ? Math.hypot(point.x - at.x, point.y - at.y) <= layout.radius
              : distanceToSegment(at, gesture.path[i - 1], point) <= layout.radius,
          )
    if (chosen) selected.push(id)
  }
  return selected
}

export interface PartitionProposal {
  /** The side the gesture chose. */
  selected: NodeId[]
  /** Both sides, or null when the gesture chose none or all of the nodes. */
  groups: [NodeId[], NodeId[]] | null
  /** The command that releasing runs, or null when it would run none. */
  command: string | null
  /** What releasing will do, in one sentence. */
  sentence: string
}

/** A partition separating `selected` from the other nodes (`all`, in layout order). */
export function proposePartition(
  selected: readonly NodeId[],
  all: readonly NodeId[],
  words: Words['cluster']['partition'] = wordsFor('en').cluster.partition,
): PartitionProposal {
  const side = all.filter((id) => selected.includes(id))
  const rest = all.filter((id) => !selected.includes(id))
  if (side.length === 0 || rest.length === 0) {
    return {
      selected: side,
      groups: null,
      command: null,
      sentence: side.length === 0 ? words.start : words.allOneSide,
    }
  }
  const command = partitionCommand(side, rest)
  const links = side.length * rest.length
  return {
    selected: side,
    groups: [side, rest],
    command,
    sentence: words.release(links, command),
  }
}

/** `partition n1,n2 | n3,n4,n5`, as the terminal takes it. */
export function partitionCommand(side: readonly NodeId[], rest: readonly NodeId[]): string {
  return `partition ${side.join(',')} | ${rest.join(',')}`
}
