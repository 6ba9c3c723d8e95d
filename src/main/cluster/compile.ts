// Compiles a node module given as source text (TypeScript or JavaScript) into
// one JavaScript module that a worker can load. The module may import only
// the node API; anything else is refused here, before anything runs, with a
// sentence that names the import and says what to do instead.

import { findInCheckout } from './host-entry'

/** The node API a learner's module imports, under any of the names it might use. */
const nodeApiImport = /(^|\/)(node-api|consensus-lab)(\.ts|\.js)?$/

export interface CompiledModule {
  /** One ES module, with an inline source map pointing at `fileName`. */
  code: string
  fileName: string
}

export class CompileError extends Error {
  override name = 'CompileError'
}

export async function compileNodeModule(
  source: string,
  fileName = 'node.ts',
): Promise<CompiledModule> {
  if (source.length > 1_000_000)
    throw new CompileError(`${fileName} is over 1 MB: a node module is a few hundred lines.`)
  const { build } = await import('esbuild')
  const nodeApi = findInCheckout('src/shared/node-api.ts')
  try {
    const result = await build({
      stdin: {
        contents: source,
        sourcefile: fileName,
        loader: fileName.endsWith('.js') ? 'js' : 'ts',
      },
      bundle: true,
      write: false,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      sourcemap: 'inline',
      logLevel: 'silent',
      plugins: [
        {
          name: 'only-the-node-api',
          setup(plugin) {
            plugin.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === 'entry-point') return undefined
              if (args.importer !== '<stdin>' && args.importer !== fileName) return undefined // inside the API
              if (nodeApiImport.test(args.path)) return { path: nodeApi }
              return {
                errors: [
                  {
                    text: `a node module may import only the node API (import { defineNode } from 'consensus-lab'), not "${args.path}": everything a node does goes through ctx`,
                  },
                ],
              }
            })
          },
        },
      ],
    })
    const output = result.outputFiles[0]
    if (output === undefined) throw new CompileError(`${fileName} compiled to nothing.`)
    return { code: output.text, fileName }
  } catch (error) {
    const errors = (
      error as { errors?: { text: string; location?: { line: number; column: number } | null }[] }
    ).errors
    if (errors === undefined || errors.length === 0) throw error
    const first = errors[0]
    const where = first.location
      ? `${fileName}:${first.location.line}:${first.location.column + 1}: `
      : ''
    const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''
    throw new CompileError(`${where}${first.text}${more}`)
  }
}
