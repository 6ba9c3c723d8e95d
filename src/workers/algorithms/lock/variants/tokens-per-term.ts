// BROKEN on purpose. A grant's fencing token counts the entries since its
// leader's term began, instead of being the grant's place in the whole log:
// a sequence number that each new leader starts again from 1.
//
// Fencing (Kleppmann, "How to do distributed locking", 2016; Chubby's
// sequencers, section 2.4 of Burrows's paper) works only if every grant's
// token is higher than every earlier grant's, under every leader: the
// resource refuses a token lower than one it has seen, to stop a holder whose
// lease ran out. After a change of leader the tokens fall back, so the
// resource refuses the rightful new holder, while its rule of "lower is older"
// no longer tells the stale holder from the current one.

import { makeLockService, type FencingToken } from '../lock'

/** The bug: the grant's position in its term's entries, not in the log. */
const tokenCountsFromTermStart: FencingToken = (log, index) => {
  const term = log[index - 1].term
  let first = index
  while (first > 1 && log[first - 2].term === term) first -= 1
  return index - first + 1
}

export default makeLockService(
  'Broken: fencing tokens count from the start of each leader’s term, so they fall back.',
  tokenCountsFromTermStart,
)
