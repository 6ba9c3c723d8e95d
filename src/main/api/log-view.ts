// A node's log as the inspector shows it, for any log-based algorithm: Raft and
// what is built on it (locks, the scheduler) keep `log` (entries with a term,
// indices from 1, committed up to commitIndex); Multi-Paxos keeps `accepted`
// (slots from 0, each with the ballot it was accepted in, chosen below
// chosen.length); 2PC keeps a decision log with no commit index. Each entry is
// described in the terminal's words (`put x 1`, `no-op`).

import type { NodeSummary } from '../../shared/node-api'
import { entryTextCharsMax, logEntriesMax, type LogView } from '../../shared/inspection'

type Fields = Record<string, unknown>

/** The node's log, or null when its state keeps none. `summary` fills in what a past moment lacks. */
export function logViewOf(state: unknown, summary: NodeSummary): LogView | null {
  if (!isObject(state)) return null
  if (Array.isArray(state.log)) return raftLikeLog(state, state.log, summary)
  if (Array.isArray(state.accepted)) return slotLog(state, state.accepted, summary)
  return null
}

function raftLikeLog(state: Fields, log: unknown[], summary: NodeSummary): LogView {
  const commitIndex = numberOr(state.commitIndex, summary.commitIndex)
  const hasTerms = log.some((entry) => isObject(entry) && typeof entry.term === 'number')
  return window(log, {
    field: 'log',
    termName: 'term',
    firstIndex: 1,
    committed: commitIndex ?? 0,
    commitKnown: commitIndex !== null,
    termOf: (entry) => (hasTerms && isObject(entry) ? textOf(entry.term) : null),
  })
}

function slotLog(state: Fields, slots: unknown[], summary: NodeSummary): LogView {
  const chosen = Array.isArray(state.chosen) ? state.chosen.length : null
  const committed = chosen ?? numberOr(summary.commitIndex, undefined)
  return window(slots, {
    field: 'accepted',
    termName: 'ballot',
    firstIndex: 0,
    committed: committed ?? 0,
    commitKnown: committed !== null,
    termOf: (slot) => (isObject(slot) ? ballotText(slot.ballot) : null),
  })
}

function window(
  entries: unknown[],
  how: {
    field: string
    termName: string
    firstIndex: number
    committed: number
    commitKnown: boolean
    termOf: (entry: unknown) => string | null
  },
): LogView {
  const committed = Math.max(0, Math.min(how.committed, entries.length))
  const first = Math.max(0, entries.length - logEntriesMax)
  return {
    field: how.field,
    termName: how.termName,
    length: entries.length,
    committed,
    commitKnown: how.commitKnown,
    entries: entries.slice(first).map((entry, i) => ({
      index: first + i + how.firstIndex,
      term: how.termOf(entry),
      text: entryText(entry),
      committed: how.commitKnown && first + i < committed,
    })),
  }
}

/** Fields of a command that say who asked, not what: left out of its description. */
const bookkeeping = new Set(['client', 'msg_id', 'replyTo', 'at', 'op'])

/** One entry in the terminal's words: `put x 1`, `cas x 1 2`, `acquire x leaseMs=2000`, `no-op`. */
export function entryText(entry: unknown): string {
  return clip(describeEntry(entry))
}

function describeEntry(entry: unknown): string {
  if (!isObject(entry)) return compact(entry)
  // The command may sit beside the term under a service's own name (lock, sched).
  const payload = [entry.lock, entry.sched, entry.command].find(
    (c) => c !== undefined && c !== null,
  )
  if (payload !== undefined) return describeCommand(payload)
  if ('command' in entry) return 'no-op'
  const rest = Object.fromEntries(
    Object.entries(entry).filter(([key]) => key !== 'term' && key !== 'ballot'),
  )
  return Object.keys(rest).length === 0 ? 'no-op' : compact(rest)
}

function describeCommand(command: unknown): string {
  if (!isObject(command) || typeof command.op !== 'string') return compact(command)
  const key = typeof command.key === 'string' ? command.key : null
  switch (command.op) {
    case 'write':
      return `put ${key} ${json(command.value)}`
    case 'cas':
      return `cas ${key} ${json(command.from)} ${json(command.to)}`
    case 'read':
      return `get ${key}`
    default: {
      const details = Object.entries(command)
        .filter(([name]) => !bookkeeping.has(name) && name !== 'key')
        .map(([name, value]) => `${name}=${compact(value)}`)
      return [command.op, ...(key === null ? [] : [key]), ...details].join(' ')
    }
  }
}

function ballotText(ballot: unknown): string | null {
  if (!isObject(ballot) || typeof ballot.round !== 'number') return null
  return ballot.round === 0 ? null : `${ballot.round}.${textOf(ballot.node)}`
}

/** A value as the terminal types it: `1`, `"a"`. */
function json(value: unknown): string {
  return JSON.stringify(value) ?? 'undefined'
}

/** A value in a description: strings bare (`task=t1`), the rest as JSON. */
function compact(value: unknown): string {
  return typeof value === 'string' ? value : json(value)
}

function textOf(value: unknown): string {
  return typeof value === 'string' ? value : compact(value)
}

function clip(text: string): string {
  return text.length <= entryTextCharsMax ? text : `${text.slice(0, entryTextCharsMax - 1)}…`
}

function numberOr(value: unknown, fallback: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value
  if (typeof fallback === 'number' && Number.isFinite(fallback)) return fallback
  return null
}

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
