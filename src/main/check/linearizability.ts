// Linearizability checking: can the operations of a history be put in one
// order, each taking effect at an instant between its invocation and its
// completion, such that a single copy of the object would have given every
// answer the clients saw? (Herlihy and Wing, 1990.)
//
// The search is Wing and Gong's (1993) with Lowe's memoization (2017), as in
// Knossos and Porcupine: walk the history's calls and returns in time order;
// at a call, try to take the operation now; at a return whose operation was
// not taken, undo the last choice. A set of (operations taken, object state)
// pairs already explored cuts the search. Histories split by key where the
// model allows, and each part is checked alone.
//
// An operation whose outcome is unknown (`info`) returns at "infinity": it may
// take effect at any time after its invocation, or never (taking it last is
// the same as never). A time limit gives "unknown", never a guess.

/** What `step` answers when the output could not have come from that state. */
export const impossible: unique symbol = Symbol('impossible')

export interface Model<State, Input, Output> {
  name: string
  init(): State
  /** The state after `input` took effect with the answer `output`, or `impossible`. */
  step(state: State, input: Input, output: Output | undefined): State | typeof impossible
  /** A key for the memo: equal states must give equal keys. */
  key(state: State): string
  /** Parts of the history that can be checked independently (e.g. one per key). */
  partition?(operation: Input): string
  describe(input: Input, output: Output | undefined): string
}

export interface HistoryOperation<Input, Output> {
  client: string
  input: Input
  /** The answer; undefined when the outcome is unknown (`info`). */
  output: Output | undefined
  /** When it was invoked and when it completed (Infinity: unknown outcome). */
  call: number
  ret: number
}

export type Verdict<Input, Output> =
  | { result: 'linearizable'; order: HistoryOperation<Input, Output>[] }
  | {
      result: 'not linearizable'
      /** The part (key) that cannot be ordered. */
      part: string
      /** The longest prefix of a valid order the search found, and the operations it could not place next. */
      prefix: HistoryOperation<Input, Output>[]
      stuck: HistoryOperation<Input, Output>[]
      explanation: string
    }
  | { result: 'unknown'; reason: string }

export interface CheckOptions {
  /** Stop and answer "unknown" at this time (by `now`). */
  deadline?: number
  now?: () => number
  /** Or stop after this many search steps (for callers without a clock). */
  stepsMax?: number
}

interface Entry {
  op: number
  isCall: boolean
  prev: Entry | null
  next: Entry | null
  match: Entry | null // a call's return, and back
}

export function checkLinearizable<State, Input, Output>(
  model: Model<State, Input, Output>,
  history: HistoryOperation<Input, Output>[],
  options: CheckOptions = {},
): Verdict<Input, Output> {
  const parts = new Map<string, HistoryOperation<Input, Output>[]>()
  for (const operation of history) {
    const part = model.partition?.(operation.input) ?? ''
    let list = parts.get(part)
    if (list === undefined) parts.set(part, (list = []))
    list.push(operation)
  }
  const order: HistoryOperation<Input, Output>[] = []
  for (const [part, operations] of parts) {
    const verdict = checkPart(model, operations, part, options)
    if (verdict.result !== 'linearizable') return verdict
    order.push(...verdict.order)
  }
  return { result: 'linearizable', order }
}

