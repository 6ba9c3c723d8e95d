// Operations drawn as per-client timelines: the picture Jepsen and Porcupine
// draw of a history, as data (for the app's canvas) and as text (for the REPL):
//
//   c1  |-- write 1 --|   |-- write 2 --|
//   c2                                    |== read → 1 ==|  <- cannot be placed
//
// Only the order of calls and returns matters, so the text spaces them evenly
// rather than to scale: a 1 ms operation beside a 500 ms one stays readable.

import type { HistoryOperation, Model } from './linearizability'

export interface TimelineBar {
  client: string
  /** Lanes of one client: a client whose operation never completed may start another beside it. */
  lane: number
  call: number
  /** Null when the outcome is unknown: the bar never ends. */
  ret: number | null
  label: string
  /** The operation that cannot be placed. */
  conflict: boolean
}

export function timelineOf<State>(
  model: Model<State>,
  ops: readonly HistoryOperation[],
  culprit?: HistoryOperation,
): TimelineBar[] {
  const laneEnds = new Map<string, number[]>()
  return [...ops]
    .sort((a, b) => a.call - b.call)
    .map((op) => {
      const ends = laneEnds.get(op.client) ?? []
      laneEnds.set(op.client, ends)
      let lane = ends.findIndex((end) => end < op.call)
      if (lane < 0) lane = ends.push(0) - 1
      ends[lane] = op.ret
      return {
        client: op.client,
        lane,
        call: op.call,
        ret: op.ret === Infinity ? null : op.ret,
        label: operationLabel(op),
        conflict: op === culprit,
      }
    })
}

/** Labels longer than this are cut in the middle: a bar must stay readable. */
const labelLengthMax = 32

function clip(label: string): string {
  if (label.length <= labelLengthMax) return label
  const half = Math.floor((labelLengthMax - 1) / 2)
  return `${label.slice(0, half)}…${label.slice(label.length - half)}`
}

/** What a bar says: the operation and its answer, briefly (`read x → 1`). */
export function operationLabel(op: HistoryOperation): string {
  return clip(describeBriefly(op))
}

function describeBriefly(op: HistoryOperation): string {
  const input = op.input
  const answer = op.output === undefined ? ' ?' : ''
  switch (input.f) {
    case 'read':
      return op.output === undefined
        ? `read ${input.key} ?`
        : `read ${input.key} → ${JSON.stringify(op.output.value)}`
    case 'acquire':
      return op.output?.value === undefined || op.output.value === null
        ? `acquire ${input.key}${answer}`
        : `acquire ${input.key} → ${JSON.stringify(op.output.value)}`
    case 'cas':
      return `cas ${input.key} ${JSON.stringify(input.from)}→${JSON.stringify(input.to)}${answer}`
    case 'release':
      return `release ${input.key}${answer}`
    default:
      return `${input.f} ${input.key} ${JSON.stringify(input.value)}${answer}`
  }
}

/** The bars as lines of text, one per lane, and the time they span. */
export function timelineText(bars: readonly TimelineBar[], timeUnit = 'ms'): string[] {
  if (bars.length === 0) return []
  const times = [
    ...new Set(bars.flatMap((bar) => (bar.ret === null ? [bar.call] : [bar.call, bar.ret]))),
  ].sort((a, b) => a - b)
  // Each instant gets a column far enough right that every bar ending there fits its label.
  const column = new Map<number, number>()
  let next = 0
  for (const time of times) {
    let at = next
    for (const bar of bars) {
      if (bar.ret === time) at = Math.max(at, (column.get(bar.call) ?? 0) + bar.label.length + 6)
    }
    column.set(time, at)
    next = at + 2
  }
  const openEnd = next + Math.max(...bars.map((bar) => bar.label.length)) + 6
  const lanes = new Map<string, TimelineBar[]>()
  for (const bar of bars) {
    const name = `${bar.client}${bar.lane === 0 ? '' : `'`.repeat(bar.lane)}`
    lanes.set(name, [...(lanes.get(name) ?? []), bar])
  }
  const nameWidth = Math.max(...[...lanes.keys()].map((name) => name.length)) + 2
  const lines: string[] = []
  for (const [name, laneBars] of lanes) {
    let line = ''
    let note = ''
    for (const bar of laneBars) {
      const start = column.get(bar.call) ?? 0
      const end = bar.ret === null ? openEnd : (column.get(bar.ret) ?? start)
      line = line.padEnd(start)
      line += drawBar(bar, end - start + 1)
      if (bar.conflict) note = `  <- ${bar.label} cannot be placed`
    }
    lines.push(`${name.padEnd(nameWidth)}${line}${note}`.trimEnd())
  }
  const first = times[0]
  const last = times[times.length - 1]
  const shown = (time: number): string => (Number.isInteger(time) ? String(time) : time.toFixed(1))
  lines.push(
    `${''.padEnd(nameWidth)}time → (from ${shown(first)} to ${shown(last)} ${timeUnit}, not to scale)`,
  )
  return lines
}

function drawBar(bar: TimelineBar, width: number): string {
  const fill = bar.conflict ? '=' : '-'
  const label = ` ${bar.label} `
  const inner = Math.max(width - 2, label.length)
  const left = Math.floor((inner - label.length) / 2)
  const body = `${fill.repeat(left)}${label}${fill.repeat(inner - label.length - left)}`
  return bar.ret === null ? `|${body}…` : `|${body}|`
}
