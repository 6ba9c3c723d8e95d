// Compiles a node module given as source text (TypeScript or JavaScript) into
// one JavaScript module that a worker can load. The module may import only
// the node API (and the app's own reference algorithms, which themselves
// import only the node API); anything else is refused here, before anything
// runs, with a sentence that names the import and says what to do instead.
//
// What the module cannot import it must not reach another way either: every
// free use of `process`, `require`, `globalThis` and the like is replaced by a
// stand-in that refuses (src/workers/runtime/forbidden-globals.ts), `eval`
// included, and modules loaded at run time (`import(name)`) are refused here. This
// keeps a learner's code to the node API; it is not a sandbox against code
// written to escape one (JavaScript inside one thread offers none).

import { existsSync } from 'node:fs'
import { findInCheckout } from './host-entry'

/** The node API a learner's module imports, under any of the names it might use. */
const nodeApiImport = /(^|\/)(node-api|consensus-lab)(\.ts|\.js)?$/
/** The app's reference algorithms, e.g. `consensus-lab/algorithms/raft/raft`: read-only library code. */
const algorithmImport = /^consensus-lab\/algorithms\/([a-z0-9-]+(?:\/[a-z0-9-]+)*)$/

/** A module is at most this long; the reference algorithms are a few hundred lines. */
export const sourceCharsMax = 1_000_000

export interface CompiledModule {
  /** One ES module, with an inline source map pointing at `fileName`. */
  code: string
  fileName: string
}

/** One thing wrong with the source, where it is (line from 1, column from 1). */
export interface CompileProblem {
  line: number
  column: number
  /** Characters the problem spans on its line (at least 1). */
  length: number
  text: string
}

export class CompileError extends Error {
  override name = 'CompileError'
  constructor(
    message: string,
    /** Every problem found, in order; empty when the problem has no place (e.g. too long). */
    readonly problems: readonly CompileProblem[] = [],
  ) {
    super(message)
  }
}

interface EsbuildMessage {
  text: string
  location?: { line: number; column: number; length: number } | null
}

export async function compileNodeModule(
  source: string,
  fileName = 'node.ts',
): Promise<CompiledModule> {
  if (source.length > sourceCharsMax)
    throw new CompileError(`${fileName} is over 1 MB: a node module is a few hundred lines.`)
  const { build } = await import('esbuild')
  const nodeApi = findInCheckout('src/shared/node-api.ts')
  const forbiddenGlobals = findInCheckout('src/workers/runtime/forbidden-globals.ts')
  let output: string
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
      inject: [forbiddenGlobals],
      plugins: [
        {
          name: 'only-the-node-api',
          setup(plugin) {
            plugin.onResolve({ filter: /.*/ }, (args) => {
              if (args.kind === 'entry-point') return undefined
              if (args.importer !== '<stdin>' && args.importer !== fileName) return undefined // inside the API
              if (nodeApiImport.test(args.path)) return { path: nodeApi }
              const algorithm = algorithmImport.exec(args.path)?.[1]
              if (algorithm !== undefined) {
                const path = `${findInCheckout('src/workers/algorithms')}/${algorithm}.ts`
                if (existsSync(path)) return { path }
                return { errors: [{ text: `there is no reference module "${args.path}"` }] }
              }
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
    const file = result.outputFiles[0]
    if (file === undefined) throw new CompileError(`${fileName} compiled to nothing.`)
    output = file.text
    // Modules loaded at run time would dodge the import rule: refuse them now.
    // The compiled code decides (types, `import('consensus-lab').Ctx`, are gone
    // from it); the source says where.
    if (findsImportCall(output)) {
      const lines = dynamicImports(source)
      throw compileError(fileName, lines.length > 0 ? lines : [{ text: importCallRefused }])
    }
  } catch (error) {
    if (error instanceof CompileError) throw error
    const errors = (error as { errors?: EsbuildMessage[] }).errors
    if (errors === undefined || errors.length === 0) throw error
    throw compileError(fileName, errors)
  }
  return { code: output, fileName }
}

const importCallRefused =
  'a node module may not load modules at run time (import(...)): import the node API at the top of the file'

/** A line of code with its strings emptied and its line comment cut. */
function codeOf(line: string): string {
  return line.replace(/(['"`])(?:\\.|(?!\1).)*\1/g, '""').replace(/\/\/.*$/, '')
}

/** Whether compiled code loads a module at run time. */
function findsImportCall(code: string): boolean {
  return code.split('\n').some((line) => /\bimport\s*\(/.test(codeOf(line)))
}

/** The source lines holding `import(...)`, as problems at their places. */
function dynamicImports(source: string): EsbuildMessage[] {
  const found: EsbuildMessage[] = []
  source.split('\n').forEach((line, index) => {
    const at = /\bimport\s*\(/.exec(codeOf(line))
    if (at === null) return
    found.push({
      text: importCallRefused,
      location: { line: index + 1, column: at.index, length: 6 },
    })
  })
  return found
}

/** The first problem as a sentence, `file:line:column: text` and how many more, with every problem. */
function compileError(fileName: string, messages: readonly EsbuildMessage[]): CompileError {
  const first = messages[0]
  const where = first.location
    ? `${fileName}:${first.location.line}:${first.location.column + 1}: `
    : ''
  const more = messages.length > 1 ? ` (and ${messages.length - 1} more)` : ''
  const problems = messages.flatMap(({ text, location }) =>
    location === undefined || location === null
      ? []
      : [
          {
            line: location.line,
            column: location.column + 1,
            length: Math.max(1, location.length),
            text,
          },
        ],
  )
  return new CompileError(`${where}${first.text}${more}`, problems)
}
