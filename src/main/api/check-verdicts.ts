// The checks as the inspector shows them: the algorithm's invariants broken
// so far, each with the events that broke it (looked up in the recorded run,
// so a page can jump to their moment), and the clients' history checked for
// linearizability, a violation drawn as per-client timelines.

import type { ClusterSpec } from '../../shared/cluster'
import {
  drawnOperationsMax,
  involvedEventsMax,
  violationsShownMax,
  type CheckResult,
  type HistoryVerdict,
  type InvolvedEvent,
  type ViolationView,
} from '../../shared/inspection'
import type { TraceEvent, ViolationEvent } from '../../shared/trace'
import { resolveAlgorithm } from '../../workers/algorithms'
import { reportLines, type CheckReport } from '../check/check-history'
import { invariantCheckersFor } from '../check'
import { timelineText } from '../check/timeline'
import { EventFormatter } from '../commands/format'
import type { RecordedEvents } from './inspect'

/** What `check` decides, as data (Session.verdicts in src/main/commands/interpreter.ts). */
export interface SessionVerdicts {
  spec: ClusterSpec
  /** Events of the run so far. */
  events: number
  violations: readonly ViolationEvent[]
  /** Null when the clients made no operations. */
  history: CheckReport | null
}

export interface CheckableSession {
  /** Throws a sentence when no cluster runs. */
  verdicts(): Promise<SessionVerdicts>
  recordingId(): number | null
}

export async function checkVerdicts(
  session: CheckableSession,
  runs: RecordedEvents | undefined,
): Promise<CheckResult> {
  const verdicts = await session.verdicts()
  const run = session.recordingId()
  const shown = verdicts.violations.slice(0, violationsShownMax)
  const wanted = new Set(shown.flatMap((v) => v.events.slice(0, involvedEventsMax)))
  const found =
    runs === undefined || run === null
      ? new Map<number, TraceEvent>()
      : eventsBySeq(runs.events(run), wanted)
  const formatter = new EventFormatter(describer(verdicts.spec))
  const involved = (seq: number): InvolvedEvent => {
    const event = found.get(seq)
    if (event === undefined)
      return { seq, t: null, node: '?', line: `event ${seq} (no longer kept)` }
    const line = formatter.line(event, true) ?? `${event.node} ${event.kind}`
    return { seq, t: event.t, node: event.node, line: line.trim().slice(0, 1_000) }
  }
  const violations: ViolationView[] = shown.map((violation) => ({
    rule: violation.rule.slice(0, 200),
    message: violation.message.slice(0, 1_000),
    nodes: violation.nodes.slice(0, 1_000),
    t: violation.t,
    seq: violation.seq,
    events: violation.events.slice(0, involvedEventsMax).map(involved),
  }))
  return {
    algorithm: verdicts.spec.algorithm,
    events: verdicts.events,
    checkers: invariantCheckersFor(verdicts.spec.algorithm).map((checker) => checker.name),
    violations,
    violationCount: verdicts.violations.length,
    history: verdicts.history === null ? null : historyVerdict(verdicts.history),
  }
}

/** The report as the inspector shows it: a sentence, and for a violation its drawn slice. */
export function historyVerdict(report: CheckReport): HistoryVerdict {
  const base = { operations: report.operations, model: report.model }
  if (report.result !== 'not linearizable') {
    return {
      ...base,
      result: report.result,
      sentence: (reportLines(report)[0] ?? report.result).slice(0, 1_000),
      timeline: [],
      slice: [],
    }
  }
  const drawable = report.slice.length <= drawnOperationsMax
  return {
    ...base,
    result: report.result,
    sentence: `Not linearizable on key ${report.part}: ${report.explanation}`.slice(0, 1_000),
    timeline: drawable ? timelineText(report.slice).map((line) => line.slice(0, 4_096)) : [],
    slice: report.slice.slice(0, drawnOperationsMax).map((bar) => ({
      client: bar.client,
      label: bar.label,
      call: bar.call,
      ret: bar.ret,
      conflict: bar.conflict,
    })),
  }
}

/** The events with these sequence numbers; reads the run only as far as the last one. */
function eventsBySeq(events: Iterable<TraceEvent>, wanted: Set<number>): Map<number, TraceEvent> {
  const found = new Map<number, TraceEvent>()
  if (wanted.size === 0) return found
  const last = Math.max(...wanted)
  for (const event of events) {
    if (event.seq > last) break
    if (wanted.has(event.seq)) found.set(event.seq, event)
  }
  return found
}

function describer(spec: ClusterSpec): (body: { type: string }) => string {
  if (spec.algorithm === 'external') return (body) => body.type
  try {
    const definition = resolveAlgorithm(spec.algorithm, spec.variant)
    return (body) => definition.describe?.(body) ?? body.type
  } catch {
    return (body) => body.type // learner code the registry does not know: its message types
  }
}
