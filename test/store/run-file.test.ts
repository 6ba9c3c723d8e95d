// The run file (issue 5, "Export and import"): a real simulator run goes out
// and comes back event for event, and every kind of bad file is turned away
// with one sentence that names the line and what was wrong.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startWorkload, writeHeavy } from '../../src/main/client/workload'
import { Simulator } from '../../src/main/sim/simulator'
import {
  exportRun,
  importRun,
  readRunFile,
  RunFileError,
  runFileFormat,
  runFileVersion,
  type RunHeaderInput,
} from '../../src/main/store/run-file'
import { randomStream } from '../../src/shared/random'
import type { TraceEvent } from '../../src/shared/trace'

let dir: string
let events: TraceEvent[]
let header: RunHeaderInput

/**
 * A 5-node Raft run with a bit of everything: an election, a write load from
 * three clients, a partition and heal, a lossy link, a pause, a crash and a
 * restart. Then a violation and a log line, which a correct Raft never emits
 * on its own, so that every event kind crosses the file.
 */
async function realRun(): Promise<TraceEvent[]> {
  const sim = new Simulator()
  const collected: TraceEvent[] = []
  sim.events((event) => collected.push(event))
  await sim.start({ algorithm: 'raft', nodes: 5, seed: 11 })
  sim.runUntil(() => sim.leader() !== null, 5_000)
  const leader = sim.leader()
  if (leader === null) throw new Error('no leader in the test run')
  const clients = ['c1', 'c2', 'c3'].map((id) => sim.client(id, undefined, leader))
  let done = false
  startWorkload(
    clients,
    { ...writeHeavy, operations: 150 },
    randomStream(11, 'workload'),
    () => sim.now(),
    () => {
      done = true
    },
  )
  sim.advance(50)
  await sim.partition([[leader], sim.nodeIds().filter((id) => id !== leader)])
  sim.advance(600)
  await sim.heal()
  await sim.setLink('*', '*', { loss: 0.2 })
  sim.advance(300)
  await sim.setLink('*', '*', { loss: 0 })
  const follower = sim.nodeIds().find((id) => id !== sim.leader()) ?? 'n1'
  await sim.pause(follower)
  sim.advance(200)
  await sim.resume(follower)
  await sim.kill(follower)
  sim.advance(200)
  await sim.restart(follower)
  sim.runUntil(() => done, 60_000)
  const last = collected[collected.length - 1]
  collected.push(
    {
      seq: last.seq + 1,
      t: last.t,
      node: 'n2',
      kind: 'violation',
      rule: 'Election Safety',
      message: 'n1 and n2 both lead term 3',
      nodes: ['n1', 'n2'],
      term: 3,
      events: [last.seq - 1, last.seq],
    },
    { seq: last.seq + 2, t: last.t + 1, node: 'n1', kind: 'log', text: 'became leader, term 3' },
  )
  return collected
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'run-file-'))
  events = await realRun()
  header = {
    algorithm: 'raft',
    runtime: 'sim',
    seed: 11,
    spec: { algorithm: 'raft', nodes: 5, seed: 11 },
    createdAt: '2026-11-24T15:00:00.000Z',
    eventCount: events.length,
  }
})

afterAll(() => {
  rmSync(dir, { recursive: true, force: true })
})

let files = 0
const pathFor = (name: string): string => join(dir, `${++files}-${name}`)

/** Writes `lines` as a gzip-compressed file, the way a hand-made or tampered file would be. */
function gzipLines(name: string, lines: unknown[]): string {
  const path = pathFor(name)
  const text = lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line)))
  writeFileSync(path, gzipSync(text.join('\n') + '\n'))
  return path
}

const headerLine = (overrides: Record<string, unknown> = {}): Record<string, unknown> => ({
  format: runFileFormat,
  version: runFileVersion,
  ...header,
  eventCount: 3,
  ...overrides,
})

/** Three real events, renumbered 1..3. */
const threeEvents = (): TraceEvent[] => events.slice(0, 3).map((e, i) => ({ ...e, seq: i + 1 }))

/** The sentence a whole import of `path` fails with. */
async function importProblem(path: string): Promise<string> {
  try {
    await readRunFile(path)
  } catch (error) {
    expect(error).toBeInstanceOf(RunFileError)
    return (error as RunFileError).message
  }
  throw new Error(`${path} was imported, but it should have been rejected`)
}

