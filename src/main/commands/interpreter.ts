// The interpreter: runs command lines against a cluster (simulated or real
// time) and answers with lines of text and, for tables, the table itself.
// Nothing a learner types can throw out of here: every failure becomes a
// sentence.

import type { Cluster, ClusterSpec, NodeInspection } from '../../shared/cluster'
import type { Body, NodeId } from '../../shared/envelope'
import { randomStream } from '../../shared/random'
import type { Operation, TraceEvent, ViolationEvent } from '../../shared/trace'
import { algorithms, resolveAlgorithm } from '../../workers/algorithms'
import { noFaults } from '../../workers/runtime/link-table'
import type { ClientOptions, Completion, KvClient } from '../client/kv-client'
import { percentile, startWorkload } from '../client/workload'
import { MetricsAggregator } from '../metrics/aggregator'
import { Simulator, simulatedLink } from '../sim/simulator'
import type { TraceLog } from '../trace/trace-log'
import { HistoryRecorder } from '../check/history-import'
import { reportLines, type CheckReport } from '../check/check-history'
import { modelForOperations } from '../check/models'
import { scheduleScript, type ExploreReport } from '../explore/explorer'
import { profileFor } from '../explore/profiles'
import { jobsInThisThread, progressLine, type Jobs } from '../jobs/jobs'
import type { LearnerCode } from '../code/learner-code'
import { LessonEngine, type LessonCommand, type LessonView } from '../lessons/engine'
import type { Lesson } from '../lessons/lesson'
import type { CheckerVerdict } from '../lessons/goals'
import type { Course } from '../lessons/lesson'
import type { LessonProgress } from '../lessons/progress'
import { commandSpecs, findSpec } from './commands'
import { EventFormatter, round, tableLines } from './format'
import { parse, type Command } from './parse'
import { metricsTable } from './metrics-table'
import { momentOf, replayExactly, runsTable, type Table } from './run-commands'
import type { RunLibrary, RunRecording } from './run-library'

/** A cluster the terminal can drive: the contract, plus clients and the trace. */
export interface InteractiveCluster extends Cluster {
  client(id: NodeId, options?: ClientOptions, firstNode?: NodeId): KvClient
  readonly violations: readonly ViolationEvent[]
  readonly trace: TraceLog
  status(id: NodeId): 'up' | 'dead' | 'paused'
  /** Real-time clusters only: scale every timer and delay. */
  setSpeed?(speed: number): void
}

export interface Result {
  ok: boolean
  /** The answer to the command. */
  lines: string[]
  table?: { columns: string[]; rows: string[][] }
  /** What happened meanwhile, worth telling: elections, crashes, faults, violations. */
  events: string[]
}

export interface SessionOptions {
  /**
   * Lets the rest of the program run during a long simulated command (the
   * app's connection, its trace batches); see SimulatorOptions.breathe.
   */
  breathe?: () => Promise<void>
  /** Makes a real-time cluster; without it, only `start ... --sim` works (e.g. in a browser). */
  realTime?: () => InteractiveCluster
  /** How many recent events the terminal keeps to show with `trace`. */
  traceCapacity?: number
  /** Where checks and explorations run (a thread of their own in the app and the REPL). */
  jobs?: Jobs
  /** Shows how a long command is getting on (a progress bar), replacing the last such line. */
  onProgress?: (line: string) => void
  /**
   * Tells an event worth telling (an election, a crash, a fault) as it happens
   * while no command runs: a real-time cluster goes on between commands, and a
   * terminal prints it above the prompt. Without it, such lines wait for the
   * next command's answer (a script's output stays the same from run to run).
   */
  onNotable?: (line: string) => void
  /** Where runs are kept: every cluster started is recorded there. */
  runs?: RunLibrary
  /** Sees every event of every cluster this session starts. */
  observe?: (event: TraceEvent) => void
  /** The lessons, where progress is kept, and a wall clock for time spent. */
  lessons?: { course: Course; progress: LessonProgress; now: () => number }
  /** The code the learner last applied from the Code tab (what `explore --code` explores). */
  learnerCode?: () => LearnerCode | null
  /** A lesson opened: the code it starts the editor on comes from its setup. */
  onLessonOpened?: (lesson: Lesson) => void
}

/** Commands that do not act on the cluster: they are no part of a run's inputs. */
const outsideTheRun = new Set<Command['kind']>([
  'empty',
  'help',
  'explore',
  'explore-code',
  'runs',
  'save',
  'export',
  'import',
  'replay',
  'stop',
  'lesson',
])

/** Notable events (elections, crashes, violations, faults) shown after each command, at most. */
const notableLinesMax = 30

/** Lines told as they happen between commands, at most, per second of cluster time. */
const liveLinesPerSecondMax = 20

/** How long one workload may run (cluster time) before its answer is given anyway. */
const workloadMsMax = 3_600_000

export class Session {
  private cluster: InteractiveCluster | null = null
  private spec: ClusterSpec | null = null
  private simulated = false
  private formatter = new EventFormatter((body) => body.type)
  private readonly clients = new Map<NodeId, KvClient>()
  /** Lines worth telling after the command, and when they happened (real-time nodes report out of order). */
  private notable: { t: number; line: string }[] = []
  private notableDropped = 0
  /** Lines told live in the current second of cluster time, and those left out. */
  private live = { second: -1, told: 0, dropped: 0 }
  private workloads = 0
  private unsubscribe: (() => void) | null = null
  /** The clients' operations in this run, for the linearizability check. */
  private history = new HistoryRecorder()
  /** The run being kept, when a library keeps runs. */
  private recording: RunRecording | null = null
  /** The run's numbers: the terminal's `metrics` and the app's Metrics tab read them. */
  private metrics = new MetricsAggregator()

  /** The current run's metrics (a new cluster starts a new aggregator). */
  runMetrics(): MetricsAggregator {
    return this.metrics
  }
  /**
   * The last grant this session saw per client and lock (`c1 lock1`), with its
   * fencing token (none from lock-naive): what `store` writes with. A later
   * grant to someone else does not erase it, as a paused holder still has it.
   */
  private grants = new Map<string, { token?: number }>()

  private readonly jobs: Jobs
  /** A command is under way (interrupt() has something to stop). */
  private commandRunning = false
  /** Ctrl+C came during this command: each wait on real time looks at it. */
  private interrupted = false
  private readonly lessons: LessonEngine | null
  /** What `explore --code` last said, and of which version of the learner's code. */
  private codeExploration: { version: number; runs: number; failure: string | null } | null = null

