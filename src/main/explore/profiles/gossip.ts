// The gossip store (Dynamo-style quorums, anti-entropy): three clients write
// and read through the faults, with quorums and conflict resolution drawn per
// run. It is eventually consistent, not linearizable, so it is judged by
// convergence alone: once the faults heal and gossip has run, every live
// replica holds the same versions of every key (Demers et al. 1987), and no
// replica ever drops a version it had not seen replaced (gossip-convergence.ts).

import { randomStream } from '../../../shared/random'
import { GossipConvergence } from '../../check/gossip-convergence'
import { passed, type WorkloadProfile } from '../profile'

const keys = ['a', 'b', 'x', 'y']
/** Each idle client starts an operation this often, through the faults. */
const tickMs = 20

export const gossipProfile: WorkloadProfile = {
  clientsDo: 'writing',
  nodes: 5,
  clients: 3,
  operations: 300,
  faultsMs: 3_000,
  faultCount: { min: 6, max: 14 },
  menu: { pauses: true, partitions: true, links: true, leader: false, raft: false },
  settleMs: 3_000,
  options(random) {
    const whole = (max: number): number => 1 + Math.floor(random() * max)
    return {
      n: 3,
      r: whole(3),
      w: whole(3),
      resolution: random() < 0.5 ? 'lww' : 'vv',
      sloppy: random() < 0.5,
    }
  },
  startFlags(options) {
    const strict = options.sloppy === false ? ' --strict' : ''
    return ` --n ${String(options.n)} --r ${String(options.r)} --w ${String(options.w)} --resolution ${String(options.resolution)}${strict}`
  },
  workload(sim, schedule) {
    const convergence = new GossipConvergence()
    sim.events((event) => void convergence.observe(event))
    const random = randomStream(schedule.seed, 'explore-gossip')
    let started = 0
    let busy = (): boolean => false
    return {
      begin() {
        const ids = sim.nodeIds()
        const clientOptions = { timeoutMs: 600, operationMsMax: 1_200, retryMs: 20 }
        const clients = Array.from({ length: schedule.clients }, (_, i) =>
          sim.client(`c${i + 1}`, clientOptions, ids[(2 * i) % ids.length]),
        )
        busy = () => clients.some((client) => client.busy())
        // Two writes for each read, spread over the whole time of the faults.
        const tick = (): void => {
          for (const client of clients) {
            if (client.busy() || started >= schedule.operations) continue
            started++
            const key = keys[Math.floor(random() * keys.length)]
            client.invoke(
              random() < 1 / 3
                ? { f: 'read', key }
                : { f: 'write', key, value: Math.floor(random() * 100) },
            )
          }
          if (started < schedule.operations && sim.now() < schedule.faultsMs) {
            sim.schedule(tickMs, tick)
          }
        }
        tick()
      },
      done: () => !busy(),
      operations: () => started,
      judge() {
        const diverged = convergence.converged()[0]
        if (diverged === undefined) return passed
        return {
          failure: { kind: 'convergence', message: `${diverged.rule}: ${diverged.message}` },
          unchecked: false,
        }
      },
    }
  },
}
