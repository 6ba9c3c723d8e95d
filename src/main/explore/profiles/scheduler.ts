// The task scheduler (Raft-replicated, leases): two clients submit tasks to
// the leader through the faults. Exclusive Run is judged on every event (no
// task on two workers at once, scheduler-invariants.ts); once the faults heal
// and the cluster has had time to finish, every task whose submission was
// acknowledged must have run to the end (Every Task Runs).

import { randomStream } from '../../../shared/random'
import { SchedulerInvariants } from '../../check/scheduler-invariants'
import { ServiceClient } from '../../client/service-client'
import { passed, type WorkloadProfile } from '../profile'

export const schedulerProfile: WorkloadProfile = {
  clientsDo: 'submitting tasks',
  nodes: 5,
  clients: 2,
  operations: 8,
  faultsMs: 3_000,
  faultCount: { min: 4, max: 11 },
  // Pauses too: a paused worker wakes into a backlog of timers and messages
  // past its lease, the process pause that leases alone cannot cover
  // (Kleppmann, "How to do distributed locking"). Seed 5, `pause n2` alone,
  // is that case: see test/explore/scheduler.test.ts.
  menu: { pauses: true, partitions: true, links: true, leader: true, raft: true },
  settleMs: 6_000,
  link: { loss: 0.02, delayMsMin: 1, delayMsMax: 15 },
  workload(sim, plan) {
    const check = new SchedulerInvariants()
    sim.events((event) => void check.observe(event))
    const random = randomStream(plan.seed, 'explore-tasks')
    let submitted = 0
    let settled = 0
    const submit = (client: ServiceClient): void => {
      if (submitted >= plan.operations) return
      const task = `t${++submitted}`
      const cost = 100 + Math.floor(random() * 900)
      sim.schedule(Math.floor(random() * (plan.faultsMs / plan.operations)), () =>
        client.call({ type: 'submit', task, cost }, () => {
          settled++
          submit(client)
        }),
      )
    }
    return {
      begin() {
        const ids = sim.nodeIds()
        for (let i = 1; i <= plan.clients; i++) {
          submit(
            new ServiceClient(sim, `c${i}`, ids, ids[0], {
              timeoutMs: 1_000,
              retryMs: 20,
              retriesMax: 50,
            }),
          )
        }
      },
      done: () => settled >= plan.operations,
      operations: () => settled,
      judge() {
        const unfinished = check.unfinished()
        if (unfinished.length === 0) return passed
        return {
          failure: {
            kind: 'liveness',
            message: `Every Task Runs: ${unfinished.join(', ')} ${unfinished.length === 1 ? 'was' : 'were'} acknowledged to a client, but no worker reported ${unfinished.length === 1 ? 'it' : 'them'} finished after the faults healed.`,
          },
          unchecked: false,
        }
      },
    }
  },
}
