// `metrics`: the Metrics tab's numbers in the terminal, from the session's own
// aggregator over the events of the run it started.

import { describe, expect, it } from 'vitest'
import { complete } from '../../src/main/commands/complete'
import { Session, type Result } from '../../src/main/commands/interpreter'

/** The row of the metrics table whose first cell is `metric`. */
function row(result: Result, metric: string): string[] {
  const found = result.table?.rows.find((cells) => cells[0] === metric)
  if (found === undefined) throw new Error(`no row ${metric} in:\n${result.lines.join('\n')}`)
  return found
}

/** A node's lag, from the per-node table under the metrics. */
function behind(result: Result, node: string): number {
  const line = result.lines.find((l) => l.split(/\s+/)[0] === node)
  if (line === undefined) throw new Error(`no line for ${node} in:\n${result.lines.join('\n')}`)
  return Number(line.trim().split(/\s+/)[2])
}

async function typed(session: Session, lines: string[]): Promise<Result> {
  let last: Result | null = null
  for (const line of lines) last = await session.run(line)
  if (last === null) throw new Error('no line typed')
  return last
}

describe('metrics', () => {
  it('needs a cluster, and says so before any time has passed', async () => {
    const session = new Session()
    try {
      const none = await session.run('metrics')
      expect(none.ok).toBe(false)
      expect(none.lines[0]).toContain('no cluster is running')
      const fresh = await typed(session, ['start raft 5 --sim --seed 1', 'metrics'])
      expect(fresh.ok).toBe(true)
      expect(fresh.lines[0]).toContain('no run time has passed yet')
    } finally {
      await session.close()
    }
  })

  it('paces a workload with --rate, in simulated time too', async () => {
    const session = new Session()
    try {
      const result = await typed(session, [
        'start raft 5 --sim --seed 1',
        'wait 500',
        'workload 100 --clients 8 --rate 50',
      ])
      expect(result.ok).toBe(true)
      // 100 operations at 50 a second take about 2 s, though 8 clients could go faster.
      const found = /^100 of 100 operations from 8 clients at up to 50\/s in ([\d.]+) s/.exec(
        result.lines[0] ?? '',
      )
      expect(found, result.lines.join('\n')).not.toBeNull()
      expect(Number(found?.[1])).toBeGreaterThanOrEqual(1.9)
      expect(Number(found?.[1])).toBeLessThan(3)
    } finally {
      await session.close()
    }
  })

  it('counts messages by type, commits, latency and the election of a busy run', async () => {
    const session = new Session()
    try {
      const result = await typed(session, [
        'start raft 5 --sim --seed 1',
        'wait 500',
        'workload 300 --clients 4',
        'wait 500',
        'metrics',
      ])
      expect(result.ok).toBe(true)
      expect(result.table?.columns).toEqual(['metric', 'last second', 'window'])
      expect(Number(row(result, 'messages/s append_entries')[2])).toBeGreaterThan(100)
      expect(Number(row(result, 'commits/s')[1])).toBeGreaterThan(50)
      expect(Number(row(result, 'operations ok/s')[2])).toBeGreaterThan(50)
      expect(row(result, 'latency p50')[2]).toMatch(/^\d+(\.\d)? ms$/)
      expect(row(result, 'latency p99')[2]).toMatch(/^\d+(\.\d)? ms$/)
      expect(row(result, 'elections')[2]).toBe('1')
      expect(result.lines.join('\n')).toContain('became leader: n1 term 1 at')
      expect(result.lines.join('\n')).toContain('behind leader n1')
    } finally {
      await session.close()
    }
  })

  it('shows a slow node by its lag, while the majority keeps latency low', async () => {
    const session = new Session()
    try {
      const result = await typed(session, [
        'start raft 5 --sim --seed 4',
        'wait 500',
        'delay 60-90ms *->n3',
        'workload 300 --clients 4',
        'metrics',
      ])
      expect(behind(result, 'n3')).toBeGreaterThan(20)
      for (const node of ['n1', 'n2', 'n4', 'n5']) expect(behind(result, node)).toBeLessThan(5)
      expect(Number.parseFloat(row(result, 'latency p99')[2])).toBeLessThan(50)
    } finally {
      await session.close()
    }
  })

  it('shows an election storm: votes asked, nothing appended or committed, no leader', async () => {
    const session = new Session()
    try {
      const storm = await typed(session, [
        'start raft 5 --sim --seed 1',
        'wait 500',
        'delay 150-300ms',
        'wait 3000',
        'metrics',
      ])
      expect(Number(row(storm, 'messages/s request_vote')[1])).toBeGreaterThan(10)
      expect(row(storm, 'messages/s append_entries')[1]).toBe('0')
      expect(row(storm, 'commits/s')[1]).toBe('0')
      expect(row(storm, 'elections')[1]).toBe('0')
      expect(storm.lines.join('\n')).toContain('behind the furthest node')
      const calm = await typed(session, ['faults off', 'wait 2000', 'metrics'])
      expect(Number(row(calm, 'messages/s append_entries')[1])).toBeGreaterThan(0)
      expect(row(calm, 'messages/s request_vote')[1]).toBe('0')
      expect(Number(row(calm, 'elections')[2])).toBe(2)
    } finally {
      await session.close()
    }
  })

  it('starts counting again with each cluster started', async () => {
    const session = new Session()
    try {
      await typed(session, ['start raft 5 --sim --seed 1', 'wait 2000'])
      const gossip = await typed(session, ['start gossip 3 --sim', 'wait 100', 'metrics'])
      expect(row(gossip, 'elections')[2]).toBe('0')
      expect(row(gossip, 'commits/s')[2]).toBe('- (no node reports a commit index)')
      expect(gossip.lines.join('\n')).toContain(
        'no node became leader in the window (0 since the start)',
      )
    } finally {
      await session.close()
    }
  })

  it('takes no words, and completes from its first letters', async () => {
    const session = new Session()
    try {
      const wrong = await session.run('metrics n1')
      expect(wrong.ok).toBe(false)
      expect(wrong.lines).toHaveLength(1)
      expect(complete('metr', []).candidates).toEqual(['metrics'])
      const help = await session.run('help metrics')
      expect(help.lines.join('\n')).toContain('messages/s by type')
    } finally {
      await session.close()
    }
  })
})
