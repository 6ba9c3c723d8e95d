// The store: the typed API the rest of the app uses for lesson progress, runs
// and their traces, saved code and settings. Every statement is prepared once;
// no SQL lives outside src/main/store.
//
// Client histories are not a table of their own: a run's history is its
// invoke / ok / fail / info events, read through a partial index (migration
// 2). Storing operations too would write them twice on the hot path, could
// disagree with the trace, and would fix one checker model's shape of an
// operation in the schema while the checkers grow new models; pairing events
// into operations stays with the checker that knows the model.
//
// Durability: progress and saved code are written with synchronous=FULL (they
// must survive a power cut), everything else with the connection's NORMAL
// (see prepareConnection for why one connection does both).

import type { RunListing, Runtime } from '../commands/run-library'
import { inputCharsMax } from '../../shared/trace-schema'
import type { ClusterSpec } from '../../shared/cluster'
import type { CompleteEvent, InvokeEvent, TraceEvent } from '../../shared/trace'
import {
  clientEventsCondition,
  openDatabase,
  type OpenOptions,
  type SqliteDatabase,
} from './database'
import { eventLine } from './event-json'
import {
  blockEventsMax,
  checkEvent,
  eventKey,
  EventWriter,
  runIdMax,
  seqMax,
  StoreError,
  TraceRecorder,
  type RecorderOptions,
  type RecorderStats,
  type WriteResult,
} from './trace-recorder'

export { StoreError } from './trace-recorder'

/** Lesson and step ids, algorithm names, code names, run names, setting keys. */
export const nameCharsMax = 200
/** A saved algorithm's source. */
export const sourceCharsMax = 1024 * 1024
/** A run's spec as JSON: it may carry the code that ran. */
export const specCharsMax = 2 * sourceCharsMax
/** A setting's value as JSON. */
export const settingCharsMax = 64 * 1024
/** A run's outcome text. */
export const outcomeCharsMax = 4 * 1024
/** Events one read returns at most; larger reads go page by page. */
export const eventsReadMax = 100_000
/** Runs listed at most. */
export const runsListedMax = 10_000

export type { Runtime }
export type StepStatus = 'started' | 'done'

/** What happened to a step: it was opened, its goal was checked and not met, or it was met. */
export type ProgressEvent = 'started' | 'attempted' | 'done'

export interface StepProgress {
  lessonId: string
  stepId: string
  /** Once done, a step stays done. */
  status: StepStatus
  /** Times its goal was checked (attempted, or done). */
  attempts: number
  /** Milliseconds since the epoch. */
  startedAt: number
  updatedAt: number
  doneAt: number | null
}

export interface LessonPlaceRecord {
  lessonId: string
  stepId: string
  timeSpentMs: number
}

export interface NewRun {
  spec: ClusterSpec
  runtime: Runtime
  /** The saved code version that ran, if the learner's code ran. */
  codeVersionId?: number | null
  /** A name saves the run: named runs are never pruned. */
  name?: string | null
}

/** A kept run as the terminal lists it, and what the store knows besides. */
export interface RunSummary extends RunListing {
  codeVersionId: number | null
  /** Events the recorder could not store (counted, never silent). */
  eventsLost: number
}

export interface RunRecord extends RunSummary {
  spec: ClusterSpec
}

export interface CodeVersionSummary {
  id: number
  algorithm: string
  name: string
  /** 1 for the first save of this name, then 2, 3, ... */
  version: number
  createdAt: number
  sourceChars: number
}

export interface CodeVersion extends CodeVersionSummary {
  source: string
}

export interface SavedCode {
  algorithm: string
  name: string
  /** How many versions were saved; the latest is this number. */
  versions: number
  updatedAt: number
}

export interface SpaceUsed {
  runs: number
  events: number
  /** Estimated bytes of all runs' events. */
  runBytes: number
  /** The database file's size, and the part of it that is free pages. */
  fileBytes: number
  freeBytes: number
}

