// Draws one frame of the timeline on a 2D context: the time axis, a lane per
// node coloured by its role over time, messages (arrows, or density bands when
// too many are in view), timers, client operations as spans, faults, link
// changes and violations, the moment shown and the run's live end. Only what
// is in the window is read, through the tables' binary searches; the frame
// allocates nothing that grows with the run.
//
// The context is any object with the few 2D-canvas members used here, so the
// benchmark can time this code against a counting context in Node.

import { type TimelineColumns, messageFlags, outcomes } from './columns'
import {
  arrowOf,
  laneMiddle,
  plotWidth,
  tickStepMs,
  timeAt,
  timeLabel,
  xAt,
  type Arrow,
  type StripGeometry,
} from './layout'
import {
  bandHeight,
  binPx,
  binWeights,
  detailFor,
  rowsBetween,
  type Detail,
} from './level-of-detail'
import { upperBound } from './table'
import type { TimeWindow } from './time-window'

/** The members of CanvasRenderingContext2D this drawing uses. */
export interface Canvas2D {
  fillStyle: unknown
  strokeStyle: unknown
  lineWidth: number
  globalAlpha: number
  font: string
  textAlign: string
  textBaseline: string
  save(): void
  restore(): void
  clearRect(x: number, y: number, width: number, height: number): void
  fillRect(x: number, y: number, width: number, height: number): void
  beginPath(): void
  rect(x: number, y: number, width: number, height: number): void
  clip(): void
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
  stroke(): void
  fill(): void
  fillText(text: string, x: number, y: number): void
  setLineDash(segments: number[]): void
}

export interface TimelinePalette {
  background: string
  foreground: string
  muted: string
  grid: string
  message: string
  drop: string
  cut: string
  accent: string
  roles: Record<'leader' | 'candidate' | 'follower' | 'other' | 'dead' | 'paused', string>
}

export interface TimelineScene {
  columns: TimelineColumns
  window: TimeWindow
  geometry: StripGeometry
  palette: TimelinePalette
  /** The moment shown in the cluster view; null while it shows the live run. */
  shownAt: number | null
  /** The clients' rows' name, in the page's language (English when not given). */
  clientsLabel?: string
}

/** What a frame drew: for tests, the benchmark and the strip's status line. */
export interface FrameStats {
  detail: Detail
  messagesInView: number
  arrows: number
  bins: number
  timerTicks: number
  operations: number
  faults: number
}

/** Timer ticks drawn at most; past it, timers are a faint band. */
export const timerTicksMax = 1_500
/** Operation spans drawn at most; past it, a band. */
export const operationsDrawnMax = 3_000
/** Faults drawn at most; past it, one per pixel. */
export const faultsDrawnMax = 2_000
/** A window looks back at most this many window widths for arrows that land in it. */
const lookbackWidths = 4

export class TimelineDrawer {
  private bins = new Float64Array(0)
  private readonly arrow: Arrow = { x1: 0, y1: 0, x2: 0, y2: 0 }
  private readonly message = { start: 0, end: 0, fromRow: 0, toRow: 0 }

  draw(context: Canvas2D, scene: TimelineScene): FrameStats {
    const { geometry, palette, columns } = scene
    const stats: FrameStats = {
      detail: 'arrows',
      messagesInView: 0,
      arrows: 0,
      bins: 0,
      timerTicks: 0,
      operations: 0,
      faults: 0,
    }
    context.clearRect(0, 0, geometry.widthPx, geometry.heightPx)
    context.fillStyle = palette.background
    context.fillRect(0, 0, geometry.widthPx, geometry.heightPx)
    const rows = rowsOfLanes(columns)
    this.drawGutter(context, scene)
    context.save()
    context.beginPath()
    context.rect(geometry.gutterPx, 0, plotWidth(geometry), geometry.heightPx)
    context.clip()
    this.drawAxis(context, scene)
    this.drawForgotten(context, scene)
    for (const [row, lane] of columns.laneOrder().entries())
      this.drawRoles(context, scene, lane, row)
    this.drawTimers(context, scene, stats)
    this.drawMessages(context, scene, rows, stats)
    this.drawOperations(context, scene, stats)
    this.drawFaults(context, scene, rows, stats)
    this.drawMoments(context, scene)
    context.restore()
    return stats
  }

