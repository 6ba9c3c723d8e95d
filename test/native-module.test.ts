// scripts/native-module.mjs (issue 5: "npm test and npm start each make sure
// better-sqlite3 is built for their runtime, in either order"). The decision
// is a pure function, tested case by case; switching runtimes is then tested
// on a scratch copy of the package with a real Node build and a stand-in
// Electron build, with builders that fail the test if anything would compile.

import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

interface Decision {
  stash: boolean
  action: 'none' | 'restore' | 'build'
}
interface Builders {
  node: () => void
  electron: () => void
}
interface NativeModuleScript {
  decideNativeAction(state: {
    wantAbi: string
    activeAbi: string | null
    loads: boolean | null
    cachedAbis: readonly string[]
  }): Decision
  readModuleAbi(bytes: Buffer): string | null
  ensureNativeModule(
    runtime: string,
    options?: { packageDir?: string; cacheDir?: string; electronDir?: string; build?: Builders },
  ): string | null
}

const root = fileURLToPath(new URL('..', import.meta.url))
const scriptPath = join(root, 'scripts', 'native-module.mjs')
// Imported by a computed URL: the script is plain JavaScript without type declarations.
const scriptUrl = new URL('../scripts/native-module.mjs', import.meta.url).href
const script = (await import(scriptUrl)) as NativeModuleScript
const realBuild = join(
  root,
  'node_modules',
  'better-sqlite3',
  'build',
  'Release',
  'better_sqlite3.node',
)
const nodeAbi = process.versions.modules
const electronAbi = '150'

describe('decideNativeAction', () => {
  const node = (
    activeAbi: string | null,
    loads: boolean | null,
    cachedAbis: string[] = [],
  ): Decision => script.decideNativeAction({ wantAbi: nodeAbi, activeAbi, loads, cachedAbis })
  const electron = (
    activeAbi: string | null,
    loads: boolean | null,
    cachedAbis: string[] = [],
  ): Decision => script.decideNativeAction({ wantAbi: electronAbi, activeAbi, loads, cachedAbis })

  it('keeps a Node build that loads, caching it once', () => {
    expect(node(nodeAbi, true, [nodeAbi])).toEqual({ stash: false, action: 'none' })
    expect(node(nodeAbi, true)).toEqual({ stash: true, action: 'none' })
  })

  it('switches from the Electron build to the cached Node build, keeping the Electron one', () => {
    expect(node(electronAbi, null, [nodeAbi])).toEqual({ stash: true, action: 'restore' })
    expect(node(electronAbi, null, [nodeAbi, electronAbi])).toEqual({
      stash: false,
      action: 'restore',
    })
  })

  it('builds for Node when the cache has no Node build', () => {
    expect(node(electronAbi, null, [electronAbi])).toEqual({ stash: false, action: 'build' })
    expect(node(null, null)).toEqual({ stash: false, action: 'build' })
    expect(node(null, null, [nodeAbi])).toEqual({ stash: false, action: 'restore' })
  })

  it('never keeps or caches a Node build that does not load', () => {
    expect(node(nodeAbi, false)).toEqual({ stash: false, action: 'build' })
    expect(node(nodeAbi, false, [nodeAbi])).toEqual({ stash: false, action: 'restore' })
  })

  it('keeps an Electron build for Electron, and switches or builds otherwise', () => {
    expect(electron(electronAbi, null, [electronAbi])).toEqual({ stash: false, action: 'none' })
    expect(electron(nodeAbi, true, [electronAbi])).toEqual({ stash: true, action: 'restore' })
    expect(electron(nodeAbi, true, [nodeAbi])).toEqual({ stash: false, action: 'build' })
    expect(electron(nodeAbi, false, [])).toEqual({ stash: false, action: 'build' })
  })

  it('keeps a build for a newer Node (another ABI) when this Node needs its own', () => {
    expect(node('127', null)).toEqual({ stash: true, action: 'build' })
  })

  it('keeps a Node-API build for both runtimes', () => {
    expect(node('napi', true)).toEqual({ stash: true, action: 'none' })
    expect(electron('napi', true, ['napi'])).toEqual({ stash: false, action: 'none' })
  })
})

describe('readModuleAbi', () => {
  it("reads this Node's ABI from the real build and others from their symbols", () => {
    expect(script.readModuleAbi(readFileSync(realBuild))).toBe(nodeAbi)
    expect(script.readModuleAbi(Buffer.from('\0node_register_module_v150\0'))).toBe('150')
    expect(script.readModuleAbi(Buffer.from('\0napi_register_module_v1\0'))).toBe('napi')
    expect(script.readModuleAbi(Buffer.from('not a module'))).toBeNull()
  })
})

describe('the Node check on this checkout', () => {
  it('does nothing and prints nothing when the build already fits', () => {
    // npm test ran the check just before this suite, so the build fits.
    const before = statSync(realBuild)

    const result = spawnSync(process.execPath, [scriptPath, 'node'], { encoding: 'utf8' })

    expect(result.stderr).toBe('')
    expect(result.stdout).toBe('')
    expect(result.status).toBe(0)
    const after = statSync(realBuild)
    expect([after.ino, after.mtimeMs, after.size]).toEqual([
      before.ino,
      before.mtimeMs,
      before.size,
    ])
  })

  it('refuses an unknown runtime with a sentence', () => {
    const result = spawnSync(process.execPath, [scriptPath, 'deno'], { encoding: 'utf8' })

    expect(result.status).toBe(1)
    expect(result.stderr.trim()).toBe(
      'Say which runtime to build better-sqlite3 for: node or electron, not deno.',
    )
  })
})

