// The faults the explorer injects: what each one is, how one is drawn at
// random from the kinds a module's profile allows, how it is applied to the
// simulator at its moment, and how it reads as terminal commands.

import type { NodeId } from '../../shared/envelope'
import type { Random } from '../../shared/random'
import type { LinkShape } from '../../shared/trace'
import type { Simulator } from '../sim/simulator'
import {
  applyFigure8,
  describeFigure8,
  figure8Faults,
  figure8Ms,
  type Figure8Fault,
} from './nemesis-figure8'

export type Fault =
  | { at: number; action: 'kill' | 'restart' | 'pause' | 'resume'; node: NodeId }
  /** Kill and restart at once, as `kill -9` and a supervisor would: a node back within one election. */
  | { at: number; action: 'bounce'; node: NodeId; downMs: number }
  /** The same aimed at whoever leads at that moment (decided when the run gets there: still exact). */
  | { at: number; action: 'bounce-leader'; downMs: number }
  | { at: number; action: 'kill-leader' | 'restart-all' | 'isolate-leader' }
  /**
   * Raft-aware: when a node has voted in a term in which another candidate
   * still asks for votes, kill it and restart it at once, so that it comes
   * back within the same term. A node that forgot its vote votes again.
   */
  | { at: number; action: 'bounce-voter'; downMs: number; waitedMs?: number }
  | { at: number; action: 'partition'; groups: NodeId[][] }
  | { at: number; action: 'heal' }
  | { at: number; action: 'link'; shape: Partial<LinkShape> }
  /** Raft-aware: the steps of Figure 8 (section 5.4.2), in nemesis-figure8.ts. */
  | Figure8Fault

/** The kinds of fault that make sense for a module. Crashes and restarts always do. */
export interface FaultMenu {
  /** Pause and resume nodes (a stopped process, a long garbage collection). */
  pauses: boolean
  /** Cut the network into groups, and heal it. */
  partitions: boolean
  /** Lossy, slow, reordering links. */
  links: boolean
  /** Faults aimed at whoever leads at that moment: only for modules with a leader. */
  leader: boolean
  /** Raft's own shapes, which read Raft's state: a voter bounced mid-election, Figure 8. */
  raft: boolean
}

type Kind =
  | 'kill'
  | 'kill-leader'
  | 'restart'
  | 'bounce'
  | 'bounce-leader'
  | 'pause'
  | 'resume'
  | 'partition'
  | 'heal'
  | 'link'

/** How often each kind is drawn, out of 1, when every kind is allowed. */
const weights: [Kind, number, (menu: FaultMenu) => boolean][] = [
  ['kill', 0.1, () => true],
  ['kill-leader', 0.05, (menu) => menu.leader],
  ['restart', 0.1, () => true],
  ['bounce', 0.05, () => true],
  ['bounce-leader', 0.05, (menu) => menu.leader],
  ['pause', 0.1, (menu) => menu.pauses],
  ['resume', 0.1, (menu) => menu.pauses],
  ['partition', 0.2, (menu) => menu.partitions],
  ['heal', 0.1, (menu) => menu.partitions],
  ['link', 0.15, (menu) => menu.links],
]

/**
 * Random faults within `faultsMs`, on the nodes `ids`, of the kinds `menu`
 * allows, all drawn from `random`: `countMin` to `countMax` of them, and now
 * and then one shape aimed at on purpose (an election forced; Figure 8).
 */
export function randomFaults(
  random: Random,
  ids: readonly NodeId[],
  menu: FaultMenu,
  faultsMs: number,
  count: { min: number; max: number },
): Fault[] {
  const faults: Fault[] = []
  const drawn = count.min + Math.floor(random() * (count.max - count.min + 1))
  for (let i = 0; i < drawn; i++) {
    faults.push(randomFault(random, ids, menu, Math.floor(random() * faultsMs)))
  }
  // Two aimed shapes would undo each other: at most one per schedule.
  const aim = random()
  if (aim < 0.5 && menu.leader) {
    const start = Math.floor(random() * (faultsMs - 500))
    faults.push({ at: start, action: 'isolate-leader' })
    // Slow links make elections overlap: two candidates in one term, the case a forgetful voter breaks.
    faults.push({ at: start, action: 'link', shape: { delayMsMin: 5, delayMsMax: 60 } })
    const downMs = 1 + Math.floor(random() * 10)
    const bounceAt = start + 150 + Math.floor(random() * 200)
    if (menu.raft) faults.push({ at: bounceAt, action: 'bounce-voter', downMs })
    faults.push({ at: start + 600, action: 'heal' })
    faults.push({ at: start + 600, action: 'link', shape: { delayMsMin: 1, delayMsMax: 3 } })
  } else if (aim >= 0.5 && aim < 0.75 && menu.raft) {
    // Figure 8: old entries on a majority then overwritten, with no other fault in its way.
    const shape = figure8Faults(random, faultsMs)
    const from = shape[0].at
    const clear = faults.filter((fault) => fault.at < from || fault.at >= from + figure8Ms)
    faults.splice(0, faults.length, ...clear, ...shape)
  }
  return faults.sort((a, b) => a.at - b.at)
}