  constructor(private readonly options: SessionOptions = {}) {
    this.jobs = options.jobs ?? jobsInThisThread()
    const lessons = options.lessons
    this.lessons =
      lessons === undefined
        ? null
        : new LessonEngine(
            lessons.course,
            lessons.progress,
            {
              run: (line) => this.run(line),
              cluster: () => this.cluster,
              verdict: () => this.checkerVerdict(),
              ...(options.learnerCode === undefined
                ? {}
                : { learnerCode: () => this.learnerCodeStatus() }),
              ...(options.onLessonOpened === undefined
                ? {}
                : { lessonOpened: options.onLessonOpened }),
            },
            lessons.now,
          )
  }

  /** Runs one line. Never throws. */
  async run(line: string): Promise<Result> {
    const parsed = parse(line)
    if (!parsed.ok) return fail(parsed.error)
    this.commandRunning = true
    this.interrupted = false
    try {
      const result = await this.execute(parsed.command)
      // A simulated run is its seed and these lines: kept, they replay it exactly.
      if (this.simulated && !outsideTheRun.has(parsed.command.kind)) this.recording?.input(line)
      return await this.withLesson(line, parsed.command, this.withNotable(result))
    } catch (error) {
      return this.withNotable(fail(sentence(error)))
    } finally {
      this.commandRunning = false
    }
  }

  /**
   * Ctrl+C: stops the command under way where it waits on real time (wait,
   * workload) or on the job thread (check, explore), and it answers with what
   * it got so far. False when nothing was stopped: no command was running, or
   * it was a simulated cluster's wait or workload, which runs to its end (a
   * simulated run replays from its command lines, so each must do all it says).
   */
  async interrupt(): Promise<boolean> {
    if (!this.commandRunning) return false
    const jobs = this.jobs.interrupt()
    if (this.simulated) return jobs
    this.interrupted = true
    await jobs
    return true
  }

  /** The open lesson, its step and the course map, for a lesson panel; null without lessons. */
  lessonView(): LessonView | null {
    return this.lessons?.view() ?? null
  }

  /**
   * After a command the learner typed, the open lesson's verdict on its step.
   * When the lesson speaks, its lines come last, after what happened meanwhile.
   */
  private async withLesson(line: string, command: Command, result: Result): Promise<Result> {
    if (this.lessons === null || command.kind === 'empty' || command.kind === 'lesson')
      return result
    const told = await this.lessons.afterCommand(line, result.ok)
    if (told.length === 0) return result
    return { ...result, lines: [...result.lines, ...result.events, '', ...told], events: [] }
  }

  private async lessonCommand(command: LessonCommand): Promise<Result> {
    if (this.lessons === null) return fail('lessons are not available in this session.')
    const answer = await this.lessons.command(command)
    return { ...answer, events: [] }
  }

  /** The running cluster's node ids (for completion and prompts). */
  nodeIds(): NodeId[] {
    return this.cluster?.nodeIds() ?? []
  }

  /** One node of the running cluster now, for the inspector; `leader` names the leader. */
  async inspectNode(name: string): Promise<NodeInspection> {
    const cluster = this.requireCluster()
    return cluster.inspect(await this.resolveNode(cluster, name))
  }

  /** The run being recorded, by its id in the run library; null when none is. */
  recordingId(): number | null {
    return this.recording?.id ?? null
  }

  /** What `check` decides, as data: the invariants broken so far and the history's verdict. */
  async verdicts(): Promise<{
    spec: ClusterSpec
    events: number
    violations: readonly ViolationEvent[]
    history: CheckReport | null
  }> {
    const cluster = this.requireCluster()
    const spec = this.spec
    if (spec === null) throw new Error('a cluster runs without its spec: a bug in start.')
    return {
      spec,
      events: cluster.trace.lastSeq(),
      violations: [...cluster.violations],
      history: await this.historyReport(),
    }
  }

  async close(): Promise<void> {
    await this.stopCluster()
    await this.jobs.close()
  }

  private async stopCluster(): Promise<void> {
    this.unsubscribe?.()
    this.unsubscribe = null
    const cluster = this.cluster
    await cluster?.stop()
    this.cluster = null
    if (this.recording !== null && cluster !== null) {
      const broken = cluster.violations.length
      this.recording.finish(
        broken === 0
          ? 'no invariant broken'
          : `${broken} invariant${broken === 1 ? '' : 's'} broken`,
      )
    }
    this.recording = null
  }

  private withNotable(result: Result): Result {
    if (this.notable.length === 0) return result
    const events = this.notable.sort((a, b) => a.t - b.t).map((item) => item.line)
    if (this.notableDropped > 0)
      events.push(`... and ${this.notableDropped} more events (trace shows them)`)
    this.notable = []
    this.notableDropped = 0
    return { ...result, events }
  }

  private async execute(command: Command): Promise<Result> {
    switch (command.kind) {
      case 'empty':
        return ok([])
      case 'help':
        return help(command.topic)
      case 'lesson':
        return this.lessonCommand(command.lesson)
      case 'start':
        return this.start(command)
      case 'explore':
        return this.explore(command)
      case 'explore-code':
        return this.exploreCode(command)
      case 'stop':
        await this.stopCluster()
        return ok(['stopped'])
      case 'runs':
        return tabled(runsTable(this.library()))
      case 'save':
        return this.save(command)
      case 'export':
        return this.exportRun(command)
      case 'import':
        return this.importRun(command)
      case 'replay':
        return this.replay(command)
      default:
        return this.onCluster(this.requireCluster(), command)
    }
  }

