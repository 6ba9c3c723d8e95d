// What the end-to-end tests share: Debian's Chromium (driven by playwright-core),
// `web` started on any free port with a database of its own, a page opened on
// it that collects its errors, and typing a command into the terminal as a
// learner does. Screenshots go to test-results/screenshots/.

import { spawn, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, expect } from 'vitest'
import { chromiumPath, launchChromiumAt } from './chromium'

export const root = fileURLToPath(new URL('../..', import.meta.url))
export const screenshots = join(root, 'test-results', 'screenshots')

export const executablePath = chromiumPath()
if (executablePath === null) {
  console.warn(
    'the end-to-end tests (test/e2e) are skipped: no chromium binary on PATH (apt-get install -y chromium; .ci/run does this).',
  )
}

/**
 * How long `web` may take to print its address. It builds the page first when
 * the renderer's sources changed, which on a busy machine (several test files
 * building at once) has taken most of a minute.
 */
const startWebMsMax = 180_000

/** Starts `web` on any free port with a database of its own; resolves with the address it prints. */
export function startWeb(db: string): Promise<{ child: ChildProcess; url: URL; output: string[] }> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/web.ts', '--port', '0', '--db', db],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const output: string[] = []
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`web printed no address in ${startWebMsMax / 1000} s:\n${output.join('')}`))
    }, startWebMsMax)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(
        new Error(`web stopped (exit ${code}) before printing an address:\n${output.join('')}`),
      )
    })
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
    lines.on('line', (line) => {
      output.push(line)
      const found = /^open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line)
      if (found === null) return
      clearTimeout(timer)
      child.removeAllListeners('exit')
      resolve({ child, url: new URL(found[1]), output })
    })
  })
}

/** Stops `web` the way a person does (Ctrl+C, which stops its clusters), or for good after 15 s. */
export async function stopWeb(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  child.kill('SIGINT')
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000)
  await exited
  clearTimeout(timer)
}

/** Polls until the expectation holds, for up to 20 s (a real-time election takes well under 1 s). */
export const eventually = <T>(value: () => Promise<T> | T) =>
  expect.poll(value, { timeout: 20_000, interval: 100 })

/** Chromium with the flags this machine needs (chromium.ts); the tests skip without one. */
export function launchChromium(): Promise<Browser> {
  mkdirSync(screenshots, { recursive: true })
  if (executablePath === null) throw new Error('no chromium binary on PATH')
  return launchChromiumAt(executablePath)
}

/** A page at the usual window size; its errors and console errors go into `problems`. */
export async function newPage(browser: Browser, problems: string[]): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
  page.setDefaultTimeout(20_000)
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`)
  })
  return page
}

/** Types one command line into the terminal and presses Enter. */
export async function typeCommand(page: Page, line: string): Promise<void> {
  await page.locator('[data-testid="terminal"]').click()
  await page.keyboard.type(line)
  await page.keyboard.press('Enter')
}

/**
 * Types a command, waits until the terminal has answered it, and checks the
 * answer (the terminal's last answer as text: the line, then what it said).
 */
export async function answerTo(page: Page, line: string, expected: RegExp = /./): Promise<string> {
  const answer = () => page.locator('[data-testid="last-answer"]').textContent()
  await typeCommand(page, line)
  const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  await eventually(answer).toMatch(new RegExp(`^${escaped}\\n`))
  const text = (await answer()) ?? ''
  expect(text).toMatch(expected)
  return text
}

/** Saves a screenshot of the page as test-results/screenshots/NAME.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`) })
}

/** Saves the page in the light theme as NAME-light.png, then in the dark one as NAME-dark.png. */
export async function screenshotBothThemes(page: Page, name: string): Promise<void> {
  await page.waitForTimeout(200) // a frame or two for the canvases
  await screenshot(page, `${name}-light`)
  await page.emulateMedia({ colorScheme: 'dark' })
  await page.waitForTimeout(200)
  await screenshot(page, `${name}-dark`)
  await page.emulateMedia({ colorScheme: 'light' })
}

export interface Lab {
  readonly web: Awaited<ReturnType<typeof startWeb>>
  readonly page: Page
  /** Page errors and console errors seen so far (a test ends expecting none). */
  readonly problems: string[]
}

/**
 * For one test file: `web` on a database of its own in a fresh folder,
 * Chromium, and one page, opened before the tests and closed after them.
 * Read the fields inside tests (they are set in beforeAll).
 */
export function useLab(name: string): Lab {
  const dir = mkdtempSync(join(tmpdir(), `consensus-lab-e2e-${name}-`))
  const problems: string[] = []
  let web: Lab['web'] | undefined
  let browser: Browser | null = null
  let page: Page | undefined
  beforeAll(async () => {
    web = await startWeb(join(dir, 'lab.db'))
    browser = await launchChromium()
    page = await newPage(browser, problems)
  }, startWebMsMax + 30_000)
  afterAll(async () => {
    await browser?.close()
    if (web !== undefined) await stopWeb(web.child)
    rmSync(dir, { recursive: true, force: true })
  }, 30_000)
  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`${what} is not ready: use it inside a test.`)
    return value
  }
  return {
    get web() {
      return ready(web, 'web')
    },
    get page() {
      return ready(page, 'the page')
    },
    problems,
  }
}
