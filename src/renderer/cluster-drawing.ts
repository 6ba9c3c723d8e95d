// Draws the cluster on a canvas: nodes around a circle coloured by role, term
// and commit index under each, the links between them (dashed where a
// partition cuts them), and messages travelling along the links. When more
// messages are in flight than the eye can follow, they are drawn one dot per
// link, sized by how many it stands for, with the count beside it.

import type { NodeId } from '../shared/envelope'
import { dropFadeMs, flightMs, type Flight } from './flights'
import type { NodeView } from './store'
import type { Palette } from './theme'

/** Above this many messages in flight, each link's messages are drawn as one. */
export const flightsDrawnMax = 120

export interface Point {
  x: number
  y: number
}

export interface Layout {
  positions: Map<NodeId, Point>
  radius: number
}

/** Nodes around a circle, n1 at the top, clockwise. */
export function layoutNodes(ids: readonly NodeId[], width: number, height: number): Layout {
  const radius = Math.max(16, Math.min(32, Math.min(width, height) * 0.075))
  const ring = Math.max(0, Math.min(width, height) / 2 - radius - 34)
  const center = { x: width / 2, y: height / 2 - 8 }
  const positions = new Map<NodeId, Point>()
  ids.forEach((id, i) => {
    const angle = -Math.PI / 2 + (2 * Math.PI * i) / Math.max(1, ids.length)
    positions.set(id, {
      x: center.x + (ids.length === 1 ? 0 : ring * Math.cos(angle)),
      y: center.y + (ids.length === 1 ? 0 : ring * Math.sin(angle)),
    })
  })
  return { positions, radius }
}

export function roleColour(node: NodeView, palette: Palette): string {
  if (node.status === 'dead') return palette.roles.dead
  if (node.status === 'paused') return palette.roles.paused
  if (node.role === 'leader' || node.role === 'candidate' || node.role === 'follower') {
    return palette.roles[node.role]
  }
  return palette.roles.other
}

/** What a node is, in words: the same words the canvas and the labels use. */
export function nodeWord(node: NodeView): string {
  if (node.status === 'dead') return 'dead'
  if (node.status === 'paused') return `paused${node.role === null ? '' : ` ${node.role}`}`
  return node.role ?? 'starting'
}

export interface Scene {
  nodes: readonly NodeView[]
  groups: readonly (readonly NodeId[])[] | null
  layout: Layout
  flights: readonly Flight[]
  nowMs: number
  palette: Palette
  /** The node whose menu is open, drawn with a ring. */
  selected: NodeId | null
}

function cut(groups: Scene['groups'], a: NodeId, b: NodeId): boolean {
  if (groups === null) return false
  const groupOf = (id: NodeId): number => groups.findIndex((group) => group.includes(id))
  return groupOf(a) !== groupOf(b)
}

const ease = (x: number): number => (x < 0.5 ? 2 * x * x : 1 - (-2 * x + 2) ** 2 / 2)

export function drawScene(context: CanvasRenderingContext2D, scene: Scene): void {
  const { nodes, layout, palette } = scene
  const { positions, radius } = layout
  const canvas = context.canvas
  context.clearRect(0, 0, canvas.width, canvas.height)

  // Links: every pair; a cut one dashed.
  context.lineWidth = 1.5
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = positions.get(nodes[i].id)
      const b = positions.get(nodes[j].id)
      if (a === undefined || b === undefined) continue
      const broken = cut(scene.groups, nodes[i].id, nodes[j].id)
      context.strokeStyle = broken ? palette.cut : palette.link
      context.setLineDash(broken ? [6, 6] : [])
      context.beginPath()
      context.moveTo(a.x, a.y)
      context.lineTo(b.x, b.y)
      context.stroke()
    }
  }
  context.setLineDash([])

  drawFlights(context, scene)

  // Nodes, with their id inside and their role, term and commit index below.
  context.textAlign = 'center'
  context.textBaseline = 'middle'
  for (const node of nodes) {
    const at = positions.get(node.id)
    if (at === undefined) continue
    context.beginPath()
    context.arc(at.x, at.y, radius, 0, 2 * Math.PI)
    context.fillStyle = roleColour(node, palette)
    context.fill()
    if (node.role === 'leader' && node.status !== 'dead') {
      context.lineWidth = 4
      context.strokeStyle = palette.foreground
      context.stroke()
    }
    if (scene.selected === node.id) {
      context.beginPath()
      context.arc(at.x, at.y, radius + 6, 0, 2 * Math.PI)
      context.lineWidth = 2
      context.strokeStyle = palette.focus
      context.stroke()
    }
    context.fillStyle = palette.onRole
    context.font = `600 ${Math.round(radius * 0.6)}px system-ui, sans-serif`
    context.fillText(node.id, at.x, at.y)
    if (node.status === 'dead') {
      // A cross over a dead node: colour is not the only sign.
      const arm = radius * 0.75
      context.strokeStyle = palette.background
      context.lineWidth = 2
      context.beginPath()
      context.moveTo(at.x - arm, at.y - arm)
      context.lineTo(at.x + arm, at.y + arm)
      context.moveTo(at.x + arm, at.y - arm)
      context.lineTo(at.x - arm, at.y + arm)
      context.stroke()
    }
    const term = node.term === null ? '-' : String(node.term)
    const commit = node.commitIndex === null ? '-' : String(node.commitIndex)
    label(
      context,
      nodeWord(node),
      at.x,
      at.y + radius + 12,
      '600 12px',
      palette.foreground,
      palette,
    )
    label(
      context,
      `term ${term} · commit ${commit}`,
      at.x,
      at.y + radius + 27,
      '12px',
      palette.muted,
      palette,
    )
  }
}

