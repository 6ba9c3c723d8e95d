// BROKEN on purpose. The acceptor does not save its promise. After a crash and
// restart it has forgotten that it promised a higher ballot, and accepts a
// lower one: two proposers can then each get a value accepted by a majority
// (section 2.2: an acceptor must remember what it promised, even if it fails).

import { defineNode } from '../../../../shared/node-api'
import paxos, { type PaxosMessage, type PaxosState } from '../paxos'

export default defineNode<PaxosState, PaxosMessage>({
  ...paxos,
  description: 'Forgets to persist its promise: after a restart it accepts a lower ballot.',
  // The bug: promisedBallot is missing from the saved fields.
  persistent: ['acceptedBallot', 'acceptedValue'],
})
