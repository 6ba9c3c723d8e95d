// The whole page in Simplified Chinese, end to end: `lang zh` in the terminal
// switches the views, not only the lessons. A Raft cluster then shows Chinese
// in the cluster view's legend and summary, in the Inspector and Metrics tabs,
// and on the timeline's bar, while node ids and the core's own output stay as
// they are. Screenshots (light) in test-results/screenshots/chinese-ui-NN-*.png.
// The other e2e files select by the English names; this one selects by class
// and id, since every name here is in Chinese.

import { describe, expect, it } from 'vitest'
import { eventually, executablePath, screenshot, typeCommand, useLab } from './harness'

describe.skipIf(executablePath === null)('the page in Chinese', { timeout: 180_000 }, () => {
  const lab = useLab('chinese-ui')

  it('switches to Chinese and shows it in the cluster view, a tab and the timeline', async () => {
    const page = lab.page
    await page.goto(lab.web.url.href)
    await page.locator('[data-connection="open"]').waitFor()

    await typeCommand(page, 'lang zh')
    await page.locator('html[lang="zh-CN"]').waitFor()
    await typeCommand(page, 'start raft 3')
    const view = page.locator('section.cluster-view')
    await page.locator('section.cluster-view:not([data-leader=""])').waitFor()

    // The cluster view: the legend and the summary in the lessons' words.
    const legend = view.locator('ul.legend')
    expect(await legend.getAttribute('aria-label')).toBe('图例')
    const legendText = await legend.innerText()
    for (const word of ['领导者', '候选者', '跟随者', '已暂停', '已宕机', '消息', '断开的链路']) {
      expect(legendText).toContain(word)
    }
    await eventually(() => view.locator('.cluster-summary').innerText()).toMatch(
      /^领导者：n[1-3]（任期 \d+）。/,
    )
    expect(await view.getAttribute('aria-label')).toBe('集群视图')
    // data-role stays English: it is data for tests, not words for people.
    expect(await view.locator('[data-role="leader"]').count()).toBe(1)
    const leaderLabel = await view.locator('[data-role="leader"]').getAttribute('aria-label')
    expect(leaderLabel).toMatch(/^n[1-3]：领导者，任期 \d+，提交索引 \d+$/)

    // The timeline's bar.
    const strip = page.locator('section.tl-strip')
    expect(await strip.getAttribute('aria-label')).toBe('时间线')
    await eventually(() => strip.locator('.tl-bar').innerText()).toMatch(/实时 · [\d,]+ 个事件/)
    expect(await strip.locator('.tl-bar').innerText()).toContain('整个运行')
    await page.waitForTimeout(300) // a frame or two for the canvases
    await screenshot(page, 'chinese-ui-01-cluster-light')

    // A tab's panel: the Inspector's facts and sections.
    await page.locator('#tab-inspector').click()
    const inspector = page.locator('#panel-inspector')
    await eventually(() =>
      inspector.locator('[data-testid="inspector-facts"]').innerText(),
    ).toMatch(/角色[\s\S]*任期[\s\S]*提交索引/)
    for (const word of ['节点', '实时', '状态', '日志', '对比日志', '检查']) {
      expect(await inspector.innerText()).toContain(word)
    }
    await page.locator('#tab-inspector-log').click()
    await eventually(() => inspector.locator('.insp-caption').innerText()).toMatch(
      /^n[1-3] 的日志：共 \d+ 条，已提交 \d+ 条。$/,
    )
    await screenshot(page, 'chinese-ui-02-inspector-light')

    // The Metrics tab fills in once a second.
    await page.locator('#tab-metrics').click()
    await eventually(() =>
      page.locator('#panel-metrics [data-testid="metrics-tiles"]').innerText(),
    ).toContain('消息/秒')
    await screenshot(page, 'chinese-ui-03-metrics-light')

    // Back to English: the same views say it in English again.
    await typeCommand(page, 'lang en')
    await page.locator('html[lang="en"]').waitFor()
    await page.locator('#tab-cluster').click()
    expect(await legend.innerText()).toContain('cut link')
    expect(await page.locator('section[aria-label="Timeline"]').count()).toBe(1)
    expect(lab.problems).toEqual([])
  })
})
