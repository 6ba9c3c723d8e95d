// The store's trace recording: events per second through the trace recorder
// into a database file (WAL, synchronous=NORMAL, as the app writes traces),
// one million events of a real simulator trace (5-node Raft, 16 clients
// writing, the leader killed and restarted), fed as a cluster would: a slice
// at a time, the event loop turning in between. The floor, measured in the
// same run on the same rows: a raw better-sqlite3 loop, one prepared INSERT
// per event, all in one transaction: what SQLite itself costs here.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { openDatabase } from '../src/main/store/database'
import { compactEventJson } from '../src/main/store/event-json'
import { openStore, type LabStore } from '../src/main/store/store'
import { RealTimeCluster } from '../src/main/cluster/cluster'
import { eventKey } from '../src/main/store/trace-recorder'
import type { TraceEvent } from '../src/shared/trace'
import { waitForLeader } from './cluster'
import { figure, section } from './report'
import { raftTrace, repeated } from './traces'

const eventsInRun = 1_000_000
const trials = 3
/** Events handed over per turn of the event loop, as a cluster delivers a batch of worker messages. */
const sliceEvents = 1_000

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

interface Trial {
  perSecond: number
  /** This process's CPU time per event: what the rate would be on an idle machine. */
  cpuUsPerEvent: number
}

interface RecorderTrial extends Trial {
  producerNsPerEvent: number
  bytesPerEvent: number
}

function cpuUsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return used.user + used.system
}

