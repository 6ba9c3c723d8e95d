// A verdict a learner can read. When a history cannot be linearized, the whole
// history is rarely the story: a few operations are. This finds the smallest
// slice of one part that still cannot be linearized (delta debugging, Zeller
// 2002), names the operation that cannot be placed, and says why in a sentence.
//
// A slice must tell the same story as the history. Dropping the write a read
// saw would leave "a read of 1 before anyone wrote 1": a slice that cannot be
// linearized, but a different story, and a false one. So an answer that some
// operation begun in time could explain in the history must stay explained in
// the slice; only an answer nothing in time explains (a value read before its
// write began, or never written) may stand alone.

import { impossible, searchOrder, type HistoryOperation, type Model } from './linearizability'

export interface ExplainOptions {
  /** Search steps each trial may take; past it, the trial counts as inconclusive. */
  trialStepsMax?: number
  /** Trials in all; past it, the slice found so far is returned, marked not minimal. */
  trialsMax?: number
}

export interface Explanation {
  /** The smallest slice found that cannot be linearized, in call order. */
  slice: HistoryOperation[]
  /** The operation of the slice that cannot be placed. */
  culprit: HistoryOperation
  /** False when the budget ran out before every smaller slice was tried. */
  minimal: boolean
  sentence: string
}

/** Explains why `operations` (one part, not linearizable) cannot be linearized. */
export function explainViolation<State>(
  model: Model<State>,
  operations: readonly HistoryOperation[],
  options: ExplainOptions = {},
): Explanation {
  const trialStepsMax = options.trialStepsMax ?? 200_000
  const budget = { trials: options.trialsMax ?? 2_000 }
  const whole = [...operations].sort((a, b) => a.call - b.call)
  // Answers explained in time, and answers explained only by what came later.
  const inTime = answersExplained(model, whole, true)
  const atAll = answersExplained(model, whole, false)
  const keeps = (explained: Set<HistoryOperation>, now: Set<HistoryOperation>): boolean =>
    [...explained].every((op) => !stillHere.has(op) || now.has(op))
  let stillHere = new Set<HistoryOperation>()
  const stillFails = (ops: readonly HistoryOperation[]): boolean => {
    budget.trials--
    stillHere = new Set(ops)
    if (!keeps(inTime, answersExplained(model, ops, true))) return false
    if (!keeps(atAll, answersExplained(model, ops, false))) return false
    return searchOrder(model, ops, { stepsMax: trialStepsMax }).result === 'none'
  }
  const { slice, minimal } = shrinkSlice(whole, stillFails, budget)
  const { culprit, sentence } = describeConflict(model, slice)
  return { slice, culprit, minimal, sentence }
}

/** ddmin: remove chunks while the rest still fails, halving their size when no chunk can go. */
function shrinkSlice(
  whole: HistoryOperation[],
  stillFails: (ops: readonly HistoryOperation[]) => boolean,
  budget: { trials: number },
): { slice: HistoryOperation[]; minimal: boolean } {
  let slice = whole
  let chunks = 2
  while (slice.length >= 2) {
    if (budget.trials <= 0) return { slice, minimal: false }
    const size = Math.ceil(slice.length / chunks)
    let removed = false
    for (let start = 0; start < slice.length && budget.trials > 0; start += size) {
      const candidate = [...slice.slice(0, start), ...slice.slice(start + size)]
      if (candidate.length > 0 && stillFails(candidate)) {
        slice = candidate
        chunks = Math.max(chunks - 1, 2)
        removed = true
        break
      }
    }
    if (removed) continue
    if (chunks >= slice.length) break
    chunks = Math.min(chunks * 2, slice.length)
  }
  return { slice, minimal: budget.trials > 0 }
}

/** States the model can be in, at most: past it, every answer counts as explained. */
const reachableStatesMax = 1_000

/**
 * The operations whose answers some state could explain, a state made by the
 * operations begun before they completed (or by any of them, not `inTime`). Walks the calls and returns in time
 * order, keeping every state those operations can make in any order (each may
 * act more than once: an over-approximation, so "not explained" is certain).
 */
