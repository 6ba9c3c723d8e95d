// One plot of the Metrics panel: uPlot owned through a ref, created in an
// effect, fed new data once a second, fitted to its box, recoloured when the
// theme changes. Elections are drawn as dashed vertical marks on the time
// axis. A sentence beside the canvas says what the plot shows, for screen
// readers (the canvas itself is hidden from them).

import { useEffect, useRef } from 'react'
import uPlot from 'uplot'
import 'uplot/dist/uPlot.min.css'
import { onThemeChange } from '../theme'
import { shown, type ElectionMark, type PlotData } from './series'

/** All plots share one cursor: hovering a second in one shows it in every plot. */
const cursorSyncKey = 'metrics'
const plotHeightPx = 150

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

/** The metrics palette (styles.css, `--metrics-series-N`), light or dark. */
function seriesColour(index: number, label: string): string {
  if (label === 'dropped' || label === 'client ops failed') return cssVariable('--drop')
  if (label === 'other') return cssVariable('--muted')
  return cssVariable(`--metrics-series-${(index % 8) + 1}`)
}

function withAlpha(colour: string, alpha: number): string {
  const hex = /^#([0-9a-f]{6})$/i.exec(colour)
  if (hex === null) return colour
  const value = Number.parseInt(hex[1], 16)
  return `rgba(${value >> 16}, ${(value >> 8) & 255}, ${value & 255}, ${alpha})`
}

function options(
  data: PlotData,
  names: PlotNames,
  unit: string,
  width: number,
  marks: { current: readonly ElectionMark[] },
): uPlot.Options {
  const muted = cssVariable('--muted')
  const grid = cssVariable('--border')
  const axis = (values: (u: uPlot, splits: number[]) => string[]): uPlot.Axis => ({
    stroke: muted,
    grid: { stroke: grid, width: 1 },
    ticks: { stroke: grid, width: 1 },
    values,
    font: '11px system-ui, sans-serif',
  })
  return {
    width,
    height: plotHeightPx,
    scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
    axes: [
      axis((_u, splits) => splits.map((s) => `${s}s`)),
      { ...axis((_u, splits) => splits.map((s) => shown(s))), size: 48 },
    ],
    legend: { show: true, live: true },
    cursor: { sync: { key: cursorSyncKey }, drag: { x: false, y: false } },
    series: [
      { label: names.time, value: (_u, v) => (v === null ? '–' : `${v} s`) },
      ...data.series.map((series, index): uPlot.Series => {
        const colour = seriesColour(index, series.label)
        const stacked = index < data.stacked
        return {
          label: names.series(series.label),
          stroke: colour,
          width: stacked ? 1 : 2,
          fill: stacked ? withAlpha(colour, 0.55) : undefined,
          points: { show: false },
          spanGaps: false,
          // The legend gives the series' own count, not the running total drawn.
          value: (_u, _v, _seriesIndex, at) =>
            at === null ? '–' : shown(series.own[at] ?? null, unit),
        }
      }),
    ],
    bands: Array.from({ length: Math.max(0, data.stacked - 1) }, (_, i) => ({
      series: [i + 2, i + 1] as [number, number],
    })),
    hooks: {
      draw: [
        (u) => {
          // Elections: a dashed line at each, named above the plot area.
          const { ctx, bbox } = u
          ctx.save()
          ctx.strokeStyle = cssVariable('--candidate')
          ctx.fillStyle = cssVariable('--candidate')
          ctx.lineWidth = 1.5 * devicePixelRatio
          ctx.setLineDash([4 * devicePixelRatio, 3 * devicePixelRatio])
          ctx.font = `${11 * devicePixelRatio}px system-ui, sans-serif`
          // A name only where it does not run into the one before; a storm of
          // elections shows as a thicket of lines and a count of the unnamed.
          let labelEnd = Number.NEGATIVE_INFINITY
          let unnamed = 0
          for (const mark of marks.current) {
            const x = u.valToPos(mark.at, 'x', true)
            if (x < bbox.left || x > bbox.left + bbox.width) continue
            ctx.beginPath()
            ctx.moveTo(x, bbox.top)
            ctx.lineTo(x, bbox.top + bbox.height)
            ctx.stroke()
            const text = `⚑ ${mark.label}`
            const width = ctx.measureText(text).width
            const start = x + 3 * devicePixelRatio
            if (start < labelEnd || start + width > bbox.left + bbox.width) {
              unnamed++
              continue
            }
            ctx.fillText(text, start, bbox.top + 11 * devicePixelRatio)
            labelEnd = start + width + 6 * devicePixelRatio
          }
          if (unnamed > 0) {
            ctx.textAlign = 'right'
            ctx.fillText(
              `+${unnamed} more election${unnamed === 1 ? '' : 's'}`,
              bbox.left + bbox.width,
              bbox.top + 24 * devicePixelRatio,
            )
          }
          ctx.restore()
        },
      ],
    },
  }
}

function aligned(data: PlotData): uPlot.AlignedData {
  return [data.seconds, ...data.series.map((series) => series.drawn)]
}

/** The words of a plot's legend, in the page's language. */
export interface PlotNames {
  time: string
  series: (label: string) => string
}

export function TimePlot(props: {
  title: string
  names: PlotNames
  unit: string
  data: PlotData
  marks: readonly ElectionMark[]
  /** One sentence that says what the plot shows now, for screen readers. */
  description: string
  testId: string
}) {
  const { title, names, unit, data, marks, description, testId } = props
  const boxRef = useRef<HTMLDivElement>(null)
  const plotRef = useRef<uPlot | null>(null)
  const marksRef = useRef(marks)
  marksRef.current = marks
  // The plot is built again only when its series change (a new message type).
  // (or the language: the legend is part of the plot).
  const shape = `${data.series.map((series) => series.label).join('|')}#${data.stacked}#${names.time}`
  const namesRef = useRef(names)
  namesRef.current = names
  const dataRef = useRef(data)
  dataRef.current = data

  useEffect(() => {
    const box = boxRef.current
    if (box === null) return
    let plot: uPlot | null = null
    const build = (): void => {
      plot?.destroy()
      const width = Math.max(200, Math.floor(box.clientWidth))
      plot = new uPlot(
        options(dataRef.current, namesRef.current, unit, width, marksRef),
        aligned(dataRef.current),
        box,
      )
      plotRef.current = plot
    }
    build()
    const resized = new ResizeObserver(() => {
      const width = Math.floor(box.clientWidth)
      if (plot !== null && width > 0 && width !== plot.width) {
        plot.setSize({ width, height: plotHeightPx })
      }
    })
    resized.observe(box)
    const unsubscribeTheme = onThemeChange(build)
    return () => {
      resized.disconnect()
      unsubscribeTheme()
      plot?.destroy()
      plotRef.current = null
    }
  }, [shape, unit])

  useEffect(() => {
    plotRef.current?.setData(aligned(data))
  }, [data, marks])

  const points = data.series.reduce(
    (count, series) => count + series.own.filter((value) => value !== null && value > 0).length,
    0,
  )
  return (
    <figure className="metrics-plot" data-testid={testId} data-points={points}>
      <figcaption>{title}</figcaption>
      <div ref={boxRef} className="metrics-plot-box" aria-hidden="true" />
      <p className="visually-hidden">{description}</p>
    </figure>
  )
}
