// The inspector, end to end, as a learner uses it: start a real-time Raft
// cluster, write a few values, open the Inspector and read the leader's log
// (committed entries marked); cut the leader off, write on both sides, and see
// the two logs conflict; heal, and see them agree again. Then a broken
// variant: run the checks from the panel, read the violation and its events,
// and follow one to its moment. Screenshots of each step, light and dark, go
// to test-results/screenshots/inspector-NN-*.png.
//
// Needs a chromium binary (.ci/run installs it); without one this file skips.

import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { answerTo, eventually, executablePath, screenshotBothThemes, useLab } from './harness'

describe.skipIf(executablePath === null)('the inspector', { timeout: 180_000 }, () => {
  const lab = useLab('inspector')
  let page: Page

  const inspector = () => page.locator('section[aria-label="Inspector"]')
  const logRows = () =>
    page.locator(
      '[data-testid="inspector-log"] [role="row"][aria-rowindex]:not([aria-rowindex="1"])',
    )

  const command = (line: string, expected?: RegExp) => answerTo(page, line, expected)

  async function openSection(name: string): Promise<void> {
    await inspector().getByRole('tab', { name, exact: true }).click()
  }

  it("shows the leader's log, and two logs conflicting across a partition", async () => {
    page = lab.page
    await page.goto(lab.web.url.href)
    await page.locator('[data-connection="open"]').waitFor()
    await command('start raft 5', /started raft with 5 nodes/)
    const view = page.locator('section[aria-label="Cluster view"]')
    await page.locator('section[aria-label="Cluster view"]:not([data-leader=""])').waitFor()
    const firstLeader = (await view.getAttribute('data-leader')) ?? ''
    for (const value of [1, 2, 3]) await command(`put x ${value}`, /ok: x = /)

    // The Inspector follows the leader until a node is chosen.
    await page.getByRole('tab', { name: 'Inspector' }).click()
    await eventually(() => inspector().getAttribute('data-node')).toMatch(/^n[1-5]$/)
    expect(firstLeader).toMatch(/^n[1-5]$/)
    await eventually(() => inspector().locator('[data-fact="role"]').textContent()).toBe('leader')
    await eventually(() =>
      inspector().getByRole('treeitem').first().getAttribute('aria-label'),
    ).toBe('role: "leader"')
    // The tree opens and closes from the keyboard.
    const tree = inspector().getByRole('tree')
    const focusedPath = () =>
      page.evaluate(() => document.activeElement?.getAttribute('data-path') ?? null)
    const kv = tree.locator('[data-path="/kv"]') // the state machine: {x: 3}
    await kv.focus()
    await page.keyboard.press('ArrowRight')
    await eventually(() => kv.getAttribute('aria-expanded')).toBe('true')
    await page.keyboard.press('ArrowRight')
    await eventually(focusedPath).toBe('/kv/x')
    await page.keyboard.press('ArrowLeft')
    await eventually(focusedPath).toBe('/kv')
    await page.keyboard.press('ArrowLeft')
    await eventually(() => kv.getAttribute('aria-expanded')).toBe('false')
    await page.keyboard.press('Home')
    await eventually(focusedPath).toBe('/role')
    const logField = tree.locator('[data-path="/log"]')
    await logField.click()
    await eventually(() => logField.getAttribute('aria-expanded')).toBe('true')
    await screenshotBothThemes(page, 'inspector-01-state')

    await openSection('Log')
    // The no-op of the leader's term and the three writes, all committed.
    await eventually(() =>
      logRows().evaluateAll((rows) =>
        rows.map((row) =>
          Array.from(row.querySelectorAll('[role="cell"]'), (cell) => cell.textContent).join(' '),
        ),
      ),
    ).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\d+ \d+ put x 1 ✓$/),
        expect.stringMatching(/^\d+ \d+ put x 3 ✓$/),
      ]),
    )
    expect(await inspector().locator('[data-committed="true"]').count()).toBeGreaterThanOrEqual(4)
    await screenshotBothThemes(page, 'inspector-02-leader-log')

    // Cut the leader off: `partition leader` takes the one leading as the
    // command runs (a busy machine may have moved it since the view last
    // said), and the answer names it. The others elect a new one; write on both sides.
    const cut = await command('partition leader', /network: partition n[1-5] \| /)
    const leader = /network: partition (n[1-5]) \| /.exec(cut)?.[1] ?? ''
    const others = ['n1', 'n2', 'n3', 'n4', 'n5'].filter((id) => id !== leader)
    await eventually(() => view.getAttribute('data-leader')).toMatch(
      new RegExp(`^(?!${leader}$)n[1-5]$`),
    )
    const newLeader = (await view.getAttribute('data-leader')) ?? ''
    await command(`put x 4 --on ${newLeader}`, /ok: x = 4/)
    await command(`put x 9 --on ${leader}`, /unknown|not done/)

    // Choose the old leader; compare its log with the new leader's.
    await inspector().getByLabel('Node to inspect').selectOption(leader)
    await openSection('Compare logs')
    await inspector().getByLabel(`Node to compare ${leader}'s log with`).selectOption(newLeader)
    const summary = inspector().locator('[data-testid="inspector-diff-summary"]')
    await eventually(() => summary.textContent()).toMatch(/They first conflict at index \d+/)
    const said = (await summary.textContent()) ?? ''
    expect(said).toMatch(new RegExp(`${leader} and ${newLeader} agree on entries 1–\\d+`))
    expect(said).toMatch(new RegExp(`${leader} has term \\d+ put x 9, ${newLeader} has term \\d+`))
    await screenshotBothThemes(page, 'inspector-03-partition-diff')

    // Heal: the old leader steps down and takes the new leader's entries.
    await command('heal')
    await command('wait 1000')
    await eventually(() => summary.textContent()).toMatch(/hold the same \d+ entries/)
    expect(await inspector().locator('.insp-diff-conflict').count()).toBe(0)
    await screenshotBothThemes(page, 'inspector-04-healed-diff')

    // A click on a node in the cluster view chooses it here too.
    await page.getByRole('tab', { name: 'Cluster', exact: true }).click()
    await page.locator(`button[data-node="${others[0]}"]`).click()
    await page.keyboard.press('Escape')
    await page.getByRole('tab', { name: 'Inspector', exact: true }).click()
    await eventually(() => inspector().getAttribute('data-node')).toBe(others[0])
  })

  it('runs the checks on a broken variant and follows a violation to its moment', async () => {
    page = lab.page
    // The simulator, with a fixed seed: the broken vote happens at once, every time.
    await command('start raft 5 --sim --seed 3 --variant votes-twice', /variant votes-twice/)
    await command('wait 500')
    await eventually(() => inspector().getAttribute('data-node')).toMatch(/^n[1-5]$/)
    await openSection('Checks')
    await inspector().getByRole('button', { name: 'Run the checks' }).click()
    const checks = inspector().locator('[data-testid="inspector-checks"]')
    await eventually(() => checks.getAttribute('data-state')).toBe('done')
    const violation = checks.locator('[data-rule="Election Safety"]').first()
    await expect.poll(() => violation.textContent()).toMatch(/voted for both n\d and n\d in term 1/)
    await screenshotBothThemes(page, 'inspector-05-violation')

    // An event that broke the rule: its moment is shown everywhere.
    const link = violation.locator('ul button[data-moment]').first()
    const at = Number(await link.getAttribute('data-moment'))
    await link.click()
    await eventually(() => inspector().getAttribute('data-moment')).toBe(String(at))
    await eventually(() => inspector().getAttribute('data-source')).toBe('trace')
    expect(await page.locator('[data-testid="inspector-moment"]').textContent()).toMatch(
      /^At .* ms into the run$/,
    )
    await openSection('State')
    await screenshotBothThemes(page, 'inspector-06-at-the-moment')
    await inspector().getByRole('button', { name: 'Back to live' }).click()
    await eventually(() => inspector().getAttribute('data-moment')).toBe('live')

    // A history that is not linearizable: reads served by a cut-off leader.
    await command('start raft 5 --sim --seed 3 --variant local-reads', /local-reads/)
    await command('wait 500')
    await command('put x 1', /ok/)
    await command('partition n3 | n1,n2,n4,n5')
    await command('wait 1000')
    await command('put x 2 --on n1', /ok/)
    await command('get x --on n3', /x = 1/)
    await openSection('Checks')
    await inspector()
      .getByRole('button', { name: /Run the checks/ })
      .click()
    const history = checks.locator('section[aria-label="Linearizability"]')
    await eventually(() => history.getAttribute('data-result')).toBe('not linearizable')
    await expect
      .poll(() => history.locator('pre').textContent())
      .toMatch(/<- read x → 1 cannot be placed/)
    await screenshotBothThemes(page, 'inspector-07-not-linearizable')
    expect(lab.problems).toEqual([])
  })
})
