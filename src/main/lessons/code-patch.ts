// A lesson's code patch: edits to a module's source, written as data in
// lesson.yaml (find this text, put that in its place), never run. A lesson
// uses them to make the code its editor starts on (setup.code: a skeleton
// from the reference) and to say what its solution changes (a step's
// solution-code), which the tests apply and explore.

export interface CodeEdit {
  /** Text that occurs exactly once in the source. */
  find: string
  replace: string
}

/** The source with every edit made in order, or the first edit that cannot be made, in one sentence. */
export function applyCodeEdits(
  source: string,
  edits: readonly CodeEdit[],
): { ok: true; source: string } | { ok: false; edit: number; problem: string } {
  let text = source
  for (const [index, edit] of edits.entries()) {
    const at = text.indexOf(edit.find)
    if (at < 0) {
      return {
        ok: false,
        edit: index,
        problem: `the text to find is not in the code: ${firstLine(edit.find)}`,
      }
    }
    if (text.indexOf(edit.find, at + 1) >= 0) {
      return {
        ok: false,
        edit: index,
        problem: `the text to find occurs more than once; give more of it: ${firstLine(edit.find)}`,
      }
    }
    text = text.slice(0, at) + edit.replace + text.slice(at + edit.find.length)
  }
  return { ok: true, source: text }
}

function firstLine(text: string): string {
  const line = text.trim().split('\n')[0] ?? ''
  return line.length > 80 ? `${line.slice(0, 77)}...` : line
}
