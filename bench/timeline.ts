// The timeline over a one-million-event run: the time to draw one frame at
// several zoom levels and while scrolling (median and worst of many frames),
// against the floor of drawing an empty timeline in the same run, and the
// target of a 60 Hz frame (16 ms). The run is a real simulator trace (5-node
// Raft, 16 clients writing, the leader killed and restarted) repeated to a
// million events, fed to the page's columns in batches as the core sends them.
//
// It runs in this Node process against a counting 2D context
// (test/renderer/recording-context.ts): it times our code (the window
// queries, the level of detail, the path building), not the rasterising of
// the paths, which a browser does on its own.

import type { TraceBatch } from '../src/shared/api'
import { batchEventsMax } from '../src/shared/api'
import type { TraceEvent } from '../src/shared/trace'
import { TimelineColumns } from '../src/renderer/timeline/columns'
import { TimelineDrawer, type FrameStats } from '../src/renderer/timeline/draw'
import { plotWidth, stripGeometry } from '../src/renderer/timeline/layout'
import { windowOver, type TimeWindow } from '../src/renderer/timeline/time-window'
import { RecordingContext, testPalette } from '../test/renderer/recording-context'
import { figure, section } from './report'
import { raftTrace, repeated } from './traces'

const eventsInRun = 1_000_000
const framesPerLevel = 120
const frameTargetMs = 16
/** A window 1,400 px wide and 220 px high: the strip in a 1,440 px window. */
const widthPx = 1_444
const heightPx = 220

interface FrameTimes {
  medianMs: number
  worstMs: number
  stats: FrameStats
}

function timeFrames(columns: TimelineColumns, windows: readonly TimeWindow[]): FrameTimes {
  const drawer = new TimelineDrawer()
  const context = new RecordingContext()
  const geometry = stripGeometry(widthPx, heightPx, columns.lanes.length, columns.clients.length)
  const times: number[] = []
  let stats: FrameStats | null = null
  for (const window of windows) {
    const started = performance.now()
    stats = drawer.draw(context, { columns, window, geometry, palette: testPalette, shownAt: null })
    times.push(performance.now() - started)
  }
  times.sort((a, b) => a - b)
  if (stats === null) throw new Error('no frames were drawn')
  return { medianMs: times[times.length >> 1], worstMs: times[times.length - 1], stats }
}

function report(name: string, times: FrameTimes, floor: FrameTimes): void {
  // The empty frame's worst shows what this machine's scheduler adds to any one frame.
  const floorText = `empty timeline: median ${floor.medianMs.toFixed(3)} ms, worst ${floor.worstMs.toFixed(2)} ms; target ${frameTargetMs} ms`
  const detail = `${times.stats.detail}, ${times.stats.messagesInView.toLocaleString('en-US')} msgs in view`
  figure(`timeline: ${name} (${detail}), median frame`, times.medianMs, 'ms', floorText)
  figure(`timeline: ${name}, worst frame`, times.worstMs, 'ms', floorText)
}

/** The million-event run in the page's columns, fed in batches as the core sends them. */
async function loadedColumns(): Promise<{ columns: TimelineColumns; ingestMs: number }> {
  const trace = await raftTrace()
  const batches: TraceBatch[] = []
  let events: TraceEvent[] = []
  for (const event of repeated(trace, eventsInRun)) {
    events.push(event)
    if (events.length === batchEventsMax) {
      batches.push({ run: 1, events, skipped: {} })
      events = []
    }
  }
  if (events.length > 0) batches.push({ run: 1, events, skipped: {} })
  const columns = new TimelineColumns()
  const started = performance.now()
  for (const batch of batches) columns.ingest(batch)
  return { columns, ingestMs: performance.now() - started }
}

export async function timelineBenchmarks(): Promise<void> {
  section(
    `timeline: one frame over a ${eventsInRun.toLocaleString('en-US')}-event run (Node, counting context)`,
  )
  // Only the columns outlive loading: the events, as objects, go to the garbage collector.
  const { columns, ingestMs } = await loadedColumns()
  figure(
    'timeline: events taken into the columns',
    eventsInRun / (ingestMs / 1000),
    'events/s',
    `the live run sends at most ${(batchEventsMax * 60).toLocaleString('en-US')} events/s (a batch per frame)`,
  )

  const empty = new TimelineColumns()
  empty.ensureLanes(['n1', 'n2', 'n3', 'n4', 'n5'])
  const endMs = columns.endMs
  const plotPx = plotWidth(stripGeometry(widthPx, heightPx, 5, 16))
  const still = (spanMs: number): TimeWindow[] => {
    const window = windowOver(endMs / 2 - spanMs / 2, endMs / 2 + spanMs / 2, plotPx)
    return Array.from({ length: framesPerLevel }, () => window)
  }
  const floor = timeFrames(empty, still(endMs))
  figure('timeline: an empty timeline (the floor), median frame', floor.medianMs, 'ms')
  figure('timeline: an empty timeline (the floor), worst frame', floor.worstMs, 'ms')
  for (const [name, spanMs] of [
    ['the whole run', endMs * 1.04],
    ['a tenth of the run', endMs / 10],
    ['a hundredth', endMs / 100],
    ['a thousandth', endMs / 1_000],
    ['a ten-thousandth', endMs / 10_000],
  ] as const) {
    report(name, timeFrames(columns, still(spanMs)), floor)
  }
  for (const [name, spanMs] of [
    ['scrolling, a hundredth in view', endMs / 100],
    ['scrolling, a ten-thousandth in view', endMs / 10_000],
  ] as const) {
    const first = windowOver(endMs / 3, endMs / 3 + spanMs, plotPx)
    // 8 px a frame, as a drag does.
    const windows = Array.from({ length: framesPerLevel * 2 }, (_, i) => ({
      startMs: first.startMs + i * 8 * first.msPerPx,
      msPerPx: first.msPerPx,
    }))
    report(name, timeFrames(columns, windows), floor)
  }
}
