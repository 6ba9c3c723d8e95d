// What the job thread and the thread that asks it say to each other.

import type { CheckReport, CheckRequest } from '../check/check-history'
import type { ExploreReport } from '../explore/explorer'
import type { ExploreProgress, ExploreRequest } from './jobs'

export type JobRequest =
  | { id: number; job: 'check'; request: CheckRequest }
  | { id: number; job: 'explore'; request: ExploreRequest }

export type JobMessage =
  | { id: number; kind: 'progress'; progress: ExploreProgress }
  | { id: number; kind: 'done'; result: CheckReport | ExploreReport }
  | { id: number; kind: 'error'; message: string }
