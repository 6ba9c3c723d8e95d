// Two-phase commit with optimistic concurrency control instead of locks
// (Kung and Robinson, "On Optimistic Methods for Concurrency Control", 1981):
// the coordinator reads the accounts' versions first, and a participant votes
// yes only if they have not moved since. Compare it with `2pc` under
// contention: it never refuses a read, and it aborts a transfer whenever
// another one committed on the same account between its read and its prepare.

import { twoPhaseCommit } from './twopc'

export default twoPhaseCommit('optimistic')
