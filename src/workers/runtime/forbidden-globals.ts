// What a learner's module sees in place of the host's doors to the world.
// compile.ts injects this file into every module compiled from source text:
// esbuild rewrites each free use of these names (never a local variable of the
// same name) to the stand-ins below, so `process.exit()` or `require('fs')` in a
// handler crashes that node with a sentence instead of reaching the worker's
// process or the file system. Frames in this folder are skipped when a failure
// is located, so the crash points at the learner's line.

/** The globals a node module may not touch, and what to use instead. */
const insteadOf: Record<string, string> = {
  process: 'a node reads time with ctx.now() and stops only by crashing',
  require: 'import only the node API, at the top: import { defineNode } from "consensus-lab"',
  module: 'export the node as the default: export default defineNode({ ... })',
  exports: 'export the node as the default: export default defineNode({ ... })',
  global: 'everything a node does goes through ctx',
  globalThis: 'everything a node does goes through ctx',
  self: 'everything a node does goes through ctx',
  Function: 'write functions in the module itself',
  eval: 'write the code in the module itself',
}

/** The sentence a node's failure carries when its code touches `name`. */
export function forbiddenGlobalSentence(name: string): string {
  return `${name} is not available to a node module: ${insteadOf[name] ?? 'everything a node does goes through ctx'}.`
}

/** V8's way to leave this file's frames out of an error's stack (the core's types do not know it). */
const captureStackTrace = (
  Error as { captureStackTrace?: (target: object, below: (...args: never[]) => unknown) => void }
).captureStackTrace

/** A stand-in that refuses every use: reading a property, calling, constructing, writing. */
function refusing(name: string): unknown {
  const refuse = (): never => {
    const error = new Error(forbiddenGlobalSentence(name))
    // The stack starts at the learner's line, whatever file this code was bundled into.
    captureStackTrace?.(error, refuse)
    throw error
  }
  return new Proxy(function forbidden() {}, {
    get: refuse,
    set: refuse,
    has: refuse,
    apply: refuse,
    construct: refuse,
    defineProperty: refuse,
    deleteProperty: refuse,
    getPrototypeOf: refuse,
    setPrototypeOf: refuse,
    ownKeys: refuse,
    getOwnPropertyDescriptor: refuse,
  })
}

const process = refusing('process')
const require = refusing('require')
const module = refusing('module')
const exports = refusing('exports')
const global = refusing('global')
const globalObject = refusing('globalThis')
const self = refusing('self')
const FunctionConstructor = refusing('Function')
const evaluate = refusing('eval')

/**
 * Closes the door the stand-ins cannot: every function's `constructor` (for
 * example `(() => {}).constructor('return process')()`) compiles text in the
 * global scope, past them. Called in a node's worker before a module compiled
 * from text loads; the host's own code never builds functions from text.
 */
export function closeFunctionConstructors(): void {
  const examples = [function () {}, async function () {}, function* () {}, async function* () {}]
  for (const example of examples) {
    const prototype = Object.getPrototypeOf(example) as object
    // Closed already: a job thread loads one learner module after another.
    if (Object.getOwnPropertyDescriptor(prototype, 'constructor')?.configurable === false) continue
    Object.defineProperty(prototype, 'constructor', {
      value: refusing('Function'),
      writable: false,
      configurable: false,
    })
  }
}

export {
  process,
  require,
  module,
  exports,
  global,
  globalObject as globalThis,
  self,
  FunctionConstructor as Function,
  evaluate as eval,
}
