// Runs one node's handlers and turns what they did into effects: messages to
// send, timers to set, lines to log, and the persistent fields to save. The
// simulator and the worker host both drive nodes through this, so a module
// behaves the same in both.
//
// The order after a handler is fixed: changes to persistent fields are
// computed and must be saved by the caller BEFORE the handler's messages are
// released. A handler that throws produces no effects at all: the node
// crashes as if the machine lost power mid-handler.

import type { Body, Envelope, NodeId } from '../../shared/envelope'
import {
  handlerLimits,
  type AnyNodeDefinition,
  type Ctx,
  type NodeOptions,
  type NodeSummary,
} from '../../shared/node-api'
import type { CodeLocation, FieldChange, StateEvent } from '../../shared/trace'
import { deepFreeze } from './deep-freeze'

export interface RunnerEnvironment {
  now(): number
  random(): number
  /** The cluster's settings (ClusterSpec.options), given to the node as `ctx.options`. */
  options?: NodeOptions
}

export type TimerOp = { op: 'set'; name: string; ms: number } | { op: 'cancel'; name: string }

/** A handler's change of state, as the trace event the runtime stamps and records. */
export type StateChange = StateEvent

/** What one handler did. The arrays are reused by the next handler of the same node: consume them first. */
export interface Effects {
  sends: Envelope[]
  timers: TimerOp[]
  logs: string[]
  /** Present when the summary or a persistent field changed. */
  state: StateChange | null
}

export interface HandlerFailure {
  message: string
  location?: CodeLocation
  stack?: string
}

export type Outcome = { ok: true; effects: Effects } | { ok: false; error: HandlerFailure }

/**
 * How many saved slots of each persistent array are re-checked after every
 * handler (see arrayChange). A full pass over a log of n entries takes n / 8
 * handlers: a few handlers at the size learners work with.
 */
export const auditSlotsPerHandler = 8

/** The saved copy of a persistent array: references to the entries as saved. */
interface SavedArray {
  items: unknown[]
  /** Where the rolling audit continues. */
  auditCursor: number
}

export class NodeRunner {
  private state: Record<string, unknown> | undefined
  /** Each persistent array as last saved. */
  private readonly savedArrays = new Map<string, SavedArray>()
  /** Each persistent non-array field as last saved: the value itself if primitive, else its JSON. */
  private readonly savedValues = new Map<string, unknown>()
  private lastSummary: NodeSummary = {}
  private current: Effects | null = null
  private readonly effects: Effects = { sends: [], timers: [], logs: [], state: null }
  private readonly ctx: Ctx

  constructor(
    readonly definition: AnyNodeDefinition,
    readonly id: NodeId,
    readonly peers: readonly NodeId[],
    private readonly environment: RunnerEnvironment,
  ) {
    this.ctx = this.makeCtx()
  }

  /** Runs `init` with the fields saved before a crash (or none on a first start). */
  start(saved: Record<string, unknown> | undefined): Outcome {
    return this.run(() => {
      const state = this.definition.init(this.ctx, saved) as Record<string, unknown>
      if (typeof state !== 'object' || state === null) {
        throw new Error(`${this.definition.name}: init must return the node's state object.`)
      }
      this.state = state
    }, true)
  }

  deliver(envelope: Envelope): Outcome {
    return this.run(() => this.definition.onMessage(this.live(), envelope, this.ctx), false)
  }

  fire(timer: string): Outcome {
    return this.run(() => this.definition.onTimer(this.live(), timer, this.ctx), false)
  }

  summary(): NodeSummary {
    return this.lastSummary
  }

  /** A plain copy of the whole state, for the inspector. */
  snapshot(): unknown {
    return this.state === undefined
      ? undefined
      : (JSON.parse(JSON.stringify(this.state)) as unknown)
  }

  /** The live state, for checkers and tests that read it directly (never change it). */
  peek(): Readonly<Record<string, unknown>> | undefined {
    return this.state
  }

  private live(): Record<string, unknown> {
    if (this.state === undefined) throw new Error('node used before start')
    return this.state
  }

  private run(handler: () => void, initial: boolean): Outcome {
    const effects = this.effects
    if (effects.sends.length !== 0) effects.sends.length = 0
    if (effects.timers.length !== 0) effects.timers.length = 0
    if (effects.logs.length !== 0) effects.logs.length = 0
    effects.state = null
    this.current = effects
    try {
      handler()
      effects.state = this.collectState(initial)
    } catch (error) {
      return { ok: false, error: describeFailure(error) }
    } finally {
      this.current = null
    }
    return { ok: true, effects }
  }

