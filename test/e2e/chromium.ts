// Debian's Chromium, as the end-to-end tests and the browser benchmarks drive
// it (playwright-core, never a browser of its own): found on PATH, launched
// with the flags this machine needs (no GPU, no sandbox, no network chatter).

import { spawnSync } from 'node:child_process'
import { chromium, type Browser } from 'playwright-core'

/** The chromium binary on PATH, or null (apt-get install -y chromium; .ci/run does this). */
export function chromiumPath(): string | null {
  const which = spawnSync('which', ['chromium'], { encoding: 'utf8' })
  const path = which.status === 0 ? which.stdout.trim() : ''
  return path === '' ? null : path
}

export function launchChromiumAt(executablePath: string): Promise<Browser> {
  return chromium.launch({
    executablePath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  })
}

/** For a benchmark: Chromium, or null after saying the section is skipped. */
export function benchChromium(): Promise<Browser> | null {
  const path = chromiumPath()
  if (path === null) {
    console.log('skipped: no chromium binary on PATH (apt-get install -y chromium)')
    return null
  }
  return launchChromiumAt(path)
}
