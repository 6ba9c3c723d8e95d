// Tab completion: command names first, then what each command takes (nodes,
// `leader`, algorithms, variants, flags).

import type { NodeId } from '../../shared/envelope'
import { algorithms } from '../../workers/algorithms'
import { commandSpecs, findSpec } from './commands'

export interface Completion {
  /** Whole words that could replace `partial`. */
  candidates: string[]
  /** The word being completed (the end of the line). */
  partial: string
}

const nodeCommands = new Set(['kill', 'restart', 'pause', 'resume', 'log', 'state', 'trace'])
const flagsOf: Record<string, string[]> = {
  start: ['--sim', '--seed', '--variant', '--resource'],
  acquire: ['--as', '--lease'],
  renew: ['--as', '--lease'],
  release: ['--as'],
  store: ['--as'],
  trace: ['--type', '--last'],
  workload: ['--clients', '--keys', '--mix', '--rate'],
  explore: ['--code', '--runs', '--seed', '--variant'],
}

export function complete(line: string, nodes: readonly NodeId[]): Completion {
  const words = line.split(/\s+/)
  const partial = words[words.length - 1] ?? ''
  const before = words.slice(0, -1).filter((word) => word !== '')
  const match = (options: string[]): Completion => ({
    candidates: options.filter((option) => option.startsWith(partial)).sort(),
    partial,
  })
  if (before.length === 0) {
    return match(commandSpecs.flatMap((spec) => [spec.name, ...(spec.aliases ?? [])]))
  }
  const spec = findSpec(before[0])
  if (spec === undefined) return { candidates: [], partial }
  if (partial.startsWith('--')) return match(flagsOf[spec.name] ?? [])
  if (spec.name === 'start') {
    if (before[before.length - 1] === '--variant') {
      const algorithm = before[1] ?? ''
      return match(Object.keys(algorithms[algorithm]?.variants ?? {}))
    }
    if (before.length === 1) return match(Object.keys(algorithms))
    return match(flagsOf.start)
  }
  if (spec.name === 'explore') {
    // explore raft --variant NAME, or explore --code for the learner's own code.
    if (before[before.length - 1] === '--variant') {
      return match(Object.keys(algorithms[before[1] ?? '']?.variants ?? {}))
    }
    if (before.length === 1) return match([...Object.keys(algorithms), '--code'])
    return { candidates: [], partial }
  }
  if (spec.name === 'help') return match(commandSpecs.map((s) => s.name))
  if (spec.name === 'faults') return match(['off'])
  if (spec.name === 'lang') return match(['en', 'zh'])
  if (spec.name === 'partition') {
    // Complete the last node name inside a group such as n1,n
    const comma = partial.lastIndexOf(',')
    const head = partial.slice(0, comma + 1)
    const tail = partial.slice(comma + 1)
    const used = new Set(before.join(',').split(/[,|\s]+/))
    return {
      candidates: nodes.filter((id) => id.startsWith(tail) && !used.has(id)).map((id) => head + id),
      partial,
    }
  }
  if (nodeCommands.has(spec.name) && before.length === 1) return match([...nodes, 'leader'])
  return { candidates: [], partial }
}
