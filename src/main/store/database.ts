// The database file: where it lives, how a connection is set up, the schema and
// its migrations, and what happens when the file given is not a database of
// ours. This file and the others in src/main/store are the only places with SQL.
//
// Nothing a person can give us as the database ends in an exception: a damaged
// file, random bytes, or another application's SQLite file is moved aside
// (never deleted) and a fresh database takes its place, with one sentence
// saying what happened and where the old file went. A database from a newer
// version of the app is refused with a sentence and left exactly as it was.

import Database from 'better-sqlite3'
import { closeSync, existsSync, mkdirSync, openSync, readSync, renameSync, statSync } from 'node:fs'
import { homedir } from 'node:os'
import path from 'node:path'

export type SqliteDatabase = Database.Database

/** PRAGMA application_id of our files: "Clab". It tells our database from any other SQLite file. */
export const applicationId = 0x436c6162

/** The file name inside a folder (the CLI's config folder, Electron's user-data folder). */
export const databaseFileName = 'lab.db'
const appFolderName = 'consensus-lab'

/**
 * How long a connection waits for another process's write (the app and the
 * CLI may share one file) before giving up with SQLITE_BUSY. Writes here are
 * short batches, so a wait this long means something is wrong elsewhere.
 */
const busyTimeoutMs = 5_000
/** The WAL is cut back to this size after a checkpoint, so one big run does not leave a big file. */
const walBytesKeptMax = 64 * 1024 * 1024

export interface Migration {
  /** The schema version this migration brings the database to. */
  version: number
  description: string
  /** SQL, or a function for steps SQL alone cannot say. Runs inside a transaction. */
  up: string | ((db: SqliteDatabase) => void)
}

/**
 * Every schema change, in order; never edit one that has shipped, add the
 * next. A database at version N runs migrations N+1.. in place, each in its
 * own transaction together with its version number, so a crash in the middle
 * leaves the database at the last version that completed.
 *
 * Trace events are keyed by one integer, `id = run_id * 2^32 + seq` (see
 * eventKey): in a rowid table that is the B-tree's own key, so an event
 * costs one B-tree insert at the right edge, where a (run_id, seq) primary key
 * costs a second tree. run_id and seq are generated columns (computed when
 * read, free when written) so the table still reads naturally in a SQL shell.
 * The JSON holds the event without the fields that have columns (see
 * event-json.ts). Time ranges are found through event_blocks, one row per
 * batch of at most `blockEventsMax` events with its time span: a B-tree on
 * (run_id, t) measured about a fifth of the insert capacity, a block row per
 * batch nothing, and a time query then reads a few extra events at the edges.
 */
/**
 * Which events make a client history: the text of migration 2's partial index
 * condition (a query must repeat it to use the index; the tests check both
 * agree). Migrations keep their own literal text: they must never change.
 */
