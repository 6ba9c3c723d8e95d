// The part of the run the timeline shows: where it starts and how many
// milliseconds one pixel stands for. Zooming keeps the time under the pointer
// (or the middle) in place; panning moves by pixels; the window never leaves
// the run by more than a little margin; following keeps the run's end at the
// right edge.

export interface TimeWindow {
  startMs: number
  msPerPx: number
}

/** The closest zoom: a microsecond per pixel. */
export const msPerPxMin = 0.001
/** The farthest zoom: a day across a thousand pixels. */
export const msPerPxMax = 86_400
/** Room left after the run's end while following, as a share of the width. */
const followMargin = 0.04

export function zoomAt(window: TimeWindow, factor: number, anchorPx: number): TimeWindow {
  const msPerPx = clamp(window.msPerPx * factor, msPerPxMin, msPerPxMax)
  const anchorMs = window.startMs + anchorPx * window.msPerPx
  return { startMs: anchorMs - anchorPx * msPerPx, msPerPx }
}

export function panBy(window: TimeWindow, pixels: number): TimeWindow {
  return { startMs: window.startMs + pixels * window.msPerPx, msPerPx: window.msPerPx }
}

/** Keeps the window over the run: its start between the run's start and its end. */
export function clampToRun(window: TimeWindow, widthPx: number, endMs: number): TimeWindow {
  const spanMs = widthPx * window.msPerPx
  const latestStart = Math.max(0, endMs - spanMs * (1 - followMargin))
  const earliestStart = -spanMs * followMargin
  return {
    startMs: clamp(window.startMs, earliestStart, Math.max(earliestStart, latestStart)),
    msPerPx: window.msPerPx,
  }
}

/** The window that shows the run's end at the right edge (the whole run while it is short). */
export function following(window: TimeWindow, widthPx: number, endMs: number): TimeWindow {
  const spanMs = widthPx * window.msPerPx
  return { startMs: Math.max(0, endMs - spanMs * (1 - followMargin)), msPerPx: window.msPerPx }
}

/** True when the window reaches the run's end: panning there resumes following. */
export function atRunEnd(window: TimeWindow, widthPx: number, endMs: number): boolean {
  return window.startMs + widthPx * window.msPerPx * (1 - followMargin) >= endMs - window.msPerPx
}

/** A window showing [fromMs, toMs] across `widthPx`. */
export function windowOver(fromMs: number, toMs: number, widthPx: number): TimeWindow {
  const msPerPx = clamp((toMs - fromMs) / Math.max(1, widthPx), msPerPxMin, msPerPxMax)
  return { startMs: fromMs, msPerPx }
}

export function clamp(value: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, value))
}
