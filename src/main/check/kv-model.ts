// The key-value store (and the single register, a store of one key) as the
// linearizability checker sees it: each key is an independent register, so a
// history is checked key by key.

import { impossible, type Model } from './linearizability'

export interface KvInput {
  f: 'read' | 'write' | 'cas' | 'append'
  key: string
  value?: unknown
  from?: unknown
  to?: unknown
}

/** What a read returned (absent for other operations). */
export interface KvOutput {
  value?: unknown
}

/** A store whose keys start as `initial` (null for ours and etcd's, "" for Jepsen's append histories). */
export function kvModel(initial: unknown = null): Model<unknown, KvInput, KvOutput> {
  const same = (a: unknown, b: unknown): boolean =>
    a === b || (typeof a === 'object' && JSON.stringify(a) === JSON.stringify(b))
  return {
    name: 'value',
    init: () => initial,
    partition: (input) => input.key,
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
      }
    },
    describe(input, output) {
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
      }
    },
  }
}
