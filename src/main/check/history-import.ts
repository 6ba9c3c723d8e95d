// Reads client histories from files: Jepsen's logs (as in etcd's tests),
// Jepsen's EDN histories, and our own JSON Lines trace events. Every problem
// is reported with its line; nothing in a file runs.

import type { Operation } from '../../shared/trace'
import type { HistoryOperation, OperationOutput } from './linearizability'

export type History = HistoryOperation[]

export interface ImportedHistory {
  format: 'jepsen-log' | 'jepsen-edn' | 'json-lines'
  operations: History
  /** The value keys hold before anything is written, in this format's world. */
  initial: unknown
}

export class HistoryError extends Error {
  override name = 'HistoryError'
}

/** Completions pair with the open invocation of the same process. */
class Pairing {
  private readonly open = new Map<string, { op: HistoryOperation }>()
  readonly operations: History = []

  invoke(process: string, input: Operation, time: number, line: number): void {
    if (this.open.has(process))
      throw new HistoryError(
        `line ${line}: process ${process} invokes again before its last operation completed.`,
      )
    const op: HistoryOperation = {
      client: process,
      input,
      output: undefined,
      call: time,
      ret: Infinity,
    }
    this.open.set(process, { op })
  }

  complete(
    process: string,
    type: 'ok' | 'fail' | 'info',
    output: OperationOutput | undefined,
    time: number,
    line: number,
  ): void {
    const pending = this.open.get(process)
    if (pending === undefined)
      throw new HistoryError(
        `line ${line}: process ${process} completes an operation it never invoked.`,
      )
    this.open.delete(process)
    if (type === 'fail') return // it definitely did not happen
    if (type === 'ok') {
      pending.op.ret = time
      pending.op.output = output ?? {}
    }
    this.operations.push(pending.op)
  }

  /** Operations never completed: their outcome is unknown. */
  finish(): History {
    for (const { op } of this.open.values()) this.operations.push(op)
    this.open.clear()
    return this.operations
  }
}

export function importHistory(text: string): ImportedHistory {
  const imported = readHistory(text)
  // An empty history is trivially linearizable, which would hide a file read wrong.
  if (imported.operations.length === 0) {
    throw new HistoryError(
      `found no operations in this ${imported.format} history: nothing to check.`,
    )
  }
  return imported
}

function readHistory(text: string): ImportedHistory {
  const firstLine = text.split('\n').find((line) => line.trim() !== '') ?? ''
  if (firstLine.trimStart().startsWith('{:'))
    return { format: 'jepsen-edn', operations: parseEdn(text), initial: '' }
  if (firstLine.trimStart().startsWith('{'))
    return { format: 'json-lines', operations: parseJsonLines(text), initial: null }
  if (/:invoke|:ok|:fail|:info/.test(text))
    return { format: 'jepsen-log', operations: parseJepsenLog(text), initial: null }
  throw new HistoryError(
    'this is not a history Consensus Lab knows: expected a Jepsen log, Jepsen EDN, or JSON Lines of trace events.',
  )
}

const ednValue = (text: string | undefined): unknown => {
  if (text === undefined || text === 'nil') return null
  if (/^-?\d+$/.test(text)) return Number(text)
  const vector = /^\[(.*)\]$/.exec(text)
  if (vector !== null) return vector[1].trim().split(/\s+/).map(ednValue)
  const string = /^"(.*)"$/.exec(text)
  return string !== null ? string[1] : text
}

/** Jepsen's operation names, ours, and the ones its tests use for the same things. */
const operationNames: Record<string, Operation['f']> = {
  read: 'read',
  get: 'read',
  write: 'write',
  put: 'write',
  cas: 'cas',
  append: 'append',
  add: 'add',
  acquire: 'acquire',
  release: 'release',
}

/** The operation an invocation asks for; `value` is what the history wrote beside it. */
function operationOf(f: string, key: string, value: unknown, line: number): Operation {
  const kind = operationNames[f] as Operation['f'] | undefined
  if (kind === undefined) {
    throw new HistoryError(
      `line ${line}: :${f} is not an operation Consensus Lab checks (${Object.keys(operationNames).join(', ')}).`,
    )
  }
  switch (kind) {
    case 'cas':
      if (!Array.isArray(value) || value.length !== 2)
        throw new HistoryError(`line ${line}: a cas needs [from to], not ${JSON.stringify(value)}.`)
      return { f: 'cas', key, from: value[0], to: value[1] }
    case 'read':
    case 'acquire':
    case 'release':
      return { f: kind, key }
    default:
      return { f: kind, key, value }
  }
}

/** A key as the checker names it; histories of one object (a counter, a lock) name none. */
function keyName(key: unknown): string {
  if (key === null) return 'x'
  return typeof key === 'string' || typeof key === 'number' ? String(key) : JSON.stringify(key)
}

