// Issue 5, "Done means": the process killed with SIGKILL in the middle of
// writing progress and traces (a child process, killed for real) loses
// nothing that was committed and leaves a database that opens and passes
// SQLite's integrity check.

import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { openStore } from '../../src/main/store/store'
import { sampleEvents, useTempFolder } from './helpers'

const folder = useTempFolder()
const root = fileURLToPath(new URL('../..', import.meta.url))
const writer = fileURLToPath(new URL('sigkill-writer.ts', import.meta.url))

interface Committed {
  run: number
  events: number
  progress: number
  code: number
}

/**
 * Starts the writer on `file`, kills it with SIGKILL once it has committed at
 * least `progressBeforeKill` progress steps, and returns what it reported
 * committed before it died.
 */
function writeUntilKilled(
  file: string,
  lessonId: string,
  progressBeforeKill: number,
): Promise<Committed> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', writer, file, lessonId], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
    })
    const committed: Committed = { run: 0, events: 0, progress: 0, code: 0 }
    let stderr = ''
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
    let killed = false
    createInterface({ input: child.stdout }).on('line', (line) => {
      const [what, count] = line.split(' ')
      if (what in committed) committed[what as keyof Committed] = Number(count)
      if (!killed && committed.progress >= progressBeforeKill && committed.events > 0) {
        killed = true
        child.kill('SIGKILL')
      }
    })
    child.on('error', reject)
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') {
        reject(new Error(`the writer ended with code ${code} and no kill: ${stderr}`))
        return
      }
      resolve(committed)
    })
  })
}

describe('a process killed with SIGKILL while writing', () => {
  it('loses nothing it committed, and leaves a database that opens and checks ok', async () => {
    const file = join(folder(), 'lab.db')
    // Killed at different moments, into the same file, each time reopened.
    for (const [round, progressBeforeKill] of [10, 37, 80].entries()) {
      const lessonId = `lesson-${round}`
      const committed = await writeUntilKilled(file, lessonId, progressBeforeKill)
      expect(committed.progress).toBeGreaterThanOrEqual(progressBeforeKill)

      const opened = openStore(file)
      if (!opened.ok) throw new Error(opened.message)
      expect(opened.notice).toBeNull()
      const store = opened.store
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok')

      // Every progress step reported, with the status it was written with.
      const steps = new Map(store.progress(lessonId).map((step) => [step.stepId, step.status]))
      for (let step = 1; step <= committed.progress; step++) {
        expect(steps.get(`step-${step}`)).toBe(step % 3 === 0 ? 'done' : 'started')
      }
      expect(store.codeVersions('raft', `${lessonId} code`).length).toBeGreaterThanOrEqual(
        committed.code,
      )

      // Every event reported, exactly, in order, and the run's count agrees
      // with its rows: counters and rows commit in one transaction.
      const run = store.getRun(committed.run)
      expect(run?.endedAt).toBeNull()
      const stored = [...store.events(committed.run)]
      expect(stored.length).toBeGreaterThanOrEqual(committed.events)
      expect(run?.eventCount).toBe(stored.length)
      expect(stored).toEqual(sampleEvents(1, stored.length))
      store.close()
    }
  })
})