export interface PruneOptions {
  /** Delete the oldest unsaved runs until all runs together take at most this many bytes. */
  bytesMax?: number
  /** Delete unsaved runs started longer ago than this. */
  olderThanMs?: number
}

export interface PruneResult {
  deleted: number[]
  bytesFreed: number
  /** All runs' bytes after pruning: above bytesMax when saved runs alone take more. */
  runBytes: number
}

export interface StoreOptions {
  /** Milliseconds since the epoch, for timestamps. */
  now?: () => number
}

/** A run's row, named as RunSummary names it (the SQL gives camelCase aliases). */
type RunRow = Omit<RunSummary, 'recording'>

type EventRow = [id: number, t: number, node: string, kind: string, json: string]

// Columns under the names the API's types use, so rows need no mapping.
const runColumns = `id, name, algorithm, variant, runtime, seed, code_version_id AS codeVersionId,
  started_at AS startedAt, ended_at AS endedAt, outcome, event_count AS eventCount,
  byte_size AS byteSize, events_lost AS eventsLost`
const progressColumns = `lesson_id AS lessonId, step_id AS stepId, status, attempts,
  started_at AS startedAt, updated_at AS updatedAt, done_at AS doneAt`
const codeColumns = `id, algorithm, name, version, created_at AS createdAt,
  length(source) AS sourceChars`

/** Opens the database at `file` and the store on it; see openDatabase for what the result says. */
export function openStore(
  file: string,
  options: OpenOptions & StoreOptions = {},
): { ok: true; store: LabStore; notice: string | null } | { ok: false; message: string } {
  const opened = openDatabase(file, options)
  if (!opened.ok) return opened
  return { ok: true, store: new LabStore(opened.db, options), notice: opened.notice }
}

export class LabStore {
  private readonly now: () => number
  private readonly writer: EventWriter
  private readonly recorders = new Map<number, TraceRecorder>()
  private readonly statements

