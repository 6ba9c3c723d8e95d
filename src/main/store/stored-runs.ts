// The run library on the SQLite store: runs recorded as they happen, named,
// exported to and imported from run files, read back for replay.

import type { ClusterSpec } from '../../shared/cluster'
import type { TraceEvent } from '../../shared/trace'
import type { RunLibrary, RunListing, RunRecording, Runtime } from '../commands/run-library'
import { exportRun, importRun } from './run-file'
import type { LabStore } from './store'

export class StoredRuns implements RunLibrary {
  constructor(private readonly store: LabStore) {}

  begin(spec: ClusterSpec, runtime: Runtime): RunRecording {
    const store = this.store
    const id = store.createRun({ spec, runtime })
    const recorder = store.recorder(id)
    return {
      id,
      event: (event) => recorder.record(event),
      input: (line) => {
        if (runtime === 'sim') store.addInput(id, line)
      },
      finish: (outcome) => {
        recorder.close()
        store.finishRun(id, outcome)
      },
    }
  }

  list(): RunListing[] {
    this.store.flushRecorder()
    return this.store.listRuns()
  }

  find(reference: string): RunListing {
    const run = /^\d+$/.test(reference)
      ? this.store.getRun(Number(reference))
      : this.store.runNamed(reference)
    if (run !== null) return run
    const known = this.store.listRuns(5).map((r) => r.name ?? String(r.id))
    throw new Error(
      known.length === 0
        ? `there is no run ${reference}: no runs are kept yet (start a cluster to record one).`
        : `there is no run ${reference}; recent runs: ${known.join(', ')} (runs lists them all).`,
    )
  }

  name(id: number, name: string): RunListing {
    const taken = this.store.runNamed(name)
    if (taken !== null && taken.id !== id) {
      throw new Error(`run ${taken.id} is already called ${name}; choose another name.`)
    }
    return this.store.nameRun(id, name)
  }

  async exportRun(id: number, file: string): Promise<{ eventCount: number; bytes: number }> {
    const run = this.store.getRun(id)
    if (run === null) throw new Error(`there is no run ${id}.`)
    // A run still being recorded is exported as far as it has gone.
    this.store.flushRecorder(id)
    const recorded = this.store.getRun(id) ?? run
    const inputs = this.store.inputs(id)
    return exportRun(
      file,
      {
        algorithm: run.algorithm,
        ...(run.variant === null ? {} : { variant: run.variant }),
        runtime: run.runtime,
        ...(run.seed === null ? {} : { seed: run.seed }),
        spec: run.spec,
        ...(inputs.length === 0 ? {} : { inputs }),
        createdAt: new Date(run.startedAt).toISOString(),
        eventCount: recorded.eventCount,
      },
      this.store.events(id),
    )
  }

  async importRun(file: string): Promise<RunListing> {
    const reader = await importRun(file)
    const header = reader.header
    const id = this.store.createRun({ spec: header.spec, runtime: header.runtime })
    try {
      for await (const batch of reader.batches()) this.store.appendEvents(id, batch)
      for (const line of header.inputs ?? []) this.store.addInput(id, line)
      this.store.finishRun(id, `imported from ${file}`)
    } catch (error) {
      // Half a run is worse than none: the learner would replay a different story.
      this.store.deleteRun(id)
      throw error
    } finally {
      reader.close()
    }
    return this.find(String(id))
  }

  spec(id: number): ClusterSpec {
    const run = this.store.getRun(id)
    if (run === null) throw new Error(`there is no run ${id}.`)
    return run.spec
  }

  events(id: number, afterSeq = 0): Iterable<TraceEvent> {
    this.store.flushRecorder(id)
    return this.store.events(id, afterSeq)
  }

  inputs(id: number): string[] {
    return this.store.inputs(id)
  }

  space(): { runs: number; runBytes: number; fileBytes: number } {
    return this.store.spaceUsed()
  }
}