export const clientEventsCondition =
  "(kind = 'invoke' OR kind = 'ok' OR kind = 'fail' OR kind = 'info')"

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'lesson progress, saved code, runs, trace events, settings',
    up: `
      CREATE TABLE lesson_progress (
        lesson_id TEXT NOT NULL,
        step_id TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('started', 'done')),
        attempts INTEGER NOT NULL DEFAULT 0,
        started_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        done_at INTEGER,
        PRIMARY KEY (lesson_id, step_id)
      ) WITHOUT ROWID;

      CREATE TABLE code_versions (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        algorithm TEXT NOT NULL,
        name TEXT NOT NULL,
        version INTEGER NOT NULL,
        source TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (algorithm, name, version)
      );

      -- AUTOINCREMENT: a run's id is never reused, so "run 12" means one run for good.
      CREATE TABLE runs (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        algorithm TEXT NOT NULL,
        variant TEXT,
        code_version_id INTEGER REFERENCES code_versions (id),
        runtime TEXT NOT NULL CHECK (runtime IN ('sim', 'real-time')),
        seed INTEGER,
        spec TEXT NOT NULL,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        outcome TEXT,
        event_count INTEGER NOT NULL DEFAULT 0,
        byte_size INTEGER NOT NULL DEFAULT 0,
        name TEXT UNIQUE
      );

      CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        run_id INTEGER GENERATED ALWAYS AS (id >> 32) VIRTUAL,
        seq INTEGER GENERATED ALWAYS AS (id & 4294967295) VIRTUAL,
        t REAL NOT NULL,
        node TEXT NOT NULL,
        kind TEXT NOT NULL,
        json TEXT NOT NULL
      );

      CREATE TABLE event_blocks (
        run_id INTEGER NOT NULL,
        first_seq INTEGER NOT NULL,
        last_seq INTEGER NOT NULL,
        t_min REAL NOT NULL,
        t_max REAL NOT NULL,
        PRIMARY KEY (run_id, first_seq)
      ) WITHOUT ROWID;

      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 2,
    description: 'client histories read through an index; runs count the events they lost',
    // A history is the run's invoke / ok / fail / info events (about one in
    // sixteen): the partial index lists just those, so reading a history does
    // not scan the run. Its condition is an OR of equalities, not an IN list:
    // SQLite evaluates it at every insert, and an IN list measured a third of
    // the insert capacity (it builds a lookup table each time), the ORs a
    // tenth. events_lost makes a recorder's losses part of the run.
    up: `
      CREATE INDEX events_client ON events (id)
        WHERE (kind = 'invoke' OR kind = 'ok' OR kind = 'fail' OR kind = 'info');
      ALTER TABLE runs ADD COLUMN events_lost INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    version: 3,
    description: "a simulator run's inputs: the commands that replay it exactly",
    // A simulated run is its seed plus what the learner did to it, in order;
    // the trace is a consequence. Keeping the commands lets `replay` run it
    // again and show that every event comes out the same.
    up: `
      CREATE TABLE run_inputs (
        run_id INTEGER NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        line TEXT NOT NULL,
        PRIMARY KEY (run_id, position)
      ) WITHOUT ROWID;
    `,
  },
  {
    version: 4,
    description:
      'where the learner is in each lesson, time spent, the lesson and language last used',
    // lesson_progress (migration 1) says which steps are done; resuming also
    // needs the step the learner is on (perhaps skipped to, not done), the
    // time spent in each lesson, the lesson they were last in and the
    // language they read. lesson_course holds one row.
    up: `
      CREATE TABLE lesson_places (
        lesson_id TEXT PRIMARY KEY,
        step_id TEXT NOT NULL,
        time_spent_ms INTEGER NOT NULL CHECK (time_spent_ms >= 0),
        updated_at INTEGER NOT NULL
      ) WITHOUT ROWID;

      CREATE TABLE lesson_course (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        current_lesson_id TEXT,
        language TEXT,
        updated_at INTEGER NOT NULL
      );
    `,
  },
]

/** The schema version this code writes: the last migration's. */
export const schemaVersion = migrations[migrations.length - 1].version

/** Tables a database at the current version must have. */
const expectedTables = [
  'code_versions',
  'event_blocks',
  'events',
  'lesson_course',
  'lesson_places',
  'lesson_progress',
  'run_inputs',
  'runs',
  'settings',
]

/**
 * Sets up a connection as every connection here needs it. On a new, empty
 * file it first turns on incremental auto-vacuum, which SQLite accepts only
 * before anything is written (before the WAL switch writes the header): it lets
 * pruning give freed space back to the disk.
 *
 * synchronous=NORMAL is the connection's setting, for trace data: in WAL mode a
 * commit then survives the process being killed (the WAL is in the OS cache)
 * and only a power cut can lose the last moments of a trace. Progress and saved
 * code must survive a power cut too, so the store switches this same
 * connection to FULL around those writes (see LabStore.durably). One connection,
 * not a second one for durable writes: everything here runs on one thread, so
 * nothing can interleave with the switch, and a second connection would
 * contend with the trace recorder for the one write lock.
 */
