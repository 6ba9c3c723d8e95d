// The project's own rules, run as tests so that `npm test` fails when they
// break: each layer type-checks with its own config, lint holds the layers and
// the house rules, and Prettier holds the format.

import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))
const bin = (name: string): string => `${root}node_modules/.bin/${name}`

function run(command: string, args: string[]): { status: number | null; output: string } {
  const result = spawnSync(command, args, {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, FORCE_COLOR: '0' },
  })
  return { status: result.status, output: `${result.stdout}${result.stderr}` }
}

describe('static checks', () => {
  it('type-checks every layer with its own rules', { timeout: 300_000 }, () => {
    const { status, output } = run(process.execPath, ['scripts/typecheck.mjs'])
    expect(status, output).toBe(0)
  })

  it('passes lint with no warnings', { timeout: 300_000 }, () => {
    const { status, output } = run(bin('eslint'), ['--max-warnings', '0', '.'])
    expect(status, output).toBe(0)
  })

  it('is formatted with Prettier', { timeout: 300_000 }, () => {
    const { status, output } = run(bin('prettier'), ['--check', '.'])
    expect(status, output).toBe(0)
  })
})
