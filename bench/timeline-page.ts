// The page side of the timeline's Chromium benchmark (timeline-canvas.ts):
// the renderer's own columns and drawer on a real canvas, bundled for the
// browser. The run arrives as one real trace, repeated here to a million
// events; each measurement draws one frame per animation frame, as the strip
// does, and reports the time spent drawing and the time between frames
// (which includes Chromium's rasterising of the previous one).

import { batchEventsMax, type TraceBatch } from '../src/shared/api'
import type { TraceEvent } from '../src/shared/trace'
import { TimelineColumns } from '../src/renderer/timeline/columns'
import { TimelineDrawer, type FrameStats } from '../src/renderer/timeline/draw'
import { plotWidth, stripGeometry } from '../src/renderer/timeline/layout'
import { windowOver, type TimeWindow } from '../src/renderer/timeline/time-window'
import { testPalette } from '../test/renderer/recording-context'
import { repeated } from './traces'

export interface CanvasFrames {
  drawMedianMs: number
  drawWorstMs: number
  frameMedianMs: number
  frameWorstMs: number
  /** Frames that came more than 25 ms after the one before (a 60 Hz frame missed). */
  lateFrames: number
  detail: string
  messagesInView: number
}

const columns = new TimelineColumns()

function median(sorted: number[]): number {
  return sorted[sorted.length >> 1] ?? Number.NaN
}

/** Takes the run in, in batches as the core sends them; returns the ms it took. */
function load(trace: TraceEvent[], count: number): number {
  const started = performance.now()
  let events: TraceEvent[] = []
  for (const event of repeated(trace, count)) {
    events.push(event)
    if (events.length === batchEventsMax) {
      columns.ingest({ run: 1, events, skipped: {} } satisfies TraceBatch)
      events = []
    }
  }
  if (events.length > 0) columns.ingest({ run: 1, events, skipped: {} })
  return performance.now() - started
}

/**
 * Draws `frames` frames of a window `spanFraction` of the run wide, centred
 * (or from a third of the way in, moving `scrollPx` a frame), one per frame.
 */
function frames(
  spanFraction: number,
  count: number,
  scrollPx: number,
  empty: boolean,
): Promise<CanvasFrames> {
  const canvas = document.querySelector('canvas') as HTMLCanvasElement
  const context = canvas.getContext('2d') as CanvasRenderingContext2D
  const shown = empty ? new TimelineColumns() : columns
  if (empty) shown.ensureLanes(['n1', 'n2', 'n3', 'n4', 'n5'])
  const { width, height } = canvas.getBoundingClientRect()
  const geometry = stripGeometry(width, height, columns.lanes.length, columns.clients.length)
  const endMs = columns.endMs
  const spanMs = endMs * spanFraction
  const first =
    scrollPx === 0
      ? windowOver(endMs / 2 - spanMs / 2, endMs / 2 + spanMs / 2, plotWidth(geometry))
      : windowOver(endMs / 3, endMs / 3 + spanMs, plotWidth(geometry))
  const draws: number[] = []
  const intervals: number[] = []
  let stats: FrameStats | null = null
  return new Promise((resolve) => {
    let last = -1
    const tick = (now: number): void => {
      if (last >= 0) intervals.push(now - last)
      last = now
      if (draws.length === count) {
        draws.sort((a, b) => a - b)
        intervals.sort((a, b) => a - b)
        resolve({
          drawMedianMs: median(draws),
          drawWorstMs: draws[draws.length - 1] ?? Number.NaN,
          frameMedianMs: median(intervals),
          frameWorstMs: intervals[intervals.length - 1] ?? Number.NaN,
          lateFrames: intervals.filter((ms) => ms > 25).length,
          detail: stats?.detail ?? '',
          messagesInView: stats?.messagesInView ?? 0,
        })
        return
      }
      const window: TimeWindow = {
        startMs: first.startMs + draws.length * scrollPx * first.msPerPx,
        msPerPx: first.msPerPx,
      }
      const started = performance.now()
      context.setTransform(1, 0, 0, 1, 0, 0)
      stats = draw(context, window, geometry, shown)
      draws.push(performance.now() - started)
      requestAnimationFrame(tick)
    }
    requestAnimationFrame(tick)
  })
}

const drawer = new TimelineDrawer()

function draw(
  context: CanvasRenderingContext2D,
  window: TimeWindow,
  geometry: ReturnType<typeof stripGeometry>,
  shown: TimelineColumns,
): FrameStats {
  return drawer.draw(context, {
    columns: shown,
    window,
    geometry,
    palette: testPalette,
    shownAt: null,
  })
}

Object.assign(globalThis, { timelineBench: { load, frames } })
