// What the job thread and the thread that asks it say to each other.

import type { CheckReport, CheckRequest } from '../check/check-history'
import type { ExploreReport } from '../explore/explorer'
import type { ExploreCodeRequest, ExploreProgress, ExploreRequest } from './jobs'

export type JobRequest =
  | { id: number; job: 'check'; request: CheckRequest }
  | { id: number; job: 'explore'; request: ExploreRequest }
  /** The learner's module compiled on the asking side (compiling runs none of it), loaded here. */
  | {
      id: number
      job: 'explore-code'
      request: ExploreCodeRequest
      compiled: { code: string; fileName: string }
    }

export type JobMessage =
  | { id: number; kind: 'progress'; progress: ExploreProgress }
  | { id: number; kind: 'done'; result: CheckReport | ExploreReport }
  | { id: number; kind: 'error'; message: string }
