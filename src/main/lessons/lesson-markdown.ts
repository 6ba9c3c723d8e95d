// Reads one language's text of a lesson (en.md, zh.md): `# Title`, a summary,
// then one `## step-id` section per step, each with its text and, under
// `### hints`, a list of hints. Only these headings carry structure; the rest
// is Markdown for the learner.

import type { StepText } from './lesson'

export interface MarkdownSection extends StepText {
  id: string
  /** The line of its `## id` heading. */
  line: number
  /** The line of its `### hints` heading, or of the heading when there is none. */
  hintsLine: number
}

export interface LessonMarkdown {
  title: string
  summary: string
  sections: MarkdownSection[]
  /** Mistakes, each with its line. */
  problems: { line: number; message: string }[]
}

const hintsHeading = /^###\s+hints\s*$/i

export function readLessonMarkdown(text: string): LessonMarkdown {
  const lines = text.replace(/\r\n?/g, '\n').split('\n')
  const problems: LessonMarkdown['problems'] = []
  let title = ''
  const summary: string[] = []
  const sections: MarkdownSection[] = []
  let section: (MarkdownSection & { body: string[]; hintLines: string[] | null }) | null = null
  let inFence = false

  const finish = (): void => {
    if (section === null) return
    section.text = section.body.join('\n').trim()
    section.hints = splitHints(section.hintLines ?? [])
    if (section.text === '')
      problems.push({ line: section.line, message: `step ${section.id} has no text.` })
    if (section.hints.length === 0) {
      problems.push({
        line: section.hintsLine,
        message: `step ${section.id} has no hints; add "### hints" with at least one "- hint" under it.`,
      })
    }
    sections.push({
      id: section.id,
      line: section.line,
      hintsLine: section.hintsLine,
      text: section.text,
      hints: section.hints,
    })
    section = null
  }

  lines.forEach((line, index) => {
    const number = index + 1
    if (/^(```|~~~)/.test(line)) inFence = !inFence
    const heading = inFence ? null : /^(#{1,3})\s+(.*?)\s*$/.exec(line)
    if (heading !== null && heading[1] === '#') {
      if (title !== '' || section !== null) {
        problems.push({ line: number, message: 'a lesson has one "# Title", at the top.' })
      } else {
        title = heading[2]
      }
      return
    }
    if (heading !== null && heading[1] === '##') {
      finish()
      const id = heading[2]
      if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) {
        problems.push({
          line: number,
          message: `"## ${id}" should name a step id from lesson.yaml (lower case, digits and dashes).`,
        })
      }
      section = {
        id,
        line: number,
        hintsLine: number,
        text: '',
        hints: [],
        body: [],
        hintLines: null,
      }
      return
    }
    if (heading !== null && heading[1] === '###' && hintsHeading.test(line)) {
      if (section === null) {
        problems.push({
          line: number,
          message: '"### hints" belongs under a "## step-id" heading.',
        })
      } else if (section.hintLines !== null) {
        problems.push({ line: number, message: `step ${section.id} has "### hints" twice.` })
      } else {
        section.hintLines = []
        section.hintsLine = number
      }
      return
    }
    if (section === null) summary.push(line)
    else if (section.hintLines !== null) {
      if (line.trim() !== '' && !/^(\s{2,}|-\s|\*\s)/.test(line)) {
        problems.push({
          line: number,
          message: `under "### hints" each hint is a list item starting "- "; this line is not.`,
        })
      }
      section.hintLines.push(line)
    } else section.body.push(line)
  })
  finish()
  if (title === '')
    problems.push({ line: 1, message: 'the text needs a "# Title" on its first line.' })
  return { title, summary: summary.join('\n').trim(), sections, problems }
}

/** List items, each with the indented lines that continue it. */
function splitHints(lines: string[]): string[] {
  const hints: string[] = []
  for (const line of lines) {
    const item = /^[-*]\s+(.*)$/.exec(line)
    if (item !== null) hints.push(item[1])
    else if (line.trim() !== '' && hints.length > 0) hints[hints.length - 1] += ` ${line.trim()}`
  }
  return hints.map((hint) => hint.trim()).filter((hint) => hint !== '')
}
