// The timeline's pure drawing parts: the window moves and zooms as a learner
// expects, arrows go from send to receive (stubs for ends never seen, drops
// stop halfway), a frame draws only what is in its window, and past the
// arrows' limit it draws density bands whose cost does not grow with the run.

import { describe, expect, it } from 'vitest'
import { TimelineColumns } from '../../src/renderer/timeline/columns'
import { TimelineDrawer } from '../../src/renderer/timeline/draw'
import {
  arrowOf,
  laneMiddle,
  stripGeometry,
  stubPx,
  tickStepMs,
  timeLabel,
  xAt,
} from '../../src/renderer/timeline/layout'
import {
  arrowsDrawnMax,
  bandHeight,
  binWeights,
  detailFor,
} from '../../src/renderer/timeline/level-of-detail'
import {
  atRunEnd,
  clampToRun,
  following,
  panBy,
  zoomAt,
  type TimeWindow,
} from '../../src/renderer/timeline/time-window'
import { RecordingContext, testPalette } from './recording-context'
import { batch, message, state, type EventWithoutSeq } from './timeline-events'

const geometry = stripGeometry(1_044, 200, 3, 0) // a plot 1,000 px wide

function frame(columns: TimelineColumns, window: TimeWindow, shownAt: number | null = null) {
  const context = new RecordingContext()
  const stats = new TimelineDrawer().draw(context, {
    columns,
    window,
    geometry: stripGeometry(1_044, 200, columns.lanes.length, columns.clients.length),
    palette: testPalette,
    shownAt,
  })
  return { context, stats }
}

/** Twenty messages n1 -> n2 -> n3 -> n1 ..., one every 5 ms, each 3 ms in flight. */
function twentyMessages(): TimelineColumns {
  const columns = new TimelineColumns()
  const ids = ['n1', 'n2', 'n3']
  const list: EventWithoutSeq[] = []
  for (let i = 0; i < 20; i++)
    list.push(...message(i + 1, ids[i % 3], ids[(i + 1) % 3], 5 * i, 5 * i + 3))
  columns.ingest(batch(1, list))
  return columns
}

describe('the time window', () => {
  it('zooms about the pointer, pans by pixels, and stays over the run', () => {
    const window = { startMs: 100, msPerPx: 2 }
    const zoomed = zoomAt(window, 0.5, 250) // the time under pixel 250 stays there
    expect(zoomed).toEqual({ startMs: 350, msPerPx: 1 })
    expect(panBy(zoomed, 100)).toEqual({ startMs: 450, msPerPx: 1 })
    expect(clampToRun({ startMs: 5_000, msPerPx: 1 }, 1_000, 2_000).startMs).toBe(1_040)
    expect(clampToRun({ startMs: -900, msPerPx: 1 }, 1_000, 2_000).startMs).toBe(-40)
  })

  it('follows the end of the run, and knows when a scroll reached it', () => {
    const end = following({ startMs: 0, msPerPx: 1 }, 1_000, 5_000)
    expect(end.startMs).toBe(4_040)
    expect(atRunEnd(end, 1_000, 5_000)).toBe(true)
    expect(atRunEnd(panBy(end, -50), 1_000, 5_000)).toBe(false)
    // A short run is shown from its start.
    expect(following({ startMs: 300, msPerPx: 1 }, 1_000, 200).startMs).toBe(0)
  })
})

describe('arrows', () => {
  const window = { startMs: 0, msPerPx: 0.1 }
  const into = { x1: 0, y1: 0, x2: 0, y2: 0 }

  it('go from the send on the sender lane to the receive on the receiver lane', () => {
    const arrow = arrowOf(window, geometry, { start: 10, end: 13, fromRow: 0, toRow: 2 }, into)
    expect(arrow).toEqual({
      x1: geometry.gutterPx + 100,
      y1: laneMiddle(geometry, 0),
      x2: geometry.gutterPx + 130,
      y2: laneMiddle(geometry, 2),
    })
  })

  it('are stubs where an end was never seen', () => {
    const unseenSend = arrowOf(
      window,
      geometry,
      { start: Number.NaN, end: 13, fromRow: 0, toRow: 2 },
      { ...into },
    )
    expect(unseenSend.x2 - unseenSend.x1).toBe(stubPx)
    expect(unseenSend.y2).toBe(laneMiddle(geometry, 2))
    const inFlight = arrowOf(
      window,
      geometry,
      { start: 10, end: Number.NaN, fromRow: 2, toRow: 0 },
      { ...into },
    )
    expect(inFlight.x1).toBe(xAt(window, geometry, 10))
    expect(inFlight.x2 - inFlight.x1).toBe(stubPx)
    expect(inFlight.y2).toBeLessThan(laneMiddle(geometry, 2))
  })
})

