// A lock with fencing tokens, as a lock service hands them out (Chubby's
// sequencers; Kleppmann's "How to do distributed locking"). One client holds
// it at a time: `acquire` succeeds only when it is free, and the holder is
// the client that acquired it; only the holder can `release` it. An acquire
// that succeeded answers with a fencing token (`value`), and tokens grow with
// every grant, so that a resource can refuse a holder whose lease ran out.
// Each key is its own lock.

import { impossible, type Model } from '../linearizability'

export interface LockState {
  holder: string | null
  /** The last fencing token granted (0 before any). */
  token: number
}

export function lockModel(): Model<LockState> {
  return {
    name: 'lock',
    operations: ['acquire', 'release'],
    init: () => ({ holder: null, token: 0 }),
    partition: (input) => input.key,
    key: (state) =>
      `${state.holder === null ? 'free' : `held by ${state.holder}`} (last token ${state.token})`,
    step(state, input, output, client) {
      // An operation of unknown outcome that could not have succeeded here
      // failed here: the search must be able to place it, as "never happened".
      const unknown = output === undefined
      if (input.f === 'acquire') {
        if (state.holder !== null) return unknown ? state : impossible // mutual exclusion
        const token = output?.value
        if (token === undefined || token === null) return { holder: client, token: state.token }
        if (typeof token !== 'number' || token <= state.token) return impossible // fencing
        return { holder: client, token }
      }
      if (input.f === 'release') {
        if (state.holder === client) return { holder: null, token: state.token }
        return unknown ? state : impossible
      }
      return impossible
    },
    describe(input, output) {
      if (input.f === 'release') return `the release of ${input.key}`
      const token = output?.value
      return token === undefined || token === null
        ? `the acquire of ${input.key}`
        : `the acquire of ${input.key} with token ${JSON.stringify(token)}`
    },
  }
}