  private drawGutter(context: Canvas2D, scene: TimelineScene): void {
    const { geometry, palette, columns } = scene
    context.fillStyle = palette.foreground
    context.font = '11px system-ui, sans-serif'
    context.textAlign = 'left'
    context.textBaseline = 'middle'
    for (const [row, lane] of columns.laneOrder().entries()) {
      if (geometry.laneHeightPx >= 9) {
        context.fillText(columns.lanes[lane].id, 6, laneMiddle(geometry, row))
      }
    }
    if (geometry.clientRows > 0) {
      context.fillStyle = palette.muted
      const middle = geometry.clientsTopPx + (geometry.clientRows * geometry.clientRowPx) / 2
      context.fillText(scene.clientsLabel ?? 'clients', 4, middle)
    }
  }

  private drawAxis(context: Canvas2D, scene: TimelineScene): void {
    const { geometry, palette, window } = scene
    const step = tickStepMs(window.msPerPx)
    const endMs = timeAt(window, geometry, geometry.widthPx)
    context.strokeStyle = palette.grid
    context.lineWidth = 1
    context.beginPath()
    context.fillStyle = palette.muted
    context.font = '10px system-ui, sans-serif'
    context.textAlign = 'left'
    context.textBaseline = 'top'
    for (let t = Math.ceil(window.startMs / step) * step; t <= endMs; t += step) {
      const x = Math.round(xAt(window, geometry, t)) + 0.5
      context.moveTo(x, geometry.axisPx - 4)
      context.lineTo(x, geometry.heightPx)
      context.fillText(timeLabel(t, step), x + 3, 3)
    }
    context.stroke()
  }

  private drawForgotten(context: Canvas2D, scene: TimelineScene): void {
    const { geometry, palette, columns, window } = scene
    if (columns.forgottenBeforeMs <= window.startMs) return
    const x = xAt(window, geometry, columns.forgottenBeforeMs)
    context.globalAlpha = 0.12
    context.fillStyle = palette.muted
    context.fillRect(geometry.gutterPx, geometry.axisPx, x - geometry.gutterPx, geometry.heightPx)
    context.globalAlpha = 1
  }

  /**
   * A lane's line, coloured by the node's role (thick while it leads), grey
   * while dead. Zoomed out past a state change per two pixels, the state is
   * read at every second pixel instead of at every change.
   */
  private drawRoles(context: Canvas2D, scene: TimelineScene, lane: number, row: number): void {
    const { geometry, palette, columns, window } = scene
    const states = columns.lanes[lane].states
    const keys = states.columns.key
    const y = laneMiddle(geometry, row)
    const left = geometry.gutterPx
    const right = Math.min(geometry.widthPx, xAt(window, geometry, columns.endMs))
    context.fillStyle = palette.grid
    context.fillRect(left, y - 0.5, Math.max(0, right - left), 1)
    if (states.length === 0 || right <= left) return
    const startMs = window.startMs
    const first = Math.max(0, upperBound(keys, states.length, startMs) - 1)
    const last = upperBound(keys, states.length, timeAt(window, geometry, right))
    const exact = last - first <= plotWidth(geometry) / 2
    let segmentStart = Math.max(left, xAt(window, geometry, keys[first]))
    let segmentRow = first
    const rowAt = (x: number): number =>
      exact ? -1 : upperBound(keys, states.length, timeAt(window, geometry, x)) - 1
    const flush = (to: number): void => {
      if (segmentRow < 0 || to <= segmentStart) return
      const { colour, thick } = this.roleStyle(scene, states.columns, segmentRow)
      context.fillStyle = colour
      const height = thick ? 4 : 2
      context.fillRect(segmentStart, y - height / 2, to - segmentStart, height)
    }
    if (exact) {
      for (let i = first + 1; i < last; i++) {
        const x = xAt(window, geometry, keys[i])
        if (!this.sameStyle(states.columns, segmentRow, i)) {
          flush(x)
          segmentStart = x
          segmentRow = i
        }
      }
    } else {
      for (let x = segmentStart + 2; x < right; x += 2) {
        const at = rowAt(x)
        if (
          at !== segmentRow &&
          (segmentRow < 0 || !this.sameStyle(states.columns, segmentRow, at))
        ) {
          flush(x)
          segmentStart = x
          segmentRow = at
        }
      }
    }
    flush(right)
  }

