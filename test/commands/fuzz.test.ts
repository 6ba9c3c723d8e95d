// Nothing a learner types can crash the terminal: thousands of random and
// malformed lines, against a running simulated cluster. Each gets a result:
// an answer, or one non-empty sentence.

import { describe, expect, it } from 'vitest'
import { commandSpecs } from '../../src/main/commands/commands'
import { Session } from '../../src/main/commands/interpreter'
import { randomStream, type Random } from '../../src/shared/random'

const fragments = [
  ...commandSpecs.map((spec) => spec.name),
  'leader',
  'n1',
  'n2',
  'n3',
  'n9',
  'n0',
  'n999999',
  '*',
  '|',
  ',',
  '->',
  'n1->n2',
  'n1->*',
  '%',
  '20%',
  '-5%',
  '1e309%',
  '50-100ms',
  '100-50ms',
  'ms',
  '--sim',
  '--seed',
  '--seed=-1',
  '--last',
  '--mix',
  'read:1,write:x',
  '--keys',
  ',,,',
  '--clients',
  '0',
  '-1',
  '1e9',
  '9007199254740993',
  'NaN',
  'Infinity',
  'null',
  'true',
  '""',
  '"',
  "'",
  '\\',
  '#',
  '\u0000',
  '\u202e',
  'ñandú',
  '💥',
  'raft',
  'echo',
  'paxos',
  'x',
  'y',
  '--variant',
  'endless-loop',
  'off',
  'on',
  '2s',
  '600001',
]

function randomLine(random: Random): string {
  const pick = random()
  if (pick < 0.05) return ''
  if (pick < 0.08) return 'x'.repeat(Math.floor(random() * 3_000))
  if (pick < 0.12) {
    // raw noise: any code points
    return Array.from({ length: Math.floor(random() * 40) }, () =>
      String.fromCharCode(Math.floor(random() * 0xffff)),
    ).join('')
  }
  const words = Array.from(
    { length: 1 + Math.floor(random() * 6) },
    () => fragments[Math.floor(random() * fragments.length)],
  )
  return words.join(random() < 0.2 ? '' : ' ')
}

describe('the interpreter under random input', () => {
  it(
    'answers 3,000 random lines without throwing, each with a result or a sentence',
    { timeout: 120_000 },
    async () => {
      const session = new Session()
      expect((await session.run('start raft 5 --sim --seed 1')).ok).toBe(true)
      const random = randomStream(7, 'fuzz')
      let errors = 0
      for (let i = 0; i < 3_000; i++) {
        const line = randomLine(random)
        // Never let a random line stop the cluster for good or wait for minutes.
        if (/^\s*(stop|start|workload|wait)\b/i.test(line)) continue
        const result = await session.run(line)
        expect(Array.isArray(result.lines), line).toBe(true)
        if (!result.ok) {
          errors++
          expect(result.lines.length, line).toBeGreaterThan(0)
          expect(result.lines[0].length, line).toBeGreaterThan(5)
          expect(result.lines[0], line).not.toMatch(
            /undefined|\[object Object\]|TypeError|at .*\.ts:\d+/,
          )
        }
      }
      expect(errors).toBeGreaterThan(1_000)
      // The cluster still works after all that.
      await session.run('heal')
      await session.run('faults off')
      for (const id of ['n1', 'n2', 'n3', 'n4', 'n5']) await session.run(`restart ${id}`)
      for (const id of ['n1', 'n2', 'n3', 'n4', 'n5']) await session.run(`resume ${id}`)
      await session.run('wait 1000')
      expect((await session.run('put z 1')).ok).toBe(true)
      expect((await session.run('check')).lines[0]).toMatch(/no invariant broken/)
      await session.close()
    },
  )
})
