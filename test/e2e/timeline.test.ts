// The timeline, end to end: start a cluster and see its events on the
// timeline, kill the leader, scrub back to before the kill and see the
// cluster view show the old leader alive (and say it shows the past), then go
// back to live. Keyboard zoom and collapsing the strip too. Screenshots of
// each step, light and dark, in test-results/screenshots/timeline-NN-*.png.

import { describe, expect, it } from 'vitest'
import {
  eventually,
  executablePath,
  screenshot,
  screenshotBothThemes,
  typeCommand,
  useLab,
} from './harness'

describe.skipIf(executablePath === null)('the timeline', { timeout: 180_000 }, () => {
  const lab = useLab('timeline')

  it('shows the run, scrubs back to before the leader died, and returns to live', async () => {
    const page = lab.page
    await page.goto(lab.web.url.href)
    await page.locator('[data-connection="open"]').waitFor()
    const strip = page.locator('section[aria-label="Timeline"]')
    const view = page.locator('section[aria-label="Cluster view"]')
    const slider = page.getByRole('slider', { name: 'Moment shown' })

    // A cluster: its events reach the timeline, messages drawn as arrows.
    await typeCommand(page, 'start raft 5')
    await page.locator('section[aria-label="Cluster view"]:not([data-leader=""])').waitFor()
    await eventually(async () => Number(await strip.getAttribute('data-events'))).toBeGreaterThan(
      50,
    )
    await eventually(async () => Number(await strip.getAttribute('data-arrows'))).toBeGreaterThan(0)
    expect(await strip.getAttribute('data-following')).toBe('true')
    // The leader of a settled cluster: the same one a second apart (the first
    // elections of a busy machine may change hands).
    let leader = ''
    for (let tries = 0; tries < 20; tries++) {
      const first = await view.getAttribute('data-leader')
      await page.waitForTimeout(1_000)
      leader = (await view.getAttribute('data-leader')) ?? ''
      if (leader === first && leader !== '') break
    }
    expect(leader).toMatch(/^n[1-5]$/)
    // A moment while the leader led: the run's end as the slider knows it now.
    const beforeKill = Number(await slider.getAttribute('max'))
    expect(beforeKill).toBeGreaterThan(0)
    await screenshotBothThemes(page, 'timeline-01-running')
    await typeCommand(page, `kill ${leader}`)
    await eventually(() => view.getAttribute('data-leader')).toMatch(
      new RegExp(`^(?!${leader}$)n[1-5]$`),
    )
    await eventually(async () => Number(await slider.getAttribute('max'))).toBeGreaterThan(
      beforeKill,
    )
    await screenshotBothThemes(page, 'timeline-02-leader-killed')

    // Scrub back: the cluster view shows the old leader alive, and says it is the past.
    // The slider moves in steps (a thousandth of the run): the step at or before the moment.
    const step = Number(await slider.getAttribute('step'))
    await slider.fill(String(Math.floor(beforeKill / step) * step))
    await eventually(() => view.getAttribute('data-shown-at')).not.toBe('')
    expect(Number(await view.getAttribute('data-shown-at'))).toBeLessThanOrEqual(beforeKill)
    expect(await view.getAttribute('data-leader')).toBe(leader)
    expect(await page.locator(`button[data-node="${leader}"]`).getAttribute('data-role')).toBe(
      'leader',
    )
    await expect
      .poll(() => view.getByRole('status').textContent())
      .toMatch(/^Showing the past: \d+\.\d{3} s into the run\./)
    await screenshotBothThemes(page, 'timeline-03-scrubbed-back')

    // Back to live in one click: the new leader, the old one dead.
    await page.getByRole('button', { name: 'Back to live' }).click()
    await eventually(() => view.getAttribute('data-shown-at')).toBe('')
    // A leader other than the dead one (on a busy machine, maybe not the first to win after it).
    expect(await view.getAttribute('data-leader')).not.toBe(leader)
    expect(await page.locator(`button[data-node="${leader}"]`).getAttribute('data-role')).toBe(
      'dead',
    )

    // The keyboard path: on the plot, Enter shows the moment in the middle, Escape returns.
    const plot = page.getByRole('group', { name: /^Timeline plot/ })
    await plot.focus()
    // Zoomed in first: while the whole run fits in the window, its start is in
    // view already, and Home has nowhere to go (a fast machine's run is short).
    await page.keyboard.press('+')
    await page.keyboard.press('+')
    await page.keyboard.press('+')
    await page.keyboard.press('Home')
    await eventually(() => strip.getAttribute('data-following')).toBe('false')
    await page.keyboard.press('Enter')
    await eventually(() => strip.getAttribute('data-shown-at')).not.toBe('')
    await page.keyboard.press('Escape')
    await eventually(() => strip.getAttribute('data-shown-at')).toBe('')
    await page.keyboard.press('End')
    await eventually(() => strip.getAttribute('data-following')).toBe('true')
    await screenshotBothThemes(page, 'timeline-04-back-to-live')

    // Zoomed far in, a few arrows; collapsed, the plot goes and the views take the room.
    for (let i = 0; i < 6; i++) await page.keyboard.press('+')
    await eventually(async () => Number(await strip.getAttribute('data-arrows'))).toBeLessThan(
      Number(await strip.getAttribute('data-events')),
    )
    await screenshotBothThemes(page, 'timeline-05-zoomed-in')
    const toggle = page.getByRole('button', { name: /Timeline$/ })
    await toggle.click()
    expect(await toggle.getAttribute('aria-expanded')).toBe('false')
    expect(await plot.count()).toBe(0)
    await screenshot(page, 'timeline-06-collapsed-light')
    await toggle.click()
    await plot.waitFor()

    expect(lab.problems).toEqual([])
  })
})
