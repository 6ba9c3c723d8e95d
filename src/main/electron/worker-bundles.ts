// A vite plugin for the main process's build: bundles each worker script
// (host-entry.ts's workerScripts) into one self-contained file beside the
// main bundle, with the same esbuild options a source checkout uses at run
// time. Self-contained, because the packaged app unpacks them from app.asar
// (electron-builder's asarUnpack), where no node_modules can be reached.

import { join } from 'node:path'
import type { Plugin } from 'vite'
import { workerBundleOptions, workerScripts } from '../cluster/host-entry'

export function workerBundles(checkout: string): Plugin {
  let outDir = ''
  return {
    name: 'consensus-lab:worker-bundles',
    apply: 'build',
    configResolved(config) {
      outDir = config.build.outDir
    },
    async closeBundle() {
      const { build } = await import('esbuild')
      await Promise.all(
        Object.values(workerScripts).map((script) =>
          build(workerBundleOptions(join(checkout, script.source), join(outDir, script.shipped))),
        ),
      )
    },
  }
}
