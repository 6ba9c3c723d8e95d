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
// model allows (Herlihy and Wing's locality), and each part is checked alone.
//
// An operation whose outcome is unknown (`info`) returns at "infinity": it may
// take effect at any time after its invocation, or never (taking it last is
// the same as never). A time limit gives "unknown", never a guess.

import type { Operation } from '../../shared/trace'

/** What `step` answers when the output could not have come from that state. */
export const impossible: unique symbol = Symbol('impossible')

/** What an operation answered: a read's value, an acquired lock's token. */
export interface OperationOutput {
  value?: unknown
}

export interface Model<State> {
  name: string
  /** The operations (`f`) this model knows. */
  operations: readonly Operation['f'][]
  init(): State
  /**
   * The state after `input`, done by `client`, took effect with the answer
   * `output`, or `impossible`. When the answer is unknown (undefined), the
   * operation may not have happened at all, so a model must accept it in any
   * state, changing nothing where it could not have succeeded: the search
   * places such an operation last to mean "never".
   */
  step(
    state: State,
    input: Operation,
    output: OperationOutput | undefined,
    client: string,
  ): State | typeof impossible
  /** A key for the memo: equal states must give equal keys. */
  key(state: State): string
  /** Parts of the history that can be checked independently (e.g. one per key). */
  partition?(input: Operation): string
  describe(input: Operation, output: OperationOutput | undefined): string
}

export interface HistoryOperation {
  client: string
  input: Operation
  /** The answer; undefined when the outcome is unknown (`info`). */
  output: OperationOutput | undefined
  /** When it was invoked and when it completed (Infinity: unknown outcome). */
  call: number
  ret: number
}

export type Verdict =
  | { result: 'linearizable'; order: HistoryOperation[] }
  | {
      result: 'not linearizable'
      /** The part (key) that cannot be ordered, and all of its operations. */
      part: string
      operations: HistoryOperation[]
      /** The longest prefix of a valid order the search found. */
      prefix: HistoryOperation[]
    }
  | { result: 'unknown'; reason: string }

export interface CheckOptions {
  /** Stop and answer "unknown" at this time (by `now`). */
  deadline?: number
  now?: () => number
  /** Or stop after this many search steps (for callers without a clock). */
  stepsMax?: number
}

/** Splits a history into the parts the model checks independently. */
export function partsOf<State>(
  model: Model<State>,
  history: readonly HistoryOperation[],
): Map<string, HistoryOperation[]> {
  const parts = new Map<string, HistoryOperation[]>()
  for (const operation of history) {
    const part = model.partition?.(operation.input) ?? ''
    let list = parts.get(part)
    if (list === undefined) parts.set(part, (list = []))
    list.push(operation)
  }
  return parts
}

export function checkLinearizable<State>(
  model: Model<State>,
  history: readonly HistoryOperation[],
  options: CheckOptions = {},
): Verdict {
  const order: HistoryOperation[] = []
  for (const [part, operations] of partsOf(model, history)) {
    const found = searchOrder(model, operations, options)
    if (found.result === 'unknown') return found
    if (found.result === 'none') {
      const prefix = found.prefix.map((i) => operations[i])
      return { result: 'not linearizable', part, operations, prefix }
    }
    for (const i of found.order) order.push(operations[i])
  }
  return { result: 'linearizable', order }
}

/** The search's answer for one part, as indexes into its operations. */
export type SearchResult =
  | { result: 'order'; order: number[] }
  | { result: 'none'; prefix: number[] }
  | { result: 'unknown'; reason: string }

interface Entry {
  op: number
  isCall: boolean
  prev: Entry | null
  next: Entry | null
  match: Entry | null // a call's return, and back
}

/** Finds one linearization of `ops` (one part), or shows there is none. */
export function searchOrder<State>(
  model: Model<State>,
  ops: readonly HistoryOperation[],
  options: CheckOptions = {},
): SearchResult {
  const n = ops.length
  const head = linkHistory(ops)
  const memo = new Memo(Math.ceil(n / 32))
  // States become small integers once, so the memo compares numbers. A
  // primitive state is its own key; others go through the model's key.
  const stateIds = new Map<unknown, number>()

  // The chosen operations, and the state before each, as a stack of depth `depth`.
  const chosen: Entry[] = []
  const before: State[] = []
  let depth = 0
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
      const next = model.step(state, op.input, op.output, op.client)
      if (next !== impossible) {
        const stateKey = typeof next === 'object' && next !== null ? model.key(next) : next
        let stateId = stateIds.get(stateKey)
        if (stateId === undefined) stateIds.set(stateKey, (stateId = stateIds.size))
        memo.take(entry.op)
        if (memo.addIfNew(stateId)) {
          chosen[depth] = entry
          before[depth] = state
          depth++
          state = next
          lift(entry)
          if (depth > best.length) best = chosen.slice(0, depth).map((call) => call.op)
          entry = head.next
          continue
        }
        memo.untake(entry.op)
      }
      entry = entry.next
      continue
    }
    // A return whose operation was not taken: no order fits; undo the last choice.
    if (depth === 0) return { result: 'none', prefix: best }
    depth--
    const call = chosen[depth]
    state = before[depth]
    memo.untake(call.op)
    unlift(call)
    entry = call.next
  }
  return { result: 'order', order: chosen.slice(0, depth).map((call) => call.op) }
}

