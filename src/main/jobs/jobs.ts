// Long work the terminal and the app hand off: checking a history for
// linearizability and exploring fault schedules. Both can take seconds, so
// the app runs them on a thread of their own (job-thread.ts) and the prompt
// or the window stays responsive; tests and the browser's simulator-only mode
// run them right here. One interface, two places to run.

import { checkHistory, type CheckReport, type CheckRequest } from '../check/check-history'
import { explore, type ExploreReport } from '../explore/explorer'

export interface ExploreRequest {
  algorithm: string
  variant?: string
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
  close(): Promise<void>
}

/** Runs jobs on the calling thread. `now`: a clock for the checker's time limit, if there is one. */
export function jobsInThisThread(now?: () => number): Jobs {
  return {
    check: (request) => Promise.resolve(checkHistory(request, now)),
    explore: (request, onProgress) => runExplore(request, onProgress),
    close: () => Promise.resolve(),
  }
}

/** The explorer, reporting as it goes. */
export function runExplore(
  request: ExploreRequest,
  onProgress?: (progress: ExploreProgress) => void,
): Promise<ExploreReport> {
  let failed = 0
  return explore(request.algorithm, {
    runs: request.runs,
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
