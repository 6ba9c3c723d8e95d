// Frames per second of the page while a 5-node Raft cluster is busy: browser
// mode in headless Chromium (playwright-core), the cluster view on screen
// (with the timeline strip below it, when the page has one), frames counted
// with requestAnimationFrame in the page for a few seconds while `workload`
// keeps the cluster sending at a fixed operation rate (--rate): a short
// calibration run measures the messages one operation makes (appends to every
// follower, their answers, the client's request and reply), and the measured
// run asks for as many operations a second as make about 2,000 messages/s
// (one client alone makes more than that here). The message rate during
// the count is read from the Metrics panel, which the core computes from every
// trace event. The floor: the same page with no cluster running. Target: 50
// frames/s at about 2,000 messages/s.

import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { benchChromium } from '../test/e2e/chromium'
import { figure, section } from './report'

const root = fileURLToPath(new URL('..', import.meta.url))
const measureMs = 5_000
/** The message rate the issue asks the view to keep up with. */
const targetMessagesPerSecond = 2_000
/** Clients of each workload: more than the rate needs, so that the rate sets the pace. */
const workloadClients = 16
/** Operations a second in the calibration run (7 s of it). */
const calibrationRate = 150

/** requestAnimationFrame callbacks per second in the page, over `ms`. */
function framesPerSecond(page: Page, ms: number): Promise<number> {
  return page.evaluate(
    (span) =>
      new Promise<number>((resolve) => {
        let frames = 0
        let start = -1
        const tick = (now: number): void => {
          if (start < 0) start = now
          else frames++
          if (now - start < span) requestAnimationFrame(tick)
          else resolve((frames * 1000) / (now - start))
        }
        requestAnimationFrame(tick)
      }),
    ms,
  )
}

async function typeCommand(page: Page, line: string): Promise<void> {
  await page.locator('[data-testid="terminal"]').click({ position: { x: 5, y: 5 } })
  await page.keyboard.type(line)
  await page.keyboard.press('Enter')
}

/** Types a command and waits for its answer (the terminal's last answer, as text). */
async function answerTo(page: Page, line: string): Promise<string> {
  await typeCommand(page, line)
  const answer = page.locator('[data-testid="last-answer"]')
  await page.waitForFunction(
    (typed) =>
      document
        .querySelector('[data-testid="last-answer"]')
        ?.textContent?.startsWith(`${typed}\n`) === true,
    line,
    { timeout: 120_000 },
  )
  return (await answer.textContent()) ?? ''
}

export async function uiFpsBenchmarks(): Promise<void> {
  section('UI frames per second (browser mode, headless Chromium)')
  const launching = benchChromium()
  if (launching === null) return
  const dir = mkdtempSync(join(tmpdir(), 'consensus-lab-ui-fps-'))
  const web = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/main/web.ts', '--port', '0', '--db', join(dir, 'lab.db')],
    { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const browser = await launching
  try {
    const address = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('web printed no address in 120 s')), 120_000)
      createInterface({ input: web.stdout }).on('line', (line) => {
        const found = /^open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line)
        if (found === null) return
        clearTimeout(timer)
        resolve(found[1])
      })
    })
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } })
    page.setDefaultTimeout(60_000)
    await page.goto(address)
    await page.locator('[data-connection="open"]').waitFor()
    const timeline = (await page.locator('.tl-strip, [aria-label="Timeline"]').count()) > 0
    const shown = timeline ? 'cluster view and timeline' : 'cluster view'

    const idleFps = await framesPerSecond(page, measureMs)

    await typeCommand(page, 'start raft 5')
    await page.locator('section[aria-label="Cluster view"]:not([data-leader=""])').waitFor()
    // Mount the Metrics panel once (it stays mounted, hidden), then show the cluster.
    await page.getByRole('tab', { name: 'Metrics' }).click()
    await page.locator('section[aria-label="Metrics"]').waitFor({ state: 'attached' })
    await page.getByRole('tab', { name: 'Cluster' }).click()
    const messageRate = async (): Promise<number> =>
      Number(
        await page
          .locator('section[aria-label="Metrics"]')
          .getAttribute('data-messages-per-second'),
      )

    // Calibration: a paced workload of 7 s, its message rate read as it ends
    // (the rate's 5 s window then lies inside it).
    await answerTo(
      page,
      `workload ${calibrationRate * 7} --clients ${workloadClients} --rate ${calibrationRate}`,
    )
    const messagesPerOperation = (await messageRate()) / calibrationRate
    if (!(messagesPerOperation > 0)) throw new Error('calibration: no message rate was measured')
    const operationRate = Math.max(1, Math.round(targetMessagesPerSecond / messagesPerOperation))
    await typeCommand(page, `workload 1000000 --clients ${workloadClients} --rate ${operationRate}`)
    await page.waitForTimeout(6_000) // the clients get going, and fill the rate's window
    const busyFps = await framesPerSecond(page, measureMs)
    // The rate the core counted over the seconds just measured.
    const rate = await messageRate()

    figure(
      `ui: ${shown}, raft 5 under workload (${operationRate} operations/s)`,
      busyFps,
      'frames/s',
      `the same page with no cluster ${idleFps.toFixed(1)} frames/s; target 50`,
    )
    figure(
      'ui: messages sent per second during that count (core metrics, every event)',
      rate,
      'messages/s',
      'target about 2,000',
    )
  } finally {
    await browser.close()
    web.kill('SIGINT')
    await new Promise((resolve) => web.once('exit', resolve))
    rmSync(dir, { recursive: true, force: true })
  }
}
