// Type-checks each layer with its own tsconfig, so that a layer reaching for
// what it may not use (Node in the core, the DOM in main) fails the check.

import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const tsc = `${root}node_modules/typescript/bin/tsc`
const layers = [
  ['core (no Node, no DOM)', 'tsconfig.core.json'],
  ['node', 'tsconfig.node.json'],
  ['electron', 'tsconfig.electron.json'],
  ['renderer', 'tsconfig.web.json'],
]

let failed = 0
for (const [name, config] of layers) {
  const result = spawnSync(process.execPath, [tsc, '-p', config, '--pretty', 'false'], {
    cwd: root,
    encoding: 'utf8',
  })
  if (result.status === 0) {
    console.log(`typecheck ${name}: ok`)
  } else {
    failed++
    console.log(`typecheck ${name}: FAILED (${config})`)
    process.stdout.write(result.stdout + result.stderr)
  }
}
process.exit(failed === 0 ? 0 : 1)
