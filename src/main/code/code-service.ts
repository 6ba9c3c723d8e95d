// The core's side of the code editor: the module a cluster runs as source
// text, a learner's module checked (compile problems at their places) and
// applied to the running cluster, and named versions kept in the store.
// Learner code is compiled here but never run here: it runs only in the
// real-time cluster's worker threads (RealTimeCluster.reload) and on the job
// thread when the explorer explores it (`explore --code`). Every method
// throws an Error whose message is the sentence the page shows.

import type { z } from 'zod'
import type {
  codeApplySchema,
  codeCheckSchema,
  codeLoadSchema,
  codeSavedSchema,
  codeSaveSchema,
  codeSourceSchema,
} from '../../shared/code-api'
import { problemsMax, savedCodeListedMax } from '../../shared/code-api'
import { algorithms } from '../../workers/algorithms'
import type { RealTimeCluster, ReloadOutcome } from '../cluster/cluster'
import { CompileError, compileNodeModule } from '../cluster/compile'
import type { LabStore } from '../store/store'
import type { LearnerCodeSlot } from './learner-code'
import { moduleFile, moduleSource } from './module-sources'

type Args<Schema extends { args: z.ZodType }> = z.infer<Schema['args']>
type Result<Schema extends { result: z.ZodType }> = z.infer<Schema['result']>

/** Where named versions are kept: the store's saved code. */
export type CodeShelf = Pick<LabStore, 'saveCode' | 'latestCode' | 'savedCode'>

export interface CodeServiceOptions {
  /** The session's real-time cluster, if it made one (it may have stopped since). */
  cluster: () => RealTimeCluster | null
  /** Absent when the store could not be opened. */
  shelf?: CodeShelf
  /** Where applied code is kept for the explorer, and the open lesson's starting code. */
  learnerCode?: LearnerCodeSlot
}

/** The algorithm the editor opens when no cluster runs. */
const defaultAlgorithm = 'raft'

export class CodeService {
  constructor(private readonly options: CodeServiceOptions) {}

  source(args: Args<typeof codeSourceSchema>): Result<typeof codeSourceSchema> {
    const running = this.running()
    // No cluster on threads and nothing asked for: the open lesson's code (a variant, a skeleton).
    const lessonCode = this.options.learnerCode?.startingCode() ?? null
    if (lessonCode !== null && running === null && args.algorithm === undefined) {
      const module = moduleSource(lessonCode.algorithm, lessonCode.variant)
      return {
        ...this.source({ algorithm: lessonCode.algorithm, variant: lessonCode.variant }),
        fileName: lessonCode.fileName,
        source: lessonCode.source,
        libraries: module.libraries,
      }
    }
    const algorithm = args.algorithm ?? running?.algorithm ?? defaultAlgorithm
    const variant =
      args.variant !== undefined
        ? args.variant
        : running?.algorithm === algorithm
          ? running.variant
          : null
    const module = moduleSource(algorithm, variant)
    return {
      algorithm,
      variant,
      fileName: module.fileName,
      source: module.source,
      libraries: module.libraries,
      variants: Object.entries(algorithms[algorithm].variants).map(([name, definition]) => ({
        name,
        description: definition.description ?? '',
      })),
      running,
    }
  }

  async check(args: Args<typeof codeCheckSchema>): Promise<Result<typeof codeCheckSchema>> {
    try {
      await compileNodeModule(args.source, args.fileName)
      return { problems: [] }
    } catch (error) {
      return { problems: problemsOf(error) }
    }
  }

  /**
   * Restarts the running cluster's nodes on the learner's module (compiled
   * first: a module that does not compile stops nothing), or on the
   * registry's variant or reference when no source is given.
   */
  async apply(args: Args<typeof codeApplySchema>): Promise<Result<typeof codeApplySchema>> {
    const cluster = this.options.cluster()
    const running = cluster?.running() ?? null
    if ((cluster === null || running === null) && args.source !== undefined) {
      return this.keepForExplorer({ ...args, source: args.source })
    }
    if (cluster === null || running === null) {
      throw new Error(
        'no cluster is running on threads: start one first, e.g. start raft 5 (code runs only in the real-time cluster, not in the simulator).',
      )
    }
    if (args.algorithm !== running.algorithm) {
      throw new Error(
        `the cluster runs ${running.algorithm}, not ${args.algorithm}: open ${running.algorithm}'s code, or start ${args.algorithm} first.`,
      )
    }
    moduleFile(args.algorithm, args.variant) // a clear sentence for a variant that does not exist
    const variant = args.variant === null ? {} : { variant: args.variant }
    let outcomes: ReloadOutcome[]
    let what: string
    if (args.source === undefined) {
      outcomes = await cluster.reload(variant)
      what = args.variant === null ? `the reference ${args.algorithm}` : `variant ${args.variant}`
    } else {
      const fileName = args.fileName ?? moduleSource(args.algorithm, args.variant).fileName
      try {
        outcomes = await cluster.reload({ ...variant, code: { source: args.source, fileName } })
      } catch (error) {
        if (!(error instanceof CompileError)) throw error
        return { applied: false, lines: [error.message], problems: problemsOf(error) }
      }
      what = `your code (${fileName})`
      this.options.learnerCode?.apply({ algorithm: args.algorithm, fileName, source: args.source })
    }
    return { applied: true, lines: outcomeLines(outcomes, what), problems: [] }
  }

