// A verdict a learner can read. When a history cannot be linearized, the whole
// history is rarely the story: a few operations are. This finds the smallest
// slice of one part that still cannot be linearized (delta debugging, Zeller
// 2002), names the operation that cannot be placed, and says why in a sentence.
//
// A slice must tell the same story as the history. Removing the write a read
// saw would leave "a read of 1 that nobody wrote", a slice that cannot be
// linearized but explains nothing. So when every answer in the part could
// come from some state its operations can make (only the order is broken),
// every slice must keep that property; only when an answer is impossible
// outright (a value nobody wrote) may the slice shrink to that alone.

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
  const onlyOrderBroken = answersFit(model, whole, 200_000) !== 'no'
  const fails =
    (optimistic: boolean) =>
    (ops: readonly HistoryOperation[]): boolean => {
      budget.trials--
      if (searchOrder(model, ops, { stepsMax: trialStepsMax }).result !== 'none') return false
      if (!onlyOrderBroken) return true
      const fit = answersFit(model, ops, 20_000)
      return fit === 'yes' || (optimistic && fit === 'unknown')
    }
  // First optimistically (a trial too big to settle may go ahead), then, if
  // that ended in a slice whose answers do not fit, carefully.
  let shrunk = shrinkSlice(whole, fails(true), budget)
  if (onlyOrderBroken && answersFit(model, shrunk.slice, 2_000_000) !== 'yes') {
    shrunk = shrinkSlice(whole, fails(false), budget)
  }
  const { culprit, sentence } = describeConflict(model, shrunk.slice, onlyOrderBroken)
  return { slice: shrunk.slice, culprit, minimal: shrunk.minimal, sentence }
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

/**
 * Do the answers fit together in some order, real time aside? First a cheap
 * test that can only say no, then the search with every operation overlapping
 * every other, within `stepsMax`.
 */
function answersFit<State>(
  model: Model<State>,
  ops: readonly HistoryOperation[],
  stepsMax: number,
): 'yes' | 'no' | 'unknown' {
  if (!everyAnswerReachable(model, ops)) return 'no'
  const overlapping = ops.map((op) => ({ ...op, call: 0, ret: op.ret === Infinity ? Infinity : 1 }))
  const found = searchOrder(model, overlapping, { stepsMax })
  return found.result === 'order' ? 'yes' : found.result === 'none' ? 'no' : 'unknown'
}

/** States the model can be in, at most: past it, the reachability test gives up and says yes. */
const reachableStatesMax = 1_000

/**
 * Could every completed operation's answer come from some state that some
 * order of `ops` reaches? Order and real time are ignored (each operation may
 * act any number of times), so this over-approximates what is reachable: a
 * "no" is certain, and it is cheap, a worklist over the states found.
 */
function everyAnswerReachable<State>(
  model: Model<State>,
  ops: readonly HistoryOperation[],
): boolean {
  const start = model.init()
  const states: State[] = [start]
  const keys = new Set([model.key(start)])
  for (let i = 0; i < states.length; i++) {
    if (states.length > reachableStatesMax) return true
    for (const op of ops) {
      const next = model.step(states[i], op.input, op.output, op.client)
      if (next === impossible) continue
      const key = model.key(next)
      if (keys.has(key)) continue
      keys.add(key)
      states.push(next)
    }
  }
  return ops.every(
    (op) =>
      op.output === undefined ||
      states.some((state) => model.step(state, op.input, op.output, op.client) !== impossible),
  )
}

/** The operation that cannot be placed, and a sentence saying why. */
function describeConflict<State>(
  model: Model<State>,
  slice: readonly HistoryOperation[],
  onlyOrderBroken: boolean,
): { culprit: HistoryOperation; sentence: string } {
  const found = searchOrder(model, slice, {})
  const placed = new Set(found.result === 'none' ? found.prefix : [])
  // The first to complete of those the search could not place: it had to go next and could not.
  const unplaced = slice.filter((_, i) => !placed.has(i))
  const culprit = unplaced.reduce((first, op) => (op.ret < first.ret ? op : first), unplaced[0])
  const what = `${model.describe(culprit.input, culprit.output)} by ${culprit.client}`
  if (!onlyOrderBroken) {
    return {
      culprit,
      sentence: `${what} cannot be explained: no order of the operations on ${culprit.input.key} leaves the ${model.name} where that answer could come from.`,
    }
  }
  const describe = (op: HistoryOperation): string =>
    `${model.describe(op.input, op.output)} by ${op.client}`
  const before = slice
    .filter((op) => op !== culprit && op.ret < culprit.call)
    .sort((a, b) => a.ret - b.ret)
  if (before.length === 0) {
    // Nothing had to come first: what it needed came too late.
    const after = slice.filter((op) => op.call > culprit.ret).sort((a, b) => a.call - b.call)
    return {
      culprit,
      sentence: `${what} cannot be placed: it completed before ${namedFew(after.map(describe))} began.`,
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