describe('level of detail', () => {
  it('draws arrows while they can be told apart, density past that', () => {
    expect(detailFor(100, 1_000)).toBe('arrows')
    expect(detailFor(200, 1_000)).toBe('arrows')
    expect(detailFor(201, 1_000)).toBe('density') // more than one per five pixels
    expect(detailFor(arrowsDrawnMax + 1, 1_000_000)).toBe('density')
  })

  it('bins weights so that the bins add up to the weight in view', () => {
    const columns = new TimelineColumns()
    const list: EventWithoutSeq[] = []
    for (let i = 0; i < 1_000; i++) list.push(...message(i + 1, 'n1', 'n2', i, i + 1))
    columns.ingest({ ...batch(1, list), skipped: { send: 1_000 } }) // each stands for two
    const bins = new Float64Array(10)
    const largest = binWeights(columns.lanes[0].messages, 0, 100, 10, bins)
    expect([...bins]).toEqual(Array<number>(10).fill(200))
    expect(largest).toBe(200)
    expect(bandHeight(0, 200, 10)).toBe(0)
    expect(bandHeight(1, 200, 10)).toBeGreaterThanOrEqual(1)
    expect(bandHeight(200, 200, 10)).toBe(10)
    expect(bandHeight(20, 200, 10)).toBeGreaterThan(bandHeight(10, 200, 10))
  })
})

describe('a frame', () => {
  it('draws every message in view as an arrow', () => {
    const { stats, context } = frame(twentyMessages(), { startMs: 0, msPerPx: 0.1 })
    expect(stats.detail).toBe('arrows')
    expect(stats.arrows).toBe(20)
    expect(context.segmentsByColour.get('message')).toBeGreaterThanOrEqual(20)
  })

  it('draws a dropped message in the drop colour, crossed out where it fell', () => {
    const columns = new TimelineColumns()
    columns.ingest(
      batch(1, [...message(1, 'n1', 'n3', 10, 11, 'drop'), ...message(2, 'n1', 'n2', 20, 23)]),
    )
    const { stats, context } = frame(columns, { startMs: 0, msPerPx: 0.05 })
    expect(stats.arrows).toBe(2)
    expect(context.segmentsByColour.get('drop')).toBe(3) // the arrow and its cross
    expect(context.segmentsByColour.get('message')).toBe(3) // the arrow and its head
  })

  it('draws only the messages in its window (and those landing in it)', () => {
    // 40..60 ms: sends at 40, 45, 50, 55; the one sent at 35 landed at 38, before the window.
    const { stats } = frame(twentyMessages(), { startMs: 40, msPerPx: 0.02 })
    expect(stats.arrows).toBe(4)
  })

  it('draws density bands over a long run, at a cost that does not follow the run', () => {
    const columns = new TimelineColumns()
    let mid = 0
    for (let from = 0; from < 30_000; from += 1_000) {
      const list: EventWithoutSeq[] = []
      for (let t = from; t < from + 1_000; t++)
        list.push(...message(++mid, `n${(t % 3) + 1}`, `n${((t + 1) % 3) + 1}`, t, t + 2))
      columns.ingest(batch(1, list))
    }
    const { stats, context } = frame(columns, { startMs: 0, msPerPx: 30 })
    expect(stats.detail).toBe('density')
    expect(stats.arrows).toBe(0)
    expect(stats.messagesInView).toBe(30_000)
    expect(stats.bins).toBe(500 * 3)
    expect(context.pathOps).toBeLessThan(5_000)
  })

  it('colours a lane by the role its node had, and marks faults and violations', () => {
    const columns = new TimelineColumns()
    columns.ingest(
      batch(1, [
        state('n1', 0, 'follower', 1, 0),
        state('n1', 50, 'leader', 2, 0),
        { kind: 'crash', t: 80, node: 'n1' },
        {
          kind: 'violation',
          rule: 'Election Safety',
          message: 'two leaders in term 2',
          nodes: ['n1'],
          events: [],
          t: 90,
          node: 'n1',
        },
        state('n2', 95, 'follower', 2, 0),
      ]),
    )
    const early = frame(columns, { startMs: 0, msPerPx: 0.04 }) // 0..40 ms: n1 follows
    expect(early.context.rectsByColour.get('leader')).toBeUndefined()
    expect(early.context.rectsByColour.get('follower')).toBeGreaterThan(0)
    const all = frame(columns, { startMs: 0, msPerPx: 0.1 }, 60)
    expect(all.context.rectsByColour.get('leader')).toBe(1)
    expect(all.context.rectsByColour.get('dead')).toBe(1)
    expect(all.context.segmentsByColour.get('drop')).toBeGreaterThanOrEqual(2) // the crash's cross
    expect(all.context.texts).toContain('⚠ Election Safety: two leaders in term 2')
    expect(all.context.segmentsByColour.get('accent')).toBeGreaterThanOrEqual(1) // the moment shown
    expect(all.stats.faults).toBe(2)
  })
})

describe('the axis', () => {
  it('steps by 1, 2 or 5 times a power of ten and labels in the unit that reads best', () => {
    expect(tickStepMs(1)).toBe(100)
    expect(tickStepMs(0.3)).toBe(50)
    expect(tickStepMs(30)).toBe(5_000)
    expect(timeLabel(250, 50)).toBe('250 ms')
    expect(timeLabel(12_500, 500)).toBe('12.5 s')
    expect(timeLabel(125_000, 5_000)).toBe('2 min 5 s')
    expect(timeLabel(0.25, 0.05)).toBe('250 µs')
  })
})
