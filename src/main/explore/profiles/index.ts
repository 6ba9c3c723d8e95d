// Which workload profile drives each algorithm the explorer knows.

import type { WorkloadProfile } from '../profile'
import { bankProfile } from './bank'
import { gossipProfile } from './gossip'
import { keyValueProfile } from './key-value'
import { lockProfile } from './lock'
import { paxosProfile } from './paxos'
import { schedulerProfile } from './scheduler'

export const profiles: Record<string, WorkloadProfile> = {
  raft: keyValueProfile(true),
  multipaxos: keyValueProfile(false),
  paxos: paxosProfile,
  '2pc': bankProfile(false),
  '2pc-occ': bankProfile(false),
  '3pc': bankProfile(true),
  lock: lockProfile(true),
  'lock-naive': lockProfile(false),
  gossip: gossipProfile,
  scheduler: schedulerProfile,
}

/** The profile for `algorithm`, or an error sentence naming the ones there are. */
export function profileFor(algorithm: string): WorkloadProfile {
  const profile = profiles[algorithm]
  if (profile === undefined) {
    throw new Error(
      `explore has no workload for "${algorithm}"; it explores: ${Object.keys(profiles).join(', ')}.`,
    )
  }
  return profile
}
