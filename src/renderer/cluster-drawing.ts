// Draws the cluster on a canvas: nodes around a circle coloured by role, term
// and commit index under each, the links between them (dashed where a
// partition cuts them), and messages travelling along the links. When more
// messages are in flight than the eye can follow, they are drawn one dot per
// link, sized by how many it stands for, with the count beside it.

import type { NodeId } from '../shared/envelope'
import type { DrawnDot } from './flight-hover'
import type { Words } from './i18n'
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

/** nodeWord in the page's language, for what a person reads (nodeWord stays English for data-role). */
export function nodeWordIn(words: Words['cluster'], node: NodeView): string {
  if (node.status === 'dead') return words.dead
  if (node.status === 'paused')
    return words.paused(node.role === null ? null : words.role(node.role))
  return node.role === null ? words.starting : words.role(node.role)
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
  /** A partition being drawn with the pointer: what releasing would cut. */
  proposal: DrawnProposal | null
  /** The words drawn under each node, in the page's language. */
  words: Words['cluster']
}

export interface DrawnProposal {
  /** The pointer's path (a lasso is drawn closed). */
  path: readonly Point[]
  lasso: boolean
  selected: readonly NodeId[]
  groups: readonly (readonly NodeId[])[] | null
}

/** What a frame drew of the messages: where each dot is, for hovering, and whether they were aggregated. */
export interface DrawnFlights {
  dots: DrawnDot[]
  /** True when there were too many to draw one by one: one dot per link, with its count. */
  aggregated: boolean
  inFlight: number
}

function cut(groups: Scene['groups'], a: NodeId, b: NodeId): boolean {
  if (groups === null) return false
  const groupOf = (id: NodeId): number => groups.findIndex((group) => group.includes(id))
  return groupOf(a) !== groupOf(b)
}

const ease = (x: number): number => (x < 0.5 ? 2 * x * x : 1 - (-2 * x + 2) ** 2 / 2)

export function drawScene(context: CanvasRenderingContext2D, scene: Scene): DrawnFlights {
  const { nodes, layout, palette } = scene
  const { positions, radius } = layout
  const canvas = context.canvas
  context.clearRect(0, 0, canvas.width, canvas.height)

  // Links: every pair; a cut one dashed. While a partition is drawn, the
  // links it would cut are drawn thick and dashed instead.
  const proposed = scene.proposal?.groups ?? null
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = positions.get(nodes[i].id)
      const b = positions.get(nodes[j].id)
      if (a === undefined || b === undefined) continue
      const toCut = proposed !== null && cut(proposed, nodes[i].id, nodes[j].id)
      const broken =
        toCut || (scene.proposal === null && cut(scene.groups, nodes[i].id, nodes[j].id))
      context.lineWidth = toCut ? 3 : 1.5
      context.strokeStyle = broken ? palette.cut : palette.link
      context.setLineDash(broken ? [6, 6] : [])
      context.beginPath()
      context.moveTo(a.x, a.y)
      context.lineTo(b.x, b.y)
      context.stroke()
    }
  }
  context.setLineDash([])

  const drawn = drawFlights(context, scene)
  if (scene.proposal !== null) drawProposal(context, scene.proposal, scene)

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
      nodeWordIn(scene.words, node),
      at.x,
      at.y + radius + 12,
      '600 12px',
      palette.foreground,
      palette,
    )
    label(
      context,
      scene.words.termCommit(term, commit),
      at.x,
      at.y + radius + 27,
      '12px',
      palette.muted,
      palette,
    )
  }
  return drawn
}

/** The pointer's path, and a ring round each node on the chosen side. */
function drawProposal(
  context: CanvasRenderingContext2D,
  proposal: DrawnProposal,
  scene: Scene,
): void {
  const { palette } = scene
  const { positions, radius } = scene.layout
  context.strokeStyle = palette.focus
  context.lineWidth = 2
  context.setLineDash([4, 4])
  context.beginPath()
  proposal.path.forEach((point, i) =>
    i === 0 ? context.moveTo(point.x, point.y) : context.lineTo(point.x, point.y),
  )
  if (proposal.lasso) context.closePath()
  context.stroke()
  context.setLineDash([])
  context.lineWidth = 3
  for (const id of proposal.selected) {
    const at = positions.get(id)
    if (at === undefined) continue
    context.beginPath()
    context.arc(at.x, at.y, radius + 7, 0, 2 * Math.PI)
    context.stroke()
  }
}

function drawFlights(context: CanvasRenderingContext2D, scene: Scene): DrawnFlights {
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
  const dots: DrawnDot[] = []
  if (drawable.length <= flightsDrawnMax) {
    for (const flight of drawable) {
      const { at, alpha, dropped } = place(flight)
      dots.push({ x: at.x, y: at.y, radius: 5, flights: [flight] })
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
    return { dots, aggregated: false, inFlight: drawable.length }
  }
  // Too many to follow: one dot per directed link, at its newest message.
  const perLink = new Map<string, { newest: Flight; flights: Flight[] }>()
  for (const flight of drawable) {
    const key = `${flight.src}>${flight.dest}`
    const seen = perLink.get(key)
    if (seen === undefined) perLink.set(key, { newest: flight, flights: [flight] })
    else {
      seen.flights.push(flight)
      if (flight.bornMs > seen.newest.bornMs) seen.newest = flight
    }
  }
  context.font = '11px system-ui, sans-serif'
  context.textAlign = 'left'
  for (const { newest, flights } of perLink.values()) {
    const { at } = place(newest)
    const dotRadius = Math.min(10, 3 + Math.log2(flights.length + 1))
    dots.push({ x: at.x, y: at.y, radius: dotRadius, flights })
    context.beginPath()
    context.arc(at.x, at.y, dotRadius, 0, 2 * Math.PI)
    context.fillStyle = scene.palette.message
    context.fill()
    context.fillStyle = scene.palette.muted
    context.fillText(`×${flights.length}`, at.x + 9, at.y - 8)
  }
  return { dots, aggregated: true, inFlight: drawable.length }
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