  /**
   * With no cluster on threads (a lesson in the simulator, which runs only the
   * app's own modules), applied code is compiled and kept for the explorer,
   * which runs it on the job thread.
   */
  private async keepForExplorer(
    args: Args<typeof codeApplySchema> & { source: string },
  ): Promise<Result<typeof codeApplySchema>> {
    const slot = this.options.learnerCode
    if (slot === undefined) {
      throw new Error(
        'no cluster is running on threads: start one first, e.g. start raft 5 (code runs only in the real-time cluster, not in the simulator).',
      )
    }
    moduleFile(args.algorithm, args.variant) // a clear sentence for an algorithm that does not exist
    const fileName = args.fileName ?? moduleSource(args.algorithm, args.variant).fileName
    try {
      await compileNodeModule(args.source, fileName)
    } catch (error) {
      if (!(error instanceof CompileError)) throw error
      return { applied: false, lines: [error.message], problems: problemsOf(error) }
    }
    slot.apply({ algorithm: args.algorithm, fileName, source: args.source })
    return {
      applied: true,
      lines: [
        `kept your code (${fileName}) for the explorer: type explore --code to run it under random faults.`,
        `to watch it run live, start ${args.algorithm} 5 (on threads, not --sim) and apply it again.`,
      ],
      problems: [],
    }
  }

  save(args: Args<typeof codeSaveSchema>): Result<typeof codeSaveSchema> {
    moduleFile(args.algorithm, null)
    const saved = this.shelf().saveCode(args.algorithm, args.name, args.source)
    return { name: saved.name, version: saved.version }
  }

  saved(args: Args<typeof codeSavedSchema>): Result<typeof codeSavedSchema> {
    moduleFile(args.algorithm, null)
    return this.shelf()
      .savedCode(args.algorithm)
      .slice(0, savedCodeListedMax)
      .map(({ name, versions, updatedAt }) => ({ name, versions, updatedAt }))
  }

  load(args: Args<typeof codeLoadSchema>): Result<typeof codeLoadSchema> {
    const latest = this.shelf().latestCode(args.algorithm, args.name)
    if (latest === null) {
      const names = this.shelf()
        .savedCode(args.algorithm)
        .map((saved) => saved.name)
      throw new Error(
        names.length === 0
          ? `no ${args.algorithm} code is saved yet; save some first.`
          : `no ${args.algorithm} code is saved as "${args.name}"; saved: ${names.join(', ')}.`,
      )
    }
    return { name: latest.name, version: latest.version, source: latest.source }
  }

  private running(): Result<typeof codeSourceSchema>['running'] {
    const spec = this.options.cluster()?.running() ?? null
    if (spec === null) return null
    return {
      algorithm: spec.algorithm,
      variant: spec.variant ?? null,
      custom: spec.code !== undefined,
    }
  }

  private shelf(): CodeShelf {
    if (this.options.shelf === undefined)
      throw new Error('saved code needs the store, which could not be opened in this session.')
    return this.options.shelf
  }
}

function problemsOf(error: unknown): Result<typeof codeCheckSchema>['problems'] {
  if (!(error instanceof CompileError)) throw error
  // A problem with no place (a module too long) goes on the first line.
  const problems =
    error.problems.length > 0
      ? error.problems
      : [{ line: 1, column: 1, length: 1, text: error.message }]
  return problems.slice(0, problemsMax).map((problem) => ({ ...problem }))
}

/** What a reload did, one sentence a line. */
function outcomeLines(outcomes: readonly ReloadOutcome[], what: string): string[] {
  const ids = (list: readonly ReloadOutcome[]): string => list.map((node) => node.id).join(', ')
  const started = outcomes.filter((node) => node.started)
  const lines = [
    started.length === 0 ? `no node is running ${what}.` : `restarted ${ids(started)} on ${what}.`,
  ]
  const kept = started.filter((node) => node.keptSaved)
  if (kept.length > 0) lines.push(`kept their saved fields: ${ids(kept)}.`)
  for (const node of outcomes) {
    if (node.started && node.error !== undefined) {
      lines.push(
        `${node.id}'s saved fields did not fit the new code (${node.error}), so it started with none.`,
      )
    } else if (!node.started) {
      lines.push(`${node.id} did not start on the new code: ${node.error ?? 'it stopped'}.`)
    }
  }
  if (outcomes.length === 0) lines.push('every node was down; restart them to run the new code.')
  return lines
}
