// The terminal's commands for kept runs: `runs`, `replay`. A simulated run
// replays exactly: its commands, typed again into a new simulator, must give
// the same trace, event for event, and replay checks that they do. Any run,
// simulated, real-time or imported, can be looked at as it was at a moment:
// each node's role, term and commit index then, and the events before it.

import type { NodeId } from '../../shared/envelope'
import type { NodeSummary } from '../../shared/node-api'
import type { TraceEvent } from '../../shared/trace'
import { resolveAlgorithm } from '../../workers/algorithms'
import { EventFormatter, round, tableLines } from './format'
import type { RunLibrary, RunListing } from './run-library'

export interface Table {
  lines: string[]
  table: { columns: string[]; rows: string[][] }
}

/** `runs`: every kept run, newest first, and the space they take. */
export function runsTable(library: RunLibrary): Table {
  const runs = library.list()
  const columns = ['run', 'name', 'algorithm', 'runtime', 'events', 'size', 'started', 'outcome']
  const rows = runs.map((run) => [
    String(run.id),
    run.name ?? '-',
    run.variant === null ? run.algorithm : `${run.algorithm}/${run.variant}`,
    run.runtime === 'sim' ? `sim (seed ${run.seed ?? 1})` : 'real-time',
    run.eventCount.toLocaleString('en-US'),
    bytes(run.byteSize),
    new Date(run.startedAt).toISOString().replace('T', ' ').slice(0, 16),
    run.recording ? 'recording' : (run.outcome ?? '-'),
  ])
  const space = library.space()
  const total = `${space.runs} run${space.runs === 1 ? '' : 's'}, ${bytes(space.runBytes)} of events (the file: ${bytes(space.fileBytes)}); unnamed runs may be pruned, saved ones never`
  const lines = runs.length === 0 ? ['no runs kept yet'] : tableLines(columns, rows)
  return { lines: [...lines, total], table: { columns, rows } }
}

/**
 * Replays a simulated run from its commands (`run` types each into a new
 * simulator session and reports the events it produced) and compares them
 * with the kept trace.
 */
export async function replayExactly(
  library: RunLibrary,
  run: RunListing,
  runInputs: (inputs: string[]) => Promise<TraceEvent[]>,
): Promise<string[]> {
  const inputs = library.inputs(run.id)
  const replayed = await runInputs(inputs)
  let index = 0
  for (const kept of library.events(run.id)) {
    const again = replayed[index]
    if (again === undefined) {
      return differs(run, index, `the replay ended after ${index} events`)
    }
    if (canonical(again) !== canonical(kept)) {
      return differs(
        run,
        index,
        `kept ${JSON.stringify(kept).slice(0, 200)}, replayed ${JSON.stringify(again).slice(0, 200)}`,
      )
    }
    index++
  }
  if (replayed.length > index) {
    return differs(run, index, `the replay went on for ${replayed.length - index} more events`)
  }
  return [
    `replayed run ${label(run)} from its ${inputs.length} commands: all ${index.toLocaleString('en-US')} events came out the same`,
    ...inputs.map((line) => `  ${line}`),
  ]
}

function differs(run: RunListing, index: number, how: string): never {
  throw new Error(
    `run ${label(run)} did not replay the same: at event ${index + 1}, ${how}. Was it made by another version of the algorithm or of this app?`,
  )
}

/** The nodes of a kept run at time `at`, and the last events up to then. */
export function momentOf(
  library: RunLibrary,
  run: RunListing,
  at: number | undefined,
  eventsShown: number,
): Table {
  const spec = library.spec(run.id)
  const describe =
    spec.algorithm === 'external' ? undefined : resolveAlgorithm(spec.algorithm, spec.variant)
  const formatter = new EventFormatter((body) => describe?.describe?.(body) ?? body.type)
  const nodes = new Map<NodeId, { status: string; summary: NodeSummary }>()
  const recent: string[] = []
  let lastT = 0
  let count = 0
  for (const event of library.events(run.id)) {
    if (at !== undefined && event.t > at) break
    lastT = event.t
    count++
    const node = nodes.get(event.node) ?? { status: 'up', summary: {} }
    if (event.kind === 'state') {
      node.summary = event.summary
      if (/^n\d+$/.test(event.node)) nodes.set(event.node, node)
    } else if (event.kind === 'crash') node.status = 'dead'
    else if (event.kind === 'restart' || event.kind === 'resume') node.status = 'up'
    else if (event.kind === 'pause') node.status = 'paused'
    const line = formatter.line(event)
    if (line !== null) {
      recent.push(line)
      if (recent.length > eventsShown) recent.shift()
    }
  }
  const ids = [...nodes.keys()].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
  const keys = [...new Set(ids.flatMap((id) => Object.keys(nodes.get(id)?.summary ?? {})))]
  const heading: Record<string, string> = { commitIndex: 'commit', logLength: 'log' }
  const columns = ['node', 'status', ...keys.map((key) => heading[key] ?? key)]
  const rows = ids.map((id) => {
    const node = nodes.get(id) as { status: string; summary: NodeSummary }
    const dead = node.status === 'dead'
    return [id, node.status, ...keys.map((key) => (dead ? '-' : String(node.summary[key] ?? '-')))]
  })
  const when = at === undefined ? 'where it ended' : `at ${round(at)} ms`
  return {
    lines: [
      `run ${label(run)} ${when} (${count.toLocaleString('en-US')} events, the last at ${round(lastT)} ms):`,
      ...tableLines(columns, rows),
      ...(recent.length === 0 ? [] : [`the last ${recent.length} events before then:`, ...recent]),
    ],
    table: { columns, rows },
  }
}

/** JSON with every object's keys in order: two events are the same whatever order their fields were written in. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, field: unknown) =>
    field !== null && typeof field === 'object' && !Array.isArray(field)
      ? Object.fromEntries(Object.entries(field).sort(([a], [b]) => (a < b ? -1 : 1)))
      : field,
  )
}

function label(run: RunListing): string {
  return run.name === null ? String(run.id) : `${run.id} (${run.name})`
}

function bytes(count: number): string {
  if (count < 1024) return `${count} B`
  if (count < 1024 * 1024) return `${round(count / 1024)} KiB`
  return `${round(count / 1024 / 1024)} MiB`
}
