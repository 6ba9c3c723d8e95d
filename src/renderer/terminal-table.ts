// A command's table (`status`, `runs`, ...) drawn as a table in the terminal:
// ruled with box-drawing lines, a bold heading, numbers aligned right, roles
// and states in the colours the cluster view uses, and narrowed to fit the
// terminal (the widest columns give way first, their cells cut with …).

const bold = (text: string): string => `\x1b[1m${text}\x1b[0m`

/** Colours for the words the cluster view also colours (ANSI: green, yellow, red, magenta). */
const wordColours: Record<string, string> = {
  leader: '32',
  candidate: '33',
  dead: '31',
  crashed: '31',
  paused: '35',
}

/** The narrowest a column gets when the table must shrink. */
const columnCharsMin = 3

const isNumber = (cell: string): boolean => /^-?\d+(\.\d+)?( ?[a-zA-Z%/]+)?$/.test(cell)

function fit(cell: string, width: number): string {
  return cell.length <= width ? cell : `${cell.slice(0, Math.max(0, width - 1))}…`
}

/** Column widths that fit `widthMax` characters in all, borders included. */
function columnWidths(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  widthMax: number,
): number[] {
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...rows.map((row) => (row[i] ?? '').length)),
  )
  // Each column costs its width plus three (a space each side and a rule).
  const total = (): number => widths.reduce((sum, width) => sum + width + 3, 1)
  while (total() > widthMax) {
    const widest = widths.indexOf(Math.max(...widths))
    if (widths[widest] <= columnCharsMin) break
    widths[widest]--
  }
  return widths
}

/** The table as terminal lines (with colour escapes), at most `widthMax` characters wide. */
export function renderTable(
  columns: readonly string[],
  rows: readonly (readonly string[])[],
  widthMax: number,
): string[] {
  const widths = columnWidths(columns, rows, widthMax)
  const numeric = columns.map(
    (_, i) => rows.length > 0 && rows.every((row) => row[i] === '-' || isNumber(row[i] ?? '')),
  )
  const rule = (left: string, middle: string, right: string): string =>
    `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`
  const line = (cells: readonly string[], heading: boolean): string =>
    `│${widths
      .map((width, i) => {
        const text = fit(cells[i] ?? '', width)
        const padded = numeric[i] && !heading ? text.padStart(width) : text.padEnd(width)
        const colour = heading ? null : wordColours[text]
        const shown = heading
          ? bold(padded)
          : colour === undefined || colour === null
            ? padded
            : `\x1b[${colour}m${padded}\x1b[0m`
        return ` ${shown} `
      })
      .join('│')}│`
  return [
    rule('┌', '┬', '┐'),
    line(columns, true),
    rule('├', '┼', '┤'),
    ...rows.map((row) => line(row, false)),
    rule('└', '┴', '┘'),
  ]
}

/** What is printed on screen once escapes are taken out (for measuring). */
export function visibleText(line: string): string {
  // eslint-disable-next-line no-control-regex -- colour escapes are what is taken out
  return line.replace(/\x1b\[[0-9;]*m/g, '')
}
