// What the terminal needs from the place runs are kept: record a run as it
// happens, list, name, export, import, and read runs back for replay. The
// app and the REPL keep runs in SQLite (src/main/store/stored-runs.ts); a
// session without a library (the browser's simulator-only mode, tests)
// answers the run commands with a sentence saying so.

import type { ClusterSpec } from '../../shared/cluster'
import type { TraceEvent } from '../../shared/trace'

export type Runtime = 'sim' | 'real-time'

export interface RunListing {
  id: number
  name: string | null
  algorithm: string
  variant: string | null
  runtime: Runtime
  seed: number | null
  /** Milliseconds since the epoch. */
  startedAt: number
  endedAt: number | null
  outcome: string | null
  eventCount: number
  byteSize: number
  recording: boolean
}

/** A run being recorded. */
export interface RunRecording {
  readonly id: number
  event(event: TraceEvent): void
  /** A command that acted on a simulated run: its inputs replay it. */
  input(line: string): void
  finish(outcome: string | null): void
}

export interface RunLibrary {
  begin(spec: ClusterSpec, runtime: Runtime): RunRecording
  list(): RunListing[]
  /** A run by number or name; throws a sentence naming what exists when there is none. */
  find(reference: string): RunListing
  name(id: number, name: string): RunListing
  exportRun(id: number, file: string): Promise<{ eventCount: number; bytes: number }>
  importRun(file: string): Promise<RunListing>
  spec(id: number): ClusterSpec
  /** The run's events in seq order, those after `afterSeq` only when given. */
  events(id: number, afterSeq?: number): Iterable<TraceEvent>
  inputs(id: number): string[]
  space(): { runs: number; runBytes: number; fileBytes: number }
}
