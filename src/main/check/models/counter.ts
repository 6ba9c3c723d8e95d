// A counter (Jepsen's counter test, Maelstrom's g-counter and pn-counter):
// `add` changes it by `value` (negative for a decrement), `read` returns it.
// Each key is its own counter.

import { impossible, type Model } from '../linearizability'

export function counterModel(initial = 0): Model<number> {
  return {
    name: 'counter',
    operations: ['add', 'read'],
    init: () => initial,
    partition: (input) => input.key,
    key: (state) => String(state),
    step(state, input, output) {
      if (input.f === 'add') {
        return typeof input.value === 'number' ? state + input.value : impossible
      }
      if (input.f === 'read') {
        return output === undefined || output.value === state ? state : impossible
      }
      return impossible
    },
    describe(input, output) {
      if (input.f === 'add') return `the add of ${JSON.stringify(input.value)} to ${input.key}`
      return output === undefined
        ? `a read of ${input.key}`
        : `the read of ${input.key} that returned ${JSON.stringify(output.value)}`
    },
  }
}
