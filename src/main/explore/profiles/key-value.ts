// Raft and Multi-Paxos as key-value stores: Maelstrom's lin-kv workload, four
// clients doing reads, writes and cas on two keys, judged by the
// linearizability of what they saw (Herlihy and Wing) besides the invariants,
// and by progress: once every fault has healed, a write must go through. A
// cluster that never answers breaks no safety rule, so without this a node
// that never votes (or never commits) would pass.

import { randomStream } from '../../../shared/random'
import { HistoryRecorder } from '../../check/history-import'
import { startWorkload } from '../../client/workload'
import { historyJudgement, type WorkloadProfile } from '../profile'

/** How long the last write may take, healed and settled, before the run fails for lack of progress. */
const progressMsMax = 5_000

/** `raftAware`: aim Raft's own shapes of fault (a voter bounced mid-election, Figure 8) at it. */
export function keyValueProfile(raftAware: boolean): WorkloadProfile {
  return {
    clientsDo: 'writing',
    nodes: 5,
    clients: 4,
    operations: 200,
    faultsMs: 4_000,
    faultCount: { min: 4, max: 11 },
    menu: { pauses: true, partitions: true, links: true, leader: true, raft: raftAware },
    settleMs: 3_000,
    workload(sim, schedule) {
      const history = new HistoryRecorder()
      let done = false
      /** The last write's outcome: null until it ends. */
      let progressed: boolean | null = null
      sim.events((event) => {
        if (
          event.kind === 'invoke' ||
          event.kind === 'ok' ||
          event.kind === 'fail' ||
          event.kind === 'info'
        ) {
          history.add(event)
        }
      })
      return {
        begin() {
          const clients = Array.from({ length: schedule.clients }, (_, i) =>
            sim.client(`c${i + 1}`, { timeoutMs: 300, operationMsMax: 600, retryMs: 20 }),
          )
          startWorkload(
            clients,
            {
              operations: schedule.operations,
              keys: ['x', 'y'],
              mix: { read: 2, write: 2, cas: 1 },
              valuesMax: 5,
            },
            randomStream(schedule.seed, 'explore-workload'),
            () => sim.now(),
            () => {
              done = true
            },
          )
        },
        done: () => done,
        afterSettle() {
          const client = sim.client(`c${schedule.clients + 1}`, {
            timeoutMs: 300,
            operationMsMax: progressMsMax,
            retryMs: 20,
          })
          client.invoke({ f: 'write', key: 'x', value: 1 }, (result) => {
            progressed = result.type === 'ok'
          })
          sim.runUntil(() => progressed !== null, progressMsMax + 1_000)
        },
        operations: () => history.operations().length,
        judge() {
          if (progressed !== true) {
            return {
              failure: {
                kind: 'liveness',
                message: `Progress: with every fault healed and every node up, a write of x did not go through in ${progressMsMax / 1_000} s: no leader was elected, or none commits.`,
              },
              unchecked: false,
            }
          }
          return historyJudgement('kv', history.operations())
        },
      }
    },
  }
}
