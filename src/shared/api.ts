// The one API between the renderer and the core: a map of request names to
// their arguments and results, and a map of event names to their payloads.
// Two transports carry it: Electron's IPC (the preload exposes exactly this
// map) and browser mode's WebSocket (src/main/web.ts). Every message is
// validated where it arrives, with the schemas below: the core checks every
// request, the page checks every event and reply.

import { z } from 'zod'
import {
  codeApplySchema,
  codeCheckSchema,
  codeLoadSchema,
  codeSavedSchema,
  codeSaveSchema,
  codeSourceSchema,
} from './code-api'
import type { NodeId } from './envelope'
import { checkResultSchema, inspectArgsSchema, inspectResultSchema } from './inspection'
import { lessonRequestSchema } from './lesson-view'
import { metricsSnapshotSchema } from './metrics'
import { inputCharsMax, nodeIdCharsMax, nodesMax, traceEventSchema } from './trace-schema'

/** The longest line of text a result, a progress bar or a completion may carry. */
export const lineCharsMax = 64 * 1024
/** Lines one result may carry (the interpreter keeps its own answers far below this). */
export const resultLinesMax = 100_000
/** Events one trace batch may carry: what a page can draw in one frame. */
export const batchEventsMax = 2_000
/** Candidates one completion may offer. */
export const candidatesMax = 1_000
/** The largest request the core accepts, in bytes (a command line is at most 4 KiB). */
export const requestBytesMax = 64 * 1024
/** The largest message the page accepts from the core, in bytes. */
export const messageBytesMax = 16 * 1024 * 1024

const line = z.string().max(lineCharsMax)
const nodeId = z.string().min(1).max(nodeIdCharsMax)

/** What the interpreter answers to one command line (Result in src/main/commands/interpreter.ts). */
export const commandResultSchema = z.strictObject({
  ok: z.boolean(),
  lines: z.array(line).max(resultLinesMax),
  table: z
    .strictObject({
      columns: z.array(line).max(1_000),
      rows: z.array(z.array(line).max(1_000)).max(resultLinesMax),
    })
    .optional(),
  events: z.array(line).max(resultLinesMax),
})

export type CommandResult = z.infer<typeof commandResultSchema>

// --- Requests: name -> arguments and result. ---

export const requestSchemas = {
  /** Runs one command line, as typed in the terminal. */
  run: {
    args: z.strictObject({ line: z.string().max(inputCharsMax) }),
    result: commandResultSchema,
  },
  /** Ctrl+C: stops the command under way, which then answers; false when none was running. */
  interrupt: { args: z.strictObject({}), result: z.boolean() },
  /** Tab completion: whole words that could replace the end of a partial line. */
  complete: {
    args: z.strictObject({ line: z.string().max(inputCharsMax) }),
    result: z.strictObject({
      candidates: z.array(line).max(candidatesMax),
      partial: line,
    }),
  },
  /** The running cluster's node ids (none when no cluster runs). */
  nodes: {
    args: z.strictObject({}),
    result: z.array(nodeId).max(nodesMax),
  },
  /** One node's state and log, live or at a past moment of the run (the inspector). */
  inspect: { args: inspectArgsSchema, result: inspectResultSchema },
  /** Runs the checks (the algorithm's invariants, the history's linearizability): verdicts as data. */
  check: { args: z.strictObject({}), result: checkResultSchema },
  /** The code editor: an algorithm's module as source text, with its variants and libraries. */
  codeSource: codeSourceSchema,
  /** Compiles a learner's module without running it: its problems at their places. */
  codeCheck: codeCheckSchema,
  /** Restarts the running cluster's nodes on a learner's module or a variant. */
  codeApply: codeApplySchema,
  /** Keeps a learner's module under a name (each save a new version). */
  codeSave: codeSaveSchema,
  /** The names an algorithm's code was saved under. */
  codeSaved: codeSavedSchema,
  /** The latest version saved under a name. */
  codeLoad: codeLoadSchema,
  /** The lesson pane: the course map, the open lesson's step and the language (null without lessons). */
  lesson: lessonRequestSchema,
} as const

export type RequestName = keyof typeof requestSchemas
export type RequestArgs<Name extends RequestName> = z.infer<(typeof requestSchemas)[Name]['args']>
export type RequestResult<Name extends RequestName> = z.infer<
  (typeof requestSchemas)[Name]['result']
>

// --- Events: name -> payload, pushed by the core. ---

export const traceBatchSchema = z.strictObject({
  /**
   * Which run the events belong to: it changes when a new cluster starts, so
   * that a view can forget the old one. Counted per connection, from 1.
   */
  run: z.int().positive(),
  events: z.array(traceEventSchema).max(batchEventsMax),
  /**
   * Events of this run that were left out of this batch to keep up (sampled
   * out, or coalesced into a later state of the same node), by kind. A page
   * that draws fewer than happened says so: nothing is dropped silently.
   */
  skipped: z.record(z.string().max(64), z.int().positive()),
})

