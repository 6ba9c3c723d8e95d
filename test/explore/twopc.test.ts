// The fault explorer against atomic commitment: transfers through crashes
// (and, for two-phase commit, pauses, partitions and lossy links); judged by
// AC1-AC3 and money conserved as the trace goes, and once healed by every
// transaction decided everywhere and every balance what the commits make it.

import { describeExplorer } from './explore-module'

describeExplorer('2pc', { referenceRuns: 100, variantRuns: 30 })
describeExplorer('2pc-occ', { referenceRuns: 50, variantRuns: 30 })
// Three-phase commit only under the faults it claims to survive: crashes and
// restarts over reliable links with bounded delay (three-phase.ts says why).
describeExplorer('3pc', { referenceRuns: 50, variantRuns: 30 })
