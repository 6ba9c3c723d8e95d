// Broken on purpose: the leader reassigns a silent worker's tasks as soon as
// it misses a few heartbeats, without waiting for that worker's lease to run
// out. A worker that is merely cut off still holds its lease and keeps running
// its tasks, so the same task runs on two workers at once.

import { makeScheduler, referenceTiming } from '../scheduler'

export default makeScheduler(
  'scheduler',
  'Broken: reassigns after 150 ms of silence, inside the 300 ms lease the worker still holds.',
  { ...referenceTiming, reassignAfterMs: 150 },
)