export type TraceBatch = z.infer<typeof traceBatchSchema>

/** What the desktop app's menus ask the page to do (the main process owns the menus). */
export const menuActions = ['focus-terminal'] as const

export type MenuAction = (typeof menuActions)[number]

export const eventSchemas = {
  /** The run's trace events, at most one batch per frame (about 16 ms). */
  trace: traceBatchSchema,
  /** How a long command (check, explore) is getting on; replaces the last progress line. */
  progress: z.strictObject({ line }),
  /** An event worth telling (an election, a crash, a fault) as it happens between commands. */
  notable: z.strictObject({ line }),
  /** A desktop menu item or shortcut the page carries out, e.g. Ctrl/Cmd+` focuses the terminal. */
  menu: z.strictObject({ action: z.enum(menuActions) }),
  /** The run's last minute of metrics (src/shared/metrics.ts), at most once a second. */
  metrics: metricsSnapshotSchema,
} as const

export type EventName = keyof typeof eventSchemas
export type EventPayload<Name extends EventName> = z.infer<(typeof eventSchemas)[Name]>

/**
 * What the renderer sees of the core, whichever transport carries it. The
 * preload exposes an object that `satisfies LabApi`; browser mode's client
 * implements it over a WebSocket.
 */
export interface LabApi {
  request<Name extends RequestName>(
    name: Name,
    args: RequestArgs<Name>,
  ): Promise<RequestResult<Name>>
  on<Name extends EventName>(
    name: Name,
    listener: (payload: EventPayload<Name>) => void,
  ): () => void
}

// --- The wire: how requests, replies and events travel as JSON messages. ---

const requestId = z.int().nonnegative().max(Number.MAX_SAFE_INTEGER)

/** Page -> core: one request, of any name in `requestSchemas`. */
export type RequestMessage = {
  [Name in RequestName]: { kind: 'request'; id: number; name: Name; args: RequestArgs<Name> }
}[RequestName]

const requestNames = Object.keys(requestSchemas) as [RequestName, ...RequestName[]]

export const requestMessageSchema = z.discriminatedUnion(
  'name',
  requestNames.map((name) =>
    z.strictObject({
      kind: z.literal('request'),
      id: requestId,
      name: z.literal(name),
      args: requestSchemas[name].args,
    }),
  ) as unknown as [z.ZodObject, ...z.ZodObject[]],
) as unknown as z.ZodType<RequestMessage>

/**
 * Core -> page: the answer to request `id` (its result is checked against
 * that request's schema), or a sentence saying why there is none. `id` is
 * null when the request was too malformed to carry one.
 */
export const replyMessageSchema = z.discriminatedUnion('ok', [
  z.strictObject({
    kind: z.literal('reply'),
    id: requestId,
    ok: z.literal(true),
    result: z.unknown(),
  }),
  z.strictObject({
    kind: z.literal('reply'),
    id: requestId.nullable(),
    ok: z.literal(false),
    error: line,
  }),
])

export type ReplyMessage = z.infer<typeof replyMessageSchema>

/** Core -> page: an event; its payload is checked against that event's schema. */
export const eventMessageSchema = z.strictObject({
  kind: z.literal('event'),
  name: z.enum(Object.keys(eventSchemas) as [EventName, ...EventName[]]),
  payload: z.unknown(),
})

export type EventMessage = {
  [Name in EventName]: { kind: 'event'; name: Name; payload: EventPayload<Name> }
}[EventName]

export const serverMessageSchema = z.union([replyMessageSchema, eventMessageSchema])

/** The path of browser mode's WebSocket; the per-run token comes as `?token=`. */
export const webSocketPath = '/api'

/** Node ids in the order a view lays them out: n1, n2, ..., n10 (by number, not by text). */
export function byNodeNumber(a: NodeId, b: NodeId): number {
  const number = (id: NodeId): number => Number(/\d+$/.exec(id)?.[0] ?? Number.NaN)
  const [x, y] = [number(a), number(b)]
  if (Number.isNaN(x) || Number.isNaN(y) || x === y) return a < b ? -1 : a > b ? 1 : 0
  return x - y
}

/** One sentence from a zod error: what was wrong where. */
export function problemSentence(error: z.ZodError, what: string): string {
  const issue = error.issues[0]
  if (issue === undefined) return `${what} is not valid.`
  const where = issue.path.length > 0 ? ` at ${issue.path.join('.')}` : ''
  return `${what} is not valid${where}: ${issue.message}`
}