  private async onCluster(cluster: InteractiveCluster, command: Command): Promise<Result> {
    switch (command.kind) {
      case 'status':
        return this.status(cluster)
      case 'metrics':
        return tabled(metricsTable(this.metrics.snapshot()))
      case 'put':
        return this.operate(
          cluster,
          { f: 'write', key: command.key, value: command.value },
          command.on,
        )
      case 'propose':
        return this.propose(cluster, command)
      case 'acquire':
      case 'renew':
      case 'release':
        return this.lockRequest(cluster, command)
      case 'store':
        return this.storeRequest(cluster, command)
      case 'transfer':
      case 'balance':
        return this.bankRequest(cluster, command)
      case 'submit':
      case 'tasks':
        return this.schedulerRequest(cluster, command)
      case 'get':
        return this.operate(cluster, { f: 'read', key: command.key }, command.on)
      case 'cas':
        return this.operate(
          cluster,
          { f: 'cas', key: command.key, from: command.from, to: command.to },
          command.on,
        )
      case 'kill':
      case 'restart':
      case 'pause':
      case 'resume': {
        const node = await this.resolveNode(cluster, command.node)
        await cluster[command.kind](node)
        const done = { kill: 'crashed', restart: 'restarted', pause: 'paused', resume: 'resumed' }
        // The event itself is shown among the notable lines; no need to say it twice.
        this.notable = this.notable.filter(
          (item) => !item.line.endsWith(`${node} ${done[command.kind]}`),
        )
        return ok([`${node} ${done[command.kind]}`])
      }
      case 'restart-all': {
        const dead = cluster.nodeIds().filter((id) => cluster.status(id) === 'dead')
        for (const id of dead) await cluster.restart(id)
        this.notable = this.notable.filter((item) => !/ n\d+ restarted$/.test(item.line))
        return ok([dead.length === 0 ? 'no node is down' : `restarted ${dead.join(', ')}`])
      }
      case 'partition':
        await cluster.partition(await this.resolveGroups(cluster, command.groups))
        return ok([])
      case 'heal':
        await cluster.heal()
        return ok([])
      case 'link': {
        const from = command.from === '*' ? '*' : await this.resolveNode(cluster, command.from)
        const to = command.to === '*' ? '*' : await this.resolveNode(cluster, command.to)
        await cluster.setLink(from, to, command.change)
        return ok([])
      }
      case 'faults-off':
        await cluster.setLink('*', '*', this.simulated ? simulatedLink : noFaults)
        return ok([])
      case 'log':
        return this.log(cluster, await this.resolveNode(cluster, command.node))
      case 'state':
        return this.state(cluster, await this.resolveNode(cluster, command.node))
      case 'trace':
        return this.traceLines(cluster, command)
      case 'check':
        return await this.check(cluster)
      case 'workload':
        return this.workload(cluster, command)
      case 'wait': {
        const from = cluster.now()
        await cluster.waitFor(() => this.interrupted, command.ms)
        if (this.interrupted) {
          return fail(
            `interrupted (Ctrl+C) after ${round(cluster.now() - from)} ms of ${command.ms}`,
          )
        }
        return ok([`${command.ms} ms passed`])
      }
      case 'speed':
        if (cluster.setSpeed === undefined) {
          return fail(
            'speed changes the real-time cluster; the simulator runs as fast as it can, and wait lets its time pass.',
          )
        }
        cluster.setSpeed(command.factor)
        return ok([`every timer and delay now runs at ${command.factor}x`])
      default:
        return fail('that command needs no cluster.')
    }
  }

  private async start(command: Command & { kind: 'start' }): Promise<Result> {
    const variant = command.variant
    const ids = Array.from({ length: command.nodes }, (_, i) => `n${i + 1}`)
    const externalIds = command.exec === undefined ? [] : (command.on ?? ids)
    if (command.exec !== undefined && command.sim) {
      return fail('outside programs run only in the real-time cluster: leave out --sim.')
    }
    for (const id of externalIds) {
      if (!ids.includes(id)) return fail(`--on names ${id}, but the nodes are ${ids.join(', ')}.`)
    }
    const allExternal = externalIds.length === ids.length
    if (!allExternal) resolveAlgorithm(command.algorithm, variant) // a clear error before anything stops
    if (!command.sim && this.options.realTime === undefined) {
      return fail('here only the simulator can run clusters: add --sim, e.g. start raft 5 --sim')
    }
    await this.stopCluster()
    const cluster: InteractiveCluster = command.sim
      ? new Simulator({
          traceCapacity: this.options.traceCapacity ?? 10_000,
          ...(this.options.breathe === undefined ? {} : { breathe: this.options.breathe }),
        })
      : (this.options.realTime?.() as InteractiveCluster)
    const definition = allExternal ? null : resolveAlgorithm(command.algorithm, variant)
    this.formatter = new EventFormatter((body) => definition?.describe?.(body) ?? body.type)
    this.clients.clear()
    this.history = new HistoryRecorder()
    this.metrics = new MetricsAggregator()
    this.grants.clear()
    this.unsubscribe = cluster.events((event) => this.observe(event))
    const spec: ClusterSpec = {
      algorithm: command.algorithm,
      nodes: command.nodes,
      ...(command.seed === undefined ? {} : { seed: command.seed }),
      ...(variant === undefined ? {} : { variant }),
      ...(command.options === undefined ? {} : { options: command.options }),
      ...(command.exec === undefined
        ? {}
        : { external: Object.fromEntries(externalIds.map((id) => [id, command.exec as string])) }),
    }
    this.recording = this.options.runs?.begin(spec, command.sim ? 'sim' : 'real-time') ?? null
    await cluster.start(spec)
    this.cluster = cluster
    this.spec = spec
    this.simulated = command.sim
    const how = command.sim
      ? `in the simulator, seed ${command.seed ?? 1}`
      : 'as threads on this machine'
    const what = allExternal
      ? `"${command.exec}"`
      : variant === undefined
        ? command.algorithm
        : `${command.algorithm} (variant ${variant})`
    const outside =
      externalIds.length > 0 && !allExternal
        ? ` (${externalIds.join(', ')} running "${command.exec}")`
        : ''
    const resource = command.options?.['resource']
    const servers = cluster.nodeIds().filter((id) => id !== resource)
    const nodes =
      typeof resource === 'string'
        ? `${servers.length} node${servers.length === 1 ? '' : 's'} ${how}: ${servers.join(', ')}; ${resource} is the protected resource (store writes to it)`
        : `${command.nodes} nodes ${how}: ${cluster.nodeIds().join(', ')}`
    return ok([
      `started ${what} with ${nodes}${outside}`,
      command.sim
        ? 'time stands still in the simulator until you wait or act; try: wait 500, then status'
        : 'try: status',
    ])
  }

  /** Keeps the events worth telling after a command: elections, crashes, faults, violations. */
  private observe(event: TraceEvent): void {
    this.recording?.event(event)
    this.options.observe?.(event)
    this.metrics.add(event)
    this.lessons?.observe(event)
    if (
      event.kind === 'invoke' ||
      event.kind === 'ok' ||
      event.kind === 'fail' ||
      event.kind === 'info'
    ) {
      this.history.add(event)
    }
    const worth =
      event.kind === 'state' ||
      event.kind === 'crash' ||
      event.kind === 'restart' ||
      event.kind === 'link' ||
      event.kind === 'violation'
    const line = this.formatter.line(event)
    if (!worth || line === null) return
    const onNotable = this.options.onNotable
    if (!this.commandRunning && onNotable !== undefined) {
      this.tellLive(event.t, line, onNotable)
      return
    }
    if (this.notable.length < notableLinesMax) this.notable.push({ t: event.t, line })
    else this.notableDropped++
  }

