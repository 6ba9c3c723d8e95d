// The child process of sigkill.test.ts: writes lesson progress, saved code and
// trace events in a loop, as the app does, and says on stdout what it has
// committed, until it is killed. A line is written only after the write it
// reports returned (progress and code: committed with synchronous=FULL;
// events: the recorder's onFlushed, after the batch's transaction committed).
// On Linux, writes to a pipe from process.stdout are synchronous, so the
// parent never reads a line ahead of its commit.
//
//   node --import tsx test/store/sigkill-writer.ts <database file> <lesson id>

import { openStore } from '../../src/main/store/store'
import { sampleEvents } from './helpers'

const [file, lessonId] = process.argv.slice(2)
if (file === undefined || lessonId === undefined) {
  process.stderr.write('usage: sigkill-writer.ts <database file> <lesson id>\n')
  process.exit(2)
}
const opened = openStore(file)
if (!opened.ok) {
  process.stderr.write(`${opened.message}\n`)
  process.exit(1)
}
const store = opened.store
const say = (line: string): void => {
  process.stdout.write(`${line}\n`)
}

const run = store.createRun({ spec: { algorithm: 'raft', nodes: 3 }, runtime: 'real-time' })
say(`run ${run}`)
const recorder = store.recorder(run, {
  flushEvents: 512,
  flushMs: 5,
  onFlushed: ({ lastSeq }) => say(`events ${lastSeq}`),
})

let seq = 0
let step = 0
const eventsPerTurn = 400

function turn(): void {
  for (const event of sampleEvents(seq + 1, eventsPerTurn)) recorder.record(event)
  seq += eventsPerTurn
  step++
  store.recordProgress(lessonId, `step-${step}`, step % 3 === 0 ? 'done' : 'started')
  say(`progress ${step}`)
  if (step % 5 === 0) {
    const saved = store.saveCode('raft', `${lessonId} code`, `// saved at step ${step}\n`)
    say(`code ${saved.version}`)
  }
  setImmediate(turn)
}
turn()
