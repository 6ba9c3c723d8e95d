// `partition` with one group cuts it off from the rest, and `leader` names the
// current leader there as everywhere else: `partition leader` is the usual
// first move of a lesson on partitions, in one command and with no race
// between reading the leader and cutting it off.

import { describe, expect, it } from 'vitest'
import { Session } from '../../src/main/commands/interpreter'

describe('partition', () => {
  it('cuts the leader off from the rest, and a new leader is elected among them', async () => {
    const session = new Session()
    try {
      await session.run('start raft 5 --sim --seed 1')
      await session.run('wait 1000')
      const before = await session.run('status')
      const leader = before.table?.rows.find((row) => row[2] === 'leader')?.[0]
      expect(leader).toMatch(/^n[1-5]$/)
      const cut = await session.run('partition leader')
      expect(cut.ok, cut.lines.join('\n')).toBe(true)
      const rest = ['n1', 'n2', 'n3', 'n4', 'n5'].filter((id) => id !== leader).join(',')
      expect(cut.events.join('\n')).toContain(`network: partition ${leader} | ${rest}`)
      await session.run('wait 1000')
      const after = await session.run('put x 1')
      expect(after.ok, after.lines.join('\n')).toBe(true)
      const status = await session.run('status')
      const leaders = status.table?.rows.filter((row) => row[2] === 'leader').map((row) => row[0])
      // The old leader still thinks it leads (nobody told it otherwise); a new one leads the rest.
      expect(leaders).toHaveLength(2)
    } finally {
      await session.close()
    }
  })

  it('refuses a side that holds every node, and the leader named twice', async () => {
    const session = new Session()
    try {
      await session.run('start raft 3 --sim --seed 1')
      await session.run('wait 1000')
      const all = await session.run('partition n1,n2,n3')
      expect(all.ok).toBe(false)
      expect(all.lines[0]).toBe(
        'every node is on that one side: nothing is cut. Name a side to cut off.',
      )
      const status = await session.run('status')
      const leader = status.table?.rows.find((row) => row[2] === 'leader')?.[0] ?? ''
      const twice = await session.run(`partition leader | ${leader}`)
      expect(twice.ok).toBe(false)
      expect(twice.lines[0]).toBe(
        `${leader} (the leader) is in two groups; each node belongs to one side.`,
      )
    } finally {
      await session.close()
    }
  })
})