describe('switching runtimes in a scratch copy', () => {
  let dir: string
  let packageDir: string
  let cacheDir: string
  let electronDir: string
  let active: string
  /** Stands in for an Electron build: the symbol is all the check reads, and Node cannot load it. */
  const electronBuild = Buffer.from(`ELF stand-in \0node_register_module_v${electronAbi}\0`)
  const noBuilds: Builders = {
    node: () => expect.unreachable('the Node build should come from the cache'),
    electron: () => expect.unreachable('the Electron build should come from the cache'),
  }
  const options = (
    build: Builders = noBuilds,
  ): Parameters<NativeModuleScript['ensureNativeModule']>[1] => ({
    packageDir,
    cacheDir,
    electronDir,
    build,
  })

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'native-module-'))
    packageDir = join(dir, 'better-sqlite3')
    cacheDir = join(dir, 'cache')
    electronDir = join(dir, 'electron')
    active = join(packageDir, 'build', 'Release', 'better_sqlite3.node')
    mkdirSync(join(packageDir, 'build', 'Release'), { recursive: true })
    mkdirSync(electronDir)
    writeFileSync(
      join(packageDir, 'package.json'),
      '{ "name": "better-sqlite3", "version": "12.11.1" }',
    )
    writeFileSync(join(electronDir, 'package.json'), '{ "name": "electron", "version": "45.4.1" }')
    writeFileSync(join(electronDir, 'abi_version'), `${electronAbi}\n`)
    copyFileSync(realBuild, active)
  })

  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  /**
   * Puts a new file at `path` the way a build does, as a new file: this
   * process may have loaded the old one, and rewriting a loaded module in
   * place would crash it.
   */
  function replaceFile(path: string, bytes: Buffer): void {
    writeFileSync(`${path}.new`, bytes)
    renameSync(`${path}.new`, path)
  }

  /** One check in its own process, as npm runs it: a process that loaded a module keeps it loaded. */
  function check(runtime: string): string {
    const folders = [
      '--package-dir',
      packageDir,
      '--cache-dir',
      cacheDir,
      '--electron-dir',
      electronDir,
    ]
    const result = spawnSync(process.execPath, [scriptPath, runtime, ...folders], {
      encoding: 'utf8',
    })
    expect(result.stderr).toBe('')
    expect(result.status).toBe(0)
    return result.stdout.trim()
  }

  it('goes Node, Electron, Node, Electron by copies once each build is known', () => {
    // The Node check keeps the fresh Node build in the cache.
    expect(check('node')).toBe('')
    // An Electron build arrives (as a successful Electron build would leave it).
    replaceFile(active, electronBuild)
    expect(check('electron')).toBe('')

    expect(check('node')).toBe(
      `better-sqlite3: switched to the build for Node ${process.versions.node} (ABI ${nodeAbi}) kept in the cache.`,
    )
    expect(readFileSync(active).equals(readFileSync(realBuild))).toBe(true)

    expect(check('electron')).toBe(
      `better-sqlite3: switched to the build for Electron 45.4.1 (ABI ${electronAbi}) kept in the cache.`,
    )
    expect(readFileSync(active).equals(electronBuild)).toBe(true)

    expect(check('node')).toMatch(/switched to the build for Node/)
    expect(readFileSync(active).equals(readFileSync(realBuild))).toBe(true)
    expect(check('node')).toBe('')
  })

  it('builds for Node when nothing fits, and caches the result', () => {
    replaceFile(active, electronBuild)
    let built = 0
    const build: Builders = {
      node: () => {
        built++
        replaceFile(active, readFileSync(realBuild)) // what npm rebuild leaves behind
      },
      electron: noBuilds.electron,
    }

    const message = script.ensureNativeModule('node', options(build))

    expect(message).toBe(
      `better-sqlite3: built for Node ${process.versions.node} (ABI ${nodeAbi}) and kept in the cache.`,
    )
    expect(built).toBe(1)
    // Both builds are now cached: back to Electron is a copy.
    expect(script.ensureNativeModule('electron', options())).toMatch(
      /switched to the build for Electron/,
    )
  })

  it('leaves the Node build in place when the Electron build fails, with one sentence', () => {
    const failing: Builders = {
      node: noBuilds.node,
      electron: () => {
        throw new Error('no prebuilt binary could be had (getaddrinfo ENOTFOUND github.com)')
      },
    }
    const before = readFileSync(active)

    expect(() => script.ensureNativeModule('electron', options(failing))).toThrow(
      `Could not build better-sqlite3 for Electron 45.4.1 (ABI ${electronAbi}): no prebuilt binary could be had (getaddrinfo ENOTFOUND github.com); run npm start once on a machine that can reach github.com or electronjs.org (the build is then kept in ${cacheDir} and reused), and npm test is not affected.`,
    )

    expect(readFileSync(active).equals(before)).toBe(true)
    expect(script.ensureNativeModule('node', options())).toBeNull()
  })
})