  /** A line told as it happens, within a budget a second (a broken variant may flood). */
  private tellLive(t: number, line: string, tell: (line: string) => void): void {
    const second = Math.floor(t / 1000)
    if (second !== this.live.second) {
      if (this.live.dropped > 0) tell(`... and ${this.live.dropped} more events (trace shows them)`)
      this.live = { second, told: 0, dropped: 0 }
    }
    if (this.live.told < liveLinesPerSecondMax) {
      this.live.told++
      tell(line)
    } else {
      this.live.dropped++
    }
  }

  private requireCluster(): InteractiveCluster {
    if (this.cluster === null)
      throw new Error('no cluster is running; start one first, e.g. start raft 5 --sim')
    return this.cluster
  }

  private checkNode(cluster: InteractiveCluster, id: NodeId): void {
    if (!cluster.nodeIds().includes(id)) {
      throw new Error(`there is no node ${id}; the nodes are ${cluster.nodeIds().join(', ')}.`)
    }
  }

  /** A node's id; `leader` is the live node leading the highest term. */
  /** A partition's groups with `leader` resolved; one group alone is cut off from the rest. */
  private async resolveGroups(
    cluster: InteractiveCluster,
    named: readonly (readonly string[])[],
  ): Promise<NodeId[][]> {
    const groups: NodeId[][] = []
    const seen = new Set<NodeId>()
    for (const group of named) {
      const ids: NodeId[] = []
      for (const name of group) {
        const id = await this.resolveNode(cluster, name)
        if (seen.has(id))
          throw new Error(`${id} (the leader) is in two groups; each node belongs to one side.`)
        seen.add(id)
        ids.push(id)
      }
      groups.push(ids)
    }
    if (groups.length === 1) {
      const rest = cluster.nodeIds().filter((id) => !seen.has(id))
      if (rest.length === 0)
        throw new Error('every node is on that one side: nothing is cut. Name a side to cut off.')
      groups.push(rest)
    }
    return groups
  }

  private async resolveNode(cluster: InteractiveCluster, name: string): Promise<NodeId> {
    if (name !== 'leader') {
      this.checkNode(cluster, name)
      return name
    }
    let best: { id: NodeId; term: number } | null = null
    for (const id of cluster.nodeIds()) {
      if (cluster.status(id) === 'dead') continue
      const { summary } = await cluster.inspect(id)
      if (summary.role === 'leader' && (best === null || (summary.term ?? 0) > best.term)) {
        best = { id, term: summary.term ?? 0 }
      }
    }
    if (best === null) {
      throw new Error(
        'there is no leader right now (an election may be under way); try: wait 300, then status',
      )
    }
    return best.id
  }

  private async status(cluster: InteractiveCluster): Promise<Result> {
    const inspections: NodeInspection[] = []
    for (const id of cluster.nodeIds()) inspections.push(await cluster.inspect(id))
    const keys = [...new Set(inspections.flatMap((i) => Object.keys(i.summary)))]
    const heading: Record<string, string> = { commitIndex: 'commit', logLength: 'log' }
    const columns = ['node', 'status', ...keys.map((key) => heading[key] ?? key)]
    const rows = inspections.map((i) => [
      i.id,
      i.status === 'dead' && i.error !== undefined ? 'crashed' : i.status,
      ...keys.map((key) => (i.status === 'dead' ? '-' : String(i.summary[key] ?? '-'))),
    ])
    return { ...ok(tableLines(columns, rows)), table: { columns, rows } }
  }

  /** Single-decree Paxos: a client asks one node to propose; the answer is what was chosen. */
  /**
   * Sends a service request (Paxos, transactions, locks, the scheduler) and
   * waits for its answer. `at` picks the node for each try; an answer of 11
   * (not the leader: it did not happen) waits for an election and tries again.
   * Any other error, or no answer, becomes the failing Result.
   */
  private async ask(
    cluster: InteractiveCluster,
    at: () => Promise<NodeId>,
    body: Body,
    what: string,
    options: { timeoutMs: number; client?: NodeId; silence?: (took: string) => string },
  ): Promise<{ answer: Body; node: NodeId; took: string } | Result> {
    const started = cluster.now()
    let refusal = 'not the leader'
    for (let attempt = 0; attempt < 10; attempt++) {
      const node = await at()
      const reply = await cluster.request(node, body, {
        timeoutMs: options.timeoutMs,
        ...(options.client === undefined ? {} : { client: options.client }),
      })
      const took = `${round(cluster.now() - started)} ms`
      if (!reply.ok) {
        return fail(
          options.silence?.(took) ??
            `no answer from ${node} after ${took}; it may be down or cut off.`,
        )
      }
      const answer = reply.body
      if (answer.type === 'error' && answer['code'] === 11) {
        if (typeof answer['text'] === 'string') refusal = answer['text']
        await cluster.waitFor(() => false, 200)
        continue
      }
      if (answer.type === 'error') {
        const text =
          typeof answer['text'] === 'string' ? answer['text'] : `error ${String(answer['code'])}`
        return fail(`${what}: ${text} (${took})`)
      }
      return { answer, node: reply.from, took }
    }
    // Code 11 means "not now": no leader yet, or (2PC) an account held by a transaction in doubt.
    const took = `${round(cluster.now() - started)} ms`
    return fail(`${what}: still refused after ${took}: ${refusal}; try: wait 500, then status`)
  }

  /** A sentence when the running cluster is not one `command` talks to, else null. */
  private notFor(
    command: string,
    algorithms: string[],
    talksTo: string,
    example: string,
  ): Result | null {
    const running = this.spec?.algorithm ?? 'nothing'
    if (algorithms.includes(running)) return null
    return fail(`${command} ${talksTo}; this cluster runs ${running}. Try: ${example}`)
  }

  private leaderOrFirst(cluster: InteractiveCluster): () => Promise<NodeId> {
    return () => this.resolveNode(cluster, 'leader').catch(() => 'n1')
  }