/**
 * Lowe's memo: the (set of operations taken, state) pairs already explored.
 * The set is a bitset hashed Zobrist-style (one random word per operation,
 * XORed in and out: O(1) per step). Records live in one growing Int32Array
 * and the table is open-addressed, so the search allocates almost nothing:
 * a Map of typed arrays spent most of its time in the garbage collector.
 */
class Memo {
  private readonly taken: Int32Array
  private takenHash = 0
  /** Records: [stateId, bits...]. */
  private records: Int32Array
  private used = 0
  /** Slots hold a record's offset + 1 (0: empty), hashes beside them. */
  private slots: Int32Array
  private hashes: Int32Array
  private count = 0

  constructor(private readonly words: number) {
    this.taken = new Int32Array(words)
    this.records = new Int32Array(1024 * (1 + words))
    this.slots = new Int32Array(1024)
    this.hashes = new Int32Array(1024)
  }

  take(op: number): void {
    this.taken[op >>> 5] |= 1 << (op & 31)
    this.takenHash ^= this.wordFor(op)
  }

  untake(op: number): void {
    this.taken[op >>> 5] &= ~(1 << (op & 31))
    this.takenHash ^= this.wordFor(op)
  }

  /** Records (taken, stateId); false when it was already there. */
  addIfNew(stateId: number): boolean {
    const hash = (this.takenHash ^ Math.imul(stateId + 1, 0x5bd1e995)) | 0
    const mask = this.slots.length - 1
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const at = this.slots[slot]
      if (at === 0) break
      if (this.hashes[slot] === hash && this.matches(at - 1, stateId)) return false
    }
    const offset = this.append(stateId)
    if ((this.count + 1) * 2 > this.slots.length) this.grow()
    this.insert(hash, offset)
    this.count++
    return true
  }

  private matches(offset: number, stateId: number): boolean {
    if (this.records[offset] !== stateId) return false
    for (let i = 0; i < this.words; i++) {
      if (this.records[offset + 1 + i] !== this.taken[i]) return false
    }
    return true
  }

  private append(stateId: number): number {
    const size = 1 + this.words
    if (this.used + size > this.records.length) {
      const bigger = new Int32Array(this.records.length * 2)
      bigger.set(this.records)
      this.records = bigger
    }
    const offset = this.used
    this.records[offset] = stateId
    this.records.set(this.taken, offset + 1)
    this.used += size
    return offset
  }

  private insert(hash: number, offset: number): void {
    const mask = this.slots.length - 1
    let slot = hash & mask
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask
    this.slots[slot] = offset + 1
    this.hashes[slot] = hash
  }

  private grow(): void {
    const slots = this.slots
    const hashes = this.hashes
    this.slots = new Int32Array(slots.length * 2)
    this.hashes = new Int32Array(slots.length * 2)
    for (let i = 0; i < slots.length; i++) {
      if (slots[i] !== 0) this.insert(hashes[i], slots[i] - 1)
    }
  }

  /** The operation's random word: a mix of its index (murmur3's finalizer), so none is stored. */
  private wordFor(op: number): number {
    let x = Math.imul(op + 1, 0x9e3779b9)
    x = Math.imul(x ^ (x >>> 16), 0x85ebca6b)
    x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35)
    return x ^ (x >>> 16)
  }
}

/** The history as one doubly linked list of calls and returns in time order. */
function linkHistory(ops: readonly HistoryOperation[]): Entry {
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
  return head
}

/** Takes an operation out of the list (its call and its return). */
function lift(call: Entry): void {
  const ret = call.match as Entry
  ;(call.prev as Entry).next = call.next
  if (call.next !== null) call.next.prev = call.prev
  ;(ret.prev as Entry).next = ret.next
  if (ret.next !== null) ret.next.prev = ret.prev
}

/** Puts it back where it was (the dancing-links trick: its neighbours still point at it). */
function unlift(call: Entry): void {
  const ret = call.match as Entry
  ;(ret.prev as Entry).next = ret
  if (ret.next !== null) ret.next.prev = ret
  ;(call.prev as Entry).next = call
  if (call.next !== null) call.next.prev = call
}
