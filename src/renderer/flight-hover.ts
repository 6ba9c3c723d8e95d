// What the pointer is over in the cluster view: a message drawn in flight
// (its type), a dot that stands for many (the count by type), or a link (what
// is travelling on it). The canvas reports where it drew each dot; this finds
// the one under the pointer and says it in one line.

import type { NodeId } from '../shared/envelope'
import type { Layout, Point } from './cluster-drawing'
import type { Flight } from './flights'
import { wordsFor, type Words } from './i18n'

/** A dot the canvas drew, and the messages it stands for (one, or a link's many). */
export interface DrawnDot {
  x: number
  y: number
  radius: number
  flights: readonly Flight[]
}

/** How far from a dot or a link the pointer may be and still be over it. */
const slackPx = 6

export function describeAt(
  point: Point,
  dots: readonly DrawnDot[],
  layout: Layout,
  flights: readonly Flight[],
  words: Words['cluster'] = wordsFor('en').cluster,
): string | null {
  let best: DrawnDot | null = null
  let bestDistance = Number.POSITIVE_INFINITY
  for (const dot of dots) {
    const distance = Math.hypot(dot.x - point.x, dot.y - point.y)
    if (distance <= dot.radius + slackPx && distance < bestDistance) {
      best = dot
      bestDistance = distance
    }
  }
  if (best !== null) {
    const [first] = best.flights
    if (best.flights.length === 1) {
      return `${first.src}→${first.dest} ${first.type}${first.droppedMs === null ? '' : words.dropped}`
    }
    return `${first.src}→${first.dest}: ${words.inFlight(best.flights.length, countByType(best.flights))}`
  }
  const link = linkAt(point, layout)
  if (link === null) return null
  const [a, b] = link
  const onLink = flights.filter(
    (flight) => (flight.src === a && flight.dest === b) || (flight.src === b && flight.dest === a),
  )
  return onLink.length === 0
    ? `${a}↔${b}: ${words.nothingInFlight}`
    : `${a}↔${b}: ${words.inFlight(onLink.length, countByType(onLink))}`
}

/** `append_entries ×12, request_vote ×2`: the busiest type first. */
export function countByType(flights: readonly Flight[]): string {
  const counts = new Map<string, number>()
  for (const flight of flights) counts.set(flight.type, (counts.get(flight.type) ?? 0) + 1)
  return [...counts.entries()]
    .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
    .map(([type, count]) => `${type} ×${count}`)
    .join(', ')
}

/** The link under a point (outside the nodes), if any. */
function linkAt(point: Point, layout: Layout): [NodeId, NodeId] | null {
  const entries = [...layout.positions.entries()]
  let best: [NodeId, NodeId] | null = null
  let bestDistance = slackPx
  for (let i = 0; i < entries.length; i++) {
    for (let j = i + 1; j < entries.length; j++) {
      const [aId, a] = entries[i]
      const [bId, b] = entries[j]
      const dx = b.x - a.x
      const dy = b.y - a.y
      const length2 = dx * dx + dy * dy
      if (length2 === 0) continue
      const t = ((point.x - a.x) * dx + (point.y - a.y) * dy) / length2
      // Only between the nodes' edges: over a node is the node, not its links.
      const inset = layout.radius / Math.sqrt(length2)
      if (t < inset || t > 1 - inset) continue
      const distance = Math.hypot(point.x - (a.x + t * dx), point.y - (a.y + t * dy))
      if (distance <= bestDistance) {
        best = [aId, bId]
        bestDistance = distance
      }
    }
  }
  return best
}