  private sameStyle(
    columns: TimelineColumns['lanes'][number]['states']['columns'],
    a: number,
    b: number,
  ): boolean {
    return (
      a >= 0 &&
      b >= 0 &&
      columns.status[a] === columns.status[b] &&
      columns.role[a] === columns.role[b]
    )
  }

  private roleStyle(
    scene: TimelineScene,
    columns: TimelineColumns['lanes'][number]['states']['columns'],
    row: number,
  ): { colour: string; thick: boolean } {
    const roles = scene.palette.roles
    const status = columns.status[row]
    if (status === 1) return { colour: roles.dead, thick: false }
    if (status === 2) return { colour: roles.paused, thick: false }
    const role = scene.columns.roleNames[columns.role[row]]
    if (role === 'leader') return { colour: roles.leader, thick: true }
    if (role === 'candidate' || role === 'follower') return { colour: roles[role], thick: false }
    return { colour: roles.other, thick: false }
  }

  private drawTimers(context: Canvas2D, scene: TimelineScene, stats: FrameStats): void {
    const { geometry, palette, columns, window } = scene
    const viewEnd = timeAt(window, geometry, geometry.widthPx)
    const inView = rowsInView(
      columns.lanes.map((lane) => lane.timers),
      window.startMs,
      viewEnd,
    )
    if (inView === 0) return
    const tickPx = Math.min(4, geometry.laneHeightPx * 0.2)
    context.strokeStyle = palette.muted
    context.fillStyle = palette.muted
    context.lineWidth = 1
    if (inView <= timerTicksMax) {
      context.beginPath()
      for (const [row, index] of columns.laneOrder().entries()) {
        const timers = columns.lanes[index].timers
        const { from, to } = rowsBetween(timers, window.startMs, viewEnd)
        const top = laneMiddle(geometry, row) - geometry.laneHeightPx * 0.42
        for (let i = from; i < to; i++) {
          const x = Math.round(xAt(window, geometry, timers.columns.key[i])) + 0.5
          context.moveTo(x, top)
          context.lineTo(x, top + tickPx)
        }
      }
      context.stroke()
      stats.timerTicks = inView
      return
    }
    const bins = this.binCount(geometry)
    context.globalAlpha = 0.5
    context.beginPath()
    for (const [row, index] of columns.laneOrder().entries()) {
      const weights = this.binBuffer(bins)
      const timers = columns.lanes[index].timers
      const largest = binWeights(timers, window.startMs, binPx * window.msPerPx, bins, weights)
      const top = laneMiddle(geometry, row) - geometry.laneHeightPx * 0.42
      for (let bin = 0; bin < bins; bin++) {
        const height = bandHeight(weights[bin], largest, tickPx)
        if (height > 0) context.rect(geometry.gutterPx + bin * binPx, top, binPx, height)
      }
    }
    context.fill()
    context.globalAlpha = 1
  }

  private drawMessages(
    context: Canvas2D,
    scene: TimelineScene,
    rows: Int32Array,
    stats: FrameStats,
  ): void {
    const { geometry, columns, window } = scene
    const viewEnd = timeAt(window, geometry, geometry.widthPx)
    const lookFrom = lookBackFrom(window, viewEnd, columns.longestFlightMs)
    const inView = rowsInView(
      columns.lanes.map((lane) => lane.messages),
      lookFrom,
      viewEnd,
    )
    stats.messagesInView = inView
    stats.detail = detailFor(inView, plotWidth(geometry))
    if (inView === 0) return
    if (stats.detail === 'arrows') {
      stats.arrows = this.drawArrows(context, scene, rows, lookFrom, viewEnd, false)
      stats.arrows += this.drawArrows(context, scene, rows, lookFrom, viewEnd, true)
      return
    }
    stats.bins = this.drawDensity(context, scene)
  }

