// Lesson text reaches the page as HTML made by markdown-it with HTML off:
// Markdown becomes markup, but markup written in a lesson stays text, and
// script addresses are not made links. Lesson packs are shared: this is the
// line they cannot cross.

import { describe, expect, it } from 'vitest'
import { lessonHtml } from '../../src/renderer/lessons/markdown'

describe('lesson Markdown', () => {
  it('renders what lessons use: paragraphs, strong, code, lists', () => {
    const html = lessonHtml(
      'Every node starts as a **follower**.\n\nType `status`:\n\n- one\n- two',
    )
    expect(html).toContain('<strong>follower</strong>')
    expect(html).toContain('<code>status</code>')
    expect(html).toContain('<li>one</li>')
    expect(html.match(/<p>/g)).toHaveLength(2)
  })

  it('writes HTML in a lesson as text', () => {
    const html = lessonHtml(
      '<script>alert(1)</script>\n\n<img src=x onerror="alert(2)">\n\nok <b onclick="x()">b</b>',
    )
    expect(html).not.toMatch(/<script|<img|<b /)
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&lt;img src=x onerror=&quot;alert(2)&quot;&gt;')
  })

  it('makes no link of a script address, and opens other links outside the app', () => {
    for (const address of ['javascript:alert(1)', 'vbscript:x', 'data:text/html,<b>x</b>']) {
      expect(lessonHtml(`[click](${address})`)).not.toContain('<a ')
    }
    expect(lessonHtml('[Raft](https://raft.github.io)')).toBe(
      '<p><a href="https://raft.github.io" target="_blank" rel="noopener noreferrer">Raft</a></p>\n',
    )
  })
})