function drawFlights(context: CanvasRenderingContext2D, scene: Scene): void {
  const { positions, radius } = scene.layout
  const drawable = scene.flights.filter(
    (flight) => positions.has(flight.src) && positions.has(flight.dest),
  )
  const place = (flight: Flight): { at: Point; alpha: number; dropped: boolean } => {
    const a = positions.get(flight.src) as Point
    const b = positions.get(flight.dest) as Point
    const end = flight.droppedMs ?? scene.nowMs
    const progress = Math.min(1, Math.max(0, (end - flight.bornMs) / flightMs))
    const p = ease(progress)
    // From the edge of one node to the edge of the other.
    const length = Math.hypot(b.x - a.x, b.y - a.y) || 1
    const inset = radius / length
    const t = inset + (1 - 2 * inset) * p
    const at = { x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }
    const alpha =
      flight.droppedMs === null ? 1 : Math.max(0, 1 - (scene.nowMs - flight.droppedMs) / dropFadeMs)
    return { at, alpha, dropped: flight.droppedMs !== null }
  }
  if (drawable.length <= flightsDrawnMax) {
    for (const flight of drawable) {
      const { at, alpha, dropped } = place(flight)
      context.globalAlpha = alpha
      if (dropped) drawCross(context, at, 5, scene.palette.drop)
      else {
        context.beginPath()
        context.arc(at.x, at.y, 4, 0, 2 * Math.PI)
        context.fillStyle = scene.palette.message
        context.fill()
      }
    }
    context.globalAlpha = 1
    return
  }
  // Too many to follow: one dot per directed link, at its newest message.
  const perLink = new Map<string, { newest: Flight; count: number }>()
  for (const flight of drawable) {
    const key = `${flight.src}>${flight.dest}`
    const seen = perLink.get(key)
    if (seen === undefined) perLink.set(key, { newest: flight, count: 1 })
    else {
      seen.count++
      if (flight.bornMs > seen.newest.bornMs) seen.newest = flight
    }
  }
  context.font = '11px system-ui, sans-serif'
  context.textAlign = 'left'
  for (const { newest, count } of perLink.values()) {
    const { at } = place(newest)
    context.beginPath()
    context.arc(at.x, at.y, Math.min(10, 3 + Math.log2(count + 1)), 0, 2 * Math.PI)
    context.fillStyle = scene.palette.message
    context.fill()
    context.fillStyle = scene.palette.muted
    context.fillText(`×${count}`, at.x + 9, at.y - 8)
  }
}

/** Text with a halo of the background, so that messages passing under it never hide it. */
function label(
  context: CanvasRenderingContext2D,
  text: string,
  x: number,
  y: number,
  font: string,
  colour: string,
  palette: Palette,
): void {
  context.font = `${font} system-ui, sans-serif`
  context.lineJoin = 'round'
  context.lineWidth = 4
  context.strokeStyle = palette.background
  context.strokeText(text, x, y)
  context.fillStyle = colour
  context.fillText(text, x, y)
}

function drawCross(
  context: CanvasRenderingContext2D,
  at: Point,
  arm: number,
  colour: string,
): void {
  context.strokeStyle = colour
  context.lineWidth = 2
  context.beginPath()
  context.moveTo(at.x - arm, at.y - arm)
  context.lineTo(at.x + arm, at.y + arm)
  context.moveTo(at.x + arm, at.y - arm)
  context.lineTo(at.x - arm, at.y + arm)
  context.stroke()
}
