// The explorer on a learner's own module, on the job thread: the module,
// compiled by compile.ts (imports other than the node API refused, process,
// require, the global object and eval replaced by stand-ins that refuse), is
// loaded the way a node's worker loads it (src/workers/load-module.ts, which
// also closes the Function constructors), then every simulated run of the
// exploration uses it in place of the registry's module. Only the job worker
// imports this file: learner code never runs on the main thread.

import type { AnyNodeDefinition } from '../../shared/node-api'
import { algorithms } from '../../workers/algorithms'
import { loadCompiledModule } from '../../workers/load-module'
import type { CompiledModule } from '../cluster/compile'
import type { ExploreReport } from '../explore/explorer'
import { profileFor } from '../explore/profiles'
import { runExplore, type ExploreCodeRequest, type ExploreProgress } from './jobs'

/** The last module loaded, by its code: exploring the same code again loads nothing. */
let loaded: { code: string; definition: Promise<AnyNodeDefinition> } | null = null

export async function exploreLearnerCode(
  request: ExploreCodeRequest,
  compiled: CompiledModule,
  onProgress?: (progress: ExploreProgress) => void,
): Promise<ExploreReport> {
  if (algorithms[request.algorithm] === undefined) {
    throw new Error(
      `there is no algorithm "${request.algorithm}"; choose one of: ${Object.keys(algorithms).join(', ')}.`,
    )
  }
  profileFor(request.algorithm) // a clear sentence when the explorer has no workload for it
  return runExplore(
    {
      algorithm: request.algorithm,
      runs: request.runs,
      ...(request.firstSeed === undefined ? {} : { firstSeed: request.firstSeed }),
    },
    onProgress,
    await definitionOf(compiled),
  )
}

function definitionOf(compiled: CompiledModule): Promise<AnyNodeDefinition> {
  if (loaded?.code !== compiled.code) {
    const code = compiled.code
    const definition = loadCompiledModule(compiled)
    loaded = { code, definition }
    // A module that fails to load is not kept: the next try loads it again.
    definition.catch(() => {
      if (loaded?.code === code) loaded = null
    })
  }
  return loaded.definition
}