export function prepareConnection(db: SqliteDatabase): void {
  if (db.pragma('page_count', { simple: true }) === 0) db.pragma('auto_vacuum = INCREMENTAL')
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = NORMAL')
  db.pragma(`busy_timeout = ${busyTimeoutMs}`)
  db.pragma('foreign_keys = ON')
  db.pragma(`journal_size_limit = ${walBytesKeptMax}`)
}

/** Brings the database to `target` (default: current), one migration per transaction. */
export function migrate(db: SqliteDatabase, target: number = schemaVersion): void {
  const current = db.pragma('user_version', { simple: true }) as number
  if (current > target) {
    throw new Error(`cannot migrate down from schema version ${current} to ${target}`)
  }
  for (const migration of migrations) {
    if (migration.version <= current || migration.version > target) continue
    db.transaction(() => {
      if (migration.version === 1) db.pragma(`application_id = ${applicationId}`)
      if (typeof migration.up === 'string') db.exec(migration.up)
      else migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    })()
  }
}

export type OpenResult =
  | {
      ok: true
      db: SqliteDatabase
      /** The absolute path opened (or `:memory:`). */
      path: string
      /** A sentence for the learner when the file given had to be moved aside; null otherwise. */
      notice: string | null
    }
  | { ok: false; message: string }

export interface OpenOptions {
  /** Milliseconds since the epoch, for the moved-aside file's name. */
  now?: () => number
}

/** What a look at an existing file found. */
type Probe =
  | { kind: 'fresh' }
  | { kind: 'ours'; version: number }
  | { kind: 'newer'; version: number }
  | { kind: 'unusable'; reason: string }
  | { kind: 'refused'; message: string }

const sqliteHeader = 'SQLite format 3\u0000'

/**
 * Opens (creating or upgrading as needed) the database at `file`, or `:memory:`.
 * Never throws for a problem with the file: the result says what happened.
 */
export function openDatabase(file: string, options: OpenOptions = {}): OpenResult {
  if (typeof file !== 'string' || file.trim() === '' || file.includes('\u0000')) {
    return { ok: false, message: 'The database needs a file name, e.g. --db ~/lab.db.' }
  }
  if (file === ':memory:') return finishOpen(new Database(':memory:'), file, null)
  const absolute = path.resolve(file)
  const folder = path.dirname(absolute)
  try {
    mkdirSync(folder, { recursive: true })
  } catch (error) {
    return {
      ok: false,
      message: `Cannot create the folder ${folder} for the database: ${reasonOf(error)}.`,
    }
  }
  const probe = probeFile(absolute)
  switch (probe.kind) {
    case 'refused':
      return { ok: false, message: probe.message }
    case 'newer':
      return {
        ok: false,
        message: `The database ${absolute} was written by a newer version of Consensus Lab (schema version ${probe.version}; this version knows up to ${schemaVersion}). Update the app, or give another file with --db; the file was left as it was.`,
      }
    case 'unusable': {
      let aside: string
      try {
        aside = moveAside(absolute, new Date((options.now ?? Date.now)()))
      } catch (error) {
        return {
          ok: false,
          message: `The database ${absolute} ${probe.reason}, and it could not be moved aside (${reasonOf(error)}); give another file with --db.`,
        }
      }
      const notice = `The database ${absolute} ${probe.reason}, so it was moved aside to ${aside} and a fresh database was created in its place.`
      return openAt(absolute, notice)
    }
    case 'fresh':
    case 'ours':
      return openAt(absolute, null)
  }
}

function openAt(absolute: string, notice: string | null): OpenResult {
  let db: SqliteDatabase
  try {
    db = new Database(absolute)
  } catch (error) {
    return { ok: false, message: `Cannot open the database ${absolute}: ${reasonOf(error)}.` }
  }
  return finishOpen(db, absolute, notice)
}