function randomFault(random: Random, ids: readonly NodeId[], menu: FaultMenu, at: number): Fault {
  const node = ids[Math.floor(random() * ids.length)]
  const allowed = weights.filter(([, , allows]) => allows(menu))
  const total = allowed.reduce((sum, [, weight]) => sum + weight, 0)
  let roll = random() * total
  let kind: Kind = allowed[allowed.length - 1][0]
  for (const [name, weight] of allowed) {
    if (roll < weight) {
      kind = name
      break
    }
    roll -= weight
  }
  switch (kind) {
    case 'kill':
    case 'restart':
    case 'pause':
    case 'resume':
      return { at, action: kind, node }
    case 'kill-leader':
    case 'heal':
      return { at, action: kind }
    case 'bounce':
      return { at, action: 'bounce', node, downMs: 1 + Math.floor(random() * 30) }
    case 'bounce-leader':
      return { at, action: 'bounce-leader', downMs: 1 + Math.floor(random() * 30) }
    case 'partition': {
      const shuffled = [...ids].sort(() => random() - 0.5)
      const cut = 1 + Math.floor(random() * (ids.length - 1))
      return { at, action: 'partition', groups: [shuffled.slice(0, cut), shuffled.slice(cut)] }
    }
    case 'link':
      return {
        at,
        action: 'link',
        shape: {
          loss: Math.floor(random() * 30) / 100,
          delayMsMin: 1,
          delayMsMax: 1 + Math.floor(random() * 40),
          reorder: 0.1,
        },
      }
  }
}

/**
 * Applies `fault` now. `faultsEndMs`: when the faults stop, for the faults
 * that watch the cluster for a while.
 */
export function applyFault(sim: Simulator, fault: Fault, faultsEndMs = Infinity): void {
  // Synchronous on purpose: the simulator acts at once (its promises are
  // already settled), and anything after an `await` here would run only when
  // the whole advance() returns, long after the moment the fault names.
  // A fault that makes no sense at that moment (killing a dead node) is skipped, as a nemesis would.
  try {
    switch (fault.action) {
      case 'kill':
      case 'restart':
      case 'pause':
      case 'resume':
        void sim[fault.action](fault.node)
        return
      case 'bounce':
        void sim.kill(fault.node)
        sim.schedule(fault.downMs, () =>
          applyFault(sim, { at: 0, action: 'restart', node: fault.node }),
        )
        return
      case 'bounce-leader':
      case 'kill-leader': {
        const leader = sim.leader()
        if (leader === null) return
        void sim.kill(leader)
        if (fault.action === 'bounce-leader') {
          sim.schedule(fault.downMs, () =>
            applyFault(sim, { at: 0, action: 'restart', node: leader }),
          )
        }
        return
      }
      case 'restart-all':
        for (const id of sim.nodeIds()) if (sim.status(id) === 'dead') void sim.restart(id)
        return
      case 'isolate-leader': {
        const leader = sim.leader()
        if (leader !== null) void sim.partition([[leader]])
        return
      }
      case 'bounce-voter': {
        // Wait (up to votingWindowMs) for the moment that matters: a node has
        // voted in a term in which another candidate still asks for votes.
        const voter = splitVoteVoter(sim)
        if (voter === undefined) {
          const waited = (fault.waitedMs ?? 0) + 1
          if (waited < votingWindowMs) {
            sim.schedule(1, () => applyFault(sim, { ...fault, waitedMs: waited }))
          }
          return
        }
        void sim.kill(voter)
        sim.schedule(fault.downMs, () => applyFault(sim, { at: 0, action: 'restart', node: voter }))
        return
      }
      case 'partition':
        void sim.partition(fault.groups)
        return
      case 'heal':
        void sim.heal()
        return
      case 'link':
        void sim.setLink('*', '*', fault.shape)
        return
      case 'split-leader':
      case 'crash-next-leader':
      case 'cut-repair':
        applyFigure8(sim, fault, faultsEndMs)
        return
    }
  } catch {
    // skipped
  }
}

/** How long a bounce-voter fault waits for a split vote before it gives up. */
const votingWindowMs = 400

/** A follower that voted in a term where another node is still a candidate. */
function splitVoteVoter(sim: Simulator): NodeId | undefined {
  interface Peek {
    role?: unknown
    currentTerm?: unknown
    votedFor?: unknown
  }
  const up = sim.nodeIds().filter((id) => sim.status(id) === 'up')
  const states = new Map(up.map((id) => [id, sim.peekState<Peek>(id)]))
  return up.find((id) => {
    const state = states.get(id)
    if (state?.role !== 'follower' || typeof state.votedFor !== 'string' || state.votedFor === id)
      return false
    return up.some((other) => {
      const rival = states.get(other)
      return (
        other !== state.votedFor &&
        other !== id &&
        rival?.role === 'candidate' &&
        rival.currentTerm === state.currentTerm
      )
    })
  })
}

/** A fault as the terminal commands (or, for the aimed ones, the sentence) that do it. */
export function faultLines(fault: Fault): string[] {
  switch (fault.action) {
    case 'partition':
      return [`partition ${fault.groups.map((group) => group.join(',')).join(' | ')}`]
    case 'heal':
      return ['heal']
    case 'bounce':
      return [`kill ${fault.node}`, `wait ${fault.downMs}`, `restart ${fault.node}`]
    case 'bounce-leader':
      return ['kill leader', `wait ${fault.downMs}`, 'restart all']
    case 'kill-leader':
      return ['kill leader']
    case 'restart-all':
      return ['restart all']
    case 'isolate-leader':
      return ['(cut the leader off from the others)']
    case 'bounce-voter':
      return [
        `(when a node has voted while another candidate still asks, kill it and restart it ${fault.downMs} ms later)`,
      ]
    case 'split-leader':
    case 'crash-next-leader':
    case 'cut-repair':
      return [describeFigure8(fault)]
    case 'link':
      return [
        `drop ${Math.round((fault.shape.loss ?? 0) * 100)}%`,
        `delay ${fault.shape.delayMsMin ?? 0}-${fault.shape.delayMsMax ?? 0}ms`,
      ]
    default:
      return [`${fault.action} ${fault.node}`]
  }
}