describe('export then import', () => {
  it('gives back the same header and the same events, event for event', async () => {
    // The run has every event kind.
    expect(new Set(events.map((e) => e.kind))).toEqual(
      new Set([
        'send',
        'recv',
        'drop',
        'timer-set',
        'timer-fire',
        'state',
        'crash',
        'restart',
        'pause',
        'resume',
        'link',
        'invoke',
        'ok',
        'info',
        'violation',
        'log',
      ]),
    )
    const path = pathFor('run.jsonl.gz')

    const exported = await exportRun(path, header, events)
    const imported = await readRunFile(path)

    expect(exported.eventCount).toBe(events.length)
    expect(exported.bytes).toBe(readFileSync(path).length)
    expect(imported.header).toEqual({ format: runFileFormat, version: runFileVersion, ...header })
    expect(imported.events.length).toBe(events.length)
    for (let i = 0; i < events.length; i++) {
      expect(imported.events[i], `event ${i} (seq ${events[i].seq})`).toEqual(events[i])
    }
    // Nothing is left beside the file.
    expect(readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([])
  })

  it('streams from an async source and back out one event at a time', async () => {
    const path = pathFor('async.jsonl.gz')
    async function* source(): AsyncGenerator<TraceEvent> {
      for (const event of events) {
        // A source that really waits between events, as a store's cursor would.
        if (event.seq % 1_000 === 0) await new Promise((resolve) => setImmediate(resolve))
        yield event
      }
    }

    await exportRun(path, header, source())
    const reader = await importRun(path)
    const back: TraceEvent[] = []
    for await (const event of reader.events()) back.push(event)

    expect(back).toEqual(events)
  })

  it('keeps the code that ran as text and runs none of it', async () => {
    const marker = join(dir, 'code-ran')
    const source = [
      `globalThis.runFileCodeRan = true`,
      `require('node:fs').writeFileSync(${JSON.stringify(marker)}, 'ran')`,
      `export default (() => { throw new Error('this must never run') })()`,
    ].join('\n')
    const path = pathFor('code.jsonl.gz')
    const withCode: RunHeaderInput = {
      ...header,
      spec: {
        ...header.spec,
        code: { source, fileName: 'raft.js' },
        external: { n5: `touch ${marker}` },
      },
      code: { name: 'raft.js', source },
    }

    await exportRun(path, withCode, events)
    const imported = await readRunFile(path)

    expect(imported.header.code?.source).toBe(source)
    expect(imported.header.spec.code?.source).toBe(source)
    expect(imported.header.spec.external).toEqual({ n5: `touch ${marker}` })
    expect((globalThis as Record<string, unknown>).runFileCodeRan).toBeUndefined()
    expect(existsSync(marker)).toBe(false)
  })

  it('hands the header over before any event is read, and can stop early', async () => {
    const path = pathFor('early.jsonl.gz')
    await exportRun(path, header, events)

    const reader = await importRun(path)
    expect(reader.header.eventCount).toBe(events.length)
    let seen = 0
    for await (const event of reader.events()) {
      expect(event).toEqual(events[seen])
      if (++seen === 10) break
    }

    expect(seen).toBe(10)
    expect(() => reader.events()).toThrow('a run file is read once')
  })
})

describe('export refuses what it could not read back', () => {
  it('refuses a header whose eventCount does not match, and leaves no file', async () => {
    const path = pathFor('short.jsonl.gz')
    const problem = exportRun(path, { ...header, eventCount: events.length + 1 }, events)

    await expect(problem).rejects.toThrow(
      `Cannot export this run: its header's eventCount is ${events.length + 1}, but ${events.length} events were given.`,
    )
    expect(existsSync(path)).toBe(false)
    expect(readdirSync(dir).filter((name) => name.includes('partial'))).toEqual([])
  })

  it('says why it cannot write, and passes on an error from the events source', async () => {
    const nowhere = join(dir, 'no-such-folder', 'run.jsonl.gz')
    function* failing(): Generator<TraceEvent> {
      yield events[0]
      throw new Error('the store closed')
    }

    await expect(exportRun(nowhere, header, events)).rejects.toThrow(
      new RegExp(`^Cannot write ${escape(nowhere)}: ENOENT: no such file or directory`),
    )
    await expect(exportRun(pathFor('failing.jsonl.gz'), header, failing())).rejects.toThrow(
      'the store closed',
    )
  })

  it('refuses events out of seq order, naming the event', async () => {
    const [a, b] = threeEvents()
    const problem = exportRun(pathFor('order.jsonl.gz'), { ...header, eventCount: 2 }, [b, a])

    await expect(problem).rejects.toThrow(
      'Cannot export event seq 1: it comes after seq 2, and a run file keeps events in increasing seq order.',
    )
  })

  it('refuses an event over the limits, naming the event and the field', async () => {
    const huge: TraceEvent = { seq: 1, t: 0, node: 'n1', kind: 'log', text: 'x'.repeat(70_000) }
    const problem = exportRun(pathFor('huge.jsonl.gz'), { ...header, eventCount: 1 }, [huge])

    await expect(problem).rejects.toThrow(
      'Cannot export event seq 1: in this "log" event, "text" is longer than 65,536 characters.',
    )
  })
})

describe('import rejects a bad file with one sentence', () => {
  it('rejects a file cut short at any point', async () => {
    const path = pathFor('whole.jsonl.gz')
    await exportRun(path, header, events)
    const bytes = readFileSync(path)

    for (const fraction of [0.001, 0.1, 0.5, 0.9, 0.999]) {
      const cut = pathFor(`cut-${fraction}.jsonl.gz`)
      writeFileSync(cut, bytes.subarray(0, Math.max(3, Math.floor(bytes.length * fraction))))

      const problem = await importProblem(cut)

      expect(problem, `cut at ${fraction}`).toMatch(
        new RegExp(
          `^${escape(cut)} is cut short: its compressed data ends in the middle of line \\d+, so the file was not written, copied or downloaded completely\\.$`,
        ),
      )
    }
  })

  it('rejects a complete file with fewer events than its header says', async () => {
    const path = gzipLines('fewer.jsonl.gz', [headerLine(), ...threeEvents().slice(0, 2)])

    expect(await importProblem(path)).toBe(
      `${path} is cut short: its header says 3 events, but the file ends after 2 (line 3).`,
    )
  })

  it('rejects more events than the header says', async () => {
    const path = gzipLines('more.jsonl.gz', [headerLine({ eventCount: 2 }), ...threeEvents()])

    expect(await importProblem(path)).toBe(
      `${path}, line 4: the file has more events than its header's eventCount of 2.`,
    )
  })

  it('rejects a file that is not gzip-compressed', async () => {
    const plain = pathFor('plain.jsonl')
    writeFileSync(plain, JSON.stringify(headerLine()) + '\n')
    const random = pathFor('random.bin')
    writeFileSync(random, Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0, 0]))
    const empty = pathFor('empty.jsonl.gz')
    writeFileSync(empty, '')

    expect(await importProblem(plain)).toBe(
      `${plain} is not gzip-compressed: it looks like plain JSON Lines, and a run file is gzip-compressed (compress it with gzip to import it).`,
    )
    expect(await importProblem(random)).toBe(
      `${random} is not a Consensus Lab run file: it is not gzip-compressed, and a run file is gzip-compressed JSON Lines.`,
    )
    expect(await importProblem(empty)).toBe(
      `${empty} is empty: a run file holds a header line and the run's events, gzip-compressed.`,
    )
  })

  it('rejects damaged compressed data', async () => {
    const path = pathFor('damaged.jsonl.gz')
    await exportRun(path, header, events)
    const bytes = readFileSync(path)
    for (let i = 0; i < 64; i++) bytes[Math.floor(bytes.length / 2) + i] ^= 0x5a
    writeFileSync(path, bytes)

    expect(await importProblem(path)).toMatch(
      new RegExp(
        `^${escape(path)} is damaged: its compressed data is corrupt from line \\d+ on \\(.+\\)\\.$`,
      ),
    )
  })

  it('rejects a missing file, an empty one and a missing header', async () => {
    const missing = join(dir, 'no-such-run.jsonl.gz')
    const nothing = gzipLines('nothing.jsonl.gz', [])
    const headless = gzipLines('headless.jsonl.gz', threeEvents())

    expect(await importProblem(missing)).toBe(`There is no file at ${missing}.`)
    expect(await importProblem(nothing)).toBe(
      `${nothing}, line 1: the header is not valid JSON (Unexpected end of JSON input).`,
    )
    expect(await importProblem(headless)).toBe(
      `${headless}, line 1 is a trace event where the header should be: the run's header line is missing.`,
    )
  })

  it('rejects another format and a version newer than this app', async () => {
    const foreign = gzipLines('foreign.jsonl.gz', [headerLine({ format: 'jepsen-history' })])
    const newer = gzipLines('newer.jsonl.gz', [headerLine({ version: 2 })])
    const broken = gzipLines('broken.jsonl.gz', ['{"format": "consensus-lab-run", '])

    expect(await importProblem(foreign)).toBe(
      `${foreign}, line 1: the format is "jepsen-history", not "consensus-lab-run"; this is not a Consensus Lab run file.`,
    )
    expect(await importProblem(newer)).toBe(
      `${newer}, line 1: this run file has version 2, and this app reads versions up to 1; update Consensus Lab to open it.`,
    )
    expect(await importProblem(broken)).toMatch(
      new RegExp(`^${escape(broken)}, line 1: the header is not valid JSON \\(.+\\)\\.$`),
    )
  })

  it('rejects a bad header field, naming it', async () => {
    const nodes = gzipLines('nodes.jsonl.gz', [
      headerLine({ spec: { algorithm: 'raft', nodes: 'five' } }),
    ])
    const runtime = gzipLines('runtime.jsonl.gz', [headerLine({ runtime: 'docker' })])

    expect(await importProblem(nodes)).toBe(
      `${nodes}, line 1: the header's "spec.nodes" must be a number, not "five".`,
    )
    expect(await importProblem(runtime)).toBe(
      `${runtime}, line 1: the header's "runtime" is "docker", not one of "sim", "real-time".`,
    )
  })

  it('rejects huge fields and huge lines', async () => {
    const [a, b] = threeEvents()
    const longText = { seq: 3, t: 0, node: 'n1', kind: 'log', text: 'x'.repeat(70_000) }
    const field = gzipLines('field.jsonl.gz', [headerLine(), a, b, longText])
    const longLine = { ...b, body: { type: 'append_entries', padding: 'y'.repeat(1_100_000) } }
    const line = gzipLines('line.jsonl.gz', [headerLine(), a, longLine])
    const code = gzipLines('code.jsonl.gz', [
      headerLine({ code: { name: 'raft.js', source: '/'.repeat(1_100_000) } }),
    ])
    const endless = pathFor('endless.jsonl.gz')
    writeFileSync(endless, gzipSync(JSON.stringify(headerLine()) + '\n' + 'z'.repeat(5_000_000)))

    expect(await importProblem(field)).toBe(
      `${field}, line 4: in this "log" event, "text" is longer than 65,536 characters.`,
    )
    expect(await importProblem(line)).toBe(
      `${line}, line 3 is longer than 1 MiB, the limit for one event.`,
    )
    expect(await importProblem(code)).toBe(
      `${code}, line 1: the header's "code.source" is longer than 1,048,576 characters.`,
    )
    expect(await importProblem(endless)).toBe(
      `${endless}, line 2 is longer than 1 MiB, the limit for one event.`,
    )
  })

  it('rejects an event that does not fit the trace schema, naming the line and field', async () => {
    const [a, b, c] = threeEvents()
    const cases: [string, unknown, string][] = [
      ['kind', { ...b, kind: 'teleport' }, `"kind" is "teleport", which is not one of`],
      ['extra', { ...b, secret: 1 }, `has a field this app does not know: "secret"`],
      ['seq', { ...b, seq: -1 }, `"seq" is -1, below the smallest allowed, 0`],
      ['json', '{"seq": 2, ', 'is not valid JSON'],
      ['empty', '', 'is empty, and every line after the header must be one trace event'],
    ]
    for (const [name, bad, expected] of cases) {
      const path = gzipLines(`bad-${name}.jsonl.gz`, [headerLine(), a, bad, c])

      const problem = await importProblem(path)

      expect(problem, name).toContain(`${path}, line 3`)
      expect(problem, name).toContain(expected)
    }
    const type = await importProblem(
      gzipLines('body-type.jsonl.gz', [
        headerLine({ eventCount: 1 }),
        {
          seq: 1,
          t: 0,
          node: 'n2',
          kind: 'recv',
          mid: 1,
          src: 'n1',
          dest: 'n2',
          body: { type: 5 },
        },
      ]),
    )
    expect(type).toMatch(/line 2: in this "recv" event, "body\.type" must be a string, not 5\.$/)
  })

  it('rejects events whose seq does not increase', async () => {
    const [a, b, c] = threeEvents()
    const path = gzipLines('seq.jsonl.gz', [headerLine(), a, c, { ...b, seq: 3 }])

    expect(await importProblem(path)).toBe(
      `${path}, line 4: seq 3 does not come after the previous event's seq 3, and events must be in increasing seq order.`,
    )
  })
})

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
