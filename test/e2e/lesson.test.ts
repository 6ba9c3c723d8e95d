// A lesson, end to end, as a learner follows one in browser mode: open
// lesson 2 from the course map, type each step's commands in the terminal
// (the solutions in lessons/02-raft-election/lesson.yaml) and see the lesson
// pane confirm the step and move on; ask for a hint, step forward and back
// with the pane's buttons; switch the page to Chinese; reload the page halfway
// and land on the same step in the same language (progress is kept in the
// database `web --db` was given); finish the lesson; reload again and see it
// done on the course map. Screenshots, light and dark, go to
// test-results/screenshots/lesson-NN-*.png.
//
// Needs a chromium binary (.ci/run installs it); without one this file skips.

import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import {
  eventually,
  executablePath,
  root,
  screenshotBothThemes,
  typeCommand,
  useLab,
} from './harness'

interface StepFile {
  id: string
  solution: string[]
}

const lessonId = '02-raft-election'
const steps = (
  parse(readFileSync(join(root, 'lessons', lessonId, 'lesson.yaml'), 'utf8')) as {
    steps: StepFile[]
  }
).steps

describe.skipIf(executablePath === null)('a lesson in the pane', { timeout: 240_000 }, () => {
  const lab = useLab('lesson')
  let page: Page

  const pane = () => page.locator('[data-testid="lesson-pane"]')
  const answer = () => page.locator('[data-testid="last-answer"]').textContent()
  const paneData = (name: string) => () => pane().getAttribute(`data-${name}`)
  const news = () => page.locator('[data-testid="step-news"]').textContent()

  /** Waits until the terminal has answered this command (it echoes the line first). */
  async function answered(line: string): Promise<void> {
    const escaped = line.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    await eventually(answer).toMatch(new RegExp(`^${escaped}\\n`))
  }

  /** Types a step's solution, as the learner would, and waits for the pane to tick it. */
  async function doStep(index: number): Promise<void> {
    const step = steps[index]
    for (const line of step.solution) {
      await typeCommand(page, line)
      await answered(line)
    }
    await eventually(paneData('steps-done')).toBe(String(index + 1))
    expect(await pane().locator('.step-mark.done').count()).toBe(index + 1)
    if (index + 1 < steps.length) {
      await eventually(paneData('step')).toBe(steps[index + 1].id)
    }
  }

  async function reloadAndWait(): Promise<void> {
    await page.reload()
    await page.locator('[data-connection="open"]').waitFor()
    await pane().waitFor()
  }

  it('follows lesson 2 step by step, in English and Chinese, across reloads', async () => {
    page = lab.page
    expect(steps.map((step) => step.id)).toContain('kill-leader')
    await page.goto(lab.web.url.href)
    await page.locator('[data-connection="open"]').waitFor()

    // No lesson open: the course map, every lesson not started.
    const courseMap = page.locator('[data-testid="course-map"]')
    await courseMap.waitFor()
    await eventually(() => courseMap.locator(`tr[data-lesson="${lessonId}"]`).count()).toBe(1)
    expect(await pane().getAttribute('data-lesson')).toBe('')
    await screenshotBothThemes(page, 'lesson-01-course-map')

    // A click on the lesson runs `lesson 2` in the terminal.
    await page.getByRole('button', { name: /^Start lesson 2: / }).click()
    await answered('lesson 2')
    await eventually(paneData('lesson')).toBe(lessonId)
    expect(await pane().getAttribute('data-step')).toBe(steps[0].id)
    await eventually(() => page.locator('[data-testid="step-of"]').textContent()).toBe(
      `Step 1 of ${steps.length}`,
    )
    // The step's Markdown is rendered: `status` as code, **follower** as strong.
    const text = page.locator('[data-testid="step-text"]')
    expect(await text.locator('code', { hasText: 'status' }).count()).toBeGreaterThan(0)
    expect(await text.locator('strong').count()).toBeGreaterThan(0)
    await screenshotBothThemes(page, 'lesson-02-first-step')

    // Step 1 typed: confirmed, and the pane moves on.
    await doStep(0)
    expect(await news()).toBe('✓ Step 1 done. On to step 2.')
    await screenshotBothThemes(page, 'lesson-03-step-confirmed')
    await doStep(1)

    // The pane's buttons type hint, next and back into the terminal.
    await pane().getByRole('button', { name: 'Hint', exact: true }).click()
    await answered('hint')
    await eventually(() => page.locator('[data-testid="hints"] li').count()).toBe(1)
    await screenshotBothThemes(page, 'lesson-04-hint')
    await pane().getByRole('button', { name: 'Next', exact: true }).click()
    await answered('next')
    await eventually(paneData('step')).toBe(steps[3].id)
    await pane().getByRole('button', { name: 'Back', exact: true }).click()
    await answered('back')
    await eventually(paneData('step')).toBe(steps[2].id)
    await doStep(2)

    // Chinese: the lesson and the page around it.
    await pane().getByRole('button', { name: '中文' }).click()
    await answered('lang zh')
    await eventually(paneData('language')).toBe('zh')
    await eventually(() => page.getByRole('tab', { name: '集群' }).count()).toBe(1)
    expect(await page.locator('[data-connection="open"]').textContent()).toBe('已连接')
    expect(await page.locator('[data-testid="step-of"]').textContent()).toBe(
      `第 4 步，共 ${steps.length} 步`,
    )
    expect(await page.evaluate('document.documentElement.lang')).toBe('zh-CN')
    await screenshotBothThemes(page, 'lesson-05-chinese')

    // A reload: a new session, and the learner is back on step 4, in Chinese.
    await reloadAndWait()
    await answered('lesson 2')
    await eventually(paneData('step')).toBe(steps[3].id)
    expect(await pane().getAttribute('data-language')).toBe('zh')
    expect(await pane().getAttribute('data-steps-done')).toBe('3')
    // The step view (and markdown-it) loads with the first lesson shown.
    await eventually(() => pane().locator('.step-mark.done').count()).toBe(3)
    await screenshotBothThemes(page, 'lesson-06-resumed')

    for (let index = 3; index < steps.length; index++) await doStep(index)
    await eventually(news).toMatch(/^★ 你学完了「.+」/)
    // The way on: the next lesson, one click away.
    expect(
      await pane()
        .getByRole('button', { name: /^开始第 \d+ 课：/ })
        .count(),
    ).toBe(1)
    await screenshotBothThemes(page, 'lesson-07-finished')

    // Another reload: the finished lesson is not opened again; the map shows it done.
    await reloadAndWait()
    const row = courseMap.locator(`tr[data-lesson="${lessonId}"]`)
    await eventually(() => row.getAttribute('data-steps-done')).toBe(String(steps.length))
    expect(await row.textContent()).toContain('已学完')
    expect(await row.textContent()).toContain('你在这里')
    expect(await pane().getAttribute('data-language')).toBe('zh')
    expect(await pane().getAttribute('data-lesson')).toBe('')
    expect(await answer()).toBe('')
    await screenshotBothThemes(page, 'lesson-08-course-done')

    // And back to English, from the keyboard.
    await pane().getByRole('button', { name: 'English' }).focus()
    await page.keyboard.press('Enter')
    await answered('lang en')
    await eventually(paneData('language')).toBe('en')
    await eventually(() => page.getByRole('tab', { name: 'Cluster' }).count()).toBe(1)
    expect(lab.problems).toEqual([])
  })
})
