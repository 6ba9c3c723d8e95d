// Two nodes' logs side by side: where they agree, the first index where they
// conflict, and what each holds that the other lacks — the picture after a
// partition heals, when a cut-off leader's uncommitted entries meet the
// majority's. Two entries are the same when their term (or ballot) and their
// command are; by Raft's Log Matching property (section 5.3), two logs that
// hold the same entry at an index agree on every entry before it too.

import type { LogEntryView, LogView } from '../../shared/inspection'

export type DiffKind = 'same' | 'conflict' | 'only-a' | 'only-b'

export interface DiffRow {
  index: number
  a: LogEntryView | null
  b: LogEntryView | null
  kind: DiffKind
}

export interface LogDiff {
  rows: DiffRow[]
  /** The last index of the prefix the two share; null when they share none. */
  agreeThrough: number | null
  /** The first index where both hold an entry and the entries differ; null when none does. */
  firstConflict: number | null
  /** Entries past the shared prefix, on each side. */
  onlyA: number
  onlyB: number
  /** The comparison in sentences, for the panel and for screen readers. */
  sentences: string[]
}

export function diffLogs(aName: string, a: LogView, bName: string, b: LogView): LogDiff {
  const byIndexA = new Map(a.entries.map((entry) => [entry.index, entry]))
  const byIndexB = new Map(b.entries.map((entry) => [entry.index, entry]))
  const indices = [...new Set([...byIndexA.keys(), ...byIndexB.keys()])].sort((x, y) => x - y)
  const rows: DiffRow[] = indices.map((index) => {
    const entryA = byIndexA.get(index) ?? null
    const entryB = byIndexB.get(index) ?? null
    const kind: DiffKind =
      entryA === null
        ? 'only-b'
        : entryB === null
          ? 'only-a'
          : sameEntry(entryA, entryB)
            ? 'same'
            : 'conflict'
    return { index, a: entryA, b: entryB, kind }
  })
  const split = rows.findIndex((row) => row.kind !== 'same')
  const shared = split < 0 ? rows : rows.slice(0, split)
  const agreeThrough = shared.length === 0 ? null : shared[shared.length - 1].index
  const rest = split < 0 ? [] : rows.slice(split)
  const firstConflict = rows.find((row) => row.kind === 'conflict')?.index ?? null
  const onlyA = rest.filter((row) => row.a !== null).length
  const onlyB = rest.filter((row) => row.b !== null).length
  const diff = { rows, agreeThrough, firstConflict, onlyA, onlyB }
  return { ...diff, sentences: sentences(aName, a, bName, b, diff) }
}

function sameEntry(x: LogEntryView, y: LogEntryView): boolean {
  return x.term === y.term && x.text === y.text
}

function sentences(
  aName: string,
  a: LogView,
  bName: string,
  b: LogView,
  diff: Omit<LogDiff, 'sentences'>,
): string[] {
  const { rows, agreeThrough, firstConflict, onlyA, onlyB } = diff
  if (rows.length === 0) return ['Both logs are empty.']
  const said: string[] = []
  // A cut log (only its newest entries came) cannot speak for what came before.
  const firstShown = rows[0].index
  const cut = a.entries.length < a.length || b.entries.length < b.length
  if (cut) said.push(`Only the newest entries came; the comparison starts at index ${firstShown}.`)
  if (onlyA === 0 && onlyB === 0) {
    said.push(`${aName} and ${bName} hold the same ${count(rows.length, 'entry', 'entries')}.`)
    return said
  }
  said.push(
    agreeThrough === null
      ? `${aName} and ${bName} agree on no entry${cut ? ' shown' : ''}.`
      : `${aName} and ${bName} agree on ${entriesSpan(firstShown, agreeThrough)}.`,
  )
  if (firstConflict !== null) {
    const row = rows.find((r) => r.index === firstConflict) as DiffRow
    said.push(
      `They first conflict at index ${firstConflict}: ${aName} has ${entryWords(row.a, a)}, ${bName} has ${entryWords(row.b, b)}.`,
    )
  }
  const past = rows.filter((row) => agreeThrough === null || row.index > agreeThrough)
  const extra = (name: string, other: string, side: 'a' | 'b', n: number): string | null => {
    if (n === 0) return null
    const held = past.filter((row) => row[side] !== null).map((row) => row.index)
    const committed = past.filter((row) => row[side]?.committed === true).length
    return `${name} has ${count(n, 'entry', 'entries')} ${other} does not (${span(held[0], held[held.length - 1])})${committed > 0 ? `, ${committed} of them committed` : ''}.`
  }
  for (const line of [extra(aName, bName, 'a', onlyA), extra(bName, aName, 'b', onlyB)]) {
    if (line !== null) said.push(line)
  }
  return said
}

function entryWords(entry: LogEntryView | null, log: LogView): string {
  if (entry === null) return 'nothing'
  const term = entry.term === null ? '' : `${log.termName} ${entry.term} `
  return `${term}${entry.text}${entry.committed ? ' (committed)' : ''}`
}

function entriesSpan(first: number, last: number): string {
  return first === last ? `entry ${first}` : `entries ${first}–${last}`
}

function span(first: number, last: number): string {
  return first === last ? String(first) : `${first}–${last}`
}

function count(n: number, one: string, many: string): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`
}
