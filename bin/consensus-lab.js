#!/usr/bin/env node
// Starts the terminal REPL from the TypeScript sources (tsx compiles them as they load).
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const cli = fileURLToPath(new URL('../src/main/cli.ts', import.meta.url))
// tsx resolved from here, not from the current folder: the command works from anywhere.
const tsx = import.meta.resolve('tsx')
const result = spawnSync(process.execPath, ['--import', tsx, cli, ...process.argv.slice(2)], {
  stdio: 'inherit',
})
process.exit(result.status ?? 1)
