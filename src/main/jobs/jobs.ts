// Long work the terminal and the app hand off: checking a history for
// linearizability and exploring fault schedules. Both can take seconds, so
// the app runs them on a thread of their own (job-thread.ts) and the prompt
// or the window stays responsive; tests and the browser's simulator-only mode
// run them right here. One interface, two places to run.

import { checkHistory, type CheckReport, type CheckRequest } from '../check/check-history'
import { explore, type ExploreReport } from '../explore/explorer'
import type { AnyNodeDefinition } from '../../shared/node-api'

export interface ExploreRequest {
  algorithm: string
  variant?: string
  runs: number
  firstSeed?: number
}

/**
 * The explorer on a learner's own module: its source is compiled and loaded
 * on the job thread, closed to the host the way a node's worker is, and
 * never on the thread that asks.
 */
export interface ExploreCodeRequest {
  /** Which algorithm the code implements: it picks the workload and the invariants. */
  algorithm: string
  source: string
  /** The name compile problems and crashes are reported under, e.g. `raft.ts`. */
  fileName: string
  runs: number
  firstSeed?: number
}

export interface ExploreProgress {
  /** 'search': trying seeds; 'shrink': making a failure smaller. */
  phase: 'search' | 'shrink'
  done: number
  /** Runs planned in this phase (the shrink's is its budget: it often stops sooner). */
  total: number
  failed: number
}

export interface Jobs {
  check(request: CheckRequest): Promise<CheckReport>
  explore(
    request: ExploreRequest,
    onProgress?: (progress: ExploreProgress) => void,
  ): Promise<ExploreReport>
  exploreCode(
    request: ExploreCodeRequest,
    onProgress?: (progress: ExploreProgress) => void,
  ): Promise<ExploreReport>
  /** Stops the jobs under way (each is refused, saying so); true if there were any. */
  interrupt(): Promise<boolean>
  close(): Promise<void>
}

/** What an interrupted job is refused with. */
export const interruptedJob = 'interrupted (Ctrl+C) before it finished.'

/** Why jobs run on the calling thread cannot explore a learner's code. */
export const learnerCodeOnlyOnJobThread =
  'your code runs only on the job thread, and this session runs jobs in its own thread: explore it from the app or the REPL.'

/** Runs jobs on the calling thread. `now`: a clock for the checker's time limit, if there is one. */
export function jobsInThisThread(now?: () => number): Jobs {
  return {
    check: (request) => Promise.resolve(checkHistory(request, now)),
    explore: (request, onProgress) => runExplore(request, onProgress),
    // Learner code never runs on the thread that hands out work (issue 7, item 7).
    exploreCode: () => Promise.reject(new Error(learnerCodeOnlyOnJobThread)),
    // A job here holds the thread until it ends: nothing can arrive to stop it.
    interrupt: () => Promise.resolve(false),
    close: () => Promise.resolve(),
  }
}

/** The explorer, reporting as it goes; `definition` runs in place of the registry's module. */
export function runExplore(
  request: ExploreRequest,
  onProgress?: (progress: ExploreProgress) => void,
  definition?: AnyNodeDefinition,
): Promise<ExploreReport> {
  let failed = 0
  return explore(request.algorithm, {
    runs: request.runs,
    ...(definition === undefined ? {} : { definition }),
    ...(request.firstSeed === undefined ? {} : { firstSeed: request.firstSeed }),
    ...(request.variant === undefined ? {} : { variant: request.variant }),
    onRun: (done, runFailed) => {
      if (runFailed) failed++
      onProgress?.({ phase: 'search', done, total: request.runs, failed })
    },
    onShrinkRun: (done, total) => onProgress?.({ phase: 'shrink', done, total, failed }),
  })
}

/** A progress bar as one line of text: `[#####.....] 250/500 runs, 0 failed`. */
export function progressLine(progress: ExploreProgress, width = 30): string {
  const filled = Math.round((progress.done / Math.max(progress.total, 1)) * width)
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`
  return progress.phase === 'search'
    ? `${bar} ${progress.done}/${progress.total} runs, ${progress.failed} failed`
    : `${bar} shrinking: ${progress.done} runs (at most ${progress.total})`
}