  /** Works out what the handler changed, at a cost that grows with the change (see arrayChange). */
  private collectState(initial: boolean): StateChange | null {
    const state = this.live()
    const fields = this.definition.persistent
    let changes: FieldChange[] | null = null
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]
      const value = state[field]
      let change: FieldChange | null
      if (Array.isArray(value)) {
        change = this.arrayChange(field, value, initial)
      } else if (typeof value !== 'object' || value === null) {
        // Numbers, strings, booleans and null (currentTerm, votedFor): compare as they are.
        change = this.valueChange(field, value === undefined ? null : value, false, initial)
      } else {
        change = this.valueChange(field, JSON.stringify(value), true, initial)
      }
      if (change !== null) (changes ??= []).push(change)
    }
    const summary = this.definition.summary?.(state) ?? {}
    const summaryChanged = !sameSummary(summary, this.lastSummary)
    if (summaryChanged) this.lastSummary = summary
    if (!initial && !summaryChanged && changes === null) return null
    const event: StateChange = {
      seq: 0,
      t: 0,
      kind: 'state',
      node: this.id,
      summary,
      changes: changes ?? [],
    }
    if (initial) event.initial = true
    return event
  }

  /**
   * A non-array field changed when its key did: the value itself for a
   * primitive, its JSON for an object (saved as a fresh copy parsed from it).
   */
  private valueChange(
    field: string,
    key: unknown,
    isJson: boolean,
    initial: boolean,
  ): FieldChange | null {
    if (!initial && this.savedValues.has(field) && this.savedValues.get(field) === key) return null
    this.savedArrays.delete(field)
    this.savedValues.set(field, key)
    return { field, op: 'set', value: isJson ? (JSON.parse(key as string) as unknown) : key }
  }

  /**
   * What changed in a persistent array, found without watching every write.
   *
   * A persistent array is saved the way a log file is written: entries are
   * appended, and the end may be cut off and written again. Every such change
   * leaves the array equal to the saved one up to some index and different
   * after it, so scanning back from the end until live and saved entries are
   * the same objects finds exactly what to save, at a cost that grows with the
   * change, never with the log. (Entries are frozen once saved, so a saved
   * object cannot change behind our back.)
   *
   * Replacing one entry in the middle (log[i] = x) while keeping the later ones
   * is something no log file does, and the scan cannot see it; a rolling audit
   * of a few saved slots per handler finds it and stops the node with a
   * sentence saying what to do instead.
   */
  private arrayChange(field: string, live: unknown[], initial: boolean): FieldChange | null {
    this.savedValues.delete(field)
    let saved = this.savedArrays.get(field)
    if (initial || saved === undefined) {
      saved = { items: [], auditCursor: 0 }
      this.savedArrays.set(field, saved)
    }
    const items = saved.items
    let from = Math.min(live.length, items.length)
    while (from > 0 && live[from - 1] !== items[from - 1]) from--
    this.audit(field, live, saved, from)
    if (!initial && from === items.length && live.length === items.length) return null
    const append = live.slice(from)
    for (let i = 0; i < append.length; i++) deepFreeze(append[i])
    if (items.length !== from) items.length = from
    for (let i = 0; i < append.length; i++) items.push(append[i])
    return { field, op: 'splice', from, append }
  }

  /** Checks a few saved slots below `boundary` against the live array. */
  private audit(field: string, live: unknown[], saved: SavedArray, boundary: number): void {
    if (boundary === 0) return
    let cursor = saved.auditCursor < boundary ? saved.auditCursor : 0
    for (let checked = 0; checked < auditSlotsPerHandler && checked < boundary; checked++) {
      if (live[cursor] !== saved.items[cursor]) {
        throw new PersistenceError(
          `${field}[${cursor}] was replaced in place. A saved ${field} is kept like a log file: ` +
            `add to its end, or cut it (${field}.length = ${cursor}) and add the new entries after.`,
        )
      }
      cursor = cursor + 1 < boundary ? cursor + 1 : 0
    }
    saved.auditCursor = cursor
  }

  private makeCtx(): Ctx {
    const effects = (): Effects => {
      if (this.current === null) {
        throw new Error(
          'ctx was used outside a handler. Keep ctx calls inside init, onMessage and onTimer.',
        )
      }
      return this.current
    }
    const send = (dest: NodeId, body: Body): void => {
      const out = effects()
      if (typeof dest !== 'string' || dest === '') {
        throw new Error(`ctx.send needs a node id such as 'n2', not ${JSON.stringify(dest)}.`)
      }
      if (typeof body !== 'object' || body === null || typeof body.type !== 'string') {
        throw new Error(
          "ctx.send needs a body with a string type, e.g. ctx.send('n2', { type: 'ping' }).",
        )
      }
      if (out.sends.length >= handlerLimits.sendsMax) {
        throw new Error(`one handler may send at most ${handlerLimits.sendsMax} messages.`)
      }
      out.sends.push({ src: this.id, dest, body: deepFreeze(body) })
    }
    return {
      id: this.id,
      peers: this.peers,
      // A frozen copy: in the simulator every node would otherwise share one object.
      options: deepFreeze({ ...this.environment.options }),
      now: () => this.environment.now(),
      random: () => this.environment.random(),
      send,
      reply: (envelope, body) => {
        if (typeof body !== 'object' || body === null) {
          throw new Error("ctx.reply needs a body, e.g. ctx.reply(env, { type: 'read_ok' }).")
        }
        const inReplyTo = (envelope.body as Body).msg_id
        send(envelope.src, inReplyTo === undefined ? body : { ...body, in_reply_to: inReplyTo })
      },
      setTimer: (name, ms) => {
        const out = effects()
        if (typeof name !== 'string' || !Number.isFinite(ms) || ms < 0) {
          throw new Error(
            `ctx.setTimer needs a name and a delay in ms >= 0, e.g. ctx.setTimer('election', 200); got ${String(ms)}.`,
          )
        }
        if (out.timers.length >= handlerLimits.timersMax) {
          throw new Error(`one handler may set at most ${handlerLimits.timersMax} timers.`)
        }
        out.timers.push({ op: 'set', name, ms })
      },
      cancelTimer: (name) => {
        effects().timers.push({ op: 'cancel', name })
      },
      log: (...parts) => {
        const out = effects()
        if (out.logs.length >= handlerLimits.logsMax) return
        const text = parts
          .map((part) => (typeof part === 'string' ? part : safeJson(part)))
          .join(' ')
        out.logs.push(text.slice(0, handlerLimits.logLineCharsMax))
      },
    }
  }
}

