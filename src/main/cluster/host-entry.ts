// Where a worker thread's code is: the node host (src/workers/host.ts) and the
// job thread (src/main/jobs/job-worker.ts). The Electron build ships them
// compiled beside the main bundle; everywhere else (tests, the REPL,
// benchmarks) each is bundled once per process, so every runtime loads the
// same compiled worker.

import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const bundled = new Map<string, Promise<string>>()

export function hostEntry(): Promise<string> {
  return workerEntry('host.js', 'src/workers/host.ts')
}

/** The compiled worker script: `prebuilt` beside this bundle, or `source` bundled once. */
export function workerEntry(prebuilt: string, source: string): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url))
  if (existsSync(join(here, prebuilt))) return Promise.resolve(join(here, prebuilt))
  let entry = bundled.get(source)
  if (entry === undefined) bundled.set(source, (entry = bundleWorker(findInCheckout(source))))
  return entry
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

async function bundleWorker(source: string): Promise<string> {
  // esbuild is a development dependency: only source checkouts come here.
  const { build } = await import('esbuild')
  const outfile = join(await mkdtemp(join(tmpdir(), 'consensus-lab-')), 'worker.mjs')
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
