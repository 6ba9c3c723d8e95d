// The job thread: runs one check or exploration at a time for the thread that
// started it, and says how it is getting on. Structured clone carries the
// histories and reports (Infinity included) as they are.

import { parentPort } from 'node:worker_threads'
import { jobsInThisThread } from './jobs'
import type { JobMessage, JobRequest } from './job-protocol'

const port = parentPort
if (port === null) throw new Error('job-worker.ts runs as a worker thread')
const jobs = jobsInThisThread(() => performance.now())
const post = (message: JobMessage): void => port.postMessage(message)

let queue: Promise<void> = Promise.resolve()
port.on('message', (message: JobRequest) => {
  queue = queue.then(async () => {
    try {
      const result =
        message.job === 'check'
          ? await jobs.check(message.request)
          : await jobs.explore(message.request, (progress) =>
              post({ id: message.id, kind: 'progress', progress }),
            )
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