function checkPart<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: HistoryOperation<Input, Output>[],
  part: string,
  options: CheckOptions,
): Verdict<Input, Output> {
  const n = ops.length
  // Time order; at one instant calls before returns (overlapping, not ordered).
  const events: { time: number; isCall: boolean; op: number }[] = []
  ops.forEach((op, i) => {
    events.push({ time: op.call, isCall: true, op: i })
    events.push({ time: op.ret, isCall: false, op: i })
  })
  events.sort(
    (a, b) => a.time - b.time || (a.isCall === b.isCall ? a.op - b.op : a.isCall ? -1 : 1),
  )
  const head: Entry = { op: -1, isCall: false, prev: null, next: null, match: null }
  let last = head
  const calls: Entry[] = new Array<Entry>(n)
  const returns: Entry[] = new Array<Entry>(n)
  for (const event of events) {
    const entry: Entry = { op: event.op, isCall: event.isCall, prev: last, next: null, match: null }
    last.next = entry
    last = entry
    if (event.isCall) calls[event.op] = entry
    else returns[event.op] = entry
  }
  for (let i = 0; i < n; i++) {
    calls[i].match = returns[i]
    returns[i].match = calls[i]
  }

  // Zobrist hashing of the set of operations taken: one random word per operation.
  const words = Math.ceil(n / 32)
  const taken = new Uint32Array(words)
  const zobrist = new Uint32Array(n)
  let seed = 0x9e3779b9
  for (let i = 0; i < n; i++) {
    seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x6a09e667) | 0
    zobrist[i] = seed >>> 0
  }
  let takenHash = 0
  const memo = new Map<string, Uint32Array[]>()
  const seen = (stateKey: string): boolean => {
    const key = `${takenHash}|${stateKey}`
    const candidates = memo.get(key)
    if (candidates !== undefined) {
      for (const bits of candidates) if (sameBits(bits, taken)) return true
      candidates.push(taken.slice())
    } else {
      memo.set(key, [taken.slice()])
    }
    return false
  }

  const lift = (call: Entry): void => {
    const ret = call.match as Entry
    ;(call.prev as Entry).next = call.next
    if (call.next !== null) call.next.prev = call.prev
    ;(ret.prev as Entry).next = ret.next
    if (ret.next !== null) ret.next.prev = ret.prev
  }
  const unlift = (call: Entry): void => {
    const ret = call.match as Entry
    ;(ret.prev as Entry).next = ret
    if (ret.next !== null) ret.next.prev = ret
    ;(call.prev as Entry).next = call
    if (call.next !== null) call.next.prev = call
  }

  const stack: { call: Entry; state: State }[] = []
  let state = model.init()
  let best: number[] = []
  let entry = head.next
  let steps = 0
  while (head.next !== null) {
    if ((++steps & 0xfff) === 0) {
      if (
        options.deadline !== undefined &&
        options.now !== undefined &&
        options.now() > options.deadline
      ) {
        return { result: 'unknown', reason: `the search ran out of time after ${steps} steps` }
      }
      if (options.stepsMax !== undefined && steps > options.stepsMax) {
        return { result: 'unknown', reason: `the search gave up after ${steps} steps` }
      }
    }
    if (entry === null) throw new Error('linearizability search walked off the history')
    if (entry.isCall) {
      const op = ops[entry.op]
      const next = model.step(state, op.input, op.output)
      if (next !== impossible) {
        const bit = 1 << (entry.op & 31)
        taken[entry.op >>> 5] |= bit
        takenHash ^= zobrist[entry.op]
        if (!seen(model.key(next))) {
          stack.push({ call: entry, state })
          state = next
          lift(entry)
          if (stack.length > best.length) best = stack.map((item) => item.call.op)
          entry = head.next
          continue
        }
        taken[entry.op >>> 5] &= ~bit
        takenHash ^= zobrist[entry.op]
      }
      entry = entry.next
      continue
    }
    // A return whose operation was not taken: no order fits; undo the last choice.
    const top = stack.pop()
    if (top === undefined) {
      return notLinearizable(model, ops, part, best, entry)
    }
    state = top.state
    taken[top.call.op >>> 5] &= ~(1 << (top.call.op & 31))
    takenHash ^= zobrist[top.call.op]
    unlift(top.call)
    entry = top.call.next
  }
  return { result: 'linearizable', order: stack.map((item) => ops[item.call.op]) }
}

function sameBits(a: Uint32Array, b: Uint32Array): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false
  return true
}

/** The deepest order found, the operations that could not follow it, and a sentence. */
function notLinearizable<State, Input, Output>(
  model: Model<State, Input, Output>,
  ops: HistoryOperation<Input, Output>[],
  part: string,
  best: number[],
  blocking: Entry,
): Verdict<Input, Output> {
  const prefix = best.map((i) => ops[i])
  let state = model.init()
  for (const op of prefix) {
    const next = model.step(state, op.input, op.output)
    if (next !== impossible) state = next
  }
  const placed = new Set(best)
  // The operations that had to come next (they completed before the others began) but could not.
  const firstReturn = Math.min(...ops.filter((_, i) => !placed.has(i)).map((op) => op.ret))
  const stuck = ops.filter((op, i) => !placed.has(i) && op.call <= firstReturn)
  const culprit = stuck.find((op) => op.ret === firstReturn) ?? ops[blocking.op]
  const before =
    prefix.length === 0 ? 'from the start' : `after ${prefix.length} operations in order`
  const explanation =
    `${model.describe(culprit.input, culprit.output)} by ${culprit.client} cannot be placed: ` +
    `${before}, the ${model.name} is ${model.key(state)}, and no operation that could come first changes that.`
  return { result: 'not linearizable', part, prefix, stuck, explanation }
}