function answersExplained<State>(
  model: Model<State>,
  ops: readonly HistoryOperation[],
  inTime: boolean,
): Set<HistoryOperation> {
  const events = ops
    .flatMap((op) => [
      // Time no object: every operation begun from the start.
      { time: inTime ? op.call : -Infinity, isCall: true, op },
      { time: op.ret, isCall: false, op },
    ])
    // At one instant calls come first: operations that touch overlap, as in the search.
    .sort((a, b) => a.time - b.time || (a.isCall === b.isCall ? 0 : a.isCall ? -1 : 1))
  const states: State[] = [model.init()]
  // How many operations made each state: no path is longer than the operations
  // begun, which keeps states finite where an operation could repeat forever (append).
  const depths: number[] = [0]
  const keys = new Set([model.key(states[0])])
  const begun: HistoryOperation[] = []
  const explained = new Set<HistoryOperation>()
  for (const event of events) {
    const op = event.op
    if (event.isCall) {
      begun.push(op)
      // The states known so far need only the new operation; new states need them all.
      const known = states.length
      for (let i = 0; i < states.length && states.length <= reachableStatesMax; i++) {
        if (depths[i] >= begun.length) continue
        for (const other of i < known ? [op] : begun) {
          const next = model.step(states[i], other.input, other.output, other.client)
          if (next === impossible) continue
          const key = model.key(next)
          if (keys.has(key)) continue
          keys.add(key)
          states.push(next)
          depths.push(depths[i] + 1)
        }
      }
    } else if (
      op.output !== undefined &&
      (states.length > reachableStatesMax ||
        states.some((state) => model.step(state, op.input, op.output, op.client) !== impossible))
    ) {
      explained.add(op)
    }
  }
  return explained
}

/** The operation that cannot be placed, and a sentence saying why. */
function describeConflict<State>(
  model: Model<State>,
  slice: readonly HistoryOperation[],
): { culprit: HistoryOperation; sentence: string } {
  const found = searchOrder(model, slice, {})
  const placed = new Set(found.result === 'none' ? found.prefix : [])
  // The first to complete of those the search could not place: it had to go next and could not.
  const unplaced = slice.filter((_, i) => !placed.has(i))
  const culprit = unplaced.reduce((first, op) => (op.ret < first.ret ? op : first), unplaced[0])
  const what = `${model.describe(culprit.input, culprit.output)} by ${culprit.client}`
  const describe = (op: HistoryOperation): string =>
    `${model.describe(op.input, op.output)} by ${op.client}`
  const before = slice
    .filter((op) => op !== culprit && op.ret < culprit.call)
    .sort((a, b) => a.ret - b.ret)
  if (!answersExplained(model, slice, true).has(culprit)) {
    // Nothing begun before it completed could leave the object where its answer comes from.
    const later = slice.filter((op) => op.call > culprit.ret).sort((a, b) => a.call - b.call)
    return {
      culprit,
      sentence: answersExplained(model, slice, false).has(culprit)
        ? `${what} cannot be placed: it completed before ${namedFew(later.map(describe))} began, and nothing begun earlier explains what it saw.`
        : `${what} cannot be explained: no operation on ${culprit.input.key} leaves the ${model.name} where that answer could come from.`,
    }
  }
  if (before.length === 0) {
    return {
      culprit,
      sentence: `${what} cannot be placed in any order of these ${slice.length} operations that keeps each within its call and return.`,
    }
  }
  const states = statesAfter(
    model,
    slice.filter((op) => op !== culprit),
    before,
  )
  const leaving =
    states !== null && states.size === 1
      ? `, which ${before.length === 1 ? 'leaves' : 'leave'} the ${model.name} ${[...states][0]}`
      : ''
  return {
    culprit,
    sentence: `${what} cannot be placed: ${namedFew(before.map(describe), 'latest')} had completed before it began${leaving}.`,
  }
}

/**
 * Every state the object can be in right after the last of `before` takes
 * effect, over every order of `ops` that fits the history. Exhaustive, so only
 * for small slices (null past 8 operations).
 */
function statesAfter<State>(
  model: Model<State>,
  ops: readonly HistoryOperation[],
  before: readonly HistoryOperation[],
): Set<string> | null {
  if (ops.length > 8) return null
  const states = new Set<string>()
  const left = new Set(ops)
  // `seen`: the state when the last of `before` took effect, once it has.
  const visit = (state: State, beforeLeft: number, seen: string | null): void => {
    if (left.size === 0) {
      if (seen !== null) states.add(seen)
      return
    }
    // A copy: `left` changes under the loop, and a Set visits re-added members again.
    for (const op of [...left]) {
      // Real time: an operation can go next only if nothing left completed before it began.
      let blocked = false
      for (const other of left) if (other !== op && other.ret < op.call) blocked = true
      if (blocked) continue
      const next = model.step(state, op.input, op.output, op.client)
      if (next === impossible) continue
      const remaining = beforeLeft - (before.includes(op) ? 1 : 0)
      left.delete(op)
      visit(next, remaining, seen ?? (remaining === 0 ? model.key(next) : null))
      left.add(op)
    }
  }
  visit(model.init(), before.length, null)
  return states
}

/** "a, b and c", or, past three, the three that matter most and how many more. */
function namedFew(items: string[], which: 'first' | 'latest' = 'first'): string {
  if (items.length === 0) return 'the others'
  const shown = which === 'first' ? items.slice(0, 3) : items.slice(-3)
  const more = items.length - shown.length
  const words =
    shown.length === 1
      ? shown[0]
      : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`
  if (more === 0) return words
  return which === 'first'
    ? `${words} (and ${more} more)`
    : `${more} earlier operations, then ${words}`
}