  constructor(
    /** An open, migrated database (openDatabase). The store closes it in close(). */
    readonly db: SqliteDatabase,
    options: StoreOptions = {},
  ) {
    this.now = options.now ?? Date.now
    this.writer = new EventWriter(db)
    const run = (sql: string) => db.prepare(sql)
    this.statements = {
      recordProgress: run(`
        INSERT INTO lesson_progress
          (lesson_id, step_id, status, attempts, started_at, updated_at, done_at)
        VALUES (@lessonId, @stepId, @status, @attempts, @now, @now, @doneAt)
        ON CONFLICT (lesson_id, step_id) DO UPDATE SET
          status = CASE WHEN status = 'done' THEN 'done' ELSE excluded.status END,
          attempts = attempts + excluded.attempts,
          updated_at = excluded.updated_at,
          done_at = coalesce(done_at, excluded.done_at)
        RETURNING ${progressColumns}`),
      progressOf: run(
        `SELECT ${progressColumns} FROM lesson_progress WHERE lesson_id = ? ORDER BY step_id`,
      ),
      progressAll: run(
        `SELECT ${progressColumns} FROM lesson_progress ORDER BY lesson_id, step_id`,
      ),
      recordPlace: run(`
        INSERT INTO lesson_places (lesson_id, step_id, time_spent_ms, updated_at)
        VALUES (@lessonId, @stepId, @timeSpentMs, @now)
        ON CONFLICT (lesson_id) DO UPDATE SET
          step_id = excluded.step_id,
          time_spent_ms = excluded.time_spent_ms,
          updated_at = excluded.updated_at`),
      places: run(`
        SELECT lesson_id AS lessonId, step_id AS stepId, time_spent_ms AS timeSpentMs
        FROM lesson_places ORDER BY lesson_id`),
      recordCourse: run(`
        INSERT INTO lesson_course (id, current_lesson_id, language, updated_at)
        VALUES (1, @currentLessonId, @language, @now)
        ON CONFLICT (id) DO UPDATE SET
          current_lesson_id = coalesce(excluded.current_lesson_id, current_lesson_id),
          language = coalesce(excluded.language, language),
          updated_at = excluded.updated_at`),
      course: run(`
        SELECT current_lesson_id AS currentLessonId, language FROM lesson_course WHERE id = 1`),

      createRun: run(`
        INSERT INTO runs (algorithm, variant, code_version_id, runtime, seed, spec, started_at, name)
        VALUES (@algorithm, @variant, @codeVersionId, @runtime, @seed, @spec, @now, @name)
        RETURNING id`),
      finishRun: run('UPDATE runs SET ended_at = ?, outcome = ? WHERE id = ?'),
      nameRun: run('UPDATE runs SET name = ? WHERE id = ?'),
      addLost: run('UPDATE runs SET events_lost = events_lost + ? WHERE id = ?'),
      getRun: run(`SELECT ${runColumns} FROM runs WHERE id = ?`),
      runSpec: run('SELECT spec FROM runs WHERE id = ?').pluck(),
      runNamed: run(`SELECT ${runColumns} FROM runs WHERE name = ?`),
      listRuns: run(`SELECT ${runColumns} FROM runs ORDER BY id DESC LIMIT ?`),
      prunable: run(`
        SELECT id, byte_size, started_at FROM runs WHERE name IS NULL ORDER BY started_at, id`),
      deleteEvents: run('DELETE FROM events WHERE id BETWEEN ? AND ?'),
      deleteBlocks: run('DELETE FROM event_blocks WHERE run_id = ?'),
      deleteInputs: run('DELETE FROM run_inputs WHERE run_id = ?'),
      addInput: run(`
        INSERT INTO run_inputs (run_id, position, line)
        SELECT @runId, coalesce(max(position), 0) + 1, @line FROM run_inputs WHERE run_id = @runId`),
      inputs: run('SELECT line FROM run_inputs WHERE run_id = ? ORDER BY position').pluck(),
      deleteRun: run('DELETE FROM runs WHERE id = ?'),
      runTotals: run(`
        SELECT count(*) AS runs, coalesce(sum(event_count), 0) AS events,
          coalesce(sum(byte_size), 0) AS bytes FROM runs`),
      codeExists: run('SELECT 1 FROM code_versions WHERE id = ?').pluck(),

      lastSeq: run('SELECT max(id) FROM events WHERE id BETWEEN ? AND ?').pluck(),
      eventsFrom: run(
        'SELECT id, t, node, kind, json FROM events WHERE id > ? AND id <= ? ORDER BY id LIMIT ?',
      ).raw(),
      timeSpan: run(`
        SELECT min(first_seq) AS first, max(last_seq) AS last FROM event_blocks
        WHERE run_id = ? AND t_max >= ? AND t_min <= ?`),
      eventsInTime: run(`
        SELECT id, t, node, kind, json FROM events
        WHERE id BETWEEN ? AND ? AND t >= ? AND t <= ? ORDER BY id LIMIT ?`).raw(),
      clientEvents: run(`
        SELECT id, t, node, kind, json FROM events
        WHERE id BETWEEN ? AND ? AND ${clientEventsCondition}
        ORDER BY id LIMIT ?`).raw(),

      saveCode: run(`
        INSERT INTO code_versions (algorithm, name, version, source, created_at)
        SELECT @algorithm, @name, coalesce(max(version), 0) + 1, @source, @now
        FROM code_versions WHERE algorithm = @algorithm AND name = @name
        RETURNING ${codeColumns}`),
      codeVersions: run(`
        SELECT ${codeColumns} FROM code_versions WHERE algorithm = ? AND name = ?
        ORDER BY version DESC`),
      latestCode: run(`
        SELECT ${codeColumns}, source FROM code_versions WHERE algorithm = ? AND name = ?
        ORDER BY version DESC LIMIT 1`),
      codeVersion: run(`SELECT ${codeColumns}, source FROM code_versions WHERE id = ?`),
      savedCode: run(`
        SELECT algorithm, name, max(version) AS versions, max(created_at) AS updatedAt
        FROM code_versions WHERE ? IS NULL OR algorithm = ?
        GROUP BY algorithm, name ORDER BY algorithm, name`),

      getSetting: run('SELECT value FROM settings WHERE key = ?').pluck(),
      setSetting: run(`
        INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
        ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`),
      deleteSetting: run('DELETE FROM settings WHERE key = ?'),
    }
  }

