// The fault explorer against single-decree Paxos: proposals through crashes,
// pauses, partitions and lossy links; judged by the Paxos invariants (one value
// chosen, only a proposed one, learned only once chosen) and, once healed, by
// every node answering with that one value.

import { describeExplorer } from './explore-module'

describeExplorer('paxos', {
  referenceRuns: 200,
  variantRuns: 200,
  notFound: {
    // Section 2.4's livelock is a liveness demo: it needs two proposers racing
    // over links of exactly even delay (paxos.test.ts, 'dueling proposers').
    // The explorer's links jitter, which breaks the tie as random backoff would,
    // so a value is chosen and the nodes agree: nothing to report.
    'no-backoff': 'a livelock needs links of exactly even delay; random delays break the tie',
  },
})
