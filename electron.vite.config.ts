import react from '@vitejs/plugin-react'
import { defineConfig, externalizeDepsPlugin } from 'electron-vite'
import { fileURLToPath } from 'node:url'
import { workerBundles } from './src/main/electron/worker-bundles'

const checkout = fileURLToPath(new URL('.', import.meta.url))

export default defineConfig({
  main: {
    // The worker scripts are bundled beside index.js (host.mjs, job-worker.mjs).
    plugins: [externalizeDepsPlugin(), workerBundles(checkout)],
    build: { rollupOptions: { input: { index: 'src/main/index.ts' } } },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: { index: 'src/preload/index.ts' },
        // A sandboxed preload runs as CommonJS (Electron does not load ESM there).
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'src/renderer',
    plugins: [react()],
    // Monaco's workers import modules of their own: they are bundled as ES module workers.
    worker: { format: 'es' },
    build: {
      // electron-vite leaves the renderer unminified; the first page's script
      // is read by every start (target: under 1.5 MB).
      minify: true,
      rollupOptions: { input: { index: 'src/renderer/index.html' } },
    },
  },
})
