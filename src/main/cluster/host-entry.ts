// Where the node worker's code is. The Electron build ships it compiled
// beside the main bundle; everywhere else (tests, the REPL, benchmarks) it is
// bundled from src/workers/host.ts once per process, so every runtime loads
// the same compiled worker.

import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let bundled: Promise<string> | null = null

export function hostEntry(): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url))
  const prebuilt = join(here, 'host.js')
  if (existsSync(prebuilt)) return Promise.resolve(prebuilt)
  bundled ??= bundleHost(findInCheckout('src/workers/host.ts'))
  return bundled
}

/** A file of the checkout this code runs from, whether run as source or bundled elsewhere in it. */
export function findInCheckout(path: string): string {
  const from = dirname(fileURLToPath(import.meta.url))
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, path)
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) throw new Error(`cannot find ${path} above ${from}`)
  }
}

async function bundleHost(source: string): Promise<string> {
  // esbuild is a development dependency: only source checkouts come here.
  const { build } = await import('esbuild')
  const outfile = join(await mkdtemp(join(tmpdir(), 'consensus-lab-')), 'host.mjs')
  await build({
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    sourcemap: 'inline',
  })
  return outfile
}
