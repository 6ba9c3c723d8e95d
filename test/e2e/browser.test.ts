// End to end, as a learner would: `web` serves the app on 127.0.0.1, Debian's
// Chromium (driven by playwright-core) opens the address it prints, and the
// learner starts a cluster from the terminal, sees a leader in the cluster
// view, kills it by clicking it, and sees a new leader. Each step leaves a
// screenshot in test-results/screenshots/. The socket's guard is tested too:
// without the run's token, or from another page's origin, the core refuses.
//
// Needs a chromium binary (.ci/run installs it). Without one, this file skips
// and says why; the rest of the suite runs as usual.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  eventually,
  executablePath,
  launchChromium,
  newPage,
  screenshots,
  startWeb,
  stopWeb,
} from './harness'

/** How a WebSocket to the server ends: open, or refused with an HTTP status. */
function connect(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ socket: WebSocket } | { refused: number }> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers })
    socket.once('open', () => resolve({ socket }))
    socket.once('unexpected-response', (_request, response) => {
      resolve({ refused: response.statusCode ?? 0 })
      socket.terminate()
    })
    socket.once('error', reject)
  })
}

function ask(socket: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer): void => {
      const reply = JSON.parse(data.toString()) as Record<string, unknown>
      if (reply.kind !== 'reply') return // trace batches and progress lines
      socket.off('message', onMessage)
      resolve(reply)
    }
    socket.on('message', onMessage)
    socket.send(typeof message === 'string' ? message : JSON.stringify(message))
  })
}

