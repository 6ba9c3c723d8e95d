// The store's API (issue 5, "The store"): lesson progress, runs and their
// events (in seq order, by time, the client history), pruning by size and by
// age that never touches a saved run, space used, saved code with its
// versions, and settings. Bad input gets a sentence, not a crash.

import { statSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StoreError, type LabStore } from '../../src/main/store/store'
import { blockEventsMax } from '../../src/main/store/trace-recorder'
import { sampleEvent, sampleEvents, storeAt, useTempFolder } from './helpers'

const folder = useTempFolder()

/** A store whose clock the test moves. */
function clockedStore(): { store: LabStore; clock: { now: number } } {
  const clock = { now: 1_000_000 }
  const store = storeAt(join(folder(), 'lab.db'), { now: () => clock.now })
  return { store, clock }
}

function runWithEvents(store: LabStore, events: number, name: string | null = null): number {
  const id = store.createRun({
    spec: { algorithm: 'raft', nodes: 3, seed: 5 },
    runtime: 'sim',
    name,
  })
  store.appendEvents(id, sampleEvents(1, events))
  store.finishRun(id, 'ok')
  return id
}

describe('lesson progress', () => {
  it('records started, attempted and done per step, durably, and a done step stays done', () => {
    const { store, clock } = clockedStore()
    expect(store.recordProgress('raft-1', 'elect', 'started')).toEqual({
      lessonId: 'raft-1',
      stepId: 'elect',
      status: 'started',
      attempts: 0,
      startedAt: 1_000_000,
      updatedAt: 1_000_000,
      doneAt: null,
    })
    clock.now += 10
    store.recordProgress('raft-1', 'elect', 'attempted')
    clock.now += 10
    store.recordProgress('raft-1', 'elect', 'done')
    clock.now += 10
    // Coming back to a finished step does not undo it.
    store.recordProgress('raft-1', 'elect', 'started')
    store.recordProgress('raft-2', 'partition', 'started')
    expect(store.progress('raft-1')).toEqual([
      {
        lessonId: 'raft-1',
        stepId: 'elect',
        status: 'done',
        attempts: 2,
        startedAt: 1_000_000,
        updatedAt: 1_000_030,
        doneAt: 1_000_020,
      },
    ])
    expect(store.progress().map((step) => `${step.lessonId}/${step.stepId}`)).toEqual([
      'raft-1/elect',
      'raft-2/partition',
    ])
    // The durable write leaves the connection at NORMAL for trace data.
    expect(store.db.pragma('synchronous', { simple: true })).toBe(1)
    expect(() => store.recordProgress('', 'x', 'done')).toThrow(StoreError)
    expect(() => store.recordProgress('l', 's', 'finished' as 'done')).toThrow(
      'progress is started, attempted or done, not "finished".',
    )
    store.close()
  })

  it('keeps progress across closing and reopening', () => {
    const file = join(folder(), 'lab.db')
    const first = storeAt(file)
    first.recordProgress('raft-1', 'elect', 'done')
    first.close()
    const second = storeAt(file)
    expect(second.progress('raft-1')[0].status).toBe('done')
    second.close()
  })
})

