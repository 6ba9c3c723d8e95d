// The database file (issue 5, "Done means"): migrations from an empty file and
// from every earlier schema version keep the data and end at today's schema; a
// damaged file, random bytes or another application's SQLite file given as
// the database is moved aside with a sentence saying where, and a fresh one
// works; a database from a newer version is refused and left untouched.

import Database from 'better-sqlite3'
import { createHash, randomBytes } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  applicationId,
  clientEventsCondition,
  defaultDatabasePath,
  integrityProblems,
  migrate,
  migrations,
  openDatabase,
  prepareConnection,
  resolveDatabasePath,
  schemaVersion,
  type SqliteDatabase,
} from '../../src/main/store/database'
import { compactEventJson } from '../../src/main/store/event-json'
import { eventKey } from '../../src/main/store/trace-recorder'
import { sampleEvents, storeAt, useTempFolder } from './helpers'

const folder = useTempFolder()
const when = new Date('2030-01-02T03:04:05.678Z')
const asideName = 'lab.db.corrupt-2030-01-02T03-04-05-678Z'

/** What sqlite_master says the schema is, for comparing two databases. */
function schemaOf(db: SqliteDatabase): unknown[] {
  return db
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
}

function freshSchema(): unknown[] {
  const db = new Database(':memory:')
  migrate(db)
  const schema = schemaOf(db)
  db.close()
  return schema
}

/** A database at schema `version`, made by the migrations up to it alone. */
function databaseAt(file: string, version: number): SqliteDatabase {
  const db = new Database(file)
  prepareConnection(db)
  migrate(db, version)
  return db
}

/**
 * Data written with each earlier version's schema, in that version's SQL, as
 * that version of the app would have left it. Adding migration N+1 means
 * adding the filler for version N here (the test below insists).
 */
const fillers: Record<number, (db: SqliteDatabase) => void> = {
  1: (db) => {
    db.prepare(
      `INSERT INTO lesson_progress VALUES ('raft-1', 'elect', 'done', 2, 1000, 3000, 3000)`,
    ).run()
    db.prepare(
      `INSERT INTO code_versions (algorithm, name, version, source, created_at)
       VALUES ('raft', 'mine', 1, 'export default 1', 2000)`,
    ).run()
    db.prepare(
      `INSERT INTO runs (algorithm, variant, code_version_id, runtime, seed, spec, started_at,
         ended_at, outcome, event_count, byte_size, name)
       VALUES ('raft', NULL, 1, 'sim', 7, '{"algorithm":"raft","nodes":3,"seed":7}', 4000, 5000,
         'ok', 40, 4000, 'first')`,
    ).run()
    const insert = db.prepare('INSERT INTO events (id, t, node, kind, json) VALUES (?, ?, ?, ?, ?)')
    for (const event of sampleEvents(1, 40)) {
      insert.run(eventKey(1, event.seq), event.t, event.node, event.kind, compactEventJson(event))
    }
    db.prepare('INSERT INTO event_blocks VALUES (1, 1, 40, 0.25, 10)').run()
    db.prepare(`INSERT INTO settings VALUES ('theme', '"dark"', 6000)`).run()
  },
  // Version 2 added an index and a column with a default: the same rows fit.
  2: (db) => fillers[1](db),
  // Version 3 added run_inputs; version 4 adds lesson tables: the same rows fit.
  3: (db) => fillers[2](db),
}

