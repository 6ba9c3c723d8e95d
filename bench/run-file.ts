// Export and import of a one-million-event run file. The events are a real
// simulator trace (5-node Raft, 16 clients writing, a leader killed and
// restarted) repeated with renumbered seq and shifted time, so they have the
// shapes and sizes of real ones. The floor is zlib alone on the same run:
// gzip of the exact bytes the export writes (same level), and gunzip of the
// exported file; the rest of each figure is JSON and the schema checks.

import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Readable, Writable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import {
  exportRun,
  importRun,
  runFileFormat,
  runFileGzipLevel,
  runFileVersion,
  type RunHeaderInput,
} from '../src/main/store/run-file'
import type { TraceEvent } from '../src/shared/trace'
import { figure, section } from './report'
import { raftTrace, repeated } from './traces'

const eventsInRun = 1_000_000
const trials = 3

/** The exact text the export writes, in the chunks it writes it. */
function* jsonLines(header: RunHeaderInput, trace: TraceEvent[]): Generator<string> {
  let chunk = JSON.stringify({ format: runFileFormat, version: runFileVersion, ...header }) + '\n'
  for (const event of repeated(trace, eventsInRun)) {
    chunk += JSON.stringify(event) + '\n'
    if (chunk.length >= 256 * 1024) {
      yield chunk
      chunk = ''
    }
  }
  yield chunk
}

const discard = (): Writable =>
  new Writable({
    write(_chunk, _encoding, done) {
      done()
    },
  })

function median(values: number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]
}

async function timed(run: () => Promise<unknown>): Promise<number> {
  const started = performance.now()
  await run()
  return performance.now() - started
}

export async function runFileBenchmarks(): Promise<void> {
  section(`run file (1,000,000 events of a real Raft trace; each figure the median of ${trials})`)
  const trace = await raftTrace()
  const header: RunHeaderInput = {
    algorithm: 'raft',
    runtime: 'sim',
    seed: 3,
    spec: { algorithm: 'raft', nodes: 5, seed: 3 },
    createdAt: new Date().toISOString(),
    eventCount: eventsInRun,
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-run-file-'))
  const raw = join(dir, 'run.jsonl')
  const path = join(dir, 'run.jsonl.gz')
  try {
    // The uncompressed text goes to a file, not memory: 200 MiB of strings
    // held during the trials would slow every figure through the collector.
    await pipeline(Readable.from(jsonLines(header, trace)), createWriteStream(raw))
    const times: Record<'exports' | 'imports' | 'gzips' | 'gunzips', number[]> = {
      exports: [],
      imports: [],
      gzips: [],
      gunzips: [],
    }
    for (let trial = 0; trial < trials; trial++) {
      const floorFile = join(dir, 'floor.jsonl.gz')
      times.gzips.push(
        await timed(() =>
          pipeline(
            createReadStream(raw),
            createGzip({ level: runFileGzipLevel }),
            createWriteStream(floorFile),
          ),
        ),
      )
      times.exports.push(await timed(() => exportRun(path, header, repeated(trace, eventsInRun))))
      times.gunzips.push(
        await timed(() => pipeline(createReadStream(path), createGunzip(), discard())),
      )
      let count = 0
      times.imports.push(
        await timed(async () => {
          const reader = await importRun(path)
          for await (const batch of reader.batches()) count += batch.length
        }),
      )
      if (count !== eventsInRun) throw new Error(`imported ${count} events, not ${eventsInRun}`)
    }
    const gzipFloor = `zlib gzip alone ${median(times.gzips).toFixed(0)} ms`
    const gunzipFloor = `zlib gunzip alone ${median(times.gunzips).toFixed(0)} ms`
    const exportMs = median(times.exports)
    const importMs = median(times.imports)
    figure('run file: export 1,000,000 events', exportMs, 'ms', gzipFloor)
    figure('run file: import 1,000,000 events (schema-checked)', importMs, 'ms', gunzipFloor)
    figure('run file: export rate', eventsInRun / (exportMs / 1000), 'events/s')
    figure('run file: import rate', eventsInRun / (importMs / 1000), 'events/s')
    figure(
      'run file: size of 1,000,000 events, compressed',
      statSync(path).size / (1024 * 1024),
      'MiB',
      `${(statSync(raw).size / (1024 * 1024)).toFixed(0)} MiB uncompressed`,
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