  /** Single-decree Paxos: a client asks one node to propose; the answer is what was chosen. */
  private async propose(
    cluster: InteractiveCluster,
    command: Command & { kind: 'propose' },
  ): Promise<Result> {
    const wrong = this.notFor(
      'propose',
      ['paxos'],
      'asks a Paxos node to choose a value',
      'start paxos 5 --sim',
    )
    if (wrong !== null) return wrong
    const node = await this.resolveNode(cluster, command.on)
    const asked = await this.ask(
      cluster,
      () => Promise.resolve(node),
      { type: 'propose', value: command.value },
      'propose',
      {
        timeoutMs: 5_000,
        silence: (took) =>
          `no value chosen yet after ${took}: ${node} may be cut off from a majority, or proposers may be dueling; try: wait 500, then status`,
      },
    )
    if (!('answer' in asked)) return asked
    const chosen = JSON.stringify(asked.answer['value'])
    const same = chosen === JSON.stringify(command.value)
    return ok([
      same
        ? `chosen: ${chosen} (proposed at ${node}, ${asked.took})`
        : `chosen: ${chosen}, not ${JSON.stringify(command.value)}: a value was chosen already, and Paxos never changes it (${asked.took})`,
    ])
  }

  /** The scheduler: requests go to its leader. */
  private async schedulerRequest(
    cluster: InteractiveCluster,
    command: Command & { kind: 'submit' | 'tasks' },
  ): Promise<Result> {
    const wrong = this.notFor(
      command.kind,
      ['scheduler'],
      'talks to the task scheduler',
      'start scheduler 4 --sim',
    )
    if (wrong !== null) return wrong
    const body =
      command.kind === 'submit'
        ? { type: 'submit', task: command.task, cost: command.costMs }
        : { type: 'tasks' }
    const asked = await this.ask(cluster, this.leaderOrFirst(cluster), body, command.kind, {
      timeoutMs: 2_000,
    })
    if (!('answer' in asked)) return asked
    if (command.kind === 'submit') {
      return ok([
        `submitted ${command.task} (${command.costMs} ms of work); try: wait ${command.costMs + 200}, then tasks`,
      ])
    }
    const tasks = Array.isArray(asked.answer['tasks'])
      ? (asked.answer['tasks'] as Record<string, unknown>[])
      : []
    if (tasks.length === 0) return ok(['no tasks yet; try: submit build 300'])
    const columns = ['task', 'state', 'worker', 'attempts']
    const rows = tasks.map((task) =>
      columns.map((column) => {
        const value = task[column]
        return typeof value === 'string' || typeof value === 'number' ? String(value) : '-'
      }),
    )
    return { ...ok(tableLines(columns, rows)), table: { columns, rows } }
  }

  /** Distributed transactions: a transfer goes to the coordinator (n1); a balance to any node. */
  private async bankRequest(
    cluster: InteractiveCluster,
    command: Command & { kind: 'transfer' | 'balance' },
  ): Promise<Result> {
    const wrong = this.notFor(
      command.kind,
      ['2pc', '2pc-occ', '3pc'],
      'talks to a bank of accounts under a commit protocol',
      'start 2pc 3 --sim',
    )
    if (wrong !== null) return wrong
    const node = command.kind === 'transfer' ? 'n1' : await this.resolveNode(cluster, command.on)
    const body =
      command.kind === 'transfer'
        ? { type: 'transfer', from: command.from, to: command.to, amount: command.amount }
        : { type: 'balance', account: command.account }
    const asked = await this.ask(cluster, () => Promise.resolve(node), body, command.kind, {
      timeoutMs: 5_000,
      ...(command.kind === 'transfer'
        ? {
            silence: (took: string) =>
              `no decision after ${took}: the coordinator may be down, or participants in doubt waiting for it (try: status)`,
          }
        : {}),
    })
    if (!('answer' in asked)) return asked
    const { answer, took } = asked
    if (command.kind === 'transfer') {
      const tx = typeof answer['tx'] === 'string' ? `${answer['tx']}, ` : ''
      return ok([
        `committed: ${command.amount} from ${command.from} to ${command.to} (${tx}${took})`,
      ])
    }
    return ok([
      `${command.account} = ${String(answer['balance'])} (version ${String(answer['version'])}, from ${asked.node}, ${took})`,
    ])
  }

  /** The lock services: requests go to the leader (lock) or to n1 (lock-naive, one server). */
  private async lockRequest(
    cluster: InteractiveCluster,
    command: Command & { kind: 'acquire' | 'renew' | 'release' },
  ): Promise<Result> {
    const wrong = this.notFor(
      command.kind,
      ['lock', 'lock-naive'],
      'talks to a lock service',
      'start lock 3 --sim',
    )
    if (wrong !== null) return wrong
    const body = {
      type: command.kind,
      key: command.key,
      client: command.client,
      ...(command.kind === 'release' ? {} : { lease_ms: command.leaseMs }),
    }
    const at =
      this.spec?.algorithm === 'lock' ? this.leaderOrFirst(cluster) : () => Promise.resolve('n1')
    const asked = await this.ask(cluster, at, body, `${command.kind} ${command.key}`, {
      timeoutMs: 1_000,
      client: command.client,
    })
    if (!('answer' in asked)) return asked
    const { answer, took, node } = asked
    if (command.kind !== 'release') {
      const granted = typeof answer['token'] === 'number' ? { token: answer['token'] } : {}
      this.grants.set(`${command.client} ${command.key}`, granted)
    }
    const token = typeof answer['token'] === 'number' ? `, fencing token ${answer['token']}` : ''
    const lease = typeof answer['lease_ms'] === 'number' ? `, lease ${answer['lease_ms']} ms` : ''
    const done = { acquire: 'holds', renew: 'still holds', release: 'released' }[command.kind]
    return ok([`${command.client} ${done} ${command.key}${token}${lease} (${took}, from ${node})`])
  }