  /**
   * Runs `write` in a transaction committed with synchronous=FULL, for what
   * must survive a power cut. The pragma cannot change inside a transaction,
   * so it is set around it; nothing else runs on this thread in between.
   */
  private durably<T>(write: () => T): T {
    this.db.pragma('synchronous = FULL')
    try {
      return this.db.transaction(write)()
    } finally {
      this.db.pragma('synchronous = NORMAL')
    }
  }

  // Lesson progress.

  /** Records that a step was started, attempted (goal not met yet) or done. Durable. */
  recordProgress(lessonId: string, stepId: string, event: ProgressEvent): StepProgress {
    checkName(lessonId, 'a lesson id')
    checkName(stepId, 'a step id')
    if (event !== 'started' && event !== 'attempted' && event !== 'done') {
      throw new StoreError(`progress is started, attempted or done, not ${JSON.stringify(event)}.`)
    }
    const now = this.now()
    return this.durably(
      () =>
        this.statements.recordProgress.get({
          lessonId,
          stepId,
          status: event === 'done' ? 'done' : 'started',
          attempts: event === 'started' ? 0 : 1,
          now,
          doneAt: event === 'done' ? now : null,
        }) as StepProgress,
    )
  }

  /** Progress of one lesson's steps, or of every lesson. */
  progress(lessonId?: string): StepProgress[] {
    return (
      lessonId === undefined
        ? this.statements.progressAll.all()
        : this.statements.progressOf.all(lessonId)
    ) as StepProgress[]
  }

  /** Records the step the learner is on in a lesson and the time spent in it in all. Durable. */
  recordLessonPlace(place: LessonPlaceRecord): void {
    checkName(place.lessonId, 'a lesson id')
    checkName(place.stepId, 'a step id')
    if (!Number.isSafeInteger(place.timeSpentMs) || place.timeSpentMs < 0) {
      throw new StoreError(`time spent is a whole number of ms, not ${String(place.timeSpentMs)}.`)
    }
    const now = this.now()
    this.durably(() => this.statements.recordPlace.run({ ...place, now }))
  }

  /** Where the learner is in each lesson they opened. */
  lessonPlaces(): LessonPlaceRecord[] {
    return this.statements.places.all() as LessonPlaceRecord[]
  }

  /** Records the lesson the learner is in and the language they read (either may be left as it is). Durable. */
  recordLessonCourse(change: { currentLessonId?: string; language?: string }): void {
    if (change.currentLessonId !== undefined) checkName(change.currentLessonId, 'a lesson id')
    if (change.language !== undefined) checkName(change.language, 'a language')
    const now = this.now()
    this.durably(() =>
      this.statements.recordCourse.run({
        currentLessonId: change.currentLessonId ?? null,
        language: change.language ?? null,
        now,
      }),
    )
  }

  /** The lesson the learner was last in and the language they read, as recorded. */
  lessonCourse(): { currentLessonId: string | null; language: string | null } {
    return (
      (this.statements.course.get() as
        { currentLessonId: string | null; language: string | null } | undefined) ?? {
        currentLessonId: null,
        language: null,
      }
    )
  }

  // Runs.