function finishOpen(db: SqliteDatabase, where: string, notice: string | null): OpenResult {
  try {
    prepareConnection(db)
    migrate(db)
    const missing = missingTables(db)
    if (missing.length > 0) {
      db.close()
      return {
        ok: false,
        message: `The database ${where} is at schema version ${schemaVersion} but lacks the tables ${missing.join(', ')}; give another file with --db.`,
      }
    }
    return { ok: true, db, path: where, notice }
  } catch (error) {
    db.close()
    // The upgrade's transaction was rolled back: the file is as it was.
    return {
      ok: false,
      message: `Cannot open or upgrade the database ${where}: ${reasonOf(error)}. It was left as it was.`,
    }
  }
}

function missingTables(db: SqliteDatabase): string[] {
  const present = new Set(
    db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[],
  )
  return expectedTables.filter((name) => !present.has(name))
}

/** Looks at an existing file without changing it. */
function probeFile(file: string): Probe {
  if (!existsSync(file)) return { kind: 'fresh' }
  const stats = statSync(file)
  if (stats.isDirectory()) {
    return {
      kind: 'refused',
      message: `${file} is a folder, not a database file; give a file name such as ${path.join(file, databaseFileName)}.`,
    }
  }
  if (!stats.isFile()) {
    return { kind: 'refused', message: `${file} is not a regular file; give a database file.` }
  }
  // An empty file is what SQLite itself makes of a new database: take it.
  if (stats.size === 0) return { kind: 'fresh' }
  let header: string
  try {
    header = readHead(file, sqliteHeader.length)
  } catch (error) {
    return { kind: 'refused', message: `Cannot read the database ${file}: ${reasonOf(error)}.` }
  }
  if (header !== sqliteHeader) return { kind: 'unusable', reason: 'is not a SQLite database' }

  let db: SqliteDatabase | undefined
  try {
    // Read-only: a file that is not ours is never changed, not even by a checkpoint on close.
    db = new Database(file, { fileMustExist: true, readonly: true })
    db.pragma(`busy_timeout = ${busyTimeoutMs}`)
    const id = db.pragma('application_id', { simple: true }) as number
    const version = db.pragma('user_version', { simple: true }) as number
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
      .pluck()
      .all() as string[]
    if (id !== applicationId) {
      // A SQLite file with nothing in it (as `sqlite3 lab.db` leaves) is ours to fill.
      if (id === 0 && version === 0 && tables.length === 0) return { kind: 'fresh' }
      const what =
        tables.length > 0
          ? `its tables are ${tables.slice(0, 5).join(', ')}${tables.length > 5 ? ', ...' : ''}`
          : `its application id is ${id}`
      return {
        kind: 'unusable',
        reason: `is a SQLite database of another application (${what})`,
      }
    }
    if (version > schemaVersion) return { kind: 'newer', version }
    const problems = integrityProblems(db, stats.size, tables)
    if (problems.length > 0) {
      return { kind: 'unusable', reason: `is damaged (${problems[0]})` }
    }
    return { kind: 'ours', version }
  } catch (error) {
    // Only SQLite's own verdict that the file is broken moves it aside. A lock
    // held by another process, a permission or an I/O error says nothing about
    // the file: moving a live database aside would lose the other side's work.
    const code = sqliteCode(error)
    if (code === 'SQLITE_NOTADB' || code.startsWith('SQLITE_CORRUPT')) {
      return { kind: 'unusable', reason: `is damaged (${reasonOf(error)})` }
    }
    if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
      return {
        kind: 'refused',
        message: `The database ${file} is locked by another program (perhaps another Consensus Lab); close it, or give another file with --db.`,
      }
    }
    return { kind: 'refused', message: `Cannot open the database ${file}: ${reasonOf(error)}.` }
  } finally {
    db?.close()
  }
}

