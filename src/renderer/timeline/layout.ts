// Where things go on the strip: a gutter of lane names on the left, a time
// axis on top, one lane per node, and under them a row per client for its
// operations. Pure: the drawing, the pointer and the tests all use it.

import type { TimeWindow } from './time-window'

export interface StripGeometry {
  widthPx: number
  heightPx: number
  gutterPx: number
  axisPx: number
  lanesTopPx: number
  laneHeightPx: number
  laneCount: number
  clientsTopPx: number
  clientRowPx: number
  /** Client rows drawn: clients beyond them share rows (client k in row k mod rows). */
  clientRows: number
}

/** Client rows drawn at most. */
export const clientRowsMax = 8
const gutterPx = 44
const axisPx = 18

export function stripGeometry(
  widthPx: number,
  heightPx: number,
  laneCount: number,
  clientCount: number,
): StripGeometry {
  const clientRows = Math.min(clientCount, clientRowsMax)
  const inner = Math.max(0, heightPx - axisPx - 4)
  const clientRowPx = clientRows === 0 ? 0 : Math.max(3, Math.min(10, (inner * 0.25) / clientRows))
  const clientsPx = clientRows * clientRowPx + (clientRows === 0 ? 0 : 6)
  const laneHeightPx = laneCount === 0 ? 0 : Math.max(4, (inner - clientsPx) / laneCount)
  const lanesTopPx = axisPx + 2
  return {
    widthPx,
    heightPx,
    gutterPx,
    axisPx,
    lanesTopPx,
    laneHeightPx,
    laneCount,
    clientsTopPx: lanesTopPx + laneCount * laneHeightPx + 4,
    clientRowPx,
    clientRows,
  }
}

/** The middle of lane row `row` (0 at the top). */
export function laneMiddle(geometry: StripGeometry, row: number): number {
  return geometry.lanesTopPx + (row + 0.5) * geometry.laneHeightPx
}

/** Pixels from the canvas's left edge: the gutter, then time. */
export function xAt(window: TimeWindow, geometry: StripGeometry, t: number): number {
  return geometry.gutterPx + (t - window.startMs) / window.msPerPx
}

export function timeAt(window: TimeWindow, geometry: StripGeometry, x: number): number {
  return window.startMs + (x - geometry.gutterPx) * window.msPerPx
}

/** The drawing area's width: the canvas less the gutter. */
export function plotWidth(geometry: StripGeometry): number {
  return Math.max(1, geometry.widthPx - geometry.gutterPx)
}

/** How long a stub is drawn for a message whose other end the page never saw. */
export const stubPx = 10

export interface Arrow {
  x1: number
  y1: number
  x2: number
  y2: number
}

/**
 * One message's arrow, from its send on the sender's lane to its receive on
 * the receiver's. An end the page did not see becomes a short stub: a send
 * with no receive yet points partway to the receiver; a receive whose send
 * was sampled out comes in from a little before it. A dropped message goes
 * to the receiver's lane at the time of the drop, where the drawing crosses
 * it out (stopping halfway read as a message to the lane between). Written
 * into `into` (no allocation).
 */
export function arrowOf(
  window: TimeWindow,
  geometry: StripGeometry,
  message: { start: number; end: number; fromRow: number; toRow: number },
  into: Arrow,
): Arrow {
  const y1 = laneMiddle(geometry, message.fromRow)
  const yTo = laneMiddle(geometry, message.toRow)
  const sendSeen = !Number.isNaN(message.start)
  const endSeen = !Number.isNaN(message.end)
  const x2 = endSeen ? xAt(window, geometry, message.end) : Number.NaN
  into.x1 = sendSeen ? xAt(window, geometry, message.start) : x2 - stubPx
  into.y1 = sendSeen ? y1 : y1 + (yTo - y1) * 0.7
  if (!endSeen) {
    into.x2 = into.x1 + stubPx
    into.y2 = y1 + (yTo - y1) * 0.3
  } else {
    into.x2 = x2
    into.y2 = yTo
  }
  return into
}

/** A round step between axis ticks, at least `minPx` apart: 1, 2 or 5 times a power of ten. */
export function tickStepMs(msPerPx: number, minPx = 80): number {
  const raw = msPerPx * minPx
  const power = 10 ** Math.floor(Math.log10(raw))
  for (const multiple of [1, 2, 5, 10]) {
    if (multiple * power >= raw) return multiple * power
  }
  return 10 * power
}

/** A time as the axis writes it: 850 ms, 1.25 s, 2 min 5 s, 120 µs. */
export function timeLabel(ms: number, stepMs: number): string {
  if (stepMs < 1) return `${round(ms * 1000, stepMs * 1000)} µs`
  if (stepMs < 1000 && Math.abs(ms) < 10_000) return `${round(ms, stepMs)} ms`
  if (ms < 120_000) return `${round(ms / 1000, stepMs / 1000)} s`
  const minutes = Math.floor(ms / 60_000)
  return `${minutes} min ${round((ms - minutes * 60_000) / 1000, stepMs / 1000)} s`
}

function round(value: number, step: number): string {
  const decimals = Math.max(0, Math.min(6, -Math.floor(Math.log10(step) + 1e-9)))
  return value.toFixed(decimals)
}