  /**
   * A holder's write to the protected resource (option `resource`), with the
   * fencing token last granted to that client for that lock: the resource
   * refuses a token lower than one it has seen (fenced-store.ts). It is sent
   * whatever the lock service thinks now, as a holder waking from a pause would.
   */
  private async storeRequest(
    cluster: InteractiveCluster,
    command: Command & { kind: 'store' },
  ): Promise<Result> {
    const wrong = this.notFor(
      'store',
      ['lock', 'lock-naive'],
      'writes to the resource a lock protects',
      'start lock 3 --resource --sim',
    )
    if (wrong !== null) return wrong
    const resource = this.spec?.options?.['resource']
    if (typeof resource !== 'string') {
      const servers = this.spec?.nodes ?? 3
      return fail(
        `this cluster has no protected resource to write to; start one with it: start ${this.spec?.algorithm} ${servers} --resource --sim`,
      )
    }
    const grant = this.grants.get(`${command.client} ${command.key}`)
    if (grant === undefined) {
      return fail(
        `${command.client} was never granted ${command.key} in this run, so it has no token to write with; first: acquire ${command.key} --as ${command.client}`,
      )
    }
    const body = {
      type: 'store',
      key: command.key,
      value: command.value,
      holder: command.client,
      ...(grant.token === undefined ? {} : { token: grant.token }),
    }
    const started = cluster.now()
    const reply = await cluster.request(resource, body, {
      timeoutMs: 1_000,
      client: command.client,
    })
    const took = `${round(cluster.now() - started)} ms`
    if (!reply.ok)
      return fail(`no answer from ${resource} after ${took}; it may be down or cut off.`)
    const answer = reply.body
    const token = grant.token === undefined ? 'no token' : `token ${grant.token}`
    if (answer.type === 'store_ok') {
      // Without a token the resource has nothing to compare: it takes every write.
      const trust =
        grant.token === undefined
          ? '; without tokens it cannot tell a stale holder from the current one'
          : ''
      return ok([
        `accepted (${token}): ${resource} stored ${command.key} = ${JSON.stringify(command.value)} from ${command.client}${trust} (${took})`,
      ])
    }
    const text = typeof answer['text'] === 'string' ? answer['text'] : answer.type
    const match = /already saw (\d+)/.exec(text)
    if (answer.type === 'error' && match !== null) {
      return fail(
        `rejected: ${token} is older than ${match[1]}, which ${resource} has seen for ${command.key} (${took})`,
      )
    }
    return fail(`${resource} refused the write: ${text} (${took})`)
  }

  private client(cluster: InteractiveCluster, id: NodeId): KvClient {
    let client = this.clients.get(id)
    if (client === undefined) {
      client = cluster.client(id)
      this.clients.set(id, client)
    }
    return client
  }

  private async operate(
    cluster: InteractiveCluster,
    op: Operation,
    on: string | undefined,
  ): Promise<Result> {
    const client = this.client(cluster, 'c1')
    // Start at the node named (--on), else at the leader if there is one: the
    // client would find it, but a learner who just killed a node should not
    // wait for a timeout to see it.
    const first =
      on !== undefined
        ? await this.resolveNode(cluster, on)
        : await this.resolveNode(cluster, 'leader').catch(() => null)
    if (first !== null) client.startAt(first)
    let result: Completion | null = null
    const started = cluster.now()
    client.invoke(op, (completion) => {
      result = completion
    })
    await cluster.waitFor(() => result !== null, 5_000)
    const done = result as Completion | null
    const took = `${round(cluster.now() - started)} ms`
    if (done === null) return fail(`no answer yet after ${took}; the operation may still happen.`)
    if (done.type === 'ok') {
      if (op.f === 'read') {
        return ok([
          done.value === null
            ? `${op.key} is not set (${took})`
            : `${op.key} = ${JSON.stringify(done.value)} (${took})`,
        ])
      }
      if (op.f === 'write') return ok([`ok: ${op.key} = ${JSON.stringify(op.value)} (${took})`])
      return ok([
        `ok: ${op.key} was ${JSON.stringify(op.from)}, now ${JSON.stringify(op.to)} (${took})`,
      ])
    }
    if (done.type === 'fail') return fail(`not done: ${done.error?.text ?? 'refused'} (${took})`)
    return fail(
      `unknown: ${done.error?.text ?? 'no answer'}; it may or may not have happened (${took})`,
    )
  }

  private async log(cluster: InteractiveCluster, id: NodeId): Promise<Result> {
    const inspection = await cluster.inspect(id)
    const state = (inspection.state ?? inspection.saved) as
      { log?: unknown[]; commitIndex?: number } | undefined
    const log = state?.log
    if (!Array.isArray(log)) return fail(`${id} keeps no log (its algorithm has none).`)
    const commitIndex = typeof state?.commitIndex === 'number' ? state.commitIndex : 0
    const shownMax = 50
    const first = Math.max(0, log.length - shownMax)
    const lines = first > 0 ? [`... ${first} earlier entries`] : []
    log.slice(first).forEach((entry, i) => {
      const index = first + i + 1
      const e = entry as {
        term?: number
        command?: {
          op?: string
          key?: string
          value?: unknown
          from?: unknown
          to?: unknown
        } | null
      }
      const c = e.command
      const what =
        c === null || c === undefined
          ? 'no-op'
          : c.op === 'write'
            ? `put ${c.key} ${JSON.stringify(c.value)}`
            : c.op === 'cas'
              ? `cas ${c.key} ${JSON.stringify(c.from)} ${JSON.stringify(c.to)}`
              : `get ${c.key}`
      lines.push(
        `${String(index).padStart(5)}  term ${String(e.term ?? '?').padEnd(3)} ${what}${index <= commitIndex ? '  *' : ''}`,
      )
    })
    if (log.length === 0) lines.push('(empty)')
    lines.push(
      `${log.length} entries, ${commitIndex} committed (*)${inspection.status === 'dead' ? '; the node is down: this is its saved log' : ''}`,
    )
    return ok(lines)
  }

  private async state(cluster: InteractiveCluster, id: NodeId): Promise<Result> {
    const inspection = await cluster.inspect(id)
    if (inspection.state === undefined) {
      return ok([
        `${id} is down${inspection.error ? `: ${inspection.error}` : ''}; it saved:`,
        ...json(inspection.saved),
      ])
    }
    return ok(json(inspection.state))
  }

  private traceLines(cluster: InteractiveCluster, command: Command & { kind: 'trace' }): Result {
    const verbose = command.type !== undefined
    const formatter = new EventFormatter((body) => this.describe(body))
    const matches = (event: TraceEvent): boolean => {
      if (command.node !== undefined) {
        const touches =
          event.node === command.node ||
          ('src' in event && (event.src === command.node || event.dest === command.node))
        if (!touches) return false
      }
      if (command.type !== undefined) {
        const type = command.type
        return event.kind === type || ('body' in event && event.body.type === type)
      }
      return true
    }
    const lines: string[] = []
    for (const event of cluster.trace.recent()) {
      if (!matches(event)) continue
      const line = formatter.line(event, verbose)
      if (line !== null) lines.push(line)
    }
    const shown = lines.slice(-command.last)
    if (shown.length === 0) return ok(['no events match (trace keeps the most recent events only)'])
    return ok(shown)
  }

