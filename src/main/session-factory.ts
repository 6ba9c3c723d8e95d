// One way to make a terminal session on this machine: the real-time cluster
// (worker threads on 127.0.0.1), checks and explorations on a job thread, and
// runs kept in the SQLite store. The REPL (cli.ts) and browser mode (web.ts)
// both make their sessions here, so the two never drift apart.

import type { TraceEvent } from '../shared/trace'
import { RealTimeCluster } from './cluster/cluster'
import { Session } from './commands/interpreter'
import type { RunLibrary } from './commands/run-library'
import { JobThread } from './jobs/job-thread'
import { loadCourse } from './lesson-files'
import { memoryProgress, type LessonProgress } from './lessons/progress'
import { resolveDatabasePath } from './store/database'
import { openStore } from './store/store'
import { StoredProgress } from './store/stored-progress'
import { StoredRuns } from './store/stored-runs'
import type { CodeShelf } from './code/code-service'
import type { LearnerCodeSlot } from './code/learner-code'
import { asksForCode, startingCode } from './code/lesson-code'

/** How much the unsaved runs may take, and for how long they are kept. */
const keptRunsBytesMax = 2 * 1024 ** 3
const keptRunsAgeMsMax = 30 * 24 * 3600 * 1000

export interface KeptRuns {
  /** Where runs are kept; absent when the store could not be opened (the session still works). */
  runs?: RunLibrary
  /** Where lesson progress is kept; absent with the store (progress then lasts the session). */
  progress?: LessonProgress
  /** Where the learner's named code versions are kept; absent with the store. */
  code?: CodeShelf
  /** Flushes the last events of runs still being recorded and closes the store. */
  close(): void
}

/**
 * Opens the store runs are kept in (`db`, or lab.db in the user's config
 * folder) and prunes old unsaved runs. What the learner should know (a moved
 * damaged file, pruned runs, a store that cannot be opened) goes to `tell`.
 */
export function openKeptRuns(options: { db?: string; tell: (line: string) => void }): KeptRuns {
  const file = resolveDatabasePath(options.db === undefined ? {} : { db: options.db })
  const opened = openStore(file)
  if (!opened.ok) {
    options.tell(`${opened.message} Runs are not kept in this session.`)
    return { close: () => {} }
  }
  if (opened.notice !== null) options.tell(opened.notice)
  const store = opened.store
  // Unsaved runs are kept a while, within a budget; saved ones (save NAME) always.
  const pruned = store.pruneRuns({ bytesMax: keptRunsBytesMax, olderThanMs: keptRunsAgeMsMax })
  if (pruned.deleted.length > 0) {
    options.tell(
      `pruned ${pruned.deleted.length} unsaved runs older than 30 days or past 2 GiB in all (${Math.round(pruned.bytesFreed / 1024 / 1024)} MiB); save a run to keep it.`,
    )
  }
  return {
    runs: new StoredRuns(store),
    progress: new StoredProgress(store),
    code: store,
    close: () => store.close(),
  }
}

export interface NodeSessionOptions {
  runs?: RunLibrary
  /** Lesson progress; without it, progress lasts this session only. */
  progress?: LessonProgress
  /** Shows how a long command is getting on (a progress bar). */
  onProgress?: (line: string) => void
  /** Events worth telling as they happen between commands (Session's onNotable). */
  onNotable?: (line: string) => void
  /** Sees every event of every cluster the session starts. */
  observe?: (event: TraceEvent) => void
  /** Sees each real-time cluster the session makes (the code editor applies code to it). */
  onRealTimeCluster?: (cluster: RealTimeCluster) => void
  /** The code the editor applied (for `explore --code`); absent where there is no editor. */
  learnerCode?: LearnerCodeSlot
}

/** A session whose clusters run in real time as threads on this machine (or simulated, with --sim). */
export function createNodeSession(options: NodeSessionOptions = {}): Session {
  return new Session({
    realTime: () => {
      const cluster = new RealTimeCluster()
      options.onRealTimeCluster?.(cluster)
      return cluster
    },
    // Checks and explorations run on a thread of their own: the prompt stays responsive.
    jobs: new JobThread(),
    // A long simulated command lets the connection, the views and Ctrl+C through.
    breathe: () => new Promise((resolve) => setImmediate(resolve)),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    ...(options.onNotable === undefined ? {} : { onNotable: options.onNotable }),
    ...(options.observe === undefined ? {} : { observe: options.observe }),
    ...(options.runs === undefined ? {} : { runs: options.runs }),
    ...(options.learnerCode === undefined ? {} : learnerCodeOptions(options.learnerCode)),
    lessons: {
      course: loadCourse(),
      progress: options.progress ?? memoryProgress(),
      now: Date.now,
    },
  })
}

/** The session's side of the editor's code: what `explore --code` explores, and each lesson's starting code. */
export function learnerCodeOptions(slot: LearnerCodeSlot): {
  learnerCode: () => ReturnType<LearnerCodeSlot['current']>
  onLessonOpened: (lesson: Parameters<typeof asksForCode>[0]) => void
} {
  return {
    learnerCode: () => slot.current(),
    onLessonOpened: (lesson) =>
      slot.setStartingCode(asksForCode(lesson) ? startingCode(lesson.setup) : null),
  }
}