describe.skipIf(executablePath === null)('browser mode', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'consensus-lab-e2e-'))
  let web: Awaited<ReturnType<typeof startWeb>>
  let browser: Browser | null = null
  let page: Page
  const problems: string[] = []

  beforeAll(async () => {
    web = await startWeb(join(dir, 'lab.db'))
    browser = await launchChromium()
    page = await newPage(browser, problems)
  }, 90_000)

  afterAll(async () => {
    await browser?.close()
    if (web !== undefined) await stopWeb(web.child)
    rmSync(dir, { recursive: true, force: true })
  }, 30_000)

  it('refuses a connection without the run token, or from another origin', async () => {
    const api = `ws://127.0.0.1:${web.url.port}/api`
    const token = web.url.searchParams.get('token') ?? ''
    expect(await connect(api)).toEqual({ refused: 403 })
    expect(await connect(`${api}?token=not-the-token`)).toEqual({ refused: 403 })
    expect(await connect(`${api}?token=${token}`, { Origin: 'http://example.com' })).toEqual({
      refused: 403,
    })

    const opened = await connect(`${api}?token=${token}`)
    if (!('socket' in opened)) throw new Error(`refused with the right token: ${opened.refused}`)
    const socket = opened.socket
    try {
      // Bad input gets a sentence, never a crash; good input still works after it.
      expect(await ask(socket, 'not json')).toMatchObject({
        ok: false,
        id: null,
        error: 'a message must be JSON text.',
      })
      const unknown = await ask(socket, { kind: 'request', id: 1, name: 'format-disk', args: {} })
      expect(unknown).toMatchObject({ kind: 'reply', id: 1, ok: false })
      expect(unknown.error).toMatch(
        /^there is no request "format-disk"; the requests are run, interrupt, complete, nodes\b/,
      )
      const badArgs = await ask(socket, { kind: 'request', id: 2, name: 'run', args: { line: 7 } })
      expect(badArgs).toMatchObject({ id: 2, ok: false })
      expect(badArgs.error).toMatch(/^the run request is not valid at args\.line/)
      expect(await ask(socket, { kind: 'request', id: 3, name: 'nodes', args: {} })).toEqual({
        kind: 'reply',
        id: 3,
        ok: true,
        result: [],
      })
      const help = await ask(socket, {
        kind: 'request',
        id: 4,
        name: 'complete',
        args: { line: 'sta' },
      })
      expect(help).toMatchObject({
        id: 4,
        ok: true,
        result: { candidates: ['start', 'state', 'status'] },
      })
    } finally {
      socket.close()
    }
  })

  it('starts a cluster from the terminal, shows its leader, and elects another when the leader is killed', async () => {
    await page.goto(web.url.href)
    await page.locator('[data-connection="open"]').waitFor()
    await page.screenshot({ path: join(screenshots, '01-connected.png') })

    // The terminal: type as a learner does.
    await page.locator('[data-testid="terminal"]').click()
    await page.keyboard.type('start raft 5')
    await page.keyboard.press('Enter')
    const answer = page.locator('[data-testid="last-answer"]')
    await eventually(() => answer.textContent()).toMatch(/^start raft 5\nstarted raft with 5 nodes/)

    // The cluster view: five nodes, then a leader.
    const view = page.locator('section[aria-label="Cluster view"]')
    await page.locator('section[aria-label="Cluster view"]:not([data-leader=""])').waitFor()
    expect(await page.locator('button[data-node]').count()).toBe(5)
    // The view's leader and that node's own label agree. (On a busy machine a
    // late heartbeat can start another election, so read both together.)
    const leaderLabel = async (): Promise<string> => {
      const named = (await view.getAttribute('data-leader')) ?? ''
      if (named === '') return ''
      return (await page.locator(`button[data-node="${named}"]`).getAttribute('aria-label')) ?? ''
    }
    await eventually(leaderLabel).toMatch(/^n[1-5]: leader, term \d+, commit index \d+$/)
    const leader =
      (await leaderLabel()).split(':')[0] || ((await view.getAttribute('data-leader')) ?? '')
    expect(leader).toMatch(/^n[1-5]$/)
    await page.screenshot({ path: join(screenshots, '02-leader.png') })

    // Kill the leader by clicking it and choosing Kill.
    await page.locator(`button[data-node="${leader}"]`).click()
    const kill = page.getByRole('menuitem', { name: `Kill ${leader}` })
    await kill.waitFor()
    await page.screenshot({ path: join(screenshots, '03-node-menu.png') })
    await kill.click()
    // The terminal echoes the command and its answer.
    await eventually(() => answer.textContent()).toMatch(
      new RegExp(`^kill ${leader}\\n${leader} crashed`),
    )
    await eventually(() =>
      page.locator(`button[data-node="${leader}"]`).getAttribute('data-role'),
    ).toBe('dead')

    // A new leader among the other four.
    await eventually(() => view.getAttribute('data-leader')).toMatch(
      new RegExp(`^(?!${leader}$)n[1-5]$`),
    )
    // The terminal tells the election as it happens, with no command typed since the kill.
    const newLeader = (await view.getAttribute('data-leader')) ?? ''
    await eventually(() =>
      page.locator('[data-testid="terminal"] .xterm-rows').textContent(),
    ).toMatch(new RegExp(`${newLeader} \\[term \\d+\\] became leader`))
    await page.screenshot({ path: join(screenshots, '04-new-leader.png') })

    // The keyboard path: F6 leaves the terminal for the nodes, arrows move
    // between them, Enter opens a node's menu, and Enter runs its first action.
    await page.locator('[data-testid="terminal"]').click()
    await page.keyboard.press('F6')
    // The focused element, read through a selector: the test itself has no DOM.
    const focused = () => page.locator(':focus').getAttribute('data-node')
    await eventually(focused).toBe('n1')
    for (let i = 1; i < Number(leader.slice(1)); i++) await page.keyboard.press('ArrowRight')
    await eventually(focused).toBe(leader)
    await page.keyboard.press('Enter')
    await eventually(() => page.locator(':focus').textContent()).toBe(`Restart ${leader}`)
    await page.keyboard.press('Enter')
    await eventually(() => answer.textContent()).toMatch(new RegExp(`^restart ${leader}\\n`))
    await eventually(() =>
      page.locator(`button[data-node="${leader}"]`).getAttribute('data-role'),
    ).not.toBe('dead')

    // A partition: the cut links are drawn dashed; the view names the groups.
    await page.locator('[data-testid="terminal"]').click()
    await page.keyboard.type('partition n1,n2 | n3,n4,n5')
    await page.keyboard.press('Enter')
    await eventually(() => view.getAttribute('data-groups')).toBe('n1,n2|n3,n4,n5')
    await page.waitForTimeout(300)
    await page.screenshot({ path: join(screenshots, '05-partition.png') })

    // The same view in the dark theme.
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.waitForTimeout(200)
    await page.screenshot({ path: join(screenshots, '06-dark-theme.png') })
    await page.emulateMedia({ colorScheme: 'light' })
    await page.locator('[data-testid="terminal"]').click()
    await page.keyboard.type('heal')
    await page.keyboard.press('Enter')
    await eventually(() => view.getAttribute('data-groups')).toBe('')

    // Ctrl+C stops a long command: the wait answers at once, saying so.
    await page.locator('[data-testid="terminal"]').click()
    await page.keyboard.type('wait 60000')
    await page.keyboard.press('Enter')
    await page.waitForTimeout(500)
    await page.keyboard.press('Control+c')
    await eventually(() => answer.textContent()).toMatch(
      /^wait 60000\n.*interrupted \(Ctrl\+C\) after \d+(\.\d)? ms of 60000/,
    )
    await page.screenshot({ path: join(screenshots, '07-interrupted.png') })

    // Stop the cluster from the terminal: the view empties.
    await page.locator('[data-testid="terminal"]').click()
    await page.keyboard.type('stop')
    await page.keyboard.press('Enter')
    await eventually(() => page.locator('button[data-node]').count()).toBe(0)
    expect(problems).toEqual([])
  })
})
