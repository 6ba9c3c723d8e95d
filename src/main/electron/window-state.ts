// The window remembers where it was: its bounds, whether it was maximized or
// full screen, and its zoom (View > Zoom), in a small JSON file in the app's
// user-data folder. The file is checked on load (a bad or foreign file means
// the defaults, never a crash) and a window that would open off every screen
// (a monitor unplugged since) is moved back onto the primary one.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { z } from 'zod'

export const windowStateFile = 'window-state.json'

const dimensionMax = 100_000

const boundsSchema = z.strictObject({
  x: z.int().min(-dimensionMax).max(dimensionMax),
  y: z.int().min(-dimensionMax).max(dimensionMax),
  width: z.int().min(100).max(dimensionMax),
  height: z.int().min(100).max(dimensionMax),
})

export const windowStateSchema = z.strictObject({
  version: z.literal(1),
  bounds: boundsSchema.nullable(),
  maximized: z.boolean(),
  fullScreen: z.boolean(),
  zoomFactor: z.number().min(0.25).max(5),
})

export type WindowState = z.infer<typeof windowStateSchema>
export type Rect = z.infer<typeof boundsSchema>

export const defaultWindowState: WindowState = {
  version: 1,
  bounds: null,
  maximized: false,
  fullScreen: false,
  zoomFactor: 1,
}

export const defaultSize = { width: 1280, height: 800 }

/** The state in a file's text; the defaults when there is none or it does not fit the schema. */
export function parseWindowState(text: string | null): WindowState {
  if (text === null) return defaultWindowState
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    return defaultWindowState
  }
  const parsed = windowStateSchema.safeParse(json)
  return parsed.success ? parsed.data : defaultWindowState
}

/** How much of a window's top strip (where its title bar is) must be on a screen to reach it. */
const reachablePx = 64

/**
 * Where to open a window: the remembered bounds when a person can reach its
 * title bar on one of the screens' work areas (the first is the primary),
 * else the remembered size (at most the primary's) centred on the primary.
 */
export function placeOnScreen(
  bounds: Rect | null,
  workAreas: readonly Rect[],
): Rect | { width: number; height: number } {
  const primary = workAreas[0]
  if (bounds === null || primary === undefined) {
    if (primary === undefined) return { ...defaultSize }
    return centred(defaultSize, primary)
  }
  const titleBar = {
    x: bounds.x,
    y: bounds.y,
    width: bounds.width,
    height: Math.min(32, bounds.height),
  }
  const reachable = workAreas.some((area) => {
    const overlapX =
      Math.min(titleBar.x + titleBar.width, area.x + area.width) - Math.max(titleBar.x, area.x)
    const overlapY =
      Math.min(titleBar.y + titleBar.height, area.y + area.height) - Math.max(titleBar.y, area.y)
    return overlapX >= reachablePx && overlapY > 0
  })
  if (reachable) return bounds
  return centred(bounds, primary)
}

function centred(size: { width: number; height: number }, area: Rect): Rect {
  const width = Math.min(size.width, area.width)
  const height = Math.min(size.height, area.height)
  return {
    x: area.x + Math.round((area.width - width) / 2),
    y: area.y + Math.round((area.height - height) / 2),
    width,
    height,
  }
}

export function loadWindowState(file: string): WindowState {
  let text: string | null
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    text = null
  }
  return parseWindowState(text)
}

/** Writes the state whole or not at all (a crash mid-write leaves the old file). */
export function saveWindowState(file: string, state: WindowState): void {
  mkdirSync(dirname(file), { recursive: true })
  const partial = `${file}.${process.pid}.partial`
  writeFileSync(partial, `${JSON.stringify(windowStateSchema.parse(state), null, 2)}\n`)
  renameSync(partial, file)
}
