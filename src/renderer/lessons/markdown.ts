// Lesson text (Markdown from lessons/*/en.md and zh.md) as HTML for the
// pane. Lesson packs are shared, so their text must never put markup of its
// own on the page: markdown-it with `html: false` writes any HTML in the
// text as escaped text, and its link check refuses javascript:, vbscript:,
// file: and data: addresses (a refused link stays as its plain text). Links
// that pass open outside the app, never in its window.

import MarkdownIt from 'markdown-it'

const markdown = new MarkdownIt({ html: false, linkify: false, typographer: false })

const renderLinkOpen =
  markdown.renderer.rules.link_open ??
  ((tokens, index, options, _env, self) => self.renderToken(tokens, index, options))

markdown.renderer.rules.link_open = (tokens, index, options, env, self) => {
  const token = tokens[index]
  token.attrSet('target', '_blank')
  token.attrSet('rel', 'noopener noreferrer')
  return renderLinkOpen(tokens, index, options, env, self)
}

/** Safe HTML for a lesson's Markdown: escaped markup, no script addresses. */
export function lessonHtml(text: string): string {
  return markdown.render(text)
}
