// A node's stable storage: what survives a crash. It holds its own copy of each
// persistent field, updated by the changes a handler made, never by reference
// to the live state (a crash must discard whatever the handler did not save).
//
// Arrays are kept as arrays of read-only entries and updated by splices, so
// saving costs the same per entry however long the log grows.

import type { FieldChange } from '../../shared/trace'

export class NodeStorage {
  private readonly scalars = new Map<string, string>()
  private readonly arrays = new Map<string, unknown[]>()

  /** Applies one handler's changes. Callers apply them in order. */
  apply(changes: readonly FieldChange[]): void {
    for (const change of changes) {
      if (change.op === 'set') {
        this.arrays.delete(change.field)
        this.scalars.set(change.field, JSON.stringify(change.value) ?? 'null')
      } else {
        this.scalars.delete(change.field)
        let saved = this.arrays.get(change.field)
        if (saved === undefined) {
          saved = []
          this.arrays.set(change.field, saved)
        }
        if (change.from > saved.length) {
          throw new Error(
            `storage: splice of ${change.field} at ${change.from} is past its end (${saved.length})`,
          )
        }
        if (saved.length !== change.from) saved.length = change.from
        for (const item of change.append) saved.push(item)
      }
    }
  }

  isEmpty(): boolean {
    return this.scalars.size === 0 && this.arrays.size === 0
  }

  /** The saved fields as fresh objects that the node may own and change. */
  load(): Record<string, unknown> | undefined {
    if (this.isEmpty()) return undefined
    const saved: Record<string, unknown> = {}
    for (const [field, json] of this.scalars) saved[field] = JSON.parse(json) as unknown
    for (const [field, items] of this.arrays) saved[field] = items.slice()
    return saved
  }

  /** The saved fields as they are now, for the inspector (not to be changed). */
  peek(): Record<string, unknown> {
    const saved: Record<string, unknown> = {}
    for (const [field, json] of this.scalars) saved[field] = JSON.parse(json) as unknown
    for (const [field, items] of this.arrays) saved[field] = items
    return saved
  }

  /** The length of a saved array, or undefined when the field is not an array. */
  savedLength(field: string): number | undefined {
    return this.arrays.get(field)?.length
  }

  savedArray(field: string): readonly unknown[] | undefined {
    return this.arrays.get(field)
  }

  savedScalarJson(field: string): string | undefined {
    return this.scalars.get(field)
  }
}
