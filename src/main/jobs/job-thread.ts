// Jobs on a thread of their own, so that a long linearizability search or a
// thousand fault schedules never freeze the terminal or the window. One
// worker thread, started on first use and kept; it runs jobs in order.

import { Worker } from 'node:worker_threads'
import type { CheckReport, CheckRequest } from '../check/check-history'
import type { ExploreReport } from '../explore/explorer'
import { compileNodeModule } from '../cluster/compile'
import { workerEntry, workerScripts } from '../cluster/host-entry'
import {
  interruptedJob,
  type ExploreCodeRequest,
  type ExploreProgress,
  type ExploreRequest,
  type Jobs,
} from './jobs'
import type { JobMessage, JobRequest } from './job-protocol'

interface Pending {
  resolve(result: CheckReport | ExploreReport): void
  reject(error: Error): void
  onProgress?: (progress: ExploreProgress) => void
}

export class JobThread implements Jobs {
  private worker: Promise<Worker> | null = null
  /** The thread in use: one ended by interrupt() or close() has no say any more. */
  private live: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1

  async check(request: CheckRequest): Promise<CheckReport> {
    return (await this.run({ id: this.nextId++, job: 'check', request })) as CheckReport
  }

  async explore(
    request: ExploreRequest,
    onProgress?: (progress: ExploreProgress) => void,
  ): Promise<ExploreReport> {
    const job: JobRequest = { id: this.nextId++, job: 'explore', request }
    return (await this.run(job, onProgress)) as ExploreReport
  }

  /**
   * Compiles the learner's module here (esbuild runs none of it, and the job
   * thread's bundle cannot load esbuild's binary), then loads and explores it
   * on the job thread (job-worker.ts). A module that does not compile is
   * refused with the place of its first problem.
   */
  async exploreCode(
    request: ExploreCodeRequest,
    onProgress?: (progress: ExploreProgress) => void,
  ): Promise<ExploreReport> {
    const compiled = await compileNodeModule(request.source, request.fileName)
    const job: JobRequest = { id: this.nextId++, job: 'explore-code', request, compiled }
    return (await this.run(job, onProgress)) as ExploreReport
  }

  /** Ends the thread and every job on it; the next job starts a fresh one. */
  async interrupt(): Promise<boolean> {
    if (this.pending.size === 0) return false
    const worker = this.worker
    this.worker = null
    this.live = null
    this.failAll(interruptedJob)
    if (worker !== null) await (await worker).terminate()
    return true
  }

  async close(): Promise<void> {
    const worker = this.worker
    this.worker = null
    this.live = null
    if (worker !== null) await (await worker).terminate()
    this.failAll('the job thread was closed')
  }

  private async run(
    job: JobRequest,
    onProgress?: (progress: ExploreProgress) => void,
  ): Promise<CheckReport | ExploreReport> {
    const worker = await (this.worker ??= this.start())
    // A job under way keeps the process alive; an idle thread does not.
    worker.ref()
    return new Promise((resolve, reject) => {
      this.pending.set(job.id, { resolve, reject, ...(onProgress ? { onProgress } : {}) })
      worker.postMessage(job)
    })
  }

  private async start(): Promise<Worker> {
    const worker = new Worker(await workerEntry(workerScripts.job))
    this.live = worker
    worker.on('message', (message: JobMessage) => {
      if (this.live !== worker) return
      this.receive(message)
      if (this.pending.size === 0) worker.unref()
    })
    worker.on('error', (error) => {
      if (this.live !== worker) return
      this.worker = null
      this.live = null
      this.failAll(`the job thread failed: ${error.message}`)
    })
    worker.on('exit', () => {
      if (this.live !== worker) return
      this.worker = null
      this.live = null
      this.failAll('the job thread stopped')
    })
    return worker
  }

  private receive(message: JobMessage): void {
    const pending = this.pending.get(message.id)
    if (pending === undefined) return
    if (message.kind === 'progress') {
      pending.onProgress?.(message.progress)
      return
    }
    this.pending.delete(message.id)
    if (message.kind === 'done') pending.resolve(message.result)
    else pending.reject(new Error(message.message))
  }

  private failAll(reason: string): void {
    for (const pending of this.pending.values()) pending.reject(new Error(reason))
    this.pending.clear()
  }
}
