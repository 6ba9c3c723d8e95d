// A persistent array (Raft's log) is watched, not copied. The host must save
// what a handler changed before its messages go out, and that must cost the
// same per entry whether the log holds ten entries or a million. So each
// persistent array is wrapped in a Proxy that remembers the lowest index any
// write touched; after the handler only entries from there on are saved.
//
// One trap is enough: every way of changing an array (index assignment, push,
// splice, sort, length = n) ends in [[DefineOwnProperty]] or [[Delete]] on the
// receiver, which is the proxy. Reads go straight to the array.

export interface TrackedArray<T> {
  /** What the node's state holds. */
  readonly proxy: T[]
  /** The array behind the proxy (reads here skip the proxy). */
  readonly target: T[]
  /** The lowest index written since the last `reset()`, or Infinity. */
  lowestTouched(): number
  reset(): void
}

/** The array index a property names, or Infinity for any other property. */
function indexOf(property: string | symbol): number {
  if (typeof property !== 'string') return Infinity
  const index = Number(property)
  return Number.isInteger(index) && index >= 0 ? index : Infinity
}

export function trackArray<T>(target: T[]): TrackedArray<T> {
  let lowest = Infinity
  const touch = (property: string | symbol): void => {
    const index = indexOf(property)
    if (index < lowest) lowest = index
  }
  const proxy = new Proxy(target, {
    defineProperty(array, property, descriptor) {
      if (property === 'length') {
        // Truncation removes entries from the new end on.
        const newLength = Number(descriptor.value)
        if (newLength < lowest) lowest = newLength
      } else {
        touch(property)
      }
      return Reflect.defineProperty(array, property, descriptor)
    },
    deleteProperty(array, property) {
      touch(property)
      return Reflect.deleteProperty(array, property)
    },
  })
  return {
    proxy,
    target,
    lowestTouched: () => lowest,
    reset: () => {
      lowest = Infinity
    },
  }
}