/** What a completed operation answered: a read its value, an acquire its fencing token. */
function outputOf(f: Operation['f'], value: unknown): OperationOutput {
  return f === 'read' || f === 'acquire' ? { value } : {}
}

function parseJepsenLog(text: string): History {
  const pairing = new Pairing()
  // Fields are separated by tabs in most logs, by spaces in some.
  const pattern = /\s(\d+)\s+:(invoke|ok|fail|info)\s+:([a-z-]+)\s+(.*)$/
  text.split('\n').forEach((raw, i) => {
    const match = pattern.exec(raw.trimEnd())
    if (match === null) return // other log lines
    const [, process, type, f, valueText] = match
    const value = ednValue(valueText.trim())
    if (type === 'invoke') {
      pairing.invoke(process, operationOf(f, 'x', value, i + 1), i, i + 1)
    } else {
      const kind = operationNames[f] ?? 'read'
      pairing.complete(process, type as 'ok' | 'fail' | 'info', outputOf(kind, value), i, i + 1)
    }
  })
  return pairing.finish()
}

function parseEdn(text: string): History {
  const pairing = new Pairing()
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim()
    if (line === '') return
    const field = (name: string): string | undefined =>
      new RegExp(`:${name} ("(?:[^"\\\\]|\\\\.)*"|[^,}\\s]+)`).exec(line)?.[1]
    const process = field('process')
    const type = field('type')?.replace(/^:/, '')
    const f = field('f')?.replace(/^:/, '')
    const key = ednValue(field('key'))
    const value = ednValue(field('value'))
    if (process === undefined || type === undefined || f === undefined) {
      throw new HistoryError(`line ${i + 1}: an EDN operation needs :process, :type and :f.`)
    }
    if (type === 'invoke') {
      const input = operationOf(f, keyName(key), value, i + 1)
      pairing.invoke(process, input, i, i + 1)
    } else if (type === 'ok' || type === 'fail' || type === 'info') {
      pairing.complete(process, type, outputOf(operationNames[f] ?? 'read', value), i, i + 1)
    } else {
      throw new HistoryError(`line ${i + 1}: :type ${type} is not invoke, ok, fail or info.`)
    }
  })
  return pairing.finish()
}

/** A client event of our trace, as far as a history needs it. */
export interface ClientEvent {
  kind: string
  opId?: number
  client?: string
  t?: number
  op?: Operation
  value?: unknown
}

/**
 * Turns our trace's client events (`invoke`, then `ok` / `fail` / `info`,
 * paired by `opId`) into operations. A failed one is left out: it did not happen.
 */
export class HistoryRecorder {
  private readonly open = new Map<number, HistoryOperation>()
  private readonly done: History = []
  /** The last instant handed out (see `instant`). */
  private last = -Infinity

  /**
   * The time of an event as the history keeps it: its `t`, nudged just past
   * the previous event's when they tie. The simulator's time stands still
   * between commands, so `put x 2` then `get x` completes one and invokes the
   * other at the same instant; the checker would read equal times as
   * overlapping and let the read come first. The trace's order is what
   * happened, and client events arrive in it; strictly increasing times keep it.
   */
  private instant(t: number): number {
    this.last = t > this.last ? t : this.last + 1e-6
    return this.last
  }

  /** Takes one event; other kinds are ignored. Returns a problem as a sentence, or null. */
  add(event: ClientEvent): string | null {
    if (!['invoke', 'ok', 'fail', 'info'].includes(event.kind)) return null
    if (
      typeof event.opId !== 'number' ||
      typeof event.t !== 'number' ||
      typeof event.op?.key !== 'string'
    ) {
      return `a ${event.kind} event needs opId, t and op.`
    }
    if (event.kind === 'invoke') {
      this.open.set(event.opId, {
        client: event.client ?? '?',
        input: event.op,
        output: undefined,
        call: this.instant(event.t),
        ret: Infinity,
      })
      return null
    }
    const op = this.open.get(event.opId)
    if (op === undefined)
      return `${event.kind} for operation ${event.opId}, which was never invoked.`
    this.open.delete(event.opId)
    if (event.kind === 'fail') return null
    if (event.kind === 'ok') {
      op.ret = this.instant(event.t)
      op.output = outputOf(op.input.f, event.value ?? null)
    }
    this.done.push(op)
    return null
  }

  /** Everything so far; operations still open count as outcome unknown. */
  operations(): History {
    return [...this.done, ...this.open.values()]
  }
}

function parseJsonLines(text: string): History {
  const recorder = new HistoryRecorder()
  text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return
    let event: ClientEvent
    try {
      event = JSON.parse(raw) as ClientEvent
    } catch {
      throw new HistoryError(`line ${i + 1}: not JSON.`)
    }
    const problem = recorder.add(event)
    if (problem !== null) throw new HistoryError(`line ${i + 1}: ${problem}`)
  })
  return recorder.operations()
}
