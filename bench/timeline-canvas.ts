// The timeline over a one-million-event run on a real canvas: headless
// Chromium (Debian's, as the end-to-end tests use), the renderer's own columns
// and drawer bundled into a bare page (timeline-page.ts), one frame drawn per
// animation frame at several zoom levels and while scrolling. Two figures per
// case: the time our code spends drawing a frame, and the time between frames
// (which adds Chromium's rasterising, in software here: --disable-gpu). The
// floor: the same page drawing an empty timeline, and the 60 Hz frame (16.7
// ms) that requestAnimationFrame cannot beat. Target: every frame under 16 ms.

import { fileURLToPath } from 'node:url'
import { benchChromium } from '../test/e2e/chromium'
import type { CanvasFrames } from './timeline-page'
import { figure, section } from './report'
import { raftTrace } from './traces'

const root = fileURLToPath(new URL('..', import.meta.url))
const eventsInRun = 1_000_000
const framesPerCase = 120
/** The strip in a 1,440 px window: 1,444 px by 220 px of canvas. */
const widthPx = 1_444
const heightPx = 220

interface PageBench {
  load(trace: unknown[], count: number): number
  frames(spanFraction: number, count: number, scrollPx: number, empty: boolean): CanvasFrames
}

export async function timelineCanvasBenchmarks(): Promise<void> {
  section(
    `timeline: frames over a ${eventsInRun.toLocaleString('en-US')}-event run on a real canvas (headless Chromium)`,
  )
  const launching = benchChromium()
  if (launching === null) return
  const browser = await launching
  try {
    const { build } = await import('esbuild')
    const bundle = await build({
      entryPoints: [`${root}bench/timeline-page.ts`],
      bundle: true,
      format: 'iife',
      platform: 'browser',
      target: 'chrome120',
      write: false,
      logLevel: 'warning',
    })
    const script = bundle.outputFiles[0]?.text ?? ''
    const trace = await raftTrace()
    const page = await browser.newPage({
      viewport: { width: widthPx, height: heightPx },
      deviceScaleFactor: 1,
    })
    await page.setContent(
      `<body style="margin:0"><canvas width="${widthPx}" height="${heightPx}" style="display:block;width:${widthPx}px;height:${heightPx}px"></canvas></body>`,
    )
    await page.addScriptTag({ content: script })
    const ingestMs = await page.evaluate(
      ([events, count]) =>
        (globalThis as unknown as { timelineBench: PageBench }).timelineBench.load(events, count),
      [trace, eventsInRun] as const,
    )
    figure(
      'timeline (Chromium): events taken into the columns',
      eventsInRun / (ingestMs / 1000),
      'events/s',
    )
    const measure = (spanFraction: number, scrollPx: number, empty = false) =>
      page.evaluate(
        ([span, count, scroll, none]) =>
          (globalThis as unknown as { timelineBench: PageBench }).timelineBench.frames(
            span,
            count,
            scroll,
            none,
          ),
        [spanFraction, framesPerCase, scrollPx, empty] as const,
      )
    const floor = await measure(1.04, 0, true)
    const floorText = `empty timeline: draw ${floor.drawMedianMs.toFixed(2)} ms, frame median ${floor.frameMedianMs.toFixed(1)} ms, worst ${floor.frameWorstMs.toFixed(1)} ms; target 16 ms`
    for (const [name, span, scrollPx] of [
      ['the whole run', 1.04, 0],
      ['a hundredth of the run', 1 / 100, 0],
      ['a ten-thousandth', 1 / 10_000, 0],
      ['scrolling, a hundredth in view', 1 / 100, 8],
      ['scrolling, a ten-thousandth in view', 1 / 10_000, 8],
    ] as const) {
      const frames = await measure(span, scrollPx)
      const detail = `${frames.detail}, ${frames.messagesInView.toLocaleString('en-US')} msgs in view`
      figure(
        `timeline (Chromium): ${name} (${detail}), draw median`,
        frames.drawMedianMs,
        'ms',
        floorText,
      )
      figure(`timeline (Chromium): ${name}, draw worst`, frames.drawWorstMs, 'ms', floorText)
      figure(`timeline (Chromium): ${name}, frame median`, frames.frameMedianMs, 'ms', floorText)
      figure(`timeline (Chromium): ${name}, frame worst`, frames.frameWorstMs, 'ms', floorText)
      figure(
        `timeline (Chromium): ${name}, frames later than 25 ms`,
        frames.lateFrames,
        `of ${framesPerCase}`,
        `empty timeline: ${floor.lateFrames}`,
      )
    }
  } finally {
    await browser.close()
  }
}
