// End to end: the Metrics tab, and pointing at the cluster view. A learner
// starts raft 5, runs a workload, hovers a link to see what travels on it,
// reads the plots in the Metrics tab (light and dark), kills the leader and
// sees the election counted, draws a partition by dragging across two nodes
// (seeing what will be cut before letting go), isolates a node from its
// menu, and clicks a node's name in the terminal to open its menu.
// Screenshots: test-results/screenshots/metrics-NN-what.png.

import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { eventually, executablePath, screenshot, typeCommand, useLab } from './harness'

async function centre(page: Page, selector: string): Promise<{ x: number; y: number }> {
  const box = await page.locator(selector).boundingBox()
  if (box === null) throw new Error(`${selector} is not on the page`)
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

describe.skipIf(executablePath === null)(
  'metrics and the cluster view',
  { timeout: 180_000 },
  () => {
    const lab = useLab('metrics')

    it('plots a busy cluster, counts an election, and draws partitions by pointing', async () => {
      const { page, web, problems } = lab
      await page.goto(web.url.href)
      await page.locator('[data-connection="open"]').waitFor()
      const renderer = await page.locator('[data-testid="terminal"]').getAttribute('data-renderer')
      console.log(`terminal renderer in headless Chromium (--disable-gpu): ${renderer}`)
      expect(['webgl', 'dom']).toContain(renderer)

      const answer = page.locator('[data-testid="last-answer"]')
      const view = page.locator('section[aria-label="Cluster view"]')
      await typeCommand(page, 'start raft 5')
      await page.locator('section[aria-label="Cluster view"]:not([data-leader=""])').waitFor()

      // A workload keeps the links busy while we look.
      await typeCommand(page, 'workload 4000 --clients 8')

      // Hover the link between the leader and a follower: what is in flight there, by type.
      // (Read the leader each try: on a loaded machine a new one may have been elected.)
      const tooltip = page.locator('[data-testid="flight-tooltip"]')
      await eventually(async () => {
        const now = (await view.getAttribute('data-leader')) || 'n1'
        const a = await centre(page, `button[data-node="${now}"]`)
        const b = await centre(page, `button[data-node="${now === 'n1' ? 'n2' : 'n1'}"]`)
        await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2)
        await page.waitForTimeout(50)
        return tooltip.textContent()
      }).toMatch(/append_entries/)
      await screenshot(page, 'metrics-01-hover-link')
      await page.mouse.move(1, 1)

      // The Metrics tab fills in once a second.
      await page.getByRole('tab', { name: 'Metrics' }).click()
      const points = (id: string) =>
        page.locator(`[data-testid="${id}"]`).getAttribute('data-points').then(Number)
      await eventually(() => points('metrics-messages')).toBeGreaterThan(3)
      await eventually(() => points('metrics-commits')).toBeGreaterThan(1)
      await eventually(() => points('metrics-latency')).toBeGreaterThan(1)
      expect(await page.locator('[data-testid="metrics-lag"] li').count()).toBe(5)
      await screenshot(page, 'metrics-02-dashboard-light')
      await page.emulateMedia({ colorScheme: 'dark' })
      await page.waitForTimeout(300)
      await screenshot(page, 'metrics-03-dashboard-dark')
      await page.emulateMedia({ colorScheme: 'light' })

      await eventually(() => answer.textContent()).toMatch(
        // Nearly all succeed; on a busy machine an election can fail a few.
        /^workload 4000 --clients 8\n\d+ of 4000/,
      )

      // Kill the leader: a new election is counted and marked on the plots.
      const elections = () =>
        page.locator('[data-testid="metrics-elections"] dd').textContent().then(Number)
      const before = await elections()
      expect(before).toBeGreaterThanOrEqual(1)
      const current = (await view.getAttribute('data-leader')) ?? ''
      await typeCommand(page, `kill ${current}`)
      await eventually(elections).toBeGreaterThan(before)
      await page.waitForTimeout(1_200)
      await screenshot(page, 'metrics-04-election-counted')

      // Back to the cluster: drag from n1 across n2; before letting go, the view says what is cut.
      await page.getByRole('tab', { name: 'Cluster' }).click()
      await typeCommand(page, `restart ${current}`)
      await eventually(() => answer.textContent()).toMatch(new RegExp(`^restart ${current}\\n`))
      const n1 = await centre(page, 'button[data-node="n1"]')
      const n2 = await centre(page, 'button[data-node="n2"]')
      await page.mouse.move(n1.x, n1.y)
      await page.mouse.down()
      await page.mouse.move(n2.x, n2.y, { steps: 12 })
      await expect
        .poll(() => page.locator('[data-testid="partition-hint"]').textContent())
        .toBe('Release to cut 6 links: partition n1,n2 | n3,n4,n5 (Esc cancels).')
      await screenshot(page, 'metrics-05-drawing-partition')
      await page.mouse.up()
      await eventually(() => answer.textContent()).toMatch(/^partition n1,n2 \| n3,n4,n5\n/)
      await eventually(() => view.getAttribute('data-groups')).toBe('n1,n2|n3,n4,n5')
      await page.waitForTimeout(300)
      await screenshot(page, 'metrics-06-partition-drawn')

      // Isolate from the node menu.
      await page.locator('button[data-node="n4"]').click()
      await page.getByRole('menuitem', { name: 'Isolate n4' }).click()
      await eventually(() => view.getAttribute('data-groups')).toBe('n4|n1,n2,n3,n5')

      // A table in the terminal, and a node's name in it as a link: Ctrl+click opens its menu.
      // In the simulator time stands still between commands, so no event
      // printed after the table moves it (a busy real-time cluster would).
      await typeCommand(page, 'start raft 5 --sim --seed 1')
      await eventually(() => answer.textContent()).toMatch(/^start raft 5 --sim --seed 1\nstarted/)
      await typeCommand(page, 'wait 500')
      await eventually(() => answer.textContent()).toMatch(/^wait 500\n/)
      await typeCommand(page, 'clear')
      await typeCommand(page, 'status')
      await eventually(() => answer.textContent()).toMatch(/^status\nnode/)
      await page.waitForTimeout(300)
      await screenshot(page, 'metrics-07-status-table')
      // After clear: row 0 the prompt, 1 the rule, 2 the heading, 3 the rule, then n1, n2, n3.
      const screen = await page.locator('.xterm-screen').boundingBox()
      const terminal = page.locator('[data-testid="terminal"]')
      const cols = Number(await terminal.getAttribute('data-cols'))
      const rows = Number(await terminal.getAttribute('data-rows'))
      if (screen === null || !(cols > 0 && rows > 0)) throw new Error('no terminal geometry')
      const n3 = {
        x: screen.x + (screen.width / cols) * 3,
        y: screen.y + (screen.height / rows) * 6.5,
      }
      await page.mouse.move(n3.x - 2, n3.y)
      await page.mouse.move(n3.x, n3.y)
      await page.mouse.click(n3.x, n3.y) // a plain click only focuses the terminal
      await page.waitForTimeout(200)
      expect(await page.getByRole('menu').count()).toBe(0)
      await page.keyboard.down('Control')
      await page.mouse.click(n3.x, n3.y)
      await page.keyboard.up('Control')
      await page.getByRole('menu', { name: 'Actions for n3' }).waitFor()
      await screenshot(page, 'metrics-08-node-link-menu')
      await page.keyboard.press('Escape')
      await typeCommand(page, 'heal')
      await eventually(() => view.getAttribute('data-groups')).toBe('')
      expect(problems).toEqual([])
    })
  },
)