  /** One path for all arrows of a kind (delivered, or dropped with a cross where they fell). */
  private drawArrows(
    context: Canvas2D,
    scene: TimelineScene,
    rows: Int32Array,
    fromMs: number,
    toMs: number,
    dropped: boolean,
  ): number {
    const { geometry, palette, columns, window } = scene
    const arrow = this.arrow
    const message = this.message
    const left = geometry.gutterPx
    const right = geometry.widthPx
    let drawn = 0
    context.strokeStyle = dropped ? palette.drop : palette.message
    context.lineWidth = 1
    context.globalAlpha = dropped ? 0.95 : 0.75
    context.beginPath()
    for (const [fromRow, index] of columns.laneOrder().entries()) {
      const messages = columns.lanes[index].messages
      const { start, end, dest, flags } = messages.columns
      const { from, to } = rowsBetween(messages, fromMs, toMs)
      for (let i = from; i < to; i++) {
        if (((flags[i] & messageFlags.dropped) !== 0) !== dropped) continue
        message.start = start[i]
        message.end = end[i]
        message.fromRow = fromRow
        message.toRow = rows[dest[i]]
        arrowOf(window, geometry, message, arrow)
        if ((arrow.x1 < left && arrow.x2 < left) || (arrow.x1 > right && arrow.x2 > right)) continue
        context.moveTo(arrow.x1, arrow.y1)
        context.lineTo(arrow.x2, arrow.y2)
        if (dropped && !Number.isNaN(message.end)) {
          context.moveTo(arrow.x2 - 3, arrow.y2 - 3)
          context.lineTo(arrow.x2 + 3, arrow.y2 + 3)
          context.moveTo(arrow.x2 - 3, arrow.y2 + 3)
          context.lineTo(arrow.x2 + 3, arrow.y2 - 3)
        } else {
          arrowHead(context, arrow)
        }
        drawn++
      }
    }
    context.stroke()
    context.globalAlpha = 1
    return drawn
  }

  /** Per lane, the weight of messages sent (and, below, dropped) in each bin. */
  private drawDensity(context: Canvas2D, scene: TimelineScene): number {
    const { geometry, palette, columns, window } = scene
    const bins = this.binCount(geometry)
    const order = columns.laneOrder()
    const all = this.binBuffer(bins * order.length * 2)
    const binMs = binPx * window.msPerPx
    let largestSent = 0
    let largestDropped = 0
    for (const [row, index] of order.entries()) {
      const lane = columns.lanes[index]
      const sent = all.subarray(row * 2 * bins, (row * 2 + 1) * bins)
      const dropped = all.subarray((row * 2 + 1) * bins, (row * 2 + 2) * bins)
      largestSent = Math.max(
        largestSent,
        binWeights(lane.messages, window.startMs, binMs, bins, sent),
      )
      largestDropped = Math.max(
        largestDropped,
        binWeights(lane.drops, window.startMs, binMs, bins, dropped),
      )
    }
    const bandPx = geometry.laneHeightPx * 0.7
    for (const [colour, offset, largest, fullPx] of [
      [palette.message, 0, largestSent, bandPx],
      [palette.drop, 1, largestDropped, bandPx * 0.35],
    ] as const) {
      if (largest === 0) continue
      context.fillStyle = colour
      context.globalAlpha = offset === 0 ? 0.55 : 0.9
      context.beginPath()
      for (let row = 0; row < order.length; row++) {
        const middle = laneMiddle(geometry, row)
        const base = (row * 2 + offset) * bins
        for (let bin = 0; bin < bins; bin++) {
          const height = bandHeight(all[base + bin], largest, fullPx)
          if (height === 0) continue
          const top = offset === 0 ? middle - height / 2 : middle + bandPx / 2 - height
          context.rect(geometry.gutterPx + bin * binPx, top, binPx, height)
        }
      }
      context.fill()
    }
    context.globalAlpha = 1
    return bins * order.length
  }

