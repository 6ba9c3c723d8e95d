// One-line descriptions of trace events, the same lines in the terminal, the
// scenario scripts and the lessons: `n1 [term 2] became leader`,
// `n1->n2 AppendEntries term=2 prev=4/1 commit=3 entries=[5/2 put x 1]`.

import type { Body, NodeId } from '../../shared/envelope'
import type { NodeSummary } from '../../shared/node-api'
import type { Operation, TraceEvent } from '../../shared/trace'

export type Describe = (body: Body) => string

/** Remembers each node's last summary, to say what changed ("became leader"). */
export class EventFormatter {
  private readonly roles = new Map<NodeId, { role?: string; term?: number }>()
  private readonly invoked = new Map<number, number>()

  constructor(private readonly describe: Describe) {}

  /** The line for an event, or null when it is not worth a line by default. */
  line(event: TraceEvent, verbose = false): string | null {
    const text = this.text(event, verbose)
    return text === null ? null : `${stamp(event.t)} ${text}`
  }

  private text(event: TraceEvent, verbose: boolean): string | null {
    switch (event.kind) {
      case 'state':
        return this.stateLine(event.node, event.summary, verbose)
      case 'recv':
        return `${event.src}->${event.dest} ${this.describe(event.body)}${event.duplicate ? ' (again: duplicated)' : ''}`
      case 'send':
        return verbose ? `${event.src}->${event.dest} sends ${this.describe(event.body)}` : null
      case 'drop':
        return `${event.src}->${event.dest} lost (${dropReason(event.reason)}): ${this.describe(event.body)}`
      case 'timer-set':
        return verbose ? `${event.node} set timer ${event.name} for ${round(event.ms)} ms` : null
      case 'timer-fire':
        return verbose ? `${event.node} timer ${event.name} fired` : null
      case 'crash':
        this.roles.delete(event.node)
        return event.error === undefined
          ? `${event.node} crashed`
          : `${event.node} crashed: ${event.error.message}`
      case 'restart':
        return `${event.node} restarted`
      case 'pause':
        return `${event.node} paused`
      case 'resume':
        return `${event.node} resumed`
      case 'link':
        return `network: ${event.change}${event.shape ? ` (${shapeText(event.shape)})` : ''}`
      case 'invoke':
        this.invoked.set(event.opId, event.t)
        return verbose ? `${event.client} ${operationText(event.op)} ...` : null
      case 'ok':
      case 'fail':
      case 'info': {
        const started = this.invoked.get(event.opId)
        this.invoked.delete(event.opId)
        const took = started === undefined ? '' : ` (${round(event.t - started)} ms)`
        const outcome =
          event.kind === 'ok'
            ? event.op.f === 'read'
              ? `= ${JSON.stringify(event.value ?? null)}`
              : 'ok'
            : event.kind === 'fail'
              ? `failed: ${event.error?.text ?? ''}`
              : `unknown: ${event.error?.text ?? 'no answer'}`
        return `${event.client} ${operationText(event.op)} -> ${outcome}${took}`
      }
      case 'violation':
        return `VIOLATION of ${event.rule}: ${event.message}`
      case 'log':
        return `${event.node}: ${event.text}`
    }
  }

  private stateLine(node: NodeId, summary: NodeSummary, verbose: boolean): string | null {
    const before = this.roles.get(node)
    this.roles.set(node, { role: summary.role, term: summary.term })
    const term = summary.term === undefined ? '' : ` [term ${summary.term}]`
    if (summary.role !== undefined && summary.role !== before?.role) {
      const article = summary.role === 'follower' ? 'a follower' : summary.role
      return summary.role === 'leader' || summary.role === 'candidate'
        ? `${node}${term} became ${summary.role}`
        : `${node}${term} is ${before === undefined ? '' : 'now '}${article}`
    }
    if (summary.term !== undefined && summary.term !== before?.term && before !== undefined) {
      return summary.role === 'candidate'
        ? `${node}${term} starts another election`
        : `${node}${term} moved to term ${summary.term}`
    }
    if (!verbose) return null
    return `${node}${term} ${Object.entries(summary)
      .map(([key, value]) => `${key}=${String(value)}`)
      .join(' ')}`
  }
}

export function operationText(op: Operation): string {
  switch (op.f) {
    case 'read':
      return `get ${op.key}`
    case 'write':
      return `put ${op.key} ${JSON.stringify(op.value)}`
    case 'cas':
      return `cas ${op.key} ${JSON.stringify(op.from)} ${JSON.stringify(op.to)}`
    case 'append':
      return `append ${op.key} ${JSON.stringify(op.value)}`
    case 'add':
      return `add ${op.key} ${JSON.stringify(op.value)}`
    case 'acquire':
    case 'release':
      return `${op.f} ${op.key}`
  }
}

function dropReason(reason: string): string {
  switch (reason) {
    case 'partition':
      return 'partitioned'
    case 'loss':
      return 'lossy link'
    case 'dead':
      return 'receiver is down'
    default:
      return 'no such node'
  }
}

function shapeText(shape: {
  loss: number
  delayMsMin: number
  delayMsMax: number
  duplicate: number
  reorder: number
}): string {
  return `loss ${round(shape.loss * 100)}%, delay ${round(shape.delayMsMin)}-${round(shape.delayMsMax)} ms, duplicate ${round(shape.duplicate * 100)}%, reorder ${round(shape.reorder * 100)}%`
}

function stamp(t: number): string {
  return `${round(t).toFixed(1).padStart(9)} ms`
}

export function round(n: number): number {
  return Math.round(n * 10) / 10
}

/** A table as aligned text lines. */
export function tableLines(columns: string[], rows: string[][]): string[] {
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...rows.map((row) => (row[i] ?? '').length)),
  )
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]))
      .join('  ')
      .trimEnd()
  return [line(columns), ...rows.map(line)]
}
