// `help start` names every algorithm and the broken variants a learner can
// study with --variant, from the registry itself (nothing to keep in step).

import { describe, expect, it } from 'vitest'
import { Session } from '../../src/main/commands/interpreter'
import { algorithms } from '../../src/workers/algorithms'

describe('help start', () => {
  it('lists each algorithm with its variants', async () => {
    const session = new Session()
    try {
      const result = await session.run('help start')
      expect(result.ok).toBe(true)
      for (const [name, entry] of Object.entries(algorithms)) {
        const line = result.lines.find((l) => l.trim().split(' ')[0] === name)
        expect(line, `a line for ${name}`).toBeDefined()
        for (const variant of Object.keys(entry.variants)) expect(line).toContain(variant)
      }
      expect(result.lines.join('\n')).toContain('raft (variants: votes-twice,')
    } finally {
      await session.close()
    }
  })
})
