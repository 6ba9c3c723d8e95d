// The job thread: runs one check or exploration at a time for the thread that
// started it, and says how it is getting on. Structured clone carries the
// histories and reports (Infinity included) as they are.

import { parentPort } from 'node:worker_threads'
import { exploreLearnerCode } from './explore-learner-code'
import { jobsInThisThread, type ExploreProgress } from './jobs'
import type { JobMessage, JobRequest } from './job-protocol'

const port = parentPort
if (port === null) throw new Error('job-worker.ts runs as a worker thread')
const jobs = jobsInThisThread(() => performance.now())
const post = (message: JobMessage): void => port.postMessage(message)

let queue: Promise<void> = Promise.resolve()
port.on('message', (message: JobRequest) => {
  queue = queue.then(async () => {
    try {
      const onProgress = (progress: ExploreProgress): void =>
        post({ id: message.id, kind: 'progress', progress })
      const result =
        message.job === 'check'
          ? await jobs.check(message.request)
          : message.job === 'explore'
            ? await jobs.explore(message.request, onProgress)
            : await exploreLearnerCode(message.request, message.compiled, onProgress)
      post({ id: message.id, kind: 'done', result })
    } catch (error) {
      post({
        id: message.id,
        kind: 'error',
        message: error instanceof Error ? error.message : String(error),
      })
    }
  })
})
