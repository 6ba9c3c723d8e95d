// The core's side of the typed API (src/shared/api.ts), whichever transport
// carries it: browser mode's WebSocket (src/main/web.ts) and the desktop
// app's IPC (src/main/index.ts) each hand validated requests to one ApiCore
// and pass its events on. A core is one learner's session: a cluster, a job
// thread, the run library, and the trace batches their page draws.

import {
  candidatesMax,
  type EventMessage,
  type RequestArgs,
  type RequestName,
  type RequestResult,
} from '../../shared/api'
import type { RealTimeCluster } from '../cluster/cluster'
import { CodeService } from '../code/code-service'
import { LearnerCodeSlot } from '../code/learner-code'
import { complete } from '../commands/complete'
import type { Session } from '../commands/interpreter'
import { MetricsPublisher } from '../metrics/publisher'
import { createNodeSession, type KeptRuns } from '../session-factory'
import { checkVerdicts } from './check-verdicts'
import { inspect, PastMoments } from './inspect'
import { TraceBatcher } from './trace-batcher'

/** A request the core will not answer, with the sentence that says why. */
export class RefusedRequest extends Error {}

/** Commands waiting for the one before them to finish, at most. */
const queuedRunsMax = 100

export interface ApiCoreOptions {
  kept: KeptRuns
  /** Sends one event to the page. */
  push: (message: EventMessage) => void
  /** True while the page has not taken what was sent (its transport has a backlog). */
  behind: () => boolean
}

type Handlers = {
  [Name in RequestName]: (args: RequestArgs<Name>) => Promise<RequestResult<Name>>
}

export class ApiCore {
  readonly session: Session
  private readonly batcher: TraceBatcher
  private readonly metrics: MetricsPublisher
  private readonly kept: KeptRuns
  private runs: Promise<unknown> = Promise.resolve()
  private queuedRuns = 0
  private closed = false

  private readonly code: CodeService
  /** The inspector's past moments: scrubbing forward reads on from the last one. */
  private readonly pastMoments = new PastMoments()
  /** The last real-time cluster the session made: where the editor's code runs. */
  private realTimeCluster: RealTimeCluster | null = null

  constructor(options: ApiCoreOptions) {
    this.kept = options.kept
    this.batcher = new TraceBatcher(
      (batch) => options.push({ kind: 'event', name: 'trace', payload: batch }),
      options.behind,
    )
    this.metrics = new MetricsPublisher(
      () => this.session.runMetrics(),
      (snapshot) => options.push({ kind: 'event', name: 'metrics', payload: snapshot }),
      options.behind,
    )
    // What the editor applies, the terminal's `explore --code` explores.
    const learnerCode = new LearnerCodeSlot()
    this.session = createNodeSession({
      learnerCode,
      ...(options.kept.runs === undefined ? {} : { runs: options.kept.runs }),
      ...(options.kept.progress === undefined ? {} : { progress: options.kept.progress }),
      onProgress: (line) => options.push({ kind: 'event', name: 'progress', payload: { line } }),
      onNotable: (line) => options.push({ kind: 'event', name: 'notable', payload: { line } }),
      observe: (event) => {
        this.batcher.add(event)
      },
      onRealTimeCluster: (cluster) => {
        this.realTimeCluster = cluster
      },
    })
    this.code = new CodeService({
      cluster: () => this.realTimeCluster,
      learnerCode,
      ...(options.kept.code === undefined ? {} : { shelf: options.kept.code }),
    })
  }

  /** Answers one request whose arguments the transport has validated; throws RefusedRequest. */
  request<Name extends RequestName>(
    name: Name,
    args: RequestArgs<Name>,
  ): Promise<RequestResult<Name>> {
    if (this.closed) return Promise.reject(new RefusedRequest('the session has closed.'))
    return (this.handlers[name] as (args: RequestArgs<Name>) => Promise<RequestResult<Name>>)(args)
  }

  /** Stops the session's cluster and job thread. */
  async close(): Promise<void> {
    if (this.closed) return
    this.closed = true
    this.batcher.stop()
    this.metrics.stop()
    await this.runs
    await this.session.close()
  }

  /** One command at a time, in the order asked: a session is a terminal. */
  private inTurn<Result>(work: () => Promise<Result>): Promise<Result> {
    if (this.queuedRuns >= queuedRunsMax) {
      return Promise.reject(
        new RefusedRequest(
          `${queuedRunsMax} commands are already waiting; wait for them to finish.`,
        ),
      )
    }
    this.queuedRuns++
    const result = this.runs.then(work).finally(() => this.queuedRuns--)
    this.runs = result.catch(() => undefined)
    return result
  }

  private readonly handlers: Handlers = {
    complete: ({ line }) => {
      const { candidates, partial } = complete(line, this.session.nodeIds())
      return Promise.resolve({ candidates: candidates.slice(0, candidatesMax), partial })
    },
    nodes: () => Promise.resolve(this.session.nodeIds()),
    // A look, not an act: it need not wait for the command before it.
    inspect: (args) => refusing(inspect(this.session, this.kept.runs, args, this.pastMoments)),
    // The history and the cluster must not change under the check: it waits its turn.
    check: () => this.inTurn(() => refusing(checkVerdicts(this.session, this.kept.runs))),
    // Session.run never throws: every failure is a sentence in its result.
    run: ({ line }) => this.inTurn(() => this.session.run(line)),
    // Not in turn: it is for the command holding the turn.
    interrupt: () => this.session.interrupt(),
    codeSource: (args) => refusing(Promise.resolve().then(() => this.code.source(args))),
    codeCheck: (args) => refusing(this.code.check(args)),
    // Applying restarts the cluster: it waits for the command before it, as a command would.
    codeApply: (args) => this.inTurn(() => refusing(this.code.apply(args))),
    codeSave: (args) => refusing(Promise.resolve().then(() => this.code.save(args))),
    codeSaved: (args) => refusing(Promise.resolve().then(() => this.code.saved(args))),
    codeLoad: (args) => refusing(Promise.resolve().then(() => this.code.load(args))),
    // After the command before it, so the pane sees the step that command finished.
    lesson: () => this.inTurn(() => Promise.resolve(this.session.lessonView())),
  }
}

/** A sentence a session throws (no cluster, no such node) as the refusal the page shows. */
function refusing<Result>(work: Promise<Result>): Promise<Result> {
  return work.catch((error: unknown) => {
    throw new RefusedRequest(error instanceof Error ? error.message : String(error))
  })
}
