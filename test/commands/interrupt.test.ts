// Ctrl+C: Session.interrupt stops a command that waits on real time (wait,
// workload) or on the job thread (explore), and the command answers with what
// it got so far; the session takes the next command as usual.

import { describe, expect, it } from 'vitest'
import { Session, type Result } from '../../src/main/commands/interpreter'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import { JobThread } from '../../src/main/jobs/job-thread'

/** Runs `line`, interrupting it after `afterMs` of wall time; the answer and how long it took. */
async function interrupted(
  session: Session,
  line: string,
  afterMs: number,
): Promise<{ result: Result; tookMs: number; stopped: boolean }> {
  const started = performance.now()
  const running = session.run(line)
  await new Promise((resolve) => setTimeout(resolve, afterMs))
  const stopped = await session.interrupt()
  const result = await running
  return { result, tookMs: performance.now() - started, stopped }
}

describe('interrupting a command (Ctrl+C)', { timeout: 60_000 }, () => {
  it('has nothing to stop between commands', async () => {
    const session = new Session()
    try {
      expect(await session.interrupt()).toBe(false)
      await session.run('help')
      expect(await session.interrupt()).toBe(false)
    } finally {
      await session.close()
    }
  })

  it('stops a real-time wait and a paced workload, which say how far they got', async () => {
    const session = new Session({ realTime: () => new RealTimeCluster() })
    try {
      expect((await session.run('start raft 3')).ok).toBe(true)
      expect((await session.run('wait 1500')).ok).toBe(true)

      const wait = await interrupted(session, 'wait 60000', 300)
      expect(wait.stopped).toBe(true)
      expect(wait.result.ok).toBe(false)
      expect(wait.result.lines[0]).toMatch(/^interrupted \(Ctrl\+C\) after \d+(\.\d)? ms of 60000$/)
      expect(wait.tookMs).toBeLessThan(10_000) // a minute's wait, cut short

      // 5 operations a second for 200 s, cut short after about a second.
      const load = await interrupted(session, 'workload 1000 --clients 2 --rate 5', 1_200)
      expect(load.stopped).toBe(true)
      expect(load.result.ok).toBe(false)
      const found =
        /^workload interrupted \(Ctrl\+C\) after [\d.]+ s: (\d+) of 1000 operations done/.exec(
          load.result.lines[0] ?? '',
        )
      expect(found, load.result.lines.join('\n')).not.toBeNull()
      expect(Number(found?.[1])).toBeLessThan(50)

      // The workload started nothing more once stopped; the session goes on.
      await session.run('wait 1000')
      const status = await session.run('status')
      expect(status.ok).toBe(true)
      expect((await session.run('workload 10 --clients 2')).ok).toBe(true)
    } finally {
      await session.close()
    }
  })

  it('lets a simulated wait run to its end, breathing between slices, with the same run as without', async () => {
    const breathing = new Session({
      breathe: () => new Promise((resolve) => setImmediate(resolve)),
    })
    const holding = new Session()
    try {
      const lines = ['start raft 5 --sim --seed 4', 'wait 300', 'kill leader', 'wait 20000']
      let ticks = 0
      const ticker = setInterval(() => ticks++, 1)
      let stopped: boolean | null = null
      for (const line of lines.slice(0, -1)) await breathing.run(line)
      let ticksWhenDone = -1
      const long = breathing.run(lines[lines.length - 1] ?? '').then((result) => {
        ticksWhenDone = ticks
        return result
      })
      stopped = await breathing.interrupt()
      const breathed = await long
      clearInterval(ticker)
      // The program ran meanwhile (a timer fired before the wait was over), and
      // Ctrl+C stopped nothing.
      expect(ticksWhenDone).toBeGreaterThan(0)
      expect(stopped).toBe(false)
      expect(breathed.ok).toBe(true)
      expect(breathed.lines).toEqual(['20000 ms passed'])

      let held: Result | null = null
      for (const line of lines) held = await holding.run(line)
      // The same run: the same events, the same status.
      expect(breathed.events).toEqual(held?.events)
      expect((await breathing.run('status')).lines).toEqual((await holding.run('status')).lines)
    } finally {
      await breathing.close()
      await holding.close()
    }
  })

  it('stops an exploration on the job thread, and the next job runs on a fresh one', async () => {
    const session = new Session({ jobs: new JobThread() })
    try {
      const explore = await interrupted(session, 'explore raft --runs 10000', 1_500)
      expect(explore.stopped).toBe(true)
      expect(explore.result.ok).toBe(false)
      expect(explore.result.lines[0]).toBe('interrupted (Ctrl+C) before it finished.')
      const again = await session.run('explore raft --runs 3')
      expect(again.ok, again.lines.join('\n')).toBe(true)
    } finally {
      await session.close()
    }
  })
})