  private describe(body: { type: string }): string {
    if (this.spec === null || this.spec.algorithm === 'external') return body.type
    const definition = resolveAlgorithm(this.spec.algorithm, this.spec.variant)
    return definition.describe?.(body) ?? body.type
  }

  private async check(cluster: InteractiveCluster): Promise<Result> {
    const violations = cluster.violations
    const history = await this.linearizability()
    if (violations.length === 0) {
      const line = `no invariant broken in ${cluster.trace.lastSeq()} events so far`
      return history.ok
        ? ok([line, ...history.lines])
        : { ...fail(line), lines: [line, ...history.lines] }
    }
    return {
      ...fail(`${violations.length} invariant${violations.length === 1 ? '' : 's'} broken:`),
      lines: [
        `${violations.length} invariant${violations.length === 1 ? '' : 's'} broken:`,
        ...violations.map((v) => `  ${v.rule}: ${v.message} (events ${v.events.join(', ')})`),
        ...history.lines,
      ],
    }
  }

  /** The clients' history so far: linearizable or not, and if not, the slice that shows it. */
  private async linearizability(): Promise<{ ok: boolean; lines: string[] }> {
    const report = await this.historyReport()
    if (report === null)
      return { ok: true, lines: ['no client operations yet to check for linearizability'] }
    return { ok: report.result !== 'not linearizable', lines: reportLines(report) }
  }

  /** The linearizability checker's report on the clients' history, or null with no operations. */
  private async historyReport(): Promise<CheckReport | null> {
    const operations = this.history.operations()
    if (operations.length === 0) return null
    return this.jobs.check({
      model: modelForOperations(operations),
      operations,
      stepsMax: linearizabilityStepsMax,
    })
  }

  /** What a lesson's checker goal is judged by: this run's invariants and history. */
  private async checkerVerdict(): Promise<CheckerVerdict> {
    const report = await this.historyReport()
    return {
      violations: this.cluster?.violations ?? [],
      linearizable:
        report === null || report.result === 'unknown' ? null : report.result === 'linearizable',
    }
  }

  private async workload(
    cluster: InteractiveCluster,
    command: Command & { kind: 'workload' },
  ): Promise<Result> {
    const clients = Array.from({ length: command.clients }, (_, i) =>
      this.client(cluster, `c${i + 1}`),
    )
    if (clients.some((client) => client.busy()))
      return fail('a client is still waiting for an answer; try: wait 1000')
    const random = randomStream(this.spec?.seed ?? 1, `workload-${++this.workloads}`)
    let done = false
    const started = cluster.now()
    const workload = startWorkload(
      clients,
      {
        operations: command.operations,
        keys: command.keys,
        mix: command.mix,
        valuesMax: 1_000,
        ...(command.rate === undefined ? {} : { ratePerSecond: command.rate }),
      },
      random,
      () => cluster.now(),
      () => {
        done = true
      },
    )
    // With a rate, time passing starts the operations that fall due.
    const deadline = started + workloadMsMax
    while (!done && !this.interrupted && cluster.now() < deadline) {
      await cluster.waitFor(
        () => done || this.interrupted || workload.due(),
        deadline - cluster.now(),
      )
      workload.releaseDue()
    }
    workload.stop()
    const result = workload.result
    const seconds = (cluster.now() - started) / 1000
    const completed = result.ok + result.fail + result.info
    const paced = command.rate === undefined ? '' : ` at up to ${command.rate}/s`
    if (!done) {
      const why = this.interrupted ? 'interrupted (Ctrl+C)' : 'stopped at its time limit'
      return fail(
        `workload ${why} after ${round(seconds)} s: ${completed} of ${command.operations} operations done (${result.ok} ok, ${result.fail} failed, ${result.info} unknown), ${result.invoked - completed} still under way`,
      )
    }
    return ok([
      `${completed} of ${command.operations} operations from ${command.clients} clients${paced} in ${round(seconds)} s: ${result.ok} ok, ${result.fail} failed, ${result.info} unknown`,
      `throughput ${round(completed / Math.max(seconds, 1e-9))} operations/s; latency median ${round(percentile(result.latenciesMs, 50))} ms, p99 ${round(percentile(result.latenciesMs, 99))} ms`,
    ])
  }

  private library(): RunLibrary {
    if (this.options.runs === undefined)
      throw new Error('runs are not kept here: the terminal and the app keep them.')
    return this.options.runs
  }

  /** The run a command names with --run, or the one being recorded. */
  private runNamed(reference: string | undefined): { id: number; label: string } {
    if (reference !== undefined) {
      const run = this.library().find(reference)
      return { id: run.id, label: String(run.id) }
    }
    if (this.recording === null) {
      throw new Error('no run is going: start a cluster, or name a run with --run N (see runs).')
    }
    return { id: this.recording.id, label: `${this.recording.id} (this run)` }
  }

  private save(command: Command & { kind: 'save' }): Result {
    const run = this.runNamed(command.run)
    this.library().name(run.id, command.name)
    return ok([
      `run ${run.id} is saved as ${command.name}: replay ${command.name}, export FILE --run ${command.name}`,
    ])
  }

  private async exportRun(command: Command & { kind: 'export' }): Promise<Result> {
    const run = this.runNamed(command.run)
    const written = await this.library().exportRun(run.id, command.file)
    return ok([
      `wrote run ${run.label} to ${command.file}: ${written.eventCount.toLocaleString('en-US')} events, ${round(written.bytes / 1024)} KiB`,
    ])
  }

  private async importRun(command: Command & { kind: 'import' }): Promise<Result> {
    const run = await this.library().importRun(command.file)
    const how = this.library().inputs(run.id).length > 0 ? 'replay' : 'replay ... --at MS'
    return ok([
      `imported ${command.file} as run ${run.id}: ${run.algorithm}, ${run.runtime}, ${run.eventCount.toLocaleString('en-US')} events; try: ${how.replace('...', String(run.id)).replace(/^replay$/, `replay ${run.id}`)}`,
    ])
  }

  private async replay(command: Command & { kind: 'replay' }): Promise<Result> {
    const library = this.library()
    const run = library.find(command.run)
    if (command.at === undefined && run.runtime === 'sim' && library.inputs(run.id).length > 0) {
      return ok(await replayExactly(library, run, (inputs) => this.replayInputs(inputs)))
    }
    return tabled(momentOf(library, run, command.at, command.events))
  }

