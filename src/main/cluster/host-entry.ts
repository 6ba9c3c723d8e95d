// Where a worker thread's code is: the node host (src/workers/host.ts) and the
// job thread (src/main/jobs/job-worker.ts). The Electron build ships them
// bundled beside the main bundle (out/main/host.mjs, job-worker.mjs: see
// src/main/electron/worker-bundles.ts), and the packaged app unpacks them
// from app.asar, since a worker thread cannot load its script from inside
// the archive; everywhere else (tests, the REPL, benchmarks) each is bundled
// once per process, so every runtime loads the same compiled worker.

import type { BuildOptions } from 'esbuild'
import { existsSync } from 'node:fs'
import { mkdtemp } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface WorkerScript {
  /** The bundle's name beside the main bundle (.mjs: no package.json marks it ESM there). */
  shipped: string
  /** Its entry in the checkout. */
  source: string
}

export const workerScripts = {
  host: { shipped: 'host.mjs', source: 'src/workers/host.ts' },
  job: { shipped: 'job-worker.mjs', source: 'src/main/jobs/job-worker.ts' },
} as const satisfies Record<string, WorkerScript>

const bundled = new Map<string, Promise<string>>()

export function hostEntry(): Promise<string> {
  return workerEntry(workerScripts.host)
}

/** The compiled worker script: shipped beside this bundle, or its source bundled once. */
export function workerEntry(script: WorkerScript): Promise<string> {
  const here = dirname(fileURLToPath(import.meta.url))
  const shipped = shippedWorkerPath(here, script.shipped, existsSync)
  if (shipped !== null) return Promise.resolve(shipped)
  let entry = bundled.get(script.source)
  if (entry === undefined) {
    bundled.set(script.source, (entry = bundleWorker(findInCheckout(script.source))))
  }
  return entry
}

/**
 * A shipped worker's path, given the folder of the main bundle: inside a
 * packaged app that folder is in app.asar, and the worker is in the same
 * place under app.asar.unpacked. Null when none is shipped (a source checkout).
 */
export function shippedWorkerPath(
  here: string,
  name: string,
  exists: (path: string) => boolean,
): string | null {
  const path = unpackedPath(join(here, name))
  return exists(path) ? path : null
}

/**
 * The same path outside the archive, for a file inside a packaged app's
 * app.asar: worker threads, dlopen and esbuild read real files, not the
 * archive Electron's fs shows. Other paths are returned as they are.
 */
export function unpackedPath(path: string): string {
  const archive = `${sep}app.asar${sep}`
  return path.includes(archive) ? path.replace(archive, `${sep}app.asar.unpacked${sep}`) : path
}

/**
 * A file of the checkout (or of the packaged app's unpacked sources) this code
 * runs from, whether run as source or bundled elsewhere in it.
 */
export function findInCheckout(path: string): string {
  const from = dirname(fileURLToPath(import.meta.url))
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = unpackedPath(join(dir, path))
    if (existsSync(candidate)) return candidate
    if (dirname(dir) === dir) throw new Error(`cannot find ${path} above ${from}`)
  }
}

/** How a worker is bundled, here and for the Electron build: one file, ESM, for Node. */
export function workerBundleOptions(source: string, outfile: string): BuildOptions {
  return {
    entryPoints: [source],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    sourcemap: 'inline',
  }
}

async function bundleWorker(source: string): Promise<string> {
  // esbuild is a development dependency: only source checkouts come here.
  const { build } = await import('esbuild')
  const outfile = join(await mkdtemp(join(tmpdir(), 'consensus-lab-')), 'worker.mjs')
  await build(workerBundleOptions(source, outfile))
  return outfile
}