  private drawOperations(context: Canvas2D, scene: TimelineScene, stats: FrameStats): void {
    const { geometry, palette, columns, window } = scene
    if (geometry.clientRows === 0) return
    const viewEnd = timeAt(window, geometry, geometry.widthPx)
    const lookFrom = lookBackFrom(window, viewEnd, columns.longestOperationMs)
    const inView = rowsInView(
      columns.clients.map((client) => client.operations),
      lookFrom,
      viewEnd,
    )
    stats.operations = inView
    const colours: Record<(typeof outcomes)[number], string> = {
      pending: palette.muted,
      ok: palette.roles.leader,
      fail: palette.drop,
      info: palette.roles.candidate,
    }
    const height = Math.max(2, geometry.clientRowPx - 2)
    if (inView > operationsDrawnMax) {
      context.fillStyle = palette.accent
      context.globalAlpha = 0.5
      context.fillRect(
        geometry.gutterPx,
        geometry.clientsTopPx,
        plotWidth(geometry),
        geometry.clientRows * geometry.clientRowPx,
      )
      context.globalAlpha = 1
      return
    }
    for (const [outcome, name] of outcomes.entries()) {
      context.fillStyle = colours[name]
      context.beginPath()
      for (const [index, client] of columns.clients.entries()) {
        const operations = client.operations
        const { key, end, outcome: ended } = operations.columns
        const top = geometry.clientsTopPx + (index % geometry.clientRows) * geometry.clientRowPx
        const { from, to } = rowsBetween(operations, lookFrom, viewEnd)
        for (let i = from; i < to; i++) {
          if (ended[i] !== outcome) continue
          const x1 = xAt(window, geometry, key[i])
          const x2 = xAt(window, geometry, Number.isNaN(end[i]) ? columns.endMs : end[i])
          if (x2 < geometry.gutterPx) continue
          context.rect(x1, top, Math.max(1, x2 - x1), height)
        }
      }
      context.fill()
    }
  }

  private drawFaults(
    context: Canvas2D,
    scene: TimelineScene,
    rows: Int32Array,
    stats: FrameStats,
  ): void {
    const { geometry, palette, columns, window } = scene
    const viewEnd = timeAt(window, geometry, geometry.widthPx)
    const from = columns.faultsUpTo(window.startMs, false)
    const to = columns.faultsUpTo(viewEnd)
    const crowded = to - from > faultsDrawnMax
    let lastX = Number.NEGATIVE_INFINITY
    let labelEnd = Number.NEGATIVE_INFINITY
    const bottom = geometry.lanesTopPx + geometry.laneCount * geometry.laneHeightPx
    context.font = '10px system-ui, sans-serif'
    context.textAlign = 'left'
    context.textBaseline = 'top'
    for (let i = from; i < to; i++) {
      const fault = columns.faults[i]
      const x = Math.round(xAt(window, geometry, fault.t)) + 0.5
      if (crowded && x === lastX) continue
      lastX = x
      stats.faults++
      if (fault.lane >= 0) {
        this.drawNodeFault(context, scene, fault.kind, x, laneMiddle(geometry, rows[fault.lane]))
        continue
      }
      if (fault.text === '') continue // the partition kept when older faults were forgotten
      const violation = fault.kind === 'violation'
      context.strokeStyle = violation ? palette.drop : palette.cut
      context.lineWidth = violation ? 2 : 1
      context.setLineDash(violation ? [] : [4, 3])
      context.beginPath()
      context.moveTo(x, geometry.axisPx)
      context.lineTo(x, bottom)
      context.stroke()
      context.setLineDash([])
      const label = violation ? `⚠ ${fault.text}` : fault.text
      if (x > labelEnd) {
        context.fillStyle = violation ? palette.drop : palette.cut
        context.fillText(label, x + 3, geometry.axisPx + 1)
        labelEnd = x + 6 + label.length * 5.5
      }
    }
  }

