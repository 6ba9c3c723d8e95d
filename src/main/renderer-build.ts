// The renderer that browser mode serves: the same output `npm run build`
// makes (out/renderer, built by electron-vite's own renderer config), built
// only when it is missing or older than its sources. Whether it is up to date
// is decided by a hash of everything the renderer build reads (the renderer's
// and shared sources, the vite config, the locked dependency versions) kept
// beside the output: a few milliseconds, and immune to clocks and to
// checkouts that touch files without changing them.
//
// Two servers may start at once (the end-to-end tests do): a build goes to a
// folder of its own and is moved into place in one rename, and each server
// reads the files it serves into memory, so neither ever serves the other's
// half-written files.

import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface ServedFile {
  body: Buffer
  type: string
}

const contentTypes: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  js: 'text/javascript; charset=utf-8',
  mjs: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml',
  png: 'image/png',
  ttf: 'font/ttf',
  woff: 'font/woff',
  woff2: 'font/woff2',
  json: 'application/json',
  wasm: 'application/wasm',
}

/** The file beside the output that names the sources it was built from. */
export const stampFile = 'source-hash.txt'

const checkout = fileURLToPath(new URL('../..', import.meta.url))

/** What the renderer build reads: folders (every file in them) and single files. */
export const rendererInputs = [
  'src/renderer',
  'src/shared',
  'electron.vite.config.ts',
  'package-lock.json',
]

/** A hash of every input's path and contents; a missing input counts as empty. */
export function hashSources(root: string = checkout, inputs: readonly string[] = rendererInputs) {
  const hash = createHash('sha256')
  const visit = (path: string): void => {
    if (!existsSync(path)) return
    const entries = readdirSafe(path)
    if (entries === null) {
      hash.update(`${relative(root, path).split(sep).join('/')}\0`)
      hash.update(readFileSync(path))
      hash.update('\0')
      return
    }
    for (const entry of entries.sort()) visit(join(path, entry))
  }
  for (const input of inputs) visit(join(root, input))
  return hash.digest('hex')
}

function readdirSafe(path: string): string[] | null {
  try {
    return readdirSync(path)
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return null
    throw error
  }
}

/** Every file under `dir` but the stamp, by its address on the server. */
export function readServedFiles(dir: string): Map<string, ServedFile> {
  const files = new Map<string, ServedFile>()
  const visit = (path: string): void => {
    const entries = readdirSafe(path)
    if (entries === null) {
      const address = `/${relative(dir, path).split(sep).join('/')}`
      if (address === `/${stampFile}`) return
      const extension = address.slice(address.lastIndexOf('.') + 1)
      files.set(address, {
        body: readFileSync(path),
        type: contentTypes[extension] ?? 'application/octet-stream',
      })
      return
    }
    for (const entry of entries) visit(join(path, entry))
  }
  visit(dir)
  if (!files.has('/index.html')) throw new Error(`${dir} has no index.html`)
  return files
}

/** Builds the renderer into `outDir` exactly as `electron-vite build` does (its config, resolved by electron-vite). */
export async function viteBuildRenderer(outDir: string): Promise<void> {
  const saved = {
    NODE_ENV: process.env['NODE_ENV'],
    NODE_ENV_ELECTRON_VITE: process.env['NODE_ENV_ELECTRON_VITE'],
  }
  try {
    const { resolveConfig } = await import('electron-vite')
    const { build } = await import('vite')
    process.env['NODE_ENV_ELECTRON_VITE'] = 'production'
    const resolved = await resolveConfig(
      { root: checkout, logLevel: 'warn' },
      'build',
      'production',
    )
    const renderer = resolved.config?.renderer
    if (renderer === undefined) throw new Error('electron.vite.config.ts has no renderer config')
    await build({
      ...renderer,
      logLevel: 'warn',
      build: { ...renderer.build, outDir, emptyOutDir: true },
    })
  } finally {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  }
}

export interface PrepareOptions {
  /** Where the output lives (default: out/renderer of this checkout). */
  outDir?: string
  /** The current sources' hash (default: hashSources()). */
  sourceHash?: string
  /** Builds into a folder (default: viteBuildRenderer). */
  build?: (outDir: string) => Promise<void>
  /** Told before a build starts (it takes seconds). */
  tell?: (line: string) => void
}

export interface PreparedRenderer {
  files: Map<string, ServedFile>
  /** True when this call built it (it was missing or stale). */
  built: boolean
}

/** The renderer's files, built first when the output is missing or stale. */
export async function prepareRenderer(options: PrepareOptions = {}): Promise<PreparedRenderer> {
  const outDir = options.outDir ?? join(checkout, 'out', 'renderer')
  const sourceHash = options.sourceHash ?? hashSources()
  const build = options.build ?? viteBuildRenderer
  const stamp = join(outDir, stampFile)
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === sourceHash) {
    try {
      return { files: readServedFiles(outDir), built: false }
    } catch {
      // Another server is moving a new build into place: build our own below.
    }
  }
  options.tell?.(
    existsSync(stamp)
      ? 'building the page: its sources changed since the last build (a few seconds, once).'
      : 'building the page: it has not been built yet (a few seconds, once).',
  )
  const fresh = `${outDir}.building-${process.pid}-${Date.now()}`
  try {
    await build(fresh)
    writeFileSync(join(fresh, stampFile), `${sourceHash}\n`)
    const files = readServedFiles(fresh)
    replaceFolder(fresh, outDir)
    return { files, built: true }
  } finally {
    rmSync(fresh, { recursive: true, force: true })
  }
}

/** Moves `fresh` to `target`, the old target aside first; if another process got there first, keeps theirs. */
function replaceFolder(fresh: string, target: string): void {
  const old = `${target}.old-${process.pid}-${Date.now()}`
  try {
    if (existsSync(target)) renameSync(target, old)
    renameSync(fresh, target)
  } catch {
    // Lost a race with another server's build: its output is as good as ours.
  } finally {
    rmSync(old, { recursive: true, force: true })
  }
}
