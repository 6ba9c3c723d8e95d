// Every algorithm a cluster can run, with its deliberately broken variants.

import type { AnyNodeDefinition, NodeDefinition } from '../../shared/node-api'
import echo from './echo/echo'
import gossip from './gossip/gossip'
import gossipNoAntiEntropy from './gossip/variants/no-anti-entropy'
import lock from './lock/lock'
import lockGrantsBeforeCommit from './lock/variants/grants-before-commit'
import lockTokensPerTerm from './lock/variants/tokens-per-term'
import lockNaive from './lock/naive'
import multipaxos from './multipaxos/multipaxos'
import multipaxosAnswersBeforeChosen from './multipaxos/variants/answers-before-chosen'
import multipaxosIgnoresAccepted from './multipaxos/variants/ignores-accepted'
import paxos from './paxos/paxos'
import paxosForgetsPromise from './paxos/variants/forgets-promise'
import paxosIgnoresAccepted from './paxos/variants/ignores-accepted'
import paxosMinorityQuorum from './paxos/variants/minority-quorum'
import paxosNoBackoff from './paxos/variants/no-backoff'
import raft from './raft/raft'
import raftEndlessLoop from './raft/variants/endless-loop'
import raftFigure8Commit from './raft/variants/figure8-commit'
import raftForgetsVotedFor from './raft/variants/forgets-voted-for'
import raftLocalReads from './raft/variants/local-reads'
import raftNoPrevCheck from './raft/variants/no-prev-check'
import raftNoStepDown from './raft/variants/no-step-down'
import raftVotesTwice from './raft/variants/votes-twice'
import scheduler from './scheduler/scheduler'
import schedulerReassignAtOnce from './scheduler/variants/reassign-at-once'
import threePhaseCommit from './twopc/three-phase'
import twoPhaseCommitOptimistic from './twopc/optimistic'
import twoPhaseCommit from './twopc/twopc'
import twopcDecideBeforeAllVotes from './twopc/variants/decide-before-all-votes'
import twopcNoPersistVote from './twopc/variants/no-persist-vote'
import twopcParticipantDecidesAlone from './twopc/variants/participant-decides-alone'

export interface AlgorithmEntry {
  reference: AnyNodeDefinition
  /** Deliberately broken copies, by name, each with a one-line description. */
  variants: Record<string, AnyNodeDefinition>
}

/** A module with its message types erased: runtimes only pass messages through. */
function erased<State extends object, Msg extends { type: string }>(
  definition: NodeDefinition<State, Msg>,
): AnyNodeDefinition {
  // A handler typed for Raft's messages is still called with whatever arrives
  // (a client's request, a stray message); the module sorts messages by `type`.
  return definition
}

export const algorithms: Record<string, AlgorithmEntry> = {
  echo: { reference: erased(echo), variants: {} },
  raft: {
    reference: erased(raft),
    variants: {
      'votes-twice': erased(raftVotesTwice),
      'forgets-voted-for': erased(raftForgetsVotedFor),
      'figure8-commit': erased(raftFigure8Commit),
      'local-reads': erased(raftLocalReads),
      'no-prev-check': erased(raftNoPrevCheck),
      'no-step-down': erased(raftNoStepDown),
      'endless-loop': erased(raftEndlessLoop),
    },
  },
  paxos: {
    reference: erased(paxos),
    variants: {
      'forgets-promise': erased(paxosForgetsPromise),
      'ignores-accepted': erased(paxosIgnoresAccepted),
      'minority-quorum': erased(paxosMinorityQuorum),
      'no-backoff': erased(paxosNoBackoff),
    },
  },
  multipaxos: {
    reference: erased(multipaxos),
    variants: {
      'ignores-accepted': erased(multipaxosIgnoresAccepted),
      'answers-before-chosen': erased(multipaxosAnswersBeforeChosen),
    },
  },
  gossip: {
    reference: erased(gossip),
    variants: { 'no-anti-entropy': erased(gossipNoAntiEntropy) },
  },
  '2pc': {
    reference: erased(twoPhaseCommit),
    variants: {
      'no-persist-vote': erased(twopcNoPersistVote),
      'decide-before-all-votes': erased(twopcDecideBeforeAllVotes),
      'participant-decides-alone': erased(twopcParticipantDecidesAlone),
    },
  },
  '2pc-occ': { reference: erased(twoPhaseCommitOptimistic), variants: {} },
  '3pc': { reference: erased(threePhaseCommit), variants: {} },
  lock: {
    reference: erased(lock),
    variants: {
      'grants-before-commit': erased(lockGrantsBeforeCommit),
      'tokens-per-term': erased(lockTokensPerTerm),
    },
  },
  'lock-naive': { reference: erased(lockNaive), variants: {} },
  scheduler: {
    reference: erased(scheduler),
    variants: { 'reassign-at-once': erased(schedulerReassignAtOnce) },
  },
}

/** The module for an algorithm (and variant), or an error sentence naming what exists. */
export function resolveAlgorithm(name: string, variant?: string): AnyNodeDefinition {
  const entry = algorithms[name]
  if (entry === undefined) {
    throw new Error(
      `there is no algorithm "${name}"; choose one of: ${Object.keys(algorithms).join(', ')}.`,
    )
  }
  if (variant === undefined) return entry.reference
  const module = entry.variants[variant]
  if (module === undefined) {
    const known = Object.keys(entry.variants)
    throw new Error(
      known.length === 0
        ? `${name} has no variants yet.`
        : `${name} has no variant "${variant}"; choose one of: ${known.join(', ')}.`,
    )
  }
  return module
}
