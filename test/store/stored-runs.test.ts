// Runs kept as the terminal makes them: every cluster a session starts is
// recorded, event for event; a simulated run replays exactly from its
// commands; runs are named, exported, imported, and looked at as they were at
// any moment.

import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import { Session, type Result } from '../../src/main/commands/interpreter'
import { StoredRuns } from '../../src/main/store/stored-runs'
import type { LabStore } from '../../src/main/store/store'
import type { TraceEvent } from '../../src/shared/trace'
import { storeAt, useTempFolder } from './helpers'

const folder = useTempFolder()

async function must(session: Session, line: string): Promise<Result> {
  const result = await session.run(line)
  if (!result.ok) throw new Error(`${line}: ${result.lines.join('\n')}`)
  return result
}

function sessionOn(store: LabStore, seen?: TraceEvent[]): Session {
  return new Session({
    runs: new StoredRuns(store),
    realTime: () => new RealTimeCluster(),
    ...(seen === undefined ? {} : { observe: (event: TraceEvent) => seen.push(event) }),
  })
}

const experiment = [
  'start raft 5 --sim --seed 9',
  'wait 500',
  'put x 1',
  'partition n1,n2 | n3,n4,n5',
  'wait 800',
  'put x 2',
  'kill leader',
  'wait 600',
  'heal',
  'workload 40 --clients 3',
  'get x',
]

describe('runs kept in the store', { timeout: 60_000 }, () => {
  it('records every event of a simulated run, and replays it exactly from its commands', async () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const seen: TraceEvent[] = []
    const session = sessionOn(store, seen)
    for (const line of experiment) await must(session, line)
    await must(session, 'status') // read-only commands are inputs too; they change nothing
    await must(session, 'stop')
    const [run] = store.listRuns()
    expect(run).toMatchObject({ algorithm: 'raft', runtime: 'sim', seed: 9, recording: false })
    expect(run.eventCount).toBe(seen.length)
    expect(run.outcome).toBe('no invariant broken')
    expect(store.inputs(run.id)).toEqual([...experiment, 'status'])

    const replay = await must(session, `replay ${run.id}`)
    expect(replay.lines[0]).toBe(
      `replayed run ${run.id} from its 12 commands: all ${seen.length.toLocaleString('en-US')} events came out the same`,
    )
    await session.close()
    store.close()
  })

  it('notices a run that does not replay the same', async () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const session = sessionOn(store)
    for (const line of experiment.slice(0, 3)) await must(session, line)
    await must(session, 'stop')
    const [run] = store.listRuns()
    store.addInput(run.id, 'wait 100') // a command the run never had
    const replay = await session.run(`replay ${run.id}`)
    expect(replay.ok).toBe(false)
    expect(replay.lines[0]).toMatch(
      new RegExp(
        `^run ${run.id} did not replay the same: at event \\d+, the replay went on for \\d+ more events`,
      ),
    )
    await session.close()
    store.close()
  })

  it('saves, exports and imports a run, which then replays the same', async () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const session = sessionOn(store)
    for (const line of experiment) await must(session, line)
    expect((await must(session, 'save split-brain')).lines[0]).toMatch(
      /^run 1 is saved as split-brain/,
    )
    const file = join(folder(), 'split-brain.run.gz')
    // Exported while still recording: as far as it has gone.
    expect((await must(session, `export ${file}`)).lines[0]).toMatch(
      /^wrote run 1 \(this run\) to .*split-brain\.run\.gz: [\d,]+ events/,
    )
    await must(session, 'stop')
    const imported = await must(session, `import ${file}`)
    expect(imported.lines[0]).toMatch(
      /^imported .* as run 2: raft, sim, [\d,]+ events; try: replay 2$/,
    )
    expect([...store.events(2)]).toEqual([...store.events(1)])
    expect(store.inputs(2)).toEqual(store.inputs(1))
    expect((await must(session, 'replay 2')).lines[0]).toMatch(
      /all [\d,]+ events came out the same/,
    )
    // Saved runs survive pruning; the imported one is fair game.
    expect(store.pruneRuns({ bytesMax: 0 }).deleted).toEqual([2])
    const table = await must(session, 'runs')
    expect(table.table?.rows.map((row) => row[1])).toEqual(['split-brain'])
    await session.close()
    store.close()
  })

  it('shows any run as it was at a moment: each node, and the events before it', async () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const session = sessionOn(store)
    for (const line of experiment) await must(session, line)
    const moment = await must(session, 'replay 1 --at 1400 --events 3')
    expect(moment.lines[0]).toMatch(/^run 1 at 1400 ms \([\d,]+ events, the last at [\d.]+ ms\):$/)
    expect(moment.table?.columns.slice(0, 4)).toEqual(['node', 'status', 'role', 'term'])
    // By 1400 ms the leader (n3, on the majority side) was killed, and n2, cut off, campaigns.
    expect(moment.table?.rows.map((row) => row.slice(0, 3))).toEqual([
      ['n1', 'up', 'follower'],
      ['n2', 'up', 'candidate'],
      ['n3', 'dead', '-'],
      ['n4', 'up', 'follower'],
      ['n5', 'up', 'follower'],
    ])
    expect(moment.lines.at(-4)).toBe('the last 3 events before then:')
    await session.close()
    store.close()
  })

  it('records a real-time run (threads and sockets) and shows where it ended', async () => {
    const store = storeAt(join(folder(), 'lab.db'))
    const seen: TraceEvent[] = []
    const session = sessionOn(store, seen)
    await must(session, 'start raft 3')
    await must(session, 'wait 1000')
    await must(session, 'put x 7')
    await must(session, 'stop')
    const [run] = store.listRuns()
    expect(run).toMatchObject({ runtime: 'real-time', recording: false })
    expect(run.eventCount).toBe(seen.length)
    expect(store.inputs(run.id)).toEqual([]) // a real-time run replays as its trace
    const end = await must(session, `replay ${run.id}`)
    expect(end.lines[0]).toMatch(new RegExp(`^run ${run.id} where it ended`))
    expect(end.table?.rows).toHaveLength(3)
    await session.close()
    store.close()
  })

  it('answers the run commands with a sentence where no runs are kept, or the run is unknown', async () => {
    const bare = new Session()
    expect((await bare.run('runs')).lines[0]).toBe(
      'runs are not kept here: the terminal and the app keep them.',
    )
    const store = storeAt(join(folder(), 'lab.db'))
    const session = sessionOn(store)
    expect((await session.run('replay nope')).lines[0]).toBe(
      'there is no run nope: no runs are kept yet (start a cluster to record one).',
    )
    expect((await session.run('save mine')).lines[0]).toMatch(/^no run is going/)
    expect((await session.run(`import ${join(folder(), 'missing.run.gz')}`)).ok).toBe(false)
    await session.close()
    store.close()
  })
})
