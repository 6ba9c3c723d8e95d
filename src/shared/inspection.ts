// What the inspector asks the core and what it gets back: one node's state
// (live, or at a past moment of the run), its log when its algorithm keeps
// one, and the checkers' verdicts as data. The schemas bound every array and
// string; the core cuts what is larger and says so in a note.

import { z } from 'zod'
import { nodeIdCharsMax } from './trace-schema'

/** The largest state sent, as JSON text; a larger one is cut (long arrays, long strings) with a note. */
export const stateCharsMax = 256 * 1024
/** Log entries sent, at most: the newest ones of a longer log (a note says how many were left out). */
export const logEntriesMax = 20_000
/** One log entry's description, at most. */
export const entryTextCharsMax = 200
/** Notes one answer may carry. */
const notesMax = 10
/** Broken invariants listed by `check`, at most (the count says how many there were). */
export const violationsShownMax = 100
/** Events named for one broken invariant, at most. */
export const involvedEventsMax = 50
/** Operations drawn for a linearizability counterexample, at most. */
export const drawnOperationsMax = 64
/** The latest moment one may ask about: about 31 years of a run, in ms. */
const momentMsMax = 1e12

const nodeId = z.string().min(1).max(nodeIdCharsMax)
const note = z.string().max(1_000)
const word = z.string().max(200)

export const inspectArgsSchema = z.strictObject({
  /** A node id, or `leader`. */
  node: nodeId,
  /** Ms since the run started; absent or null for the live node. */
  at: z.number().nonnegative().max(momentMsMax).nullable().optional(),
})

export type InspectArgs = z.infer<typeof inspectArgsSchema>

export const logEntrySchema = z.strictObject({
  /** The entry's index as the algorithm counts (Raft from 1, Multi-Paxos slots from 0). */
  index: z.int().nonnegative(),
  /** The entry's term (Raft) or ballot (Multi-Paxos); null when it has none. */
  term: z.string().max(64).nullable(),
  /** What the entry asks for, in the terminal's words: `put x 1`, `no-op`. */
  text: z.string().max(entryTextCharsMax),
  committed: z.boolean(),
})

export type LogEntryView = z.infer<typeof logEntrySchema>

export const logViewSchema = z.strictObject({
  /** The state field the log is: `log`, or `accepted` for Multi-Paxos slots. */
  field: word,
  /** What an entry's `term` is: `term` or `ballot`. */
  termName: word,
  /** Entries in the whole log (more than `entries` holds when it was cut). */
  length: z.int().nonnegative(),
  /** Entries known committed (Raft's commit index; Multi-Paxos: slots known chosen). */
  committed: z.int().nonnegative(),
  /** False when the algorithm has no commit index for this log (2PC's decision log). */
  commitKnown: z.boolean(),
  /** The newest entries, in index order. */
  entries: z.array(logEntrySchema).max(logEntriesMax),
})

export type LogView = z.infer<typeof logViewSchema>

const summaryValue = z.union([z.string().max(1_000), z.number(), z.boolean(), z.null()])

export const inspectResultSchema = z.strictObject({
  node: nodeId,
  status: z.enum(['up', 'dead', 'paused']),
  /** The moment shown (ms since the run started), or null for live. */
  at: z.number().nonnegative().nullable(),
  /**
   * Where the state comes from: the live node, the storage of a dead one, or
   * the run's recorded trace (a past moment: persistent fields and summary only).
   */
  source: z.enum(['live', 'saved', 'trace']),
  /** Role, term, commit index... as the node's summary gives them. */
  summary: z.record(word, summaryValue),
  /** The node's state as plain JSON, cut to `stateCharsMax`. */
  state: z.json().refine((value) => (JSON.stringify(value)?.length ?? 0) <= stateCharsMax + 1_024, {
    message: `a state may take at most ${stateCharsMax} characters of JSON`,
  }),
  log: logViewSchema.nullable(),
  /** Sentences about what is shown: cut, reconstructed, crashed. */
  notes: z.array(note).max(notesMax),
})

export type InspectResult = z.infer<typeof inspectResultSchema>

export const involvedEventSchema = z.strictObject({
  seq: z.int().positive(),
  /** When it happened, ms since the run started; null when the run no longer holds it. */
  t: z.number().nonnegative().nullable(),
  node: nodeId,
  /** The event in the terminal's words. */
  line: note,
})

export type InvolvedEvent = z.infer<typeof involvedEventSchema>

export const violationViewSchema = z.strictObject({
  rule: word,
  message: note,
  nodes: z.array(nodeId).max(1_000),
  /** When the checker saw it. */
  t: z.number().nonnegative(),
  seq: z.int().positive(),
  events: z.array(involvedEventSchema).max(involvedEventsMax),
})

export type ViolationView = z.infer<typeof violationViewSchema>

export const drawnOperationSchema = z.strictObject({
  client: nodeId,
  label: word,
  /** When it was invoked and completed (ms since the run started); ret null: unknown outcome. */
  call: z.number(),
  ret: z.number().nullable(),
  /** The operation that cannot be placed. */
  conflict: z.boolean(),
})

export type DrawnOperation = z.infer<typeof drawnOperationSchema>

export const historyVerdictSchema = z.strictObject({
  result: z.enum(['linearizable', 'not linearizable', 'unknown']),
  /** One sentence: the verdict and why. */
  sentence: note,
  operations: z.int().nonnegative(),
  model: word,
  /** Not linearizable: the smallest slice found, drawn as per-client timelines (monospace text). */
  timeline: z.array(z.string().max(4_096)).max(drawnOperationsMax * 2 + 2),
  /** The slice's operations, each a link to its moment. */
  slice: z.array(drawnOperationSchema).max(drawnOperationsMax),
})

export type HistoryVerdict = z.infer<typeof historyVerdictSchema>

export const checkResultSchema = z.strictObject({
  algorithm: word,
  /** Events of the run so far. */
  events: z.int().nonnegative(),
  /** The invariant checks that watch this algorithm's runs (none for some). */
  checkers: z.array(word).max(20),
  /** Broken invariants, in the order found (the first `violationsShownMax`). */
  violations: z.array(violationViewSchema).max(violationsShownMax),
  violationCount: z.int().nonnegative(),
  /** The clients' history; null when there were no client operations. */
  history: historyVerdictSchema.nullable(),
})

export type CheckResult = z.infer<typeof checkResultSchema>