describe('runs', () => {
  it('creates, lists (newest first, with sizes), gets, finishes and deletes runs', () => {
    const { store, clock } = clockedStore()
    const code = store.saveCode('raft', 'mine', 'export default {}')
    const first = store.createRun({
      spec: { algorithm: 'raft', variant: 'figure8-commit', nodes: 5, seed: 42 },
      runtime: 'sim',
      codeVersionId: code.id,
    })
    clock.now += 1_000
    const second = store.createRun({ spec: { algorithm: 'raft', nodes: 3 }, runtime: 'real-time' })
    store.appendEvents(first, sampleEvents(1, 100))
    expect(store.getRun(first)).toEqual({
      id: first,
      name: null,
      algorithm: 'raft',
      variant: 'figure8-commit',
      runtime: 'sim',
      seed: 42,
      codeVersionId: code.id,
      startedAt: 1_000_000,
      endedAt: null,
      outcome: null,
      eventCount: 100,
      byteSize: expect.any(Number) as number,
      eventsLost: 0,
      recording: false,
      spec: { algorithm: 'raft', variant: 'figure8-commit', nodes: 5, seed: 42 },
    })
    expect(store.getRun(first)?.byteSize).toBeGreaterThan(100 * 32)
    clock.now += 500
    expect(store.finishRun(first, 'a leader was elected')).toMatchObject({
      endedAt: 1_001_500,
      outcome: 'a leader was elected',
    })
    expect(store.listRuns().map((run) => [run.id, run.runtime, run.eventCount])).toEqual([
      [second, 'real-time', 0],
      [first, 'sim', 100],
    ])
    expect(store.deleteRun(first)).toBe(true)
    expect(store.deleteRun(first)).toBe(false)
    expect(store.getRun(first)).toBeNull()
    expect([...store.events(first)]).toEqual([])
    expect(store.spaceUsed()).toMatchObject({ runs: 1, events: 0, runBytes: 0 })
    // Ids are never reused: "run 1" keeps meaning the run that was deleted.
    expect(store.createRun({ spec: { algorithm: 'raft', nodes: 3 }, runtime: 'sim' })).toBe(3)
    store.close()
  })

  it('refuses bad runs with a sentence', () => {
    const { store } = clockedStore()
    const spec = { algorithm: 'raft', nodes: 3 }
    expect(() => store.createRun({ spec: { ...spec, algorithm: '' }, runtime: 'sim' })).toThrow(
      "the spec's algorithm is text of 1 to 200 characters.",
    )
    expect(() => store.createRun({ spec, runtime: 'threads' as 'sim' })).toThrow(
      "a run's runtime is sim or real-time, not threads.",
    )
    expect(() => store.createRun({ spec: { ...spec, seed: 1.5 }, runtime: 'sim' })).toThrow(
      "a run's seed is a whole number, not 1.5.",
    )
    expect(() => store.createRun({ spec, runtime: 'sim', codeVersionId: 99 })).toThrow(
      'there is no saved code version 99.',
    )
    expect(() => store.finishRun(12, 'ok')).toThrow('there is no run 12.')
    const id = store.createRun({ spec, runtime: 'sim' })
    expect(() => store.appendEvents(id, [sampleEvent(2), sampleEvent(1)])).toThrow(
      'event seq 1 cannot be stored after seq 2',
    )
    expect(() => store.appendEvents(id, [{ ...sampleEvent(1), t: Number.NaN }])).toThrow(
      'event seq 1 has no finite time t (NaN).',
    )
    // Nothing of a refused batch was stored.
    expect(store.getRun(id)?.eventCount).toBe(0)
    store.close()
  })

  it('saves a run by name, finds it by name, and refuses a name in use or made of digits', () => {
    const { store } = clockedStore()
    const a = runWithEvents(store, 10)
    const b = runWithEvents(store, 10)
    expect(store.nameRun(a, 'split brain').name).toBe('split brain')
    expect(store.runNamed('split brain')?.id).toBe(a)
    expect(() => store.nameRun(b, 'split brain')).toThrow(
      `run ${a} is already named split brain; choose another name.`,
    )
    expect(() => store.nameRun(b, '42')).toThrow(
      "a run's name needs a letter: 42 reads as a run id.",
    )
    store.nameRun(a, null)
    expect(store.runNamed('split brain')).toBeNull()
    store.close()
  })
})

