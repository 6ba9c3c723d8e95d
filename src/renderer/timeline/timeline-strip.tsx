// The timeline strip under the terminal and the views: a space-time diagram
// of the run (draw.ts) on a canvas, with a slider for the moment the cluster
// view shows. It follows the live run until the learner scrolls back, and
// follows again when they scroll to the end or press End.
//
// Pointer: the wheel zooms about the pointer (shift or a sideways wheel
// pans), dragging pans, a click shows that moment. Keyboard, on the plot:
// arrows pan, + and - zoom, Home goes to the start, End follows the live run,
// Enter shows the moment in the middle, comma and period step it, Escape or L
// goes back to live. The slider, the buttons and the resize handle each have
// their own keys and names.

import { useEffect, useRef, useState, type KeyboardEvent, type PointerEvent } from 'react'
import { useWords } from '../i18n'
import { useAppState, type AppStore } from '../store'
import { onThemeChange, readPalette } from '../theme'
import { TimelineDrawer, type FrameStats, type TimelinePalette } from './draw'
import { plotWidth, stripGeometry, timeAt, timeLabel, tickStepMs } from './layout'
import {
  atRunEnd,
  clamp,
  clampToRun,
  following,
  panBy,
  windowOver,
  zoomAt,
  type TimeWindow,
} from './time-window'

const heightPxDefault = 190
const heightPxMin = 90
const heightPxMax = 600
/** How often the slider and the status line catch up with the run (they are React state). */
const statusEveryMs = 250

function timelinePalette(): TimelinePalette {
  const palette = readPalette()
  return {
    background: palette.background,
    foreground: palette.foreground,
    muted: palette.muted,
    grid: palette.link,
    message: palette.message,
    drop: palette.drop,
    cut: palette.cut,
    accent: palette.focus,
    roles: palette.roles,
  }
}

interface Status {
  endMs: number
  events: number
  sampledOut: number
  stats: FrameStats | null
  following: boolean
}

