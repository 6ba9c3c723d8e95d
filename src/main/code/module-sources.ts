// The source text of the algorithm modules, as a learner reads and edits it:
// imports written the way a learner's own module writes them ('consensus-lab'
// for the node API, 'consensus-lab/algorithms/raft/raft' for a reference
// module a variant builds on), which is what compile.ts accepts. With each
// module come the files its types need (the node API and the reference
// modules it imports, transitively), for the editor's TypeScript service.

import { readFileSync } from 'node:fs'
import { posix } from 'node:path'
import { algorithms } from '../../workers/algorithms'
import { findInCheckout } from '../cluster/host-entry'

/** Each algorithm's reference module, as a path under src/workers/algorithms without `.ts`. */
const referenceFiles: Record<string, string> = {
  echo: 'echo/echo',
  raft: 'raft/raft',
  paxos: 'paxos/paxos',
  multipaxos: 'multipaxos/multipaxos',
  gossip: 'gossip/gossip',
  '2pc': 'twopc/twopc',
  '2pc-occ': 'twopc/optimistic',
  '3pc': 'twopc/three-phase',
  lock: 'lock/lock',
  'lock-naive': 'lock/naive',
  scheduler: 'scheduler/scheduler',
}

/** The module name learners import the node API by. */
export const nodeApiModule = 'consensus-lab'

/** A file the editor's type checker needs, under the path it is imported by. */
export interface LibraryFile {
  /** e.g. `consensus-lab/index.ts`, `consensus-lab/algorithms/raft/raft.ts`. */
  path: string
  text: string
}

export interface ModuleSource {
  algorithm: string
  variant: string | null
  /** The file name the learner's copy compiles and crashes under, e.g. `raft.ts`. */
  fileName: string
  source: string
  libraries: LibraryFile[]
}

/** The file of an algorithm's module (its variant, or the reference), or a sentence naming what exists. */
export function moduleFile(algorithm: string, variant: string | null): string {
  const reference = referenceFiles[algorithm]
  if (reference === undefined || algorithms[algorithm] === undefined) {
    throw new Error(
      `there is no algorithm "${algorithm}"; choose one of: ${Object.keys(algorithms).join(', ')}.`,
    )
  }
  if (variant === null) return reference
  const known = Object.keys(algorithms[algorithm].variants)
  if (!known.includes(variant)) {
    throw new Error(
      known.length === 0
        ? `${algorithm} has no variants.`
        : `${algorithm} has no variant "${variant}"; choose one of: ${known.join(', ')}.`,
    )
  }
  return `${posix.dirname(reference)}/variants/${variant}`
}

/** The module's source as the learner edits it, with the files its types need. */
export function moduleSource(algorithm: string, variant: string | null): ModuleSource {
  const file = moduleFile(algorithm, variant)
  const libraries = new Map<string, string>()
  const source = learnerView(file, libraries)
  return {
    algorithm,
    variant,
    fileName: `${posix.basename(file)}.ts`,
    source,
    libraries: [...libraries].map(([path, text]) => ({ path, text })),
  }
}

const importPattern = /(\bfrom\s+|\bimport\s+)(['"])(\.[^'"]*)\2/g

/**
 * The text of `src/workers/algorithms/<file>.ts` with its relative imports
 * rewritten to the names a learner's module uses, adding every file it
 * imports to `libraries` (once each).
 */
function learnerView(file: string, libraries: Map<string, string>): string {
  const text = readSource(`src/workers/algorithms/${file}.ts`)
  return text.replace(
    importPattern,
    (_whole, keyword: string, quote: string, specifier: string) => {
      // Where the import points, relative to src/: e.g. shared/node-api, workers/algorithms/raft/raft.
      const target = posix.join('workers/algorithms', posix.dirname(file), specifier)
      if (target === 'shared/node-api') {
        addNodeApi(libraries)
        return `${keyword}${quote}${nodeApiModule}${quote}`
      }
      const algorithmFile = /^workers\/algorithms\/(.+)$/.exec(target)?.[1]
      if (algorithmFile === undefined)
        throw new Error(`${file}.ts imports ${specifier}, outside the library`)
      const path = `${nodeApiModule}/algorithms/${algorithmFile}`
      if (!libraries.has(`${path}.ts`)) {
        libraries.set(`${path}.ts`, '') // taken, so an import cycle ends here
        libraries.set(`${path}.ts`, learnerView(algorithmFile, libraries))
      }
      return `${keyword}${quote}${path}${quote}`
    },
  )
}

/** The node API and the shared files it imports, as the package `consensus-lab`. */
function addNodeApi(libraries: Map<string, string>): void {
  if (libraries.has(`${nodeApiModule}/index.ts`)) return
  const pending = ['node-api']
  const seen = new Set<string>()
  while (pending.length > 0) {
    const name = pending.pop() as string
    if (seen.has(name)) continue
    seen.add(name)
    const text = readSource(`src/shared/${name}.ts`)
    libraries.set(`${nodeApiModule}/${name === 'node-api' ? 'index' : name}.ts`, text)
    for (const [, , , specifier] of text.matchAll(importPattern)) {
      const target = posix.join(posix.dirname(name), specifier)
      if (target.startsWith('..'))
        throw new Error(`src/shared/${name}.ts imports ${specifier}, outside src/shared`)
      pending.push(target)
    }
  }
}

function readSource(path: string): string {
  return readFileSync(findInCheckout(path), 'utf8')
}