  private drawNodeFault(
    context: Canvas2D,
    scene: TimelineScene,
    kind: string,
    x: number,
    y: number,
  ): void {
    const { palette } = scene
    const size = Math.max(3, Math.min(6, scene.geometry.laneHeightPx * 0.3))
    context.lineWidth = 2
    context.beginPath()
    if (kind === 'crash') {
      context.strokeStyle = palette.drop
      context.moveTo(x - size, y - size)
      context.lineTo(x + size, y + size)
      context.moveTo(x - size, y + size)
      context.lineTo(x + size, y - size)
      context.stroke()
      return
    }
    if (kind === 'pause') {
      context.fillStyle = palette.roles.paused
      context.fillRect(x - size, y - size, size * 0.7, size * 2)
      context.fillRect(x + size * 0.3, y - size, size * 0.7, size * 2)
      return
    }
    // restart and resume: a triangle pointing on.
    context.fillStyle = kind === 'restart' ? palette.roles.leader : palette.roles.paused
    context.moveTo(x - size * 0.6, y - size)
    context.lineTo(x + size, y)
    context.lineTo(x - size * 0.6, y + size)
    context.fill()
  }

  /** The run's live end (dashed) and the moment shown (the cursor). */
  private drawMoments(context: Canvas2D, scene: TimelineScene): void {
    const { geometry, palette, columns, window, shownAt } = scene
    const endX = Math.round(xAt(window, geometry, columns.endMs)) + 0.5
    context.strokeStyle = palette.muted
    context.lineWidth = 1
    context.setLineDash([2, 3])
    context.beginPath()
    context.moveTo(endX, geometry.axisPx)
    context.lineTo(endX, geometry.heightPx)
    context.stroke()
    context.setLineDash([])
    if (shownAt === null) return
    const x = Math.round(xAt(window, geometry, shownAt)) + 0.5
    context.strokeStyle = palette.accent
    context.fillStyle = palette.accent
    context.lineWidth = 2
    context.beginPath()
    context.moveTo(x, geometry.axisPx - 6)
    context.lineTo(x, geometry.heightPx)
    context.stroke()
    context.beginPath()
    context.moveTo(x - 6, 0)
    context.lineTo(x + 6, 0)
    context.lineTo(x, geometry.axisPx - 6)
    context.fill()
  }

  private binCount(geometry: StripGeometry): number {
    return Math.ceil(plotWidth(geometry) / binPx)
  }

  private binBuffer(size: number): Float64Array {
    if (this.bins.length < size) this.bins = new Float64Array(Math.max(size, this.bins.length * 2))
    return this.bins
  }
}

/** Rows of all `tables` keyed in [fromMs, toMs). */
function rowsInView(
  tables: readonly { columns: { key: Float64Array }; length: number }[],
  fromMs: number,
  toMs: number,
): number {
  let count = 0
  for (const table of tables) {
    const { from, to } = rowsBetween(table, fromMs, toMs)
    count += to - from
  }
  return count
}

/**
 * Where to start looking for spans (messages, operations) that end in the
 * window: back by the longest span seen, but at most a few window widths.
 */
function lookBackFrom(window: TimeWindow, viewEndMs: number, longestMs: number): number {
  return window.startMs - Math.min(longestMs, (viewEndMs - window.startMs) * lookbackWidths)
}

/** Each data lane's row on screen. */
function rowsOfLanes(columns: TimelineColumns): Int32Array {
  const order = columns.laneOrder()
  const rows = new Int32Array(columns.lanes.length)
  for (const [row, lane] of order.entries()) rows[lane] = row
  return rows
}

function arrowHead(context: Canvas2D, arrow: Arrow): void {
  const dx = arrow.x2 - arrow.x1
  const dy = arrow.y2 - arrow.y1
  const length = Math.hypot(dx, dy)
  if (length < 6) return
  const ux = dx / length
  const uy = dy / length
  const size = 4
  context.moveTo(arrow.x2, arrow.y2)
  context.lineTo(arrow.x2 - size * ux - size * 0.6 * uy, arrow.y2 - size * uy + size * 0.6 * ux)
  context.moveTo(arrow.x2, arrow.y2)
  context.lineTo(arrow.x2 - size * ux + size * 0.6 * uy, arrow.y2 - size * uy - size * 0.6 * ux)
}