/** A rule of saving broken by the node's code: it has no one line to point at. */
class PersistenceError extends Error {
  override name = 'PersistenceError'
}

function sameSummary(a: NodeSummary, b: NodeSummary): boolean {
  let count = 0
  for (const key in a) {
    if (a[key] !== b[key]) return false
    count++
  }
  for (const key in b) if (--count < 0 || !(key in a)) return false
  return count === 0
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value)
  } catch {
    return String(value)
  }
}

const readOnlyHint =
  ' (Messages, and entries of saved arrays such as the log, are read-only once a handler ' +
  'returns: build a new object instead, e.g. log[i] = { ...log[i], term }.)'

/** The error, and the first line of the node's own code in its stack. */
export function describeFailure(error: unknown): HandlerFailure {
  const isError = error instanceof Error
  let message = isError ? `${error.name}: ${error.message}` : `thrown value: ${safeJson(error)}`
  if (isError && /read.only|not extensible|object is frozen/i.test(error.message)) {
    message += readOnlyHint
  }
  const stack = isError ? error.stack : undefined
  const location =
    stack === undefined || error instanceof PersistenceError ? undefined : locate(stack)
  return location === undefined ? { message, stack } : { message, location, stack }
}

const framePattern = /\(?((?:file:\/\/)?[^\s()]+?):(\d+):(\d+)\)?\s*$/

function locate(stack: string): CodeLocation | undefined {
  for (const line of stack.split('\n').slice(1)) {
    if (!line.trim().startsWith('at ')) continue
    if (/node:internal|node_modules|[/\\]workers[/\\]runtime[/\\]/.test(line)) continue
    const match = framePattern.exec(line)
    if (match === null) continue
    return {
      file: match[1].replace(/^file:\/\//, ''),
      line: Number(match[2]),
      column: Number(match[3]),
    }
  }
  return undefined
}
