// Browser mode's start: the time from spawning `npm run web` to an
// interactive page in headless Chromium (the connection open and the terminal
// drawn), cold (the page built first, as after an edit to the renderer) and
// warm (out/renderer up to date), and the bytes of script the first page
// loads. The browser's tab is opened, and left a second to settle, before the
// clock starts, as a learner's browser is already open and idle (a fresh
// headless tab costs about 0.5 s, and keeps a core busy a while after).
// The floor: spawning a bare `node -e ''` in the same run; targets: under 3 s
// to interactive, under 1.5 MB of script.

import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Browser } from 'playwright-core'
import { benchChromium } from '../test/e2e/chromium'
import { stampFile } from '../src/main/renderer-build'
import { figure, section } from './report'

const root = fileURLToPath(new URL('..', import.meta.url))
const warmRuns = 3
/** How long a fresh tab is left before the clock starts. */
const browserSettleMs = 1_000

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN
}

function bareNodeMs(): number {
  const times: number[] = []
  for (let i = 0; i < 5; i++) {
    const start = performance.now()
    spawnSync(process.execPath, ['-e', ''])
    times.push(performance.now() - start)
  }
  return median(times)
}

interface Start {
  interactiveMs: number
  scriptBytes: number
}

/** Spawns `npm run web`, opens the address it prints, waits for the page to be usable. */
async function startOnce(browser: Browser, db: string): Promise<Start> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  await new Promise((settled) => setTimeout(settled, browserSettleMs))
  const start = performance.now()
  // A process group of its own, so that npm, tsx and the server stop together.
  const child = spawn('npm', ['run', '--silent', 'web', '--', '--port', '0', '--db', db], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  const errors: string[] = []
  child.stderr.on('data', (chunk: Buffer) => errors.push(chunk.toString()))
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no address in 120 s:\n${errors.join('')}`)),
        120_000,
      )
      child.once('exit', (code) =>
        reject(new Error(`web stopped (exit ${code}):\n${errors.join('')}`)),
      )
      createInterface({ input: child.stdout }).on('line', (line) => {
        const found = /^open (http:\/\/\S+)$/.exec(line)
        if (found === null) return
        clearTimeout(timer)
        resolve(found[1] ?? '')
      })
    })
    let scriptBytes = 0
    const bodies: Promise<void>[] = []
    page.on('response', (response) => {
      if (response.request().resourceType() !== 'script') return
      bodies.push(
        response.body().then((body) => {
          scriptBytes += body.length
        }),
      )
    })
    await page.goto(url)
    await page.waitForSelector('[data-connection="open"]', { timeout: 60_000 })
    await page.waitForSelector('[data-testid="terminal"] .xterm-screen', { timeout: 60_000 })
    const interactiveMs = performance.now() - start
    await Promise.all(bodies)
    return { interactiveMs, scriptBytes }
  } finally {
    await page.close()
    const exited = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve()
      else child.once('exit', () => resolve())
    })
    if (child.pid !== undefined) process.kill(-child.pid, 'SIGINT')
    const timer = setTimeout(() => {
      if (child.pid !== undefined) process.kill(-child.pid, 'SIGKILL')
    }, 15_000)
    await exited
    clearTimeout(timer)
  }
}

export async function webStartBenchmarks(): Promise<void> {
  section('browser mode start (npm run web to an interactive page, headless Chromium)')
  const launching = benchChromium()
  if (launching === null) return
  const browser = await launching
  const dir = mkdtempSync(join(tmpdir(), 'bench-web-'))
  try {
    const floor = bareNodeMs()
    const floorText = (target: string) => `node -e '' ${Math.round(floor)} ms; target ${target}`
    // Cold: the stamp gone, the page is built before the server listens.
    rmSync(join(root, 'out', 'renderer', stampFile), { force: true })
    const cold = await startOnce(browser, join(dir, 'cold.db'))
    figure(
      'npm run web to interactive page, cold (builds the page)',
      cold.interactiveMs,
      'ms',
      floorText('under 3,000 ms warm'),
    )
    const warm: Start[] = []
    for (let i = 0; i < warmRuns; i++)
      warm.push(await startOnce(browser, join(dir, `warm-${i}.db`)))
    figure(
      `npm run web to interactive page, warm (median of ${warmRuns})`,
      median(warm.map((run) => run.interactiveMs)),
      'ms',
      floorText('under 3,000 ms'),
    )
    figure(
      "first page's script",
      warm[0]?.scriptBytes ?? Number.NaN,
      'bytes',
      'target under 1,500,000 bytes',
    )
  } finally {
    await browser.close()
    rmSync(dir, { recursive: true, force: true })
  }
}