async function throughRecorder(events: readonly TraceEvent[]): Promise<RecorderTrial> {
  const folder = mkdtempSync(join(tmpdir(), 'consensus-lab-bench-store-'))
  try {
    const opened = openStore(join(folder, 'lab.db'))
    if (!opened.ok) throw new Error(opened.message)
    const store = opened.store
    const runId = store.createRun({
      spec: { algorithm: 'raft', nodes: 5, seed: 11 },
      runtime: 'sim',
    })
    const recorder = store.recorder(runId)
    let producerMs = 0
    const cpuStart = process.cpuUsage()
    const started = performance.now()
    for (let from = 0; from < events.length; from += sliceEvents) {
      const sliceStarted = performance.now()
      const to = Math.min(events.length, from + sliceEvents)
      for (let i = from; i < to; i++) recorder.record(events[i])
      producerMs += performance.now() - sliceStarted
      await nextTurn()
    }
    const stats = recorder.close()
    const ms = performance.now() - started
    const cpuUs = cpuUsSince(cpuStart)
    if (stats.written !== events.length || stats.dropped !== 0) {
      throw new Error(`the recorder wrote ${stats.written} of ${events.length} events`)
    }
    const space = store.spaceUsed()
    store.close()
    return {
      perSecond: (events.length / ms) * 1000,
      cpuUsPerEvent: cpuUs / events.length,
      producerNsPerEvent: (producerMs * 1e6) / events.length,
      bytesPerEvent: (space.fileBytes - space.freeBytes) / events.length,
    }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

/** The same rows, same schema and settings, one INSERT per event in one transaction. */
function rawInsertLoop(events: readonly TraceEvent[]): Trial {
  const folder = mkdtempSync(join(tmpdir(), 'consensus-lab-bench-store-'))
  try {
    const opened = openDatabase(join(folder, 'lab.db'))
    if (!opened.ok) throw new Error(opened.message)
    const db = opened.db
    const runId = 1
    const insert = db.prepare('INSERT INTO events (id, t, node, kind, json) VALUES (?, ?, ?, ?, ?)')
    const cpuStart = process.cpuUsage()
    const started = performance.now()
    db.transaction(() => {
      for (const event of events) {
        insert.run(
          eventKey(runId, event.seq),
          event.t,
          event.node,
          event.kind,
          compactEventJson(event),
        )
      }
    })()
    const ms = performance.now() - started
    const cpuUs = cpuUsSince(cpuStart)
    db.close()
    return { perSecond: (events.length / ms) * 1000, cpuUsPerEvent: cpuUs / events.length }
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

export async function storeBenchmarks(): Promise<void> {
  section(
    `store (1,000,000 events of a simulator trace into a temp-file database; median of ${trials} runs)`,
  )
  const events = [...repeated(await raftTrace(), eventsInRun)]
  const recorded: RecorderTrial[] = []
  const raw: Trial[] = []
  // Alternated, so that a busy moment on this shared machine hits both alike.
  for (let trial = 0; trial < trials; trial++) {
    recorded.push(await throughRecorder(events))
    raw.push(rawInsertLoop(events))
  }
  const floor = median(raw.map((trial) => trial.perSecond))
  figure('store: raw better-sqlite3 insert loop, one transaction (the floor)', floor, 'events/s')
  figure(
    'store: trace recorder insert capacity (batched, off the hot path)',
    median(recorded.map((trial) => trial.perSecond)),
    'events/s',
    `raw insert loop ${Math.round(floor).toLocaleString('en-US')} events/s`,
  )
  // The machine is shared: wall time includes waiting for other processes.
  // CPU time per event says what this process itself spends.
  const rawCpu = median(raw.map((trial) => trial.cpuUsPerEvent))
  figure(
    'store: trace recorder CPU time per event (JSON, SQLite, bookkeeping)',
    median(recorded.map((trial) => trial.cpuUsPerEvent)),
    'us',
    `raw insert loop ${rawCpu.toPrecision(3)} us`,
  )
  figure(
    'store: producer time per event in record()',
    median(recorded.map((trial) => trial.producerNsPerEvent)),
    'ns',
    'a push into the buffer',
  )
  const jsonBytes = events.reduce((sum, event) => sum + JSON.stringify(event).length, 0)
  figure(
    'store: database bytes per event stored',
    median(recorded.map((trial) => trial.bytesPerEvent)),
    'bytes',
    `its JSON alone ${Math.round(jsonBytes / events.length)} bytes`,
  )
  await liveCluster()
}

/**
 * A 5-node real-time Raft cluster under a write load (16 clients, 5 s), its
 * trace recorded as the terminal records it: the events it produced per
 * second (the floor: what recording must keep up with), the events stored per
 * second, and any lost.
 */
async function liveCluster(): Promise<void> {
  const folder = mkdtempSync(join(tmpdir(), 'consensus-lab-bench-store-'))
  const seconds = 5
  try {
    const store = openStoreOrThrow(join(folder, 'lab.db'))
    const cluster = new RealTimeCluster()
    const spec = { algorithm: 'raft', nodes: 5, seed: 1 }
    const runId = store.createRun({ spec, runtime: 'real-time' })
    const recorder = store.recorder(runId)
    let produced = 0
    cluster.events((event) => {
      produced++
      recorder.record(event)
    })
    await cluster.start(spec)
    const leader = await waitForLeader(cluster)
    const clients = Array.from({ length: 16 }, (_, i) =>
      cluster.client(`c${i + 1}`, undefined, leader),
    )
    const started = performance.now()
    const producedAtStart = produced
    let running = true
    await Promise.all(
      clients.map(async (client, c) => {
        for (let i = 0; running; i++) {
          await new Promise<void>((resolve) =>
            client.invoke({ f: 'write', key: `k${c}`, value: i }, () => resolve()),
          )
          if (performance.now() - started > seconds * 1000) running = false
        }
      }),
    )
    const ms = performance.now() - started
    await cluster.stop()
    const stats = recorder.close()
    store.finishRun(runId, null)
    const stored = store.getRun(runId)?.eventCount ?? 0
    store.close()
    figure(
      'store: events stored per second, 5-node real-time cluster under write load',
      ((produced - producedAtStart) / ms) * 1000,
      'events/s',
      `all stored: ${stored.toLocaleString('en-US')} of ${produced.toLocaleString('en-US')} produced, ${stats.dropped} lost`,
    )
  } finally {
    rmSync(folder, { recursive: true, force: true })
  }
}

function openStoreOrThrow(file: string): LabStore {
  const opened = openStore(file)
  if (!opened.ok) throw new Error(opened.message)
  return opened.store
}
