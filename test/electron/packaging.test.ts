// Packaging, as far as it can be checked without running electron-builder
// (which needs the Electron binary): the fuses the afterPack hook flips, the
// binary it flips them in, where a packaged app finds its worker scripts, and
// that the builder's config unpacks exactly those scripts and the native module.

import { FuseV1Options } from '@electron/fuses'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { electronBinary, fuseConfig } from '../../build/after-pack.mjs'
import { shippedWorkerPath, unpackedPath, workerScripts } from '../../src/main/cluster/host-entry'
import { workerBundles } from '../../src/main/electron/worker-bundles'

const root = fileURLToPath(new URL('../..', import.meta.url))

describe('the afterPack hook', () => {
  it('turns off run-as-node, NODE_OPTIONS and inspect on every platform', () => {
    for (const platform of ['linux', 'win32', 'darwin', 'mas']) {
      const fuses = fuseConfig(platform) as Record<number, boolean>
      expect(fuses[FuseV1Options.RunAsNode], platform).toBe(false)
      expect(fuses[FuseV1Options.EnableNodeOptionsEnvironmentVariable], platform).toBe(false)
      expect(fuses[FuseV1Options.EnableNodeCliInspectArguments], platform).toBe(false)
      expect(fuses[FuseV1Options.OnlyLoadAppFromAsar], platform).toBe(true)
      expect(fuses[FuseV1Options.EnableCookieEncryption], platform).toBe(true)
    }
  })

  it('checks the archive only where electron-builder embeds its hash (macOS, Windows)', () => {
    const integrity = (platform: string) =>
      (fuseConfig(platform) as Record<number, boolean>)[
        FuseV1Options.EnableEmbeddedAsarIntegrityValidation
      ]
    expect(integrity('darwin')).toBe(true)
    expect(integrity('win32')).toBe(true)
    expect(integrity('linux')).toBe(false)
    expect(fuseConfig('darwin').resetAdHocDarwinSignature).toBe(true)
    expect(fuseConfig('linux').resetAdHocDarwinSignature).toBe(false)
  })

  it('flips the binary electron-builder made', () => {
    const packager = {
      appInfo: { productFilename: 'Consensus Lab' },
      executableName: 'consensus-lab',
    }
    expect(electronBinary({ appOutDir: '/d', electronPlatformName: 'linux', packager })).toBe(
      join('/d', 'consensus-lab'),
    )
    expect(electronBinary({ appOutDir: '/d', electronPlatformName: 'win32', packager })).toBe(
      join('/d', 'Consensus Lab.exe'),
    )
    expect(electronBinary({ appOutDir: '/d', electronPlatformName: 'darwin', packager })).toBe(
      join('/d', 'Consensus Lab.app'),
    )
  })
})

describe('worker scripts in the packaged app', () => {
  const packagedMain = ['', 'opt', 'Consensus Lab', 'resources', 'app.asar', 'out', 'main'].join(
    sep,
  )
  const unpackedMain = packagedMain.replace(`${sep}app.asar${sep}`, `${sep}app.asar.unpacked${sep}`)

  it('are found under app.asar.unpacked, never inside the archive', () => {
    const files = new Set([join(unpackedMain, 'host.mjs'), join(packagedMain, 'host.mjs')])
    expect(shippedWorkerPath(packagedMain, 'host.mjs', (path) => files.has(path))).toBe(
      join(unpackedMain, 'host.mjs'),
    )
    expect(shippedWorkerPath(packagedMain, 'job-worker.mjs', (path) => files.has(path))).toBeNull()
  })

  it('are read, like the sources esbuild compiles against, from outside the archive', () => {
    expect(unpackedPath(join(packagedMain, '..', '..', 'src', 'shared', 'node-api.ts'))).toBe(
      join(unpackedMain, '..', '..', 'src', 'shared', 'node-api.ts'),
    )
    const checkout = join(root, 'src', 'shared', 'node-api.ts')
    expect(unpackedPath(checkout)).toBe(checkout)
  })

  it('are found beside the main bundle in a build, and bundled from source otherwise', () => {
    const built = join(root, 'out', 'main')
    const files = new Set([join(built, 'host.mjs')])
    expect(shippedWorkerPath(built, 'host.mjs', (path) => files.has(path))).toBe(
      join(built, 'host.mjs'),
    )
    expect(
      shippedWorkerPath(join(root, 'src', 'main', 'cluster'), 'host.mjs', () => false),
    ).toBeNull()
  })

  it('are unpacked by the builder config, with the native module and the hook', () => {
    const config = parse(readFileSync(join(root, 'electron-builder.yml'), 'utf8')) as {
      asarUnpack: string[]
      afterPack: string
      npmRebuild: boolean
      files: string[]
    }
    for (const script of Object.values(workerScripts)) {
      expect(config.asarUnpack).toContain(`out/main/${script.shipped}`)
    }
    expect(config.asarUnpack).toContain('node_modules/better-sqlite3/**')
    // The code editor compiles learner code with esbuild, which runs its own binary.
    expect(config.asarUnpack).toContain('node_modules/esbuild/**')
    expect(config.asarUnpack).toContain('node_modules/@esbuild/**')
    expect(config.npmRebuild).toBe(true)
    expect(config.files).toContain('out/**')
    expect(existsSync(join(root, config.afterPack))).toBe(true)
  })

  it('are built self-contained by the main build, one file each', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'worker-bundles-'))
    const plugin = workerBundles(root)
    const hooks = plugin as unknown as {
      configResolved(config: { build: { outDir: string } }): void
      closeBundle(): Promise<void>
    }
    hooks.configResolved({ build: { outDir } })
    await hooks.closeBundle()
    for (const script of Object.values(workerScripts)) {
      const code = readFileSync(join(outDir, script.shipped), 'utf8')
      // Nothing but Node's own modules is imported: no node_modules beside an unpacked file.
      const imports = [...code.matchAll(/^import .* from "([^"]+)";$/gm)].map((m) => m[1])
      expect(
        imports.filter((name) => !name?.startsWith('node:')),
        script.shipped,
      ).toEqual([])
    }
  })
})