  /** Starts a run's record; its events come through recorder(id) or appendEvents. */
  createRun(run: NewRun): number {
    const spec = run.spec as Partial<ClusterSpec> | null | undefined
    if (spec === null || typeof spec !== 'object') throw new StoreError('a run needs a spec.')
    checkName(spec.algorithm, "the spec's algorithm")
    if (spec.variant !== undefined) checkName(spec.variant, "the spec's variant")
    if (!Number.isInteger(spec.nodes) || (spec.nodes ?? 0) < 1) {
      throw new StoreError(`a run's spec needs a number of nodes, not ${String(spec.nodes)}.`)
    }
    if (spec.seed !== undefined && !Number.isSafeInteger(spec.seed)) {
      throw new StoreError(`a run's seed is a whole number, not ${String(spec.seed)}.`)
    }
    if (run.runtime !== 'sim' && run.runtime !== 'real-time') {
      throw new StoreError(`a run's runtime is sim or real-time, not ${String(run.runtime)}.`)
    }
    const specJson = JSON.stringify(spec)
    if (specJson.length > specCharsMax) {
      throw new StoreError(`a run's spec is at most ${specCharsMax} characters as JSON.`)
    }
    const codeVersionId = run.codeVersionId ?? null
    if (codeVersionId !== null && this.statements.codeExists.get(codeVersionId) === undefined) {
      throw new StoreError(`there is no saved code version ${codeVersionId}.`)
    }
    const name = run.name ?? null
    if (name !== null) this.checkRunName(name, null)
    return this.db.transaction(() => {
      const { id } = this.statements.createRun.get({
        algorithm: spec.algorithm,
        variant: spec.variant ?? null,
        codeVersionId,
        runtime: run.runtime,
        seed: spec.seed ?? null,
        spec: specJson,
        now: this.now(),
        name,
      }) as { id: number }
      // Thrown inside the transaction, so the row is not kept.
      if (id > runIdMax) {
        throw new StoreError(
          `this database has used all ${runIdMax} run ids; start a new one with --db.`,
        )
      }
      return id
    })()
  }

  /**
   * Starts recording run `runId`'s events. One recorder per run; close it (or
   * finishRun) to write what is still waiting.
   */
  /** Writes what the run's recorder holds (every run's, without one), so that reads see it all. */
  flushRecorder(runId?: number): void {
    if (runId !== undefined) this.recorders.get(runId)?.flush()
    else for (const recorder of this.recorders.values()) recorder.flush()
  }

  recorder(runId: number, options: RecorderOptions = {}): TraceRecorder {
    const run = this.requireRun(runId)
    if (this.recorders.has(runId)) throw new StoreError(`run ${runId} is already being recorded.`)
    if (run.endedAt !== null) throw new StoreError(`run ${runId} has ended; start a new run.`)
    const recorder = new TraceRecorder(
      this.writer,
      runId,
      this.lastSeq(runId),
      options,
      (stats: RecorderStats) => {
        this.recorders.delete(runId)
        if (stats.dropped === 0) return
        try {
          this.statements.addLost.run(stats.dropped, runId)
        } catch {
          // The database still cannot be written: the count stays in the stats close() returns.
        }
      },
    )
    this.recorders.set(runId, recorder)
    return recorder
  }

  /**
   * Writes events (seq increasing, after the run's last) in one transaction,
   * now: for imports, which arrive in batches and need no recorder.
   */
  appendEvents(runId: number, events: readonly TraceEvent[]): WriteResult {
    this.requireRun(runId)
    if (this.recorders.has(runId)) {
      throw new StoreError(`run ${runId} is being recorded; its events come from its recorder.`)
    }
    let after = this.lastSeq(runId)
    for (const event of events) {
      checkEvent(event, after)
      after = event.seq
    }
    if (events.length === 0) return { events: 0, bytes: 0, lastSeq: after, unencodable: 0 }
    return this.writer.write(runId, events)
  }

  /** Ends a run: writes what its recorder still holds, and records when and how it ended. */
  finishRun(runId: number, outcome: string | null = null): RunSummary {
    this.requireRun(runId)
    if (outcome !== null && (typeof outcome !== 'string' || outcome.length > outcomeCharsMax)) {
      throw new StoreError(`a run's outcome is text of at most ${outcomeCharsMax} characters.`)
    }
    this.recorders.get(runId)?.close()
    this.statements.finishRun.run(this.now(), outcome, runId)
    return this.requireRun(runId)
  }

