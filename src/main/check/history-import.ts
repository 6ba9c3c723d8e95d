// Reads client histories from files: Jepsen's logs (as in etcd's tests),
// Jepsen's EDN histories, and our own JSON Lines trace events. Every problem
// is reported with its line; nothing in a file runs.

import type { HistoryOperation } from './linearizability'
import type { KvInput, KvOutput } from './kv-model'

export type KvHistory = HistoryOperation<KvInput, KvOutput>[]

export interface ImportedHistory {
  format: 'jepsen-log' | 'jepsen-edn' | 'json-lines'
  operations: KvHistory
  /** The value keys hold before anything is written, in this format's world. */
  initial: unknown
}

export class HistoryError extends Error {
  override name = 'HistoryError'
}

/** Completions pair with the open invocation of the same process. */
class Pairing {
  private readonly open = new Map<string, { op: HistoryOperation<KvInput, KvOutput> }>()
  readonly operations: KvHistory = []

  invoke(process: string, input: KvInput, time: number, line: number): void {
    if (this.open.has(process))
      throw new HistoryError(
        `line ${line}: process ${process} invokes again before its last operation completed.`,
      )
    const op: HistoryOperation<KvInput, KvOutput> = {
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
    output: KvOutput | undefined,
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
  finish(): KvHistory {
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

function parseJepsenLog(text: string): KvHistory {
  const pairing = new Pairing()
  // Fields are separated by tabs in most logs, by spaces in some.
  const pattern = /\s(\d+)\s+:(invoke|ok|fail|info)\s+:(read|write|cas)\s+(.*)$/
  text.split('\n').forEach((raw, i) => {
    const match = pattern.exec(raw.trimEnd())
    if (match === null) return // other log lines
    const [, process, type, f, valueText] = match
    const value = ednValue(valueText.trim())
    if (type === 'invoke') {
      let input: KvInput
      if (f === 'cas') {
        if (!Array.isArray(value) || value.length !== 2)
          throw new HistoryError(`line ${i + 1}: a cas needs [from to], not ${valueText}.`)
        input = { f: 'cas', key: 'x', from: value[0], to: value[1] }
      } else {
        input = f === 'read' ? { f: 'read', key: 'x' } : { f: 'write', key: 'x', value }
      }
      pairing.invoke(process, input, i, i + 1)
    } else {
      pairing.complete(
        process,
        type as 'ok' | 'fail' | 'info',
        f === 'read' ? { value } : {},
        i,
        i + 1,
      )
    }
  })
  return pairing.finish()
}

function parseEdn(text: string): KvHistory {
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
    const kind = f === 'get' ? 'read' : f === 'put' ? 'write' : f === 'append' ? 'append' : null
    if (kind === null) throw new HistoryError(`line ${i + 1}: :f ${f} is not get, put or append.`)
    if (type === 'invoke') {
      pairing.invoke(
        process,
        { f: kind, key: String(key), ...(kind === 'read' ? {} : { value }) },
        i,
        i + 1,
      )
    } else if (type === 'ok' || type === 'fail' || type === 'info') {
      pairing.complete(process, type, kind === 'read' ? { value } : {}, i, i + 1)
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
  op?: KvInput
  value?: unknown
}

/**
 * Turns our trace's client events (`invoke`, then `ok` / `fail` / `info`,
 * paired by `opId`) into operations. A failed one is left out: it did not happen.
 */
export class HistoryRecorder {
  private readonly open = new Map<number, HistoryOperation<KvInput, KvOutput>>()
  private readonly done: KvHistory = []

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
        call: event.t,
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
      op.ret = event.t
      op.output = op.input.f === 'read' ? { value: event.value ?? null } : {}
    }
    this.done.push(op)
    return null
  }

  /** Everything so far; operations still open count as outcome unknown. */
  operations(): KvHistory {
    return [...this.done, ...this.open.values()]
  }
}

function parseJsonLines(text: string): KvHistory {
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