describe('migrations', () => {
  it('numbers migrations 1, 2, ... in order, the last being the current version', () => {
    expect(migrations.map((migration) => migration.version)).toEqual(
      Array.from({ length: migrations.length }, (_, i) => i + 1),
    )
    expect(schemaVersion).toBe(migrations.length)
  })

  it('has data of every earlier version to upgrade from', () => {
    expect(Object.keys(fillers).map(Number)).toEqual(
      Array.from({ length: schemaVersion - 1 }, (_, i) => i + 1),
    )
  })

  it('creates the current schema in a new file, and a 0-byte file, and an empty SQLite file', () => {
    const empty = join(folder(), 'empty.db')
    writeFileSync(empty, '')
    const blank = join(folder(), 'blank.db')
    const made = new Database(blank)
    made.exec('CREATE TABLE scratch (a); DROP TABLE scratch;')
    made.close()
    for (const file of [join(folder(), 'new', 'lab.db'), empty, blank]) {
      const opened = openDatabase(file)
      if (!opened.ok) throw new Error(opened.message)
      expect(opened.notice).toBeNull()
      expect(opened.db.pragma('user_version', { simple: true })).toBe(schemaVersion)
      expect(opened.db.pragma('application_id', { simple: true })).toBe(applicationId)
      expect(opened.db.pragma('journal_mode', { simple: true })).toBe('wal')
      expect(schemaOf(opened.db)).toEqual(freshSchema())
      opened.db.close()
    }
    // Incremental auto-vacuum can only be chosen in a new file: pruning relies on it.
    const again = openDatabase(join(folder(), 'new', 'lab.db'))
    if (!again.ok) throw new Error(again.message)
    expect(again.db.pragma('auto_vacuum', { simple: true })).toBe(2)
    again.db.close()
  })

  for (let version = 1; version < schemaVersion; version++) {
    it(`upgrades a version ${version} database in place, keeping its data`, () => {
      const file = join(folder(), 'lab.db')
      const old = databaseAt(file, version)
      expect(old.pragma('user_version', { simple: true })).toBe(version)
      fillers[version](old)
      old.close()

      const store = storeAt(file)
      expect(store.db.pragma('user_version', { simple: true })).toBe(schemaVersion)
      expect(schemaOf(store.db)).toEqual(freshSchema())
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')

      expect(store.progress('raft-1')).toEqual([
        {
          lessonId: 'raft-1',
          stepId: 'elect',
          status: 'done',
          attempts: 2,
          startedAt: 1000,
          updatedAt: 3000,
          doneAt: 3000,
        },
      ])
      expect(store.latestCode('raft', 'mine')?.source).toBe('export default 1')
      const run = store.getRun(1)
      expect(run).toMatchObject({
        name: 'first',
        algorithm: 'raft',
        runtime: 'sim',
        seed: 7,
        codeVersionId: 1,
        eventCount: 40,
        eventsLost: 0,
        spec: { algorithm: 'raft', nodes: 3, seed: 7 },
      })
      expect([...store.events(1)]).toEqual(sampleEvents(1, 40))
      expect(store.clientEvents(1).map((event) => event.kind)).toEqual(
        sampleEvents(1, 40)
          .filter((event) => event.kind === 'invoke' || event.kind === 'ok')
          .map((event) => event.kind),
      )
      expect(store.eventsBetween(1, 2, 3).map((event) => event.seq)).toEqual([8, 9, 10, 11, 12])
      expect(store.getSetting('theme')).toBe('dark')
      // And it goes on working at the new version.
      store.recordProgress('raft-1', 'replicate', 'started')
      const next = store.createRun({ spec: { algorithm: 'raft', nodes: 3 }, runtime: 'sim' })
      expect(next).toBe(2)
      store.close()
    })
  }

  it('reads histories through the partial index, with the condition the index was made with', () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const index = store.db
      .prepare("SELECT sql FROM sqlite_master WHERE name = 'events_client'")
      .pluck()
      .get() as string
    expect(index).toContain(clientEventsCondition)
    const plan = store.db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT json FROM events WHERE id BETWEEN 1 AND 2 AND ${clientEventsCondition}`,
      )
      .all() as { detail: string }[]
    expect(plan.map((row) => row.detail).join(' ')).toContain('events_client')
    store.close()
  })

  it('rolls back a migration that fails, leaving the previous version', () => {
    const file = join(folder(), 'lab.db')
    const db = databaseAt(file, 1)
    // A table in the way of what migration 2 makes: its index name.
    db.exec('CREATE TABLE events_client (a)')
    db.close()
    const opened = openDatabase(file)
    expect(opened.ok).toBe(false)
    if (opened.ok) return
    expect(opened.message).toMatch(
      /^Cannot open or upgrade the database .*lab\.db: .*left as it was\.$/,
    )
    const after = new Database(file)
    expect(after.pragma('user_version', { simple: true })).toBe(1)
    after.close()
  })
})

describe('a file that is not our database', () => {
  /** A database of ours holding one run of 5,000 events, closed. */
  function ourDatabaseWithARun(): string {
    const file = join(folder(), 'lab.db')
    const store = storeAt(file)
    const run = store.createRun({ spec: { algorithm: 'raft', nodes: 3 }, runtime: 'sim' })
    store.appendEvents(run, sampleEvents(1, 5_000))
    store.close()
    return file
  }

  function expectMovedAside(file: string, original: Buffer, reason: RegExp): void {
    const opened = openDatabase(file, { now: () => when.getTime() })
    if (!opened.ok) throw new Error(opened.message)
    const aside = join(folder(), asideName)
    const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    expect(opened.notice).toMatch(
      new RegExp(
        `^The database ${escape(file)} ${reason.source}, so it was moved aside to ${escape(aside)} and a fresh database was created in its place\\.$`,
      ),
    )
    // Nothing lost: the old bytes are all there under the new name.
    expect(readFileSync(aside).equals(original)).toBe(true)
    opened.db.close()
    // The fresh database works.
    const store = storeAt(file)
    store.recordProgress('l', 's', 'done')
    expect(store.progress('l')).toHaveLength(1)
    store.close()
  }

  it('moves random bytes aside, with their -wal and -shm', () => {
    const file = join(folder(), 'lab.db')
    const bytes = randomBytes(64 * 1024)
    writeFileSync(file, bytes)
    writeFileSync(`${file}-wal`, 'wal')
    writeFileSync(`${file}-shm`, 'shm')
    expectMovedAside(file, bytes, /is not a SQLite database/)
    expect(readFileSync(join(folder(), `${asideName}-wal`), 'utf8')).toBe('wal')
    expect(readFileSync(join(folder(), `${asideName}-shm`), 'utf8')).toBe('shm')
  })

  it('moves a text file aside', () => {
    const file = join(folder(), 'lab.db')
    const text = Buffer.from('# notes\nnot a database\n')
    writeFileSync(file, text)
    expectMovedAside(file, text, /is not a SQLite database/)
  })

  it("moves another application's SQLite file aside, naming its tables", () => {
    const file = join(folder(), 'lab.db')
    const other = new Database(file)
    other.exec(
      "CREATE TABLE photos (id INTEGER PRIMARY KEY, path TEXT); INSERT INTO photos (path) VALUES ('a.jpg')",
    )
    other.close()
    const original = readFileSync(file)
    expectMovedAside(
      file,
      original,
      /is a SQLite database of another application \(its tables are photos\)/,
    )
  })

  it('moves a SQLite file with another application id aside', () => {
    const file = join(folder(), 'lab.db')
    const other = new Database(file)
    other.pragma('application_id = 1234')
    other.exec('CREATE TABLE runs (id)')
    other.close()
    expectMovedAside(
      file,
      readFileSync(file),
      /is a SQLite database of another application \(its tables are runs\)/,
    )
  })

  it('moves a database of ours with damaged pages aside', () => {
    const file = ourDatabaseWithARun()
    const pageBytes = 4096
    const pages = statSync(file).size / pageBytes
    expect(pages).toBeGreaterThan(20)
    // Garbage over the middle of the file: the schema (page 1) stays readable.
    const bytes = readFileSync(file)
    randomBytes(pageBytes * 8).copy(bytes, pageBytes * Math.floor(pages / 2))
    writeFileSync(file, bytes)
    expectMovedAside(file, bytes, /is damaged \(Tree \d+ page \d+: [^\n]*\)/)
  })

  it('checks every page of a small file, and all but the events of a large one', () => {
    const file = ourDatabaseWithARun()
    const bytes = readFileSync(file)
    // The last pages hold the newest events (and nothing else: they were written last).
    randomBytes(4096 * 4).copy(bytes, bytes.length - 4096 * 4)
    writeFileSync(file, bytes)
    const db = new Database(file, { readonly: true })
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
      .pluck()
      .all() as string[]
    expect(integrityProblems(db, bytes.length, tables).length).toBeGreaterThan(0)
    expect(integrityProblems(db, 1024 ** 4, tables)).toEqual([])
    db.close()
  })

  it('moves a truncated database of ours aside', () => {
    const file = ourDatabaseWithARun()
    truncateSync(file, Math.floor(statSync(file).size / 2))
    expectMovedAside(file, readFileSync(file), /is damaged \([^)]*\)/)
  })

  it('refuses a database from a newer version and leaves it exactly as it was', () => {
    const file = join(folder(), 'lab.db')
    const store = storeAt(file)
    store.recordProgress('l', 's', 'started')
    store.db.pragma(`user_version = ${schemaVersion + 1}`)
    store.close()
    const digest = (): string => createHash('sha256').update(readFileSync(file)).digest('hex')
    const before = digest()
    const opened = openDatabase(file, { now: () => when.getTime() })
    expect(opened).toEqual({
      ok: false,
      message: `The database ${file} was written by a newer version of Consensus Lab (schema version ${schemaVersion + 1}; this version knows up to ${schemaVersion}). Update the app, or give another file with --db; the file was left as it was.`,
    })
    expect(digest()).toBe(before)
    expect(readdirSync(folder()).filter((name) => name.includes('corrupt'))).toEqual([])
  })

  it('refuses a folder and an empty name with a sentence', () => {
    const dir = join(folder(), 'a-folder')
    mkdirSync(dir)
    expect(openDatabase(dir)).toEqual({
      ok: false,
      message: `${dir} is a folder, not a database file; give a file name such as ${join(dir, 'lab.db')}.`,
    })
    expect(existsSync(dir)).toBe(true)
    expect(openDatabase('  ')).toEqual({
      ok: false,
      message: 'The database needs a file name, e.g. --db ~/lab.db.',
    })
  })
})

describe('where the database lives', () => {
  it("is in the user's config folder for the CLI, on each platform", () => {
    expect(defaultDatabasePath('linux', { XDG_CONFIG_HOME: '/xdg' }, '/home/ada')).toBe(
      '/xdg/consensus-lab/lab.db',
    )
    expect(defaultDatabasePath('linux', {}, '/home/ada')).toBe(
      '/home/ada/.config/consensus-lab/lab.db',
    )
    // A relative XDG_CONFIG_HOME is invalid by the spec, and ignored.
    expect(defaultDatabasePath('freebsd', { XDG_CONFIG_HOME: 'rel' }, '/home/ada')).toBe(
      '/home/ada/.config/consensus-lab/lab.db',
    )
    expect(defaultDatabasePath('darwin', {}, '/Users/ada')).toBe(
      '/Users/ada/Library/Application Support/consensus-lab/lab.db',
    )
    expect(
      defaultDatabasePath(
        'win32',
        { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
        'C:\\Users\\ada',
      ),
    ).toBe('C:\\Users\\ada\\AppData\\Roaming\\consensus-lab\\lab.db')
  })

  it('is what --db says, else the Electron user-data folder, else the default', () => {
    expect(resolveDatabasePath({ db: '/tmp/x.db', userDataFolder: '/data' })).toBe('/tmp/x.db')
    expect(resolveDatabasePath({ userDataFolder: '/data' })).toBe(join('/data', 'lab.db'))
    expect(resolveDatabasePath({})).toBe(defaultDatabasePath())
  })
})
