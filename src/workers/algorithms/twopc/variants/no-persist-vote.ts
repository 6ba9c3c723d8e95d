// BROKEN on purpose. A participant does not save its prepared state (the
// changes it promised and its yes vote). After a crash it has forgotten the
// promise: the coordinator, counting that yes, commits, while the restarted
// participant, finding no yes vote on record, aborts. Half a transfer happens.

import { defineNode } from '../../../../shared/node-api'
import twopc, { type TwoPcMessage, type TwoPcState } from '../twopc'

export default defineNode<TwoPcState, TwoPcMessage>({
  ...twopc,
  description:
    'Does not persist the prepared state: after a crash a participant forgets its yes vote.',
  // The bug: `prepared` is missing from the saved fields.
  persistent: ['log', 'accounts'],
})