  /** Saves a run under a name (kept from pruning), or unsaves it with null. */
  nameRun(runId: number, name: string | null): RunSummary {
    this.requireRun(runId)
    if (name !== null) this.checkRunName(name, runId)
    // Saving a run is the learner's decision to keep it: durable, like progress.
    this.durably(() => this.statements.nameRun.run(name, runId))
    return this.requireRun(runId)
  }

  getRun(runId: number): RunRecord | null {
    const row = this.statements.getRun.get(runId) as RunRow | undefined
    if (row === undefined) return null
    const spec = JSON.parse(this.statements.runSpec.get(runId) as string) as ClusterSpec
    return { ...this.summaryOf(row), spec }
  }

  runNamed(name: string): RunSummary | null {
    const row = this.statements.runNamed.get(name) as RunRow | undefined
    return row === undefined ? null : this.summaryOf(row)
  }

  /** Runs, newest first, with their sizes. */
  listRuns(limit = runsListedMax): RunSummary[] {
    const rows = this.statements.listRuns.all(clampLimit(limit, runsListedMax)) as RunRow[]
    return rows.map((row) => this.summaryOf(row))
  }

  /** Adds a command to a simulated run's inputs (what replays it), in order. */
  addInput(runId: number, line: string): void {
    if (line.length > inputCharsMax) {
      throw new StoreError(
        `a command of ${line.length} characters is too long to keep (at most ${inputCharsMax}).`,
      )
    }
    if (this.statements.getRun.get(runId) === undefined)
      throw new StoreError(`there is no run ${runId}.`)
    this.statements.addInput.run({ runId, line })
  }

  /** The run's inputs, in the order they were given. */
  inputs(runId: number): string[] {
    return this.statements.inputs.all(runId) as string[]
  }

  /** Deletes a run and its events. Returns false when there was no such run. */
  deleteRun(runId: number): boolean {
    if (this.recorders.has(runId)) {
      throw new StoreError(`run ${runId} is being recorded; finish it before deleting it.`)
    }
    const deleted = this.deleteRuns([runId]) > 0
    if (deleted) this.giveBackSpace()
    return deleted
  }

  /**
   * Deletes unsaved runs (never a named one, never one being recorded): those
   * older than `olderThanMs`, then the oldest until all runs take at most
   * `bytesMax`.
   */
  pruneRuns(options: PruneOptions): PruneResult {
    const { bytesMax, olderThanMs } = options
    if (bytesMax !== undefined && !(Number.isFinite(bytesMax) && bytesMax >= 0)) {
      throw new StoreError(`a size to prune to is a number of bytes >= 0, not ${bytesMax}.`)
    }
    if (olderThanMs !== undefined && !(Number.isFinite(olderThanMs) && olderThanMs >= 0)) {
      throw new StoreError(`an age to prune at is a number of ms >= 0, not ${olderThanMs}.`)
    }
    const candidates = (
      this.statements.prunable.all() as { id: number; byte_size: number; started_at: number }[]
    ).filter((run) => !this.recorders.has(run.id))
    const doomed: number[] = []
    let bytesFreed = 0
    let total = (this.statements.runTotals.get() as { bytes: number }).bytes
    const cutoff = olderThanMs === undefined ? -Infinity : this.now() - olderThanMs
    for (const run of candidates) {
      const tooOld = run.started_at < cutoff
      const tooBig = bytesMax !== undefined && total > bytesMax
      if (!tooOld && !tooBig) continue
      doomed.push(run.id)
      bytesFreed += run.byte_size
      total -= run.byte_size
    }
    this.deleteRuns(doomed)
    if (doomed.length > 0) this.giveBackSpace()
    return { deleted: doomed, bytesFreed, runBytes: total }
  }

