// The window remembers its place: the saved state is checked on load (bad or
// foreign files give the defaults), and a window that would open where no
// screen is anymore is brought back onto the primary one.

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  defaultWindowState,
  loadWindowState,
  parseWindowState,
  placeOnScreen,
  saveWindowState,
  type WindowState,
} from '../../src/main/electron/window-state'

const saved: WindowState = {
  version: 1,
  bounds: { x: 100, y: 80, width: 1000, height: 700 },
  maximized: true,
  fullScreen: false,
  zoomFactor: 1.25,
}
const laptop = { x: 0, y: 0, width: 1920, height: 1050 }
const rightMonitor = { x: 1920, y: 0, width: 2560, height: 1410 }

describe('the window state file', () => {
  it('round-trips through the file, and a missing file gives the defaults', () => {
    const dir = mkdtempSync(join(tmpdir(), 'window-state-'))
    const file = join(dir, 'nested', 'window-state.json')
    expect(loadWindowState(file)).toEqual(defaultWindowState)
    saveWindowState(file, saved)
    expect(loadWindowState(file)).toEqual(saved)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(saved)
  })

  it('gives the defaults for text that is not JSON or does not fit', () => {
    expect(parseWindowState('{"version":1,')).toEqual(defaultWindowState)
    expect(parseWindowState('null')).toEqual(defaultWindowState)
    expect(parseWindowState(JSON.stringify({ ...saved, version: 2 }))).toEqual(defaultWindowState)
    expect(parseWindowState(JSON.stringify({ ...saved, zoomFactor: 50 }))).toEqual(
      defaultWindowState,
    )
    expect(
      parseWindowState(JSON.stringify({ ...saved, bounds: { ...saved.bounds, width: 1.5 } })),
    ).toEqual(defaultWindowState)
    expect(parseWindowState(JSON.stringify({ ...saved, extra: true }))).toEqual(defaultWindowState)
    const dir = mkdtempSync(join(tmpdir(), 'window-state-'))
    writeFileSync(join(dir, 'w.json'), '\u0000garbage')
    expect(loadWindowState(join(dir, 'w.json'))).toEqual(defaultWindowState)
  })

  it('refuses to save a state that does not fit', () => {
    const dir = mkdtempSync(join(tmpdir(), 'window-state-'))
    expect(() =>
      saveWindowState(join(dir, 'w.json'), { ...saved, zoomFactor: Number.NaN }),
    ).toThrow()
  })
})

describe('placing the window', () => {
  it('keeps a place whose title bar is on some screen', () => {
    const onRight = { x: 2200, y: 100, width: 1200, height: 800 }
    expect(placeOnScreen(onRight, [laptop, rightMonitor])).toEqual(onRight)
    expect(placeOnScreen(saved.bounds, [laptop])).toEqual(saved.bounds)
  })

  it('brings back a window left on a monitor that is gone, centred on the primary', () => {
    const onRight = { x: 2200, y: 100, width: 1200, height: 800 }
    expect(placeOnScreen(onRight, [laptop])).toEqual({ x: 360, y: 125, width: 1200, height: 800 })
  })

  it('brings back a window whose title bar is above the screen or barely on it', () => {
    expect(placeOnScreen({ x: 100, y: -500, width: 800, height: 600 }, [laptop])).toMatchObject({
      width: 800,
      height: 600,
      y: 225,
    })
    expect(placeOnScreen({ x: 1900, y: 10, width: 800, height: 600 }, [laptop])).toMatchObject({
      x: 560,
    })
  })

  it('shrinks a window larger than the primary screen, and opens a new one centred', () => {
    const huge = { x: 5000, y: 0, width: 4000, height: 3000 }
    expect(placeOnScreen(huge, [laptop])).toEqual({ x: 0, y: 0, width: 1920, height: 1050 })
    expect(placeOnScreen(null, [laptop])).toEqual({ x: 320, y: 125, width: 1280, height: 800 })
    expect(placeOnScreen(null, [])).toEqual({ width: 1280, height: 800 })
  })
})
