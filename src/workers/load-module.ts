// Loads a node module compiled from source text (src/main/cluster/compile.ts).
// It is written to a file and imported from there, with source maps on, so that
// a failing handler reports the line in the learner's own file.

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { basename, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { nodeDefinitionProblem, type AnyNodeDefinition } from '../shared/node-api'
import { closeFunctionConstructors } from './runtime/forbidden-globals'

export async function loadCompiledModule(compiled: {
  code: string
  fileName: string
}): Promise<AnyNodeDefinition> {
  process.setSourceMapsEnabled(true)
  closeFunctionConstructors()
  const dir = mkdtempSync(join(tmpdir(), 'consensus-lab-node-'))
  const file = join(dir, `${basename(compiled.fileName).replace(/\.[tj]s$/, '')}.mjs`)
  writeFileSync(file, compiled.code)
  const loaded = (await import(pathToFileURL(file).href)) as { default?: unknown }
  const problem = nodeDefinitionProblem(loaded.default)
  if (problem !== null) throw new Error(`${compiled.fileName}: ${problem}`)
  return loaded.default as AnyNodeDefinition
}
