// The Code tab, end to end, as a learner uses it: start a real-time Raft
// cluster, open the Code tab and read the Raft source; write a type error
// the editor's TypeScript service catches (it knows the node API as
// 'consensus-lab'), then a syntax error the core's compiler marks inline;
// undo it; study the votes-twice variant and apply it, and see the cluster
// restart on it; compare with the reference; save a version; apply the
// local-reads variant and see the inspector's checker find the stale read it
// serves across a partition. Screenshots of
// each step, light and dark, go to test-results/screenshots/editor-NN-*.png.
//
// Needs a chromium binary (.ci/run installs it); without one this file skips.

import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import {
  answerTo,
  eventually,
  executablePath,
  screenshotBothThemes as bothThemes,
  typeCommand,
  useLab,
} from './harness'

describe.skipIf(executablePath === null)('the code editor', { timeout: 180_000 }, () => {
  const lab = useLab('editor')
  let page: Page

  const status = () => page.locator('[data-testid="code-status"]')
  const editorLines = () => page.locator('[data-testid="code-monaco"] .view-lines')
  const errorMarks = () => page.locator('[data-testid="code-monaco"] .squiggly-error')

  /** Removes the first line (the editor has the focus). */
  async function removeTopLine(): Promise<void> {
    await page.keyboard.press('Control+Home')
    await page.keyboard.press('Shift+ArrowDown')
    await page.keyboard.press('Backspace')
  }

  /** Puts the cursor at the very start of the file and inserts `text` there. */
  async function insertAtTop(text: string): Promise<void> {
    await editorLines().click()
    await page.keyboard.press('Control+Home')
    await page.keyboard.insertText(text)
  }

  it('shows the Raft source the cluster runs, with the node API typed', async () => {
    page = lab.page
    await page.goto(lab.web.url.href)
    await page.locator('[data-connection="open"]').waitFor()
    await typeCommand(page, 'start raft 5')
    await page.locator('section[aria-label="Cluster view"]:not([data-leader=""])').waitFor()

    await page.getByRole('tab', { name: 'Code' }).click()
    await eventually(() => editorLines().textContent()).toMatch(/defineNode/)
    await eventually(() => status().textContent()).toMatch(/^The cluster runs raft\.$/)
    await expect
      .poll(() => page.locator('select[aria-label="Reference or broken variant"]').inputValue())
      .toBe('')
    await bothThemes(page, 'editor-01-raft-source')

    // The TypeScript service knows NodeSummary from 'consensus-lab': a wrong field type is marked.
    await insertAtTop("const wrongTerm: import('consensus-lab').NodeSummary = { term: 'one' }\n")
    await eventually(() => errorMarks().count()).toBeGreaterThan(0)
    // F8 opens the next problem, with its message, under its line.
    await page.keyboard.press('Control+Home')
    await page.keyboard.press('F8')
    await eventually(() => page.locator('.marker-widget').first().textContent()).toMatch(
      /Type 'string' is not assignable to type 'number'/,
    )
    // The core compiles without types: no problem of its own here.
    await eventually(() => status().getAttribute('data-problems')).toBe('0')
    await bothThemes(page, 'editor-02-type-error')
    await page.keyboard.press('Escape')
    await removeTopLine()
    await eventually(() => editorLines().textContent()).not.toMatch(/wrongTerm/)
  })

  it("marks a syntax error inline from the core's compiler, and clears it when fixed", async () => {
    await insertAtTop('const broken = ;\n')
    await eventually(() => status().getAttribute('data-problems')).toBe('1')
    await eventually(() => errorMarks().count()).toBeGreaterThan(0)
    await bothThemes(page, 'editor-03-compile-error')
    await removeTopLine()
    await eventually(() => status().getAttribute('data-problems')).toBe('0')
    await eventually(() => editorLines().textContent()).not.toMatch(/const broken/)
  })

  it('studies the votes-twice variant, applies it, and the cluster restarts on it', async () => {
    await page
      .locator('select[aria-label="Reference or broken variant"]')
      .selectOption('votes-twice')
    await eventually(() => page.locator('.code-variant-note').textContent()).toMatch(
      /votes-twice: Votes twice in one term.*read-only/,
    )
    await eventually(() => editorLines().textContent()).toMatch(
      /consensus-lab\/algorithms\/raft\/raft/,
    )
    await bothThemes(page, 'editor-04-variant')

    await page.getByRole('button', { name: 'Apply', exact: true }).click()
    await eventually(() => status().textContent()).toMatch(
      /^restarted n1, n2, n3, n4, n5 on variant votes-twice\. kept their saved fields: n1, n2, n3, n4, n5\.$/,
    )
    // The terminal tells of the restarts, and the cluster elects a leader on the new code.
    await page
      .locator('section[aria-label="Cluster view"]:not([data-leader=""])')
      .waitFor({ state: 'attached' })
    await typeCommand(page, 'status')
    await eventually(() => page.locator('[data-testid="last-answer"]').textContent()).toMatch(
      /leader/,
    )
    await bothThemes(page, 'editor-05-applied')
  })

  it('compares an edit with the reference, and saves it', async () => {
    await page.getByRole('button', { name: 'Edit a copy' }).click()
    await insertAtTop('// my notes on the bug\n')
    await page.getByRole('button', { name: 'Diff with reference' }).click()
    const diff = page.locator('[data-testid="code-diff"]')
    await eventually(() => diff.locator('.line-insert').count()).toBeGreaterThan(0)
    await bothThemes(page, 'editor-06-diff')
    await page.getByRole('button', { name: 'Back to the editor' }).click()

    await page.getByLabel('Name to save this code under').fill('notes')
    await page.getByRole('button', { name: 'Save', exact: true }).click()
    await eventually(() => status().textContent()).toBe('Saved as "notes" (version 1).')
    await expect
      .poll(() =>
        page.locator('select[aria-label="Load a saved version"] option').allTextContents(),
      )
      .toEqual(['load saved…', 'notes (v1)'])
    await bothThemes(page, 'editor-07-saved')
    expect(lab.problems).toEqual([])
  })

  it("applies the local-reads variant, and the inspector's checker shows the stale read it serves", async () => {
    const clusterView = page.locator('section[aria-label="Cluster view"]')
    await page.getByRole('tab', { name: 'Code', exact: true }).click()
    await page
      .locator('select[aria-label="Reference or broken variant"]')
      .selectOption('local-reads')
    await eventually(() => page.locator('.code-variant-note').textContent()).toMatch(/local-reads/)
    await page.getByRole('button', { name: 'Apply', exact: true }).click()
    await eventually(() => status().textContent()).toMatch(
      /^restarted n1, n2, n3, n4, n5 on variant local-reads\./,
    )
    await bothThemes(page, 'editor-08-local-reads-applied')

    // A leader on the new code takes a write, then is cut off from the others
    // (`partition leader`: the one leading as the command runs, named in the answer).
    await page.getByRole('tab', { name: 'Cluster', exact: true }).click()
    await eventually(() => clusterView.getAttribute('data-leader')).toMatch(/^n[1-5]$/)
    await answerTo(page, 'put x 1', /ok/)
    const cut = await answerTo(page, 'partition leader', /network: partition n[1-5] \| /)
    const cutOff = /network: partition (n[1-5]) \| /.exec(cut)?.[1] ?? ''
    const others = ['n1', 'n2', 'n3', 'n4', 'n5'].filter((id) => id !== cutOff)
    // The majority elects a leader of a higher term, which the view follows.
    await eventually(() => clusterView.getAttribute('data-leader')).toMatch(
      new RegExp(`^(${others.join('|')})$`),
    )
    const majority = (await clusterView.getAttribute('data-leader')) ?? ''
    await answerTo(page, `put x 2 --on ${majority}`, /ok/)
    // The old leader still answers reads from its own state: x = 1, after x = 2 was acknowledged.
    await answerTo(page, `get x --on ${cutOff}`, /x = 1/)

    const inspector = page.locator('section[aria-label="Inspector"]')
    await page.getByRole('tab', { name: 'Inspector', exact: true }).click()
    await inspector.getByRole('tab', { name: 'Checks', exact: true }).click()
    await inspector.getByRole('button', { name: /Run the checks/ }).click()
    const history = inspector.locator(
      '[data-testid="inspector-checks"] section[aria-label="Linearizability"]',
    )
    await eventually(() => history.getAttribute('data-result')).toBe('not linearizable')
    await expect
      .poll(() => history.locator('pre').textContent())
      .toMatch(/read x → 1 cannot be placed/)
    await bothThemes(page, 'editor-09-local-reads-caught')
    expect(lab.problems).toEqual([])
  })
})
