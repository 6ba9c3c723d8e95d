// One call for every place that checks a history (the REPL, `consensus-lab
// check`, the explorer, the app's checker thread): the model by name, the
// verdict, and for a violation the smallest slice, drawn, with a sentence.
// The report is plain data, so it crosses a thread or a socket unchanged.

import { explainViolation } from './explain'
import { checkLinearizable, type HistoryOperation } from './linearizability'
import { modelFor, unsupportedOperation, type ModelName } from './models'
import { operationLabel, timelineOf, timelineText, type TimelineBar } from './timeline'

export interface CheckRequest {
  model: ModelName
  /** The value keys hold before any write, where the model has one. */
  initial?: unknown
  operations: HistoryOperation[]
  /** How long the search may take before the answer is "unknown". */
  timeLimitMs?: number
  /** Or how many steps (for callers without a clock). */
  stepsMax?: number
}

export type CheckReport =
  | {
      result: 'linearizable'
      model: ModelName
      operations: number
      /** One order in which a single copy gives every answer the clients saw. */
      order: HistoryOperation[]
    }
  | {
      result: 'not linearizable'
      model: ModelName
      operations: number
      /** The part (key) that cannot be ordered. */
      part: string
      /** The smallest slice of it that still cannot be ordered, as timelines. */
      slice: TimelineBar[]
      /** False when there was no time to try every smaller slice. */
      minimal: boolean
      explanation: string
    }
  | { result: 'unknown'; model: ModelName; operations: number; reason: string }

/** Checks a history. `now` is a clock in ms for the time limit (the core reads none of its own). */
export function checkHistory(request: CheckRequest, now?: () => number): CheckReport {
  const model = modelFor(request.model, request.initial)
  const base = { model: request.model, operations: request.operations.length }
  const stranger = unsupportedOperation(model, request.operations)
  if (stranger !== null) return { ...base, result: 'unknown', reason: stranger }
  const verdict = checkLinearizable(model, request.operations, {
    ...(now !== undefined && request.timeLimitMs !== undefined
      ? { now, deadline: now() + request.timeLimitMs }
      : {}),
    ...(request.stepsMax === undefined ? {} : { stepsMax: request.stepsMax }),
  })
  if (verdict.result === 'linearizable')
    return { ...base, result: 'linearizable', order: verdict.order }
  if (verdict.result === 'unknown') return { ...base, result: 'unknown', reason: verdict.reason }
  const explanation = explainViolation(model, verdict.operations)
  return {
    ...base,
    result: 'not linearizable',
    part: verdict.part,
    slice: timelineOf(model, explanation.slice, explanation.culprit),
    minimal: explanation.minimal,
    explanation: explanation.sentence,
  }
}

/** A slice longer than this is not drawn in the terminal: it would not fit. */
const drawnOperationsMax = 16

/** The report as the terminal shows it. */
export function reportLines(report: CheckReport, timeUnit = 'ms'): string[] {
  const what = `${report.operations} operations (${report.model} model)`
  switch (report.result) {
    case 'linearizable': {
      const shown = report.order.slice(0, 8).map((op) => `${op.client} ${operationLabel(op)}`)
      const more = report.order.length > shown.length ? ', ...' : ''
      return [`linearizable: ${what}; one valid order: ${shown.join(', ')}${more}`]
    }
    case 'unknown':
      return [`unknown: ${report.reason} (${what})`]
    case 'not linearizable': {
      const size = report.slice.length
      const smallest = report.minimal ? 'the smallest slice' : 'a slice'
      return [
        `NOT linearizable: ${what}, key ${report.part}`,
        `  ${report.explanation}`,
        `  ${smallest} that cannot be linearized (${size} operation${size === 1 ? '' : 's'}):`,
        ...(size <= drawnOperationsMax
          ? timelineText(report.slice, timeUnit).map((line) => `    ${line}`)
          : [`    (too many to draw here; the app's timeline shows them)`]),
      ]
    }
  }
}
