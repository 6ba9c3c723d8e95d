// The store's knobs, from ClusterSpec.options (ctx.options): the same on every
// node. `start gossip 5 --n 3 --r 1 --w 1` sets them from the terminal.
//
//   n           how many replicas a key has: its preference list (Dynamo 4.3)
//   r, w        how many of them must answer a read, acknowledge a write (4.5)
//   resolution  'lww' (last writer wins) or 'vv' (version vectors, siblings)
//   sloppy      whether the coordinator's own copy counts toward R and W even
//               when it is not one of the key's N (a sloppy quorum, 4.6)
//   fanout      how many random peers each gossip tick pushes rumors to

import type { Ctx } from '../../../shared/node-api'
import type { Resolution } from './versions'

export interface Config {
  n: number
  r: number
  w: number
  resolution: Resolution
  sloppy: boolean
  fanout: number
}

/** The options, checked: a bad one stops the node with a sentence saying what would be right. */
export function configOf(ctx: Pick<Ctx, 'options' | 'peers'>): Config {
  const nodes = ctx.peers.length + 1
  const o = ctx.options
  const whole = (name: string, fallback: number, max: number): number => {
    const value = o[name] ?? fallback
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max) {
      throw new Error(
        `gossip: ${name} must be a whole number from 1 to ${max}, not ${String(value)}.`,
      )
    }
    return value
  }
  const n = whole('n', Math.min(3, nodes), nodes)
  const resolution = o.resolution ?? 'lww'
  if (resolution !== 'lww' && resolution !== 'vv') {
    throw new Error(`gossip: resolution must be 'lww' or 'vv', not ${String(resolution)}.`)
  }
  const sloppy = o.sloppy ?? true
  if (typeof sloppy !== 'boolean') throw new Error('gossip: sloppy must be true or false.')
  return {
    n,
    r: whole('r', 1, n),
    w: whole('w', 1, n),
    resolution,
    sloppy,
    fanout: whole('fanout', 2, Math.max(1, nodes - 1)),
  }
}
