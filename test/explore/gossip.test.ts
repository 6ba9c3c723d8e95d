// The fault explorer against the gossip store: writes and reads through
// partitions, crashes, pauses and lossy links, with quorums drawn per run. It
// is not linearizable and is not judged so: only by convergence once healed,
// and by no replica ever dropping a version it had not seen replaced.

import { describeExplorer } from './explore-module'

describeExplorer('gossip', { referenceRuns: 40, variantRuns: 20 })
