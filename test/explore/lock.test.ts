// The fault explorer against the lock services: clients acquire, renew, write
// to a fenced resource, and release, through crashes and partitions; judged by
// mutual exclusion as the resource saw it and the linearizability of the
// acquires and releases under the lock model.

import { describeExplorer } from './explore-module'

describeExplorer('lock', { referenceRuns: 40, variantRuns: 60 })
// One server with a time-to-live and no fencing: broken on purpose. A crash of
// the server forgets every lock, so two clients hold one at once.
describeExplorer('lock-naive', { referenceRuns: 0, variantRuns: 20, referenceBroken: true })