/**
 * A full quick_check reads every page: about 3 ms per MB measured here, so a
 * file of many recorded runs would slow every start. Above this size the
 * check covers every table but the events (progress, code, runs, settings:
 * what must never be lost); damage among a run's events then shows when that
 * run is read.
 */
const fullCheckBytesMax = 256 * 1024 * 1024

/** What SQLite's quick_check finds wrong, one line per problem; empty when all is well. */
export function integrityProblems(
  db: SqliteDatabase,
  fileBytes: number,
  tables: string[],
): string[] {
  const checks =
    fileBytes <= fullCheckBytesMax
      ? ['quick_check(3)']
      : tables.filter((table) => table !== 'events').map((table) => `quick_check("${table}")`)
  const problems: string[] = []
  for (const check of checks) {
    for (const row of db.pragma(check) as Record<string, string>[]) {
      for (const line of Object.values(row).join('\n').split('\n')) {
        // SQLite heads its list with a `*** in database main ***` line.
        if (line !== 'ok' && line.trim() !== '' && !line.startsWith('***')) problems.push(line)
      }
    }
  }
  return problems
}

function readHead(file: string, bytes: number): string {
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(bytes)
    const read = readSync(fd, buffer, 0, bytes, 0)
    return buffer.subarray(0, read).toString('latin1')
  } finally {
    closeSync(fd)
  }
}

/**
 * Renames `file` to `<file>.corrupt-<timestamp>`, and its -wal and -shm with
 * it: they belong to that file, and left behind they would sit beside the
 * fresh database under its name. Returns the new name.
 */
export function moveAside(file: string, now: Date): string {
  // No colons: the name must be valid on Windows too.
  const stamp = now.toISOString().replace(/[:.]/g, '-')
  let aside = `${file}.corrupt-${stamp}`
  for (let n = 2; existsSync(aside); n++) aside = `${file}.corrupt-${stamp}-${n}`
  renameSync(file, aside)
  for (const suffix of ['-wal', '-shm']) {
    if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix)
  }
  return aside
}

function sqliteCode(error: unknown): string {
  if (error instanceof Database.SqliteError) return error.code
  return ''
}

function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  return message.replace(/\.$/, '')
}

export interface DatabaseLocation {
  /** What the learner gave with `--db`. */
  db?: string
  /** Electron's app.getPath('userData'). */
  userDataFolder?: string
}

/** The database path: `--db` first, then Electron's user-data folder, then the CLI's default. */
export function resolveDatabasePath(location: DatabaseLocation = {}): string {
  if (location.db !== undefined && location.db !== '') return location.db
  if (location.userDataFolder !== undefined) {
    return path.join(location.userDataFolder, databaseFileName)
  }
  return defaultDatabasePath()
}

/**
 * The CLI's database in the user's config folder: $XDG_CONFIG_HOME (or
 * ~/.config)/consensus-lab/lab.db on Linux and other Unixes, ~/Library/
 * Application Support/consensus-lab/lab.db on macOS, %APPDATA%\consensus-lab\
 * lab.db on Windows. These are also where Electron puts a user-data folder
 * named consensus-lab, so the app and the CLI find the same progress.
 */
export function defaultDatabasePath(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
  home: string = homedir(),
): string {
  if (platform === 'win32') {
    const appData = env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming')
    return path.win32.join(appData, appFolderName, databaseFileName)
  }
  if (platform === 'darwin') {
    return path.posix.join(home, 'Library', 'Application Support', appFolderName, databaseFileName)
  }
  // The XDG spec: a relative $XDG_CONFIG_HOME is invalid and is ignored.
  const xdg = env.XDG_CONFIG_HOME
  const config =
    xdg !== undefined && path.posix.isAbsolute(xdg) ? xdg : path.posix.join(home, '.config')
  return path.posix.join(config, appFolderName, databaseFileName)
}