  /** How much room runs take, and the file. */
  spaceUsed(): SpaceUsed {
    const totals = this.statements.runTotals.get() as {
      runs: number
      events: number
      bytes: number
    }
    const pageBytes = this.db.pragma('page_size', { simple: true }) as number
    const pages = this.db.pragma('page_count', { simple: true }) as number
    const free = this.db.pragma('freelist_count', { simple: true }) as number
    return {
      runs: totals.runs,
      events: totals.events,
      runBytes: totals.bytes,
      fileBytes: pages * pageBytes,
      freeBytes: free * pageBytes,
    }
  }

  // A run's events.

  /**
   * The run's events in seq order, read a page at a time: no statement stays
   * open between pages, so the caller may await (and recorders may write)
   * while it reads.
   */
  *events(runId: number, afterSeq = 0): Generator<TraceEvent> {
    for (const rows of this.eventPages(runId, afterSeq)) {
      for (const row of rows) yield JSON.parse(lineOf(row)) as TraceEvent
    }
  }

  /** The run's events as JSON Lines lines (no newline), in seq order: export needs no re-encoding. */
  *eventLines(runId: number, afterSeq = 0): Generator<string> {
    for (const rows of this.eventPages(runId, afterSeq)) {
      for (const row of rows) yield lineOf(row)
    }
  }

  private *eventPages(runId: number, afterSeq: number): Generator<EventRow[]> {
    const last = eventKey(runId, seqMax)
    let after = eventKey(runId, Math.max(0, Math.min(afterSeq, seqMax)))
    for (;;) {
      const rows = this.statements.eventsFrom.all(after, last, blockEventsMax) as EventRow[]
      if (rows.length === 0) return
      yield rows
      after = rows[rows.length - 1][0]
    }
  }

  /** Up to `limit` events of the run with fromT <= t <= toT, in seq order. */
  eventsBetween(runId: number, fromT: number, toT: number, limit = eventsReadMax): TraceEvent[] {
    const span = this.statements.timeSpan.get(runId, fromT, toT) as {
      first: number | null
      last: number | null
    }
    if (span.first === null || span.last === null) return []
    const rows = this.statements.eventsInTime.all(
      eventKey(runId, span.first),
      eventKey(runId, span.last),
      fromT,
      toT,
      clampLimit(limit, eventsReadMax),
    ) as EventRow[]
    return rows.map((row) => JSON.parse(lineOf(row)) as TraceEvent)
  }

  /** The run's client history: its invoke / ok / fail / info events, in seq order. */
  clientEvents(runId: number, limit = eventsReadMax): (InvokeEvent | CompleteEvent)[] {
    const rows = this.statements.clientEvents.all(
      eventKey(runId, 0),
      eventKey(runId, seqMax),
      clampLimit(limit, eventsReadMax),
    ) as EventRow[]
    return rows.map((row) => JSON.parse(lineOf(row)) as InvokeEvent | CompleteEvent)
  }

  // Saved code.

  /** Saves a new version of the learner's code for `algorithm` under `name`. Durable. */
  saveCode(algorithm: string, name: string, source: string): CodeVersion {
    checkName(algorithm, 'an algorithm')
    checkName(name, "a saved code's name")
    if (typeof source !== 'string' || source.length > sourceCharsMax) {
      throw new StoreError(`saved code is text of at most ${sourceCharsMax} characters.`)
    }
    const now = this.now()
    const saved = this.durably(
      () => this.statements.saveCode.get({ algorithm, name, source, now }) as CodeVersionSummary,
    )
    return { ...saved, source }
  }

  /** Every version saved under this name, newest first (without the source). */
  codeVersions(algorithm: string, name: string): CodeVersionSummary[] {
    return this.statements.codeVersions.all(algorithm, name) as CodeVersionSummary[]
  }

  latestCode(algorithm: string, name: string): CodeVersion | null {
    return (this.statements.latestCode.get(algorithm, name) as CodeVersion | undefined) ?? null
  }

