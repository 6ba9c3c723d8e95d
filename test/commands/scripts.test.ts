// Scenario scripts: files in test/testdata written in the command language,
// each command (a line starting with "> ") followed by its expected output.
// They run through the same interpreter a learner types into, in the
// simulator, where every run is exact. A deliberate change rewrites the
// expected output with UPDATE=1; review the diff like code.

import { readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { Session } from '../../src/main/commands/interpreter'

const dir = fileURLToPath(new URL('../testdata/', import.meta.url))
const scripts = readdirSync(dir).filter((name) => name.endsWith('.txt'))

interface Step {
  /** Comment lines before the command, kept as they are. */
  comments: string[]
  command: string
  expected: string[]
}

function readScript(text: string): { steps: Step[]; trailing: string[] } {
  const steps: Step[] = []
  let comments: string[] = []
  for (const line of text.split('\n')) {
    if (line.startsWith('> ')) {
      steps.push({ comments, command: line.slice(2), expected: [] })
      comments = []
    } else if (line.startsWith('#') || (line === '' && steps.length === 0)) {
      comments.push(line)
    } else if (steps.length > 0 && comments.length === 0) {
      steps[steps.length - 1].expected.push(line)
    } else {
      comments.push(line)
    }
  }
  for (const step of steps) while (step.expected.at(-1) === '') step.expected.pop()
  return { steps, trailing: comments }
}

describe('scenario scripts (test/testdata)', () => {
  it('has scripts to run', () => {
    expect(scripts.length).toBeGreaterThan(0)
  })

  for (const name of scripts) {
    it(name, { timeout: 60_000 }, async () => {
      const path = `${dir}${name}`
      const { steps, trailing } = readScript(readFileSync(path, 'utf8'))
      const session = new Session()
      const out: string[] = []
      try {
        for (const step of steps) {
          const result = await session.run(step.command)
          const actual = [
            ...result.lines.map((line) => (result.ok ? line : `error: ${line}`)),
            ...result.events,
          ]
          out.push(...step.comments, `> ${step.command}`, ...actual, '')
          if (process.env['UPDATE'] !== '1') {
            expect(actual.join('\n'), `${name}: > ${step.command}`).toBe(step.expected.join('\n'))
          }
        }
      } finally {
        await session.close()
      }
      if (process.env['UPDATE'] === '1')
        writeFileSync(path, [...out, ...trailing].join('\n').replace(/\n+$/, '\n'))
    })
  }
})