export function TimelineStrip({ store }: { store: AppStore }) {
  const shownAt = useAppState(store, (state) => state.shownAt)
  const words = useWords(store).timeline
  // The drawing loop reads the words drawn on the canvas from here.
  const clientsLabel = useRef(words.clients)
  const [collapsed, setCollapsed] = useState(false)
  const [heightPx, setHeightPx] = useState(heightPxDefault)
  const [status, setStatus] = useState<Status>({
    endMs: 0,
    events: 0,
    sampledOut: 0,
    stats: null,
    following: true,
  })
  const plotRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const view = useRef({
    window: { startMs: 0, msPerPx: 10 },
    following: true,
    widthPx: 0,
    dirty: true,
  })
  const shown = useRef(shownAt)
  shown.current = shownAt
  view.current.dirty = true

  const columns = store.timeline
  const geometryOf = (widthPx: number, height: number) =>
    stripGeometry(widthPx, height, columns.lanes.length, columns.clients.length)

  /** Changes the window; scrolling back stops following, reaching the end follows again. */
  const moveWindow = (change: (window: TimeWindow, plotPx: number) => TimeWindow): void => {
    const state = view.current
    const plotPx = plotWidth(geometryOf(state.widthPx, 0))
    const next = clampToRun(change(state.window, plotPx), plotPx, columns.endMs)
    state.window = next
    state.following = atRunEnd(next, plotPx, columns.endMs)
    state.dirty = true
  }

  const followLive = (): void => {
    view.current.following = true
    view.current.dirty = true
    store.showMoment(null)
  }

  /** Shows a moment, and brings it into view if it is not. */
  const showAt = (t: number): void => {
    const at = clamp(t, 0, columns.endMs)
    store.showMoment(at)
    const state = view.current
    // The moment stays in view: the window stops following the live run.
    state.following = false
    const plotPx = plotWidth(geometryOf(state.widthPx, 0))
    const { startMs, msPerPx } = state.window
    if (at < startMs || at > startMs + plotPx * msPerPx) {
      moveWindow((window) => ({ startMs: at - (plotPx * window.msPerPx) / 2, msPerPx }))
    }
  }

  // A language switch redraws the canvas's words.
  useEffect(() => {
    clientsLabel.current = words.clients
    view.current.dirty = true
  }, [words])

  // The drawing loop: a frame only when something changed.
  useEffect(() => {
    const canvas = canvasRef.current
    const context = canvas?.getContext('2d')
    if (canvas === null || context === null || context === undefined) return
    const drawer = new TimelineDrawer()
    let palette = timelinePalette()
    const unsubscribeTheme = onThemeChange(() => {
      palette = timelinePalette()
      view.current.dirty = true
    })
    let version = -1
    let drawnShownAt: number | null = null
    let lastStatusAt = 0
    let lastStats: FrameStats | null = null
    let frame = 0
    const draw = (nowMs: number): void => {
      frame = requestAnimationFrame(draw)
      const state = view.current
      const ratio = window.devicePixelRatio || 1
      const { width, height } = canvas.getBoundingClientRect()
      const sized =
        canvas.width === Math.round(width * ratio) && canvas.height === Math.round(height * ratio)
      const changed =
        state.dirty || version !== columns.version || drawnShownAt !== shown.current || !sized
      if (changed && width > 0 && height > 0) {
        if (!sized) {
          canvas.width = Math.round(width * ratio)
          canvas.height = Math.round(height * ratio)
        }
        state.dirty = false
        version = columns.version
        drawnShownAt = shown.current
        state.widthPx = width
        const geometry = geometryOf(width, height)
        if (state.following)
          state.window = following(state.window, plotWidth(geometry), columns.endMs)
        context.setTransform(ratio, 0, 0, ratio, 0, 0)
        lastStats = drawer.draw(context, {
          columns,
          window: state.window,
          geometry,
          palette,
          shownAt: shown.current,
          clientsLabel: clientsLabel.current,
        })
      }
      if (nowMs - lastStatusAt >= statusEveryMs) {
        lastStatusAt = nowMs
        const next: Status = {
          endMs: Math.floor(columns.endMs),
          events: columns.eventsSeen,
          sampledOut: columns.sampledOut,
          stats: lastStats,
          following: state.following,
        }
        setStatus((before) => (sameStatus(before, next) ? before : next))
      }
    }
    frame = requestAnimationFrame(draw)
    return () => {
      cancelAnimationFrame(frame)
      unsubscribeTheme()
    }
    // The loop reads the latest of everything through refs: it starts again only
    // when the canvas does (the strip opened again).
  }, [store, collapsed])

  // The wheel: React's wheel listener is passive, and the page must not scroll instead.
  useEffect(() => {
    const plot = plotRef.current
    if (plot === null) return
    const onWheel = (event: WheelEvent): void => {
      event.preventDefault()
      const x = event.clientX - plot.getBoundingClientRect().left
      const geometry = geometryOf(view.current.widthPx, 0)
      const sideways = event.shiftKey || Math.abs(event.deltaX) > Math.abs(event.deltaY)
      if (sideways) {
        const pixels = event.deltaX !== 0 ? event.deltaX : event.deltaY
        moveWindow((window) => panBy(window, pixels))
      } else {
        const factor = Math.exp(clamp(event.deltaY, -200, 200) * 0.002)
        moveWindow((window) => zoomAt(window, factor, x - geometry.gutterPx))
      }
    }
    plot.addEventListener('wheel', onWheel, { passive: false })
    return () => plot.removeEventListener('wheel', onWheel)
  }, [store, collapsed])

  const drag = useRef<{ x: number; moved: boolean } | null>(null)
  const onPointerDown = (event: PointerEvent<HTMLDivElement>): void => {
    if (event.button !== 0) return
    event.currentTarget.setPointerCapture(event.pointerId)
    drag.current = { x: event.clientX, moved: false }
  }
  const onPointerMove = (event: PointerEvent<HTMLDivElement>): void => {
    const held = drag.current
    if (held === null) return
    const dx = event.clientX - held.x
    if (!held.moved && Math.abs(dx) < 4) return
    held.moved = true
    held.x = event.clientX
    moveWindow((window) => panBy(window, -dx))
  }
  const onPointerUp = (event: PointerEvent<HTMLDivElement>): void => {
    const held = drag.current
    drag.current = null
    if (held === null || held.moved) return
    const x = event.clientX - event.currentTarget.getBoundingClientRect().left
    const geometry = geometryOf(view.current.widthPx, 0)
    if (x >= geometry.gutterPx) showAt(timeAt(view.current.window, geometry, x))
  }

  // While following, zoom about the run's end, so that it stays at the right edge.
  const zoomBy = (factor: number): void =>
    moveWindow((window, plotPx) =>
      zoomAt(
        window,
        factor,
        view.current.following ? (columns.endMs - window.startMs) / window.msPerPx : plotPx / 2,
      ),
    )

  const onPlotKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const plotPx = plotWidth(geometryOf(view.current.widthPx, 0))
    const middle = (): number =>
      view.current.window.startMs + (plotPx / 2) * view.current.window.msPerPx
    const stepMs = (plotPx / 50) * view.current.window.msPerPx
    const actions: Record<string, () => void> = {
      ArrowLeft: () =>
        moveWindow((window) => panBy(window, -plotPx * (event.shiftKey ? 0.5 : 0.1))),
      ArrowRight: () =>
        moveWindow((window) => panBy(window, plotPx * (event.shiftKey ? 0.5 : 0.1))),
      '+': () => zoomBy(0.5),
      '=': () => zoomBy(0.5),
      '-': () => zoomBy(2),
      Home: () => moveWindow((window) => ({ startMs: 0, msPerPx: window.msPerPx })),
      End: () => {
        view.current.following = true
        view.current.dirty = true
      },
      Enter: () => showAt(middle()),
      ',': () => showAt((shown.current ?? middle()) - stepMs),
      '.': () => showAt((shown.current ?? middle()) + stepMs),
      Escape: followLive,
      l: followLive,
      L: followLive,
    }
    const action = actions[event.key]
    if (action === undefined) return
    event.preventDefault()
    action()
  }

  const onResizeKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const step = event.key === 'ArrowUp' ? 20 : event.key === 'ArrowDown' ? -20 : 0
    if (step === 0) return
    event.preventDefault()
    setHeightPx((before) => clamp(before + step, heightPxMin, heightPxMax))
  }
  const resizeFrom = useRef<{ y: number; height: number } | null>(null)

  const windowTools = [
    { name: words.zoomIn, text: '+', title: words.zoomInTitle, act: () => zoomBy(0.5) },
    { name: words.zoomOut, text: '−', title: words.zoomOutTitle, act: () => zoomBy(2) },
    {
      name: words.wholeRun,
      text: words.wholeRun,
      title: words.wholeRunTitle,
      act: () => {
        const plotPx = plotWidth(geometryOf(view.current.widthPx, 0))
        moveWindow(() => windowOver(0, Math.max(1, columns.endMs) * 1.04, plotPx))
      },
    },
  ]

  const { endMs, stats } = status
  const step = Math.max(1, Math.round(endMs / 1000))
  const sliderValue = shownAt ?? endMs
  const labelStep = tickStepMs(Math.max(endMs, 1) / 1000)
  return (
    <section
      className={`tl-strip${collapsed ? ' tl-collapsed' : ''}`}
      aria-label={words.label}
      style={collapsed ? undefined : { height: heightPx }}
      data-events={status.events}
      data-following={status.following}
      data-detail={stats?.detail ?? ''}
      data-arrows={stats?.arrows ?? 0}
      data-shown-at={shownAt ?? ''}
    >
      {!collapsed && (
        <div
          className="tl-resize"
          role="separator"
          aria-orientation="horizontal"
          aria-label={words.resize}
          aria-valuenow={heightPx}
          aria-valuemin={heightPxMin}
          aria-valuemax={heightPxMax}
          tabIndex={0}
          onKeyDown={onResizeKey}
          onPointerDown={(event) => {
            event.currentTarget.setPointerCapture(event.pointerId)
            resizeFrom.current = { y: event.clientY, height: heightPx }
          }}
          onPointerMove={(event) => {
            const from = resizeFrom.current
            if (from === null) return
            setHeightPx(clamp(from.height + from.y - event.clientY, heightPxMin, heightPxMax))
          }}
          onPointerUp={() => {
            resizeFrom.current = null
          }}
        />
      )}
      <div className="tl-bar">
        <button
          type="button"
          className="tl-button tl-toggle"
          aria-expanded={!collapsed}
          aria-controls="tl-body"
          onClick={() => setCollapsed(!collapsed)}
        >
          {collapsed ? '▸' : '▾'} {words.label}
        </button>
        {windowTools.map((tool) => (
          <button
            key={tool.name}
            type="button"
            className="tl-button"
            aria-label={tool.name}
            title={tool.title}
            onClick={tool.act}
            disabled={collapsed}
          >
            {tool.text}
          </button>
        ))}
        <button
          type="button"
          className="tl-button"
          aria-pressed={shownAt === null && status.following}
          title={words.liveTitle}
          onClick={followLive}
        >
          {words.live}
        </button>
        <input
          className="tl-slider"
          type="range"
          aria-label={words.momentShown}
          aria-valuetext={
            shownAt === null ? words.liveValue : words.intoRun(timeLabel(shownAt, labelStep / 10))
          }
          min={0}
          max={Math.max(endMs, 1)}
          step={step}
          value={sliderValue}
          onChange={(event) => showAt(Number(event.currentTarget.value))}
        />
        <span className="tl-status">
          {shownAt === null ? words.liveValue : words.showing(timeLabel(shownAt, labelStep / 10))} ·{' '}
          {words.events(status.events.toLocaleString('en-US'))}
          {status.sampledOut > 0 && words.sampledOut(status.sampledOut.toLocaleString('en-US'))}
          {stats?.detail === 'density' && words.density}
        </span>
      </div>
      {!collapsed && (
        <div
          id="tl-body"
          ref={plotRef}
          className="tl-plot"
          tabIndex={0}
          role="group"
          aria-label={words.plot}
          onKeyDown={onPlotKey}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={() => {
            drag.current = null
          }}
        >
          <canvas ref={canvasRef} className="tl-canvas" aria-hidden="true" />
        </div>
      )}
    </section>
  )
}

function sameStatus(a: Status, b: Status): boolean {
  return (
    a.endMs === b.endMs &&
    a.events === b.events &&
    a.sampledOut === b.sampledOut &&
    a.following === b.following &&
    a.stats?.detail === b.stats?.detail &&
    a.stats?.arrows === b.stats?.arrows
  )
}
