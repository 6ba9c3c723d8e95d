// The key-value store and the single register as the linearizability checker
// sees them. In a store each key is an independent register, so a history is
// checked key by key (Herlihy and Wing's locality: a history is linearizable
// when each object's part of it is). A register is one object, whatever the
// keys say.

import type { Operation } from '../../../shared/trace'
import { impossible, type Model, type OperationOutput } from '../linearizability'

const same = (a: unknown, b: unknown): boolean =>
  a === b || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b))

/** A store whose keys start as `initial` (null for ours and etcd's, "" for Jepsen's append histories). */
export function kvModel(initial: unknown = null): Model<unknown> {
  return keyValue(initial, 'value', true)
}

/** One register: every operation acts on the same value, whatever key it names. */
export function registerModel(initial: unknown = null): Model<unknown> {
  return keyValue(initial, 'register', false)
}

function keyValue(initial: unknown, name: string, perKey: boolean): Model<unknown> {
  return {
    name,
    operations: ['read', 'write', 'cas', 'append'],
    init: () => initial,
    ...(perKey ? { partition: (input: Operation) => input.key } : {}),
    key: (state) => JSON.stringify(state) ?? 'undefined',
    step(state, input, output) {
      switch (input.f) {
        case 'read':
          // An unknown read changed nothing; a known one must have seen the state.
          return output === undefined || same(output.value, state) ? state : impossible
        case 'write':
          return input.value
        case 'append':
          return `${typeof state === 'string' ? state : ''}${String(input.value)}`
        case 'cas':
          if (same(state, input.from)) return input.to
          // Known to have succeeded, it could not have here; unknown, it failed here and changed nothing.
          return output === undefined ? state : impossible
        default:
          return impossible
      }
    },
    describe: describeKv,
  }
}

function describeKv(input: Operation, output: OperationOutput | undefined): string {
  const key = input.key
  switch (input.f) {
    case 'read':
      return output === undefined
        ? `a read of ${key}`
        : `the read of ${key} that returned ${JSON.stringify(output.value)}`
    case 'write':
      return `the write of ${JSON.stringify(input.value)} to ${key}`
    case 'append':
      return `the append of ${JSON.stringify(input.value)} to ${key}`
    case 'cas':
      return `the cas of ${key} from ${JSON.stringify(input.from)} to ${JSON.stringify(input.to)}`
    default:
      return `the ${input.f} of ${key}`
  }
}