describe("a run's events", () => {
  it('reads them back in seq order, exactly, page after page', () => {
    const { store } = clockedStore()
    // More than one read page and one block, with the seq starting above 1.
    const events = sampleEvents(7, 10_000)
    const id = store.createRun({ spec: { algorithm: 'raft', nodes: 3 }, runtime: 'sim' })
    store.appendEvents(id, events.slice(0, 6_000))
    store.appendEvents(id, events.slice(6_000))
    expect([...store.events(id)]).toEqual(events)
    expect([...store.events(id, 9_000)]).toEqual(events.filter((event) => event.seq > 9_000))
    // JSON Lines lines, the same as JSON.stringify would write (with seq, t, node, kind first).
    const lines = [...store.eventLines(id)]
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual(events)
    expect(lines[0].startsWith('{"seq":7,"t":1.75,"node":"n2","kind":')).toBe(true)
    store.close()
  })

  it('finds the events between two times, across blocks, with a limit', () => {
    const { store } = clockedStore()
    const id = store.createRun({ spec: { algorithm: 'raft', nodes: 3 }, runtime: 'real-time' })
    // Time out of seq order, as events from different workers arrive.
    const events = sampleEvents(1, 20_000).map((event, i) => ({
      ...event,
      t: event.t + (i % 2 === 0 ? 0.1 : -0.1),
    }))
    store.appendEvents(id, events)
    const expected = events.filter((event) => event.t >= 1_000 && event.t <= 2_500)
    expect(expected.length).toBeGreaterThan(blockEventsMax)
    expect(store.eventsBetween(id, 1_000, 2_500)).toEqual(expected)
    expect(store.eventsBetween(id, 1_000, 2_500, 10)).toEqual(expected.slice(0, 10))
    expect(store.eventsBetween(id, 60_000, 70_000)).toEqual([])
    store.close()
  })

  it("gives the run's client history: its invoke, ok, fail and info events in order", () => {
    const { store } = clockedStore()
    const id = store.createRun({ spec: { algorithm: 'raft', nodes: 3 }, runtime: 'sim' })
    const events = sampleEvents(1, 1_000)
    events.push(
      {
        seq: 1_001,
        t: 300,
        node: 'c2',
        kind: 'invoke',
        opId: 9,
        client: 'c2',
        op: { f: 'read', key: 'y' },
      },
      {
        seq: 1_002,
        t: 301,
        node: 'c2',
        kind: 'info',
        opId: 9,
        client: 'c2',
        op: { f: 'read', key: 'y' },
      },
      {
        seq: 1_003,
        t: 302,
        node: 'c2',
        kind: 'fail',
        opId: 8,
        client: 'c2',
        op: { f: 'cas', key: 'y', from: 1, to: 2 },
        error: { code: 22, text: 'precondition failed' },
      },
    )
    store.appendEvents(id, events)
    const other = runWithEvents(store, 50)
    const history = events.filter((event) => ['invoke', 'ok', 'fail', 'info'].includes(event.kind))
    expect(store.clientEvents(id)).toEqual(history)
    expect(store.clientEvents(other)).toHaveLength(
      sampleEvents(1, 50).filter((event) => event.kind === 'invoke' || event.kind === 'ok').length,
    )
    store.close()
  })
})

describe('pruning and space', () => {
  it('prunes the oldest unsaved runs until the rest fit, keeping saved ones', () => {
    const { store, clock } = clockedStore()
    const ids: number[] = []
    for (let i = 0; i < 5; i++) {
      clock.now += 1_000
      ids.push(runWithEvents(store, 2_000, i === 0 ? 'kept' : null))
    }
    const sizes = ids.map((id) => store.getRun(id)?.byteSize ?? 0)
    const total = sizes.reduce((a, b) => a + b, 0)
    expect(store.spaceUsed()).toMatchObject({ runs: 5, events: 10_000, runBytes: total })
    // Room for about three runs: the two oldest unsaved go, the saved oldest stays.
    const result = store.pruneRuns({ bytesMax: total - sizes[1] - sizes[2] })
    expect(result).toEqual({
      deleted: [ids[1], ids[2]],
      bytesFreed: sizes[1] + sizes[2],
      runBytes: total - sizes[1] - sizes[2],
    })
    expect(store.listRuns().map((run) => run.id)).toEqual([ids[4], ids[3], ids[0]])
    // Asked for nothing at all, only the saved run can stay, above the size asked for.
    expect(store.pruneRuns({ bytesMax: 0 })).toMatchObject({
      deleted: [ids[3], ids[4]],
      runBytes: sizes[0],
    })
    expect(store.listRuns().map((run) => run.name)).toEqual(['kept'])
    expect([...store.events(ids[0])]).toHaveLength(2_000)
    store.close()
  })

  it('prunes unsaved runs older than an age, and never a run being recorded', () => {
    const { store, clock } = clockedStore()
    const old = runWithEvents(store, 100)
    const savedOld = runWithEvents(store, 100, 'lesson 3 bug')
    const recording = store.createRun({ spec: { algorithm: 'raft', nodes: 3 }, runtime: 'sim' })
    const recorder = store.recorder(recording)
    clock.now += 10 * 24 * 3_600_000
    const young = runWithEvents(store, 100)
    const result = store.pruneRuns({ olderThanMs: 7 * 24 * 3_600_000 })
    expect(result.deleted).toEqual([old])
    expect(store.listRuns().map((run) => run.id)).toEqual([young, recording, savedOld])
    expect(store.getRun(recording)?.recording).toBe(true)
    expect(() => store.deleteRun(recording)).toThrow(
      `run ${recording} is being recorded; finish it before deleting it.`,
    )
    recorder.close()
    expect(store.pruneRuns({ olderThanMs: 7 * 24 * 3_600_000 }).deleted).toEqual([recording])
    expect(() => store.pruneRuns({ bytesMax: -1 })).toThrow(StoreError)
    store.close()
  })

  it("estimates runs' sizes close to what they take in the file, and pruning shrinks the file", () => {
    const file = join(folder(), 'lab.db')
    const store = storeAt(file)
    const before = store.spaceUsed()
    const id = runWithEvents(store, 50_000)
    const after = store.spaceUsed()
    const grown = after.fileBytes - after.freeBytes - (before.fileBytes - before.freeBytes)
    const estimate = store.getRun(id)?.byteSize ?? 0
    expect(estimate / grown).toBeGreaterThan(0.8)
    expect(estimate / grown).toBeLessThan(1.25)
    store.db.pragma('wal_checkpoint(TRUNCATE)')
    const fileBefore = statSync(file).size
    store.pruneRuns({ bytesMax: 0 })
    store.db.pragma('wal_checkpoint(TRUNCATE)')
    expect(statSync(file).size).toBeLessThan(fileBefore / 4)
    expect(store.spaceUsed()).toMatchObject({ runs: 0, events: 0, runBytes: 0 })
    store.close()
  })
})