  codeVersion(id: number): CodeVersion | null {
    return (this.statements.codeVersion.get(id) as CodeVersion | undefined) ?? null
  }

  /** The names code was saved under, for one algorithm or all. */
  savedCode(algorithm?: string): SavedCode[] {
    return this.statements.savedCode.all(algorithm ?? null, algorithm ?? null) as SavedCode[]
  }

  // Settings.

  /** A setting's value, or undefined when it was never set. Validate it where it is used. */
  getSetting(key: string): unknown {
    const value = this.statements.getSetting.get(key) as string | undefined
    return value === undefined ? undefined : (JSON.parse(value) as unknown)
  }

  setSetting(key: string, value: unknown): void {
    checkName(key, 'a setting')
    let json: string | undefined
    try {
      json = JSON.stringify(value)
    } catch {
      json = undefined
    }
    if (json === undefined) {
      throw new StoreError(`the setting ${key} must be a JSON value (text, number, list, ...).`)
    }
    if (json.length > settingCharsMax) {
      throw new StoreError(`the setting ${key} is at most ${settingCharsMax} characters as JSON.`)
    }
    this.statements.setSetting.run(key, json, this.now())
  }

  deleteSetting(key: string): void {
    this.statements.deleteSetting.run(key)
  }

  /** Closes every recorder (writing what they hold) and the database. */
  close(): void {
    for (const recorder of [...this.recorders.values()]) recorder.close()
    if (!this.db.open) return
    // Lets SQLite refresh its statistics for the queries this connection ran.
    this.db.pragma('optimize')
    this.db.close()
  }

  private lastSeq(runId: number): number {
    const last = this.statements.lastSeq.get(eventKey(runId, 0), eventKey(runId, seqMax)) as
      number | null
    return last === null ? 0 : last - eventKey(runId, 0)
  }

  private requireRun(runId: number): RunSummary {
    const row = Number.isSafeInteger(runId)
      ? (this.statements.getRun.get(runId) as RunRow | undefined)
      : undefined
    if (row === undefined) throw new StoreError(`there is no run ${String(runId)}.`)
    return this.summaryOf(row)
  }

  private checkRunName(name: string, runId: number | null): void {
    checkName(name, "a run's name")
    // A name of digits would read as a run id where commands take either.
    if (/^\d+$/.test(name))
      throw new StoreError(`a run's name needs a letter: ${name} reads as a run id.`)
    const other = this.runNamed(name)
    if (other !== null && other.id !== runId) {
      throw new StoreError(`run ${other.id} is already named ${name}; choose another name.`)
    }
  }

  private deleteRuns(runIds: readonly number[]): number {
    let deleted = 0
    for (const runId of runIds) {
      // One transaction per run: pruning many runs never holds the write lock long.
      this.db.transaction(() => {
        this.statements.deleteEvents.run(eventKey(runId, 0), eventKey(runId, seqMax))
        this.statements.deleteBlocks.run(runId)
        this.statements.deleteInputs.run(runId)
        deleted += this.statements.deleteRun.run(runId).changes
      })()
    }
    return deleted
  }

  /** Returns freed pages to the file system, so that pruning makes the file smaller. */
  private giveBackSpace(): void {
    this.db.pragma('incremental_vacuum')
  }

  private summaryOf(row: RunRow): RunSummary {
    return { ...row, recording: this.recorders.has(row.id) }
  }
}

function lineOf(row: EventRow): string {
  const [id, t, node, kind, json] = row
  return eventLine(id % 2 ** 32, t, node, kind, json)
}

function checkName(value: unknown, what: string): asserts value is string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > nameCharsMax) {
    throw new StoreError(`${what} is text of 1 to ${nameCharsMax} characters.`)
  }
}

function clampLimit(limit: number, max: number): number {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new StoreError(`a limit is a whole number above 0.`)
  }
  return Math.min(limit, max)
}