  /** Types `inputs` into a new simulator session of its own; returns every event it made. */
  private async replayInputs(inputs: string[]): Promise<TraceEvent[]> {
    const events: TraceEvent[] = []
    const session = new Session({
      jobs: this.jobs,
      observe: (event) => events.push(event),
      ...(this.options.traceCapacity === undefined
        ? {}
        : { traceCapacity: this.options.traceCapacity }),
    })
    try {
      for (const line of inputs) await session.run(line)
    } finally {
      await session.stopCluster()
    }
    return events
  }

  private async explore(command: Command & { kind: 'explore' }): Promise<Result> {
    resolveAlgorithm(command.algorithm, command.variant) // a clear error first
    const report = await this.jobs.explore(
      {
        algorithm: command.algorithm,
        runs: command.runs,
        firstSeed: command.seed,
        ...(command.variant === undefined ? {} : { variant: command.variant }),
      },
      (progress) => this.options.onProgress?.(progressLine(progress)),
    )
    const replay = `explore ${command.algorithm}${command.variant === undefined ? '' : ` --variant ${command.variant}`}`
    return exploreResult(report, replay, scheduleScript)
  }

  /** The explorer on the learner's applied code, on the job thread; remembered for the lesson's goal. */
  private async exploreCode(command: Command & { kind: 'explore-code' }): Promise<Result> {
    const code = this.options.learnerCode?.() ?? null
    if (code === null) {
      return fail(
        this.options.learnerCode === undefined
          ? 'explore --code explores the code you apply in the Code tab, and this session has none: open the app (npm start or npm run web).'
          : 'no code of yours is applied in this session: open the Code tab, edit, and press Apply first.',
      )
    }
    const report = await this.jobs.exploreCode(
      {
        algorithm: code.algorithm,
        source: code.source,
        fileName: code.fileName,
        runs: command.runs,
        firstSeed: command.seed,
      },
      (progress) => this.options.onProgress?.(progressLine(progress)),
    )
    this.codeExploration = {
      version: code.version,
      runs: report.runs,
      failure:
        report.found === null
          ? null
          : `${report.found.failure.kind}: ${report.found.failure.message}`,
    }
    // The simulator runs the app's modules only: the schedule is shown without its start line.
    const script = (schedule: Parameters<typeof scheduleScript>[0]): string[] => [
      `(your ${code.fileName} on ${schedule.nodes} nodes, seed ${schedule.seed})`,
      ...scheduleScript(schedule).slice(1),
    ]
    const result = exploreResult(report, 'explore --code', script)
    return report.found === null
      ? { ...result, lines: [`${result.lines[0]}, running your ${code.fileName}`] }
      : result
  }

  private learnerCodeStatus(): ReturnType<NonNullable<LessonHostOptions['learnerCode']>> {
    const code = this.options.learnerCode?.() ?? null
    if (code === null) return { applied: false }
    const explored = this.codeExploration
    return {
      applied: true,
      explored:
        explored === null || explored.version !== code.version
          ? null
          : { runs: explored.runs, failure: explored.failure },
    }
  }
}

type LessonHostOptions = ConstructorParameters<typeof LessonEngine>[2]

/** An exploration's report as the terminal shows it: passed, or the failure, its shrunk schedule and its replay. */
function exploreResult(
  report: ExploreReport,
  replay: string,
  script: (schedule: NonNullable<ExploreReport['found']>['shrunk']) => string[],
): Result {
  const unchecked =
    report.unchecked === 0
      ? ''
      : ` (${report.unchecked} too hard to check for linearizability in time)`
  if (report.found === null) {
    return ok([`no failure in ${report.runs} random fault schedules${unchecked}`])
  }
  const { seed, failure, shrunk, shrinkRuns } = report.found
  const headline = `run ${report.runs} (seed ${seed}) broke it: ${failure.kind}: ${failure.message}`
  return {
    ...fail(headline),
    lines: [
      headline,
      ...(failure.details ?? []),
      `shrunk in ${shrinkRuns} more runs to ${shrunk.faults.length} faults and ${shrunk.operations} operations, with ${shrunk.clients} clients ${profileFor(shrunk.algorithm).clientsDo} meanwhile:`,
      ...script(shrunk).map((line) => `  ${line}`),
      `replay it exactly: ${replay} --seed ${seed} --runs 1`,
    ],
  }
}

/** How far `check` may search for a linearization (a few seconds) before it says "unknown". */
const linearizabilityStepsMax = 20_000_000

function help(topic: string | undefined): Result {
  if (topic === undefined) {
    const width = Math.max(...commandSpecs.map((spec) => spec.name.length))
    return ok([
      'Commands (help <command> for more; # starts a comment):',
      ...commandSpecs.map((spec) => `  ${spec.name.padEnd(width)}  ${spec.summary}`),
      `Algorithms: ${Object.keys(algorithms).join(', ')}. Wherever a node is named, leader means the current leader. Ctrl+C stops a command that runs on real time (wait, workload) or on the job thread (check, explore).`,
    ])
  }
  const spec = findSpec(topic)
  if (spec === undefined) return fail(`there is no command "${topic}"; type help for the list.`)
  const aliases = spec.aliases === undefined ? [] : [`also: ${spec.aliases.join(', ')}`]
  // What start can run, and the broken variants a learner can study (--variant NAME).
  const algorithmLines =
    spec.name !== 'start'
      ? []
      : Object.entries(algorithms).map(([name, entry]) => {
          const variants = Object.keys(entry.variants)
          return `  ${name}${variants.length === 0 ? '' : ` (variants: ${variants.join(', ')})`}`
        })
  return ok([
    `${spec.usage}`,
    `  ${spec.summary}`,
    `  example: ${spec.example}`,
    ...aliases.map((a) => `  ${a}`),
    ...(algorithmLines.length === 0
      ? []
      : ['  algorithms:', ...algorithmLines.map((l) => `  ${l}`)]),
  ])
}

function tabled(table: Table): Result {
  return { ...ok(table.lines), table: table.table }
}

function ok(lines: string[]): Result {
  return { ok: true, lines, events: [] }
}

function fail(line: string): Result {
  return { ok: false, lines: [line], events: [] }
}

function sentence(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

function json(value: unknown): string[] {
  const lines = (JSON.stringify(value, null, 2) ?? 'undefined').split('\n')
  return lines.length > 200
    ? [...lines.slice(0, 200), `... ${lines.length - 200} more lines`]
    : lines
}
