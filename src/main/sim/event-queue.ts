// The simulator's agenda: a binary min-heap ordered by virtual time, ties
// broken by the order things were scheduled. That tie-break is what makes a
// run exactly repeatable: two events at one instant always run in one order.

export interface Scheduled {
  at: number
  order: number
}

export class EventQueue<T extends Scheduled> {
  private readonly heap: T[] = []
  private nextOrder = 0

  get size(): number {
    return this.heap.length
  }

  /** Stamps `item.order` and queues it. */
  push(item: T): void {
    item.order = this.nextOrder++
    const heap = this.heap
    heap.push(item)
    let i = heap.length - 1
    while (i > 0) {
      const parent = (i - 1) >> 1
      if (!before(item, heap[parent])) break
      heap[i] = heap[parent]
      i = parent
    }
    heap[i] = item
  }

  peek(): T | undefined {
    return this.heap[0]
  }

  pop(): T | undefined {
    const heap = this.heap
    const top = heap[0]
    const last = heap.pop()
    if (heap.length === 0 || last === undefined) return top
    let i = 0
    const n = heap.length
    for (;;) {
      const left = 2 * i + 1
      if (left >= n) break
      const right = left + 1
      const child = right < n && before(heap[right], heap[left]) ? right : left
      if (!before(heap[child], last)) break
      heap[i] = heap[child]
      i = child
    }
    heap[i] = last
    return top
  }

  clear(): void {
    this.heap.length = 0
  }
}

function before(a: Scheduled, b: Scheduled): boolean {
  return a.at < b.at || (a.at === b.at && a.order < b.order)
}