describe('saved code', () => {
  it('keeps every save as a new version, lists them newest first, and gives the latest', () => {
    const { store, clock } = clockedStore()
    const v1 = store.saveCode('raft', 'my raft', 'version one')
    clock.now += 100
    const v2 = store.saveCode('raft', 'my raft', 'version two')
    store.saveCode('raft', 'other', 'x')
    store.saveCode('paxos', 'my raft', 'not the same algorithm')
    expect(v1).toMatchObject({
      algorithm: 'raft',
      name: 'my raft',
      version: 1,
      source: 'version one',
    })
    expect(v2).toMatchObject({ version: 2, createdAt: 1_000_100, sourceChars: 11 })
    expect(store.codeVersions('raft', 'my raft').map((version) => version.version)).toEqual([2, 1])
    expect(store.latestCode('raft', 'my raft')?.source).toBe('version two')
    expect(store.codeVersion(v1.id)?.source).toBe('version one')
    expect(store.latestCode('raft', 'nothing')).toBeNull()
    expect(store.savedCode('raft')).toEqual([
      { algorithm: 'raft', name: 'my raft', versions: 2, updatedAt: 1_000_100 },
      { algorithm: 'raft', name: 'other', versions: 1, updatedAt: 1_000_100 },
    ])
    expect(store.savedCode()).toHaveLength(3)
    expect(() => store.saveCode('raft', 'big', 'x'.repeat(1024 * 1024 + 1))).toThrow(
      'saved code is text of at most 1048576 characters.',
    )
    store.close()
  })
})

describe('settings', () => {
  it('stores JSON values by key, replaces and deletes them', () => {
    const { store } = clockedStore()
    expect(store.getSetting('speed')).toBeUndefined()
    store.setSetting('speed', 0.25)
    store.setSetting('layout', { panels: ['terminal', 'cluster'], wide: true })
    store.setSetting('speed', 2)
    expect(store.getSetting('speed')).toBe(2)
    expect(store.getSetting('layout')).toEqual({ panels: ['terminal', 'cluster'], wide: true })
    store.deleteSetting('speed')
    expect(store.getSetting('speed')).toBeUndefined()
    expect(() => store.setSetting('nothing', undefined)).toThrow(
      'the setting nothing must be a JSON value (text, number, list, ...).',
    )
    expect(() => store.setSetting('huge', 'x'.repeat(70_000))).toThrow(StoreError)
    store.close()
  })
})
