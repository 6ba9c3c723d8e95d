// Builds the benchmarks the way the app ships its code (bundled, no source
// transforms at run time) and runs them in a plain Node process.
//   npm run bench              every section
//   npm run bench -- sim       only sections whose name contains "sim"

import { build } from 'esbuild'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const outfile = `${root}.bench/bench.mjs`
await build({
  entryPoints: [`${root}bench/index.ts`],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  outfile,
  packages: 'external',
  logLevel: 'warning',
})
const result = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], {
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
