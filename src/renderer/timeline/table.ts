// A growable table of typed-array columns, rows ordered by a `key` column
// (a time that never decreases), so that a time window is two binary
// searches. A million rows cost a few dozen bytes each and no objects: the
// garbage collector never walks them, and a frame reads them without
// allocating.

type ColumnType = Float64ArrayConstructor | Uint8ArrayConstructor | Uint16ArrayConstructor

type Columns<Kinds extends Record<string, ColumnType>> = {
  [Name in keyof Kinds]: InstanceType<Kinds[Name]>
}

const firstCapacity = 64

export class Table<Kinds extends Record<string, ColumnType> & { key: Float64ArrayConstructor }> {
  /** Rows held. */
  length = 0
  /** Rows forgotten from the front (to bound memory): row `i` held is row `forgotten + i` ever. */
  forgotten = 0
  /** For a table with a cumulative `weight` column: the weight of the rows forgotten. */
  weightBefore = 0
  columns: Columns<Kinds>
  private capacity = firstCapacity

  constructor(private readonly kinds: Kinds) {
    this.columns = this.allocate(firstCapacity)
  }

  /** The key of the last row (-Infinity when empty): a new row's key is at least this. */
  lastKey(): number {
    return this.length === 0 ? Number.NEGATIVE_INFINITY : this.columns.key[this.length - 1]
  }

  /** Makes room for one more row, keyed at least `t` and at least the last key; returns its index. */
  push(t: number): number {
    if (this.length === this.capacity) {
      const bigger = this.allocate(this.capacity * 2)
      for (const name of Object.keys(this.kinds) as (keyof Kinds)[]) {
        ;(bigger[name] as Float64Array).set(this.columns[name])
      }
      this.columns = bigger
      this.capacity *= 2
    }
    const row = this.length++
    this.columns.key[row] = Math.max(t, row === 0 ? t : this.columns.key[row - 1])
    return row
  }

  /** Forgets the first `count` rows; the rest keep their order. */
  shift(count: number): void {
    if (count <= 0) return
    const kept = this.length - Math.min(count, this.length)
    const weights = (this.columns as Partial<Record<string, Float64Array>>).weight
    if (weights !== undefined) this.weightBefore = weights[this.length - kept - 1]
    for (const name of Object.keys(this.kinds) as (keyof Kinds)[]) {
      const column = this.columns[name] as Float64Array
      column.copyWithin(0, this.length - kept, this.length)
    }
    this.forgotten += this.length - kept
    this.length = kept
  }

  /** The row a row number (counted since the table began) is held at, or -1 once forgotten. */
  rowOf(absolute: number): number {
    const row = absolute - this.forgotten
    return row >= 0 && row < this.length ? row : -1
  }

  private allocate(capacity: number): Columns<Kinds> {
    const columns = {} as Record<keyof Kinds, unknown>
    for (const name of Object.keys(this.kinds) as (keyof Kinds)[]) {
      columns[name] = new this.kinds[name](capacity)
    }
    return columns as Columns<Kinds>
  }
}

/** The summed weight of rows [from, to) of a table whose `weight` column is cumulative. */
export function weightBetween(
  table: { weightBefore: number; columns: { weight: Float64Array } },
  from: number,
  to: number,
): number {
  if (to <= from) return 0
  const before = from === 0 ? table.weightBefore : table.columns.weight[from - 1]
  return table.columns.weight[to - 1] - before
}

/** The first row whose key is at least `t` (`length` when none is). */
export function lowerBound(keys: Float64Array, length: number, t: number): number {
  let low = 0
  let high = length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (keys[middle] < t) low = middle + 1
    else high = middle
  }
  return low
}

/** The first row whose key is above `t` (`length` when none is). */
export function upperBound(keys: Float64Array, length: number, t: number): number {
  let low = 0
  let high = length
  while (low < high) {
    const middle = (low + high) >>> 1
    if (keys[middle] <= t) low = middle + 1
    else high = middle
  }
  return low
}
