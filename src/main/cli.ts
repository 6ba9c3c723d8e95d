// consensus-lab: the command language in a plain terminal. Interactive with a
// terminal (history, tab completion, colours); otherwise it runs the commands
// it is given, one per line, prints each result, and stops with exit code 1 at
// the first command that fails, so that experiments can be scripted.
//
//   consensus-lab                  interactive (or commands from standard input)
//   consensus-lab run FILE         run the commands in FILE
//   consensus-lab --help

import { createReadStream, readFileSync } from 'node:fs'
import { basename } from 'node:path'
import { clearLine, createInterface, cursorTo } from 'node:readline'
import { resolveAlgorithm } from '../workers/algorithms'
import { loadCompiledModule } from '../workers/load-module'
import { compileNodeModule } from './cluster/compile'
import { reportLines } from './check/check-history'
import { importHistory } from './check/history-import'
import { isModelName, modelForOperations, modelNames } from './check/models'
import { JobThread } from './jobs/job-thread'
import { complete } from './commands/complete'
import type { Result, Session } from './commands/interpreter'
import { runAsMaelstromNode } from './maelstrom'
import { createNodeSession, openKeptRuns, type KeptRuns } from './session-factory'

const usage = `consensus-lab: run, break and fix consensus clusters from a terminal.

  consensus-lab              an interactive session (type help inside)
  consensus-lab run FILE     run the commands in FILE, stop at the first that fails
  consensus-lab < FILE       the same, from standard input
  consensus-lab maelstrom ALGORITHM [--variant NAME] | --code FILE
                             be one node of ours speaking Maelstrom's protocol on
                             stdin and stdout (for Jepsen's Maelstrom)
  consensus-lab check FILE [--model kv|register|counter|lock]
                             is this history linearizable? (Jepsen log or EDN, or
                             our JSON Lines); exit 0 yes, 1 no, 2 unknown or bad file
  consensus-lab --help       this text

  --db FILE                  where runs are kept (default: lab.db in the
                             user's config folder, e.g. ~/.config/consensus-lab)`

const colour = process.stdout.isTTY === true
const paint = (code: number, text: string): string =>
  colour ? `\x1b[${code}m${text}\x1b[0m` : text

/** A progress bar drawn over itself on a terminal; nothing when the output is a file. */
let progressShown = false
const showProgress = (line: string): void => {
  process.stdout.write(`\r\x1b[2K${line}`)
  progressShown = true
}

function print(result: Result): void {
  if (progressShown) process.stdout.write('\r\x1b[2K')
  progressShown = false
  for (const line of result.lines) console.log(result.ok ? line : paint(31, line))
  for (const line of result.events) console.log(paint(2, line))
}

/** Said when Ctrl+C finds nothing it may stop. */
const cannotStop =
  'this command runs to its end: a simulated run replays from its commands, so a wait or workload there does all it says.'

/** The store runs are kept in, opened for the session (`--db FILE`, or the config folder). */
let kept: KeptRuns | null = null
let databaseFile: string | undefined

/** `onNotable`: tells elections, crashes and faults as they happen between commands. */
function newSession(onNotable?: (line: string) => void): Session {
  kept = openKeptRuns({
    ...(databaseFile === undefined ? {} : { db: databaseFile }),
    tell: (line) => console.error(line),
  })
  return createNodeSession({
    ...(process.stdout.isTTY === true ? { onProgress: showProgress } : {}),
    ...(onNotable === undefined ? {} : { onNotable }),
    ...(kept.runs === undefined ? {} : { runs: kept.runs }),
    ...(kept.progress === undefined ? {} : { progress: kept.progress }),
  })
}

/** Runs each line in order; stops at the first failure. Returns the exit code. */
async function runScript(input: NodeJS.ReadableStream, name: string): Promise<number> {
  const session = newSession()
  const lines = createInterface({ input, crlfDelay: Infinity })
  let number = 0
  try {
    for await (const line of lines) {
      number++
      if (line.trim() === '' || line.trim().startsWith('#')) continue
      // As at the prompt, exit or quit ends the script (it said "there is no command quit").
      if (line.trim() === 'exit' || line.trim() === 'quit') return 0
      console.log(`> ${line}`)
      const result = await session.run(line)
      print(result)
      if (!result.ok) {
        console.error(`${name}:${number}: stopped at this command.`)
        return 1
      }
    }
    return 0
  } finally {
    await session.close()
  }
}

async function interactive(): Promise<number> {
  // A real-time cluster goes on between commands: what happens is printed
  // above the prompt, and the line being typed is drawn again below it.
  const session = newSession((line) => {
    clearLine(process.stdout, 0)
    cursorTo(process.stdout, 0)
    console.log(paint(2, line))
    terminal.prompt(true)
  })
  const terminal = createInterface({
    input: process.stdin,
    output: process.stdout,
    prompt: paint(36, 'lab> '),
    historySize: 1_000,
    completer: (line: string): [string[], string] => {
      const { candidates, partial } = complete(line, session.nodeIds())
      return [candidates, partial]
    },
  })
  console.log(
    'Consensus Lab. New here? Type lesson 1. Type lessons for the course, help for the commands.',
  )
  terminal.prompt()
  let busy: Promise<void> = Promise.resolve()
  // Ctrl+C stops the command under way (it answers with what it got so far);
  // with none running, it leaves, as before.
  let running = false
  terminal.on('SIGINT', () => {
    if (!running) {
      terminal.close()
      return
    }
    void session.interrupt().then((stopped) => {
      console.log(paint(2, stopped ? '^C' : `^C ${cannotStop}`))
    })
  })
  terminal.on('line', (line) => {
    busy = busy.then(async () => {
      const word = line.trim()
      if (word === 'exit' || word === 'quit') {
        terminal.close()
        return
      }
      running = true
      try {
        print(await session.run(line))
      } finally {
        running = false
      }
      terminal.prompt()
    })
  })
  await new Promise<void>((resolve) => terminal.on('close', resolve))
  await busy
  await session.close()
  return 0
}

/** `consensus-lab check FILE`: 0 linearizable, 1 not, 2 unknown or a bad file. */
async function checkFile(args: string[]): Promise<number> {
  const modelAt = args.indexOf('--model')
  const modelName = modelAt >= 0 ? args[modelAt + 1] : undefined
  const file = args.find((arg, i) => !arg.startsWith('--') && (modelAt < 0 || i !== modelAt + 1))
  if (file === undefined) {
    console.error('check needs a history file, e.g. consensus-lab check history.jsonl')
    return 2
  }
  if (modelName !== undefined && !isModelName(modelName)) {
    console.error(`there is no ${modelName} model: use --model ${modelNames.join(', --model ')}.`)
    return 2
  }
  const jobs = new JobThread()
  try {
    const { operations, initial, format } = importHistory(readFileSync(file, 'utf8'))
    const started = performance.now()
    const report = await jobs.check({
      model: modelName ?? modelForOperations(operations),
      initial,
      operations,
      timeLimitMs: 60_000,
    })
    const took = Math.round(performance.now() - started)
    // Jepsen's logs number their lines, not milliseconds: the timeline says which.
    const lines = reportLines(report, format === 'json-lines' ? 'ms' : 'lines of the file')
    console.log(`${lines[0]} (${format}, ${took} ms)`)
    for (const line of lines.slice(1)) console.log(line)
    return report.result === 'linearizable' ? 0 : report.result === 'not linearizable' ? 1 : 2
  } catch (error) {
    console.error(`cannot check ${file}: ${error instanceof Error ? error.message : String(error)}`)
    return 2
  } finally {
    await jobs.close()
  }
}

// Output piped into a program that stops reading (`| head`) is not an error worth a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0)
  throw error
})

async function main(given: string[]): Promise<number> {
  // --db FILE, anywhere: where runs are kept (the default is in the user's config folder).
  const dbAt = given.indexOf('--db')
  if (dbAt >= 0) {
    databaseFile = given[dbAt + 1]
    if (databaseFile === undefined || databaseFile.startsWith('--')) {
      console.error('--db needs a file, e.g. consensus-lab --db lab.db')
      return 2
    }
  }
  const args = dbAt >= 0 ? given.filter((_, i) => i !== dbAt && i !== dbAt + 1) : given
  if (args[0] === '--help' || args[0] === '-h' || args[0] === 'help') {
    console.log(usage)
    return 0
  }
  if (args[0] === 'maelstrom') {
    const flag = (name: string): string | undefined => {
      const at = args.indexOf(name)
      return at > 0 ? args[at + 1] : undefined
    }
    const algorithm = args[1]
    const codeFile = flag('--code')
    if (codeFile === undefined && (algorithm === undefined || algorithm.startsWith('--'))) {
      console.error(
        'maelstrom needs an algorithm or a file: consensus-lab maelstrom raft, or --code my-raft.ts',
      )
      return 2
    }
    try {
      const definition =
        codeFile === undefined
          ? resolveAlgorithm(algorithm ?? '', flag('--variant'))
          : await loadCompiledModule(
              await compileNodeModule(readFileSync(codeFile, 'utf8'), basename(codeFile)),
            )
      return await runAsMaelstromNode(definition)
    } catch (error) {
      console.error(error instanceof Error ? error.message : String(error))
      return 2
    }
  }
  if (args[0] === 'check') return await checkFile(args.slice(1))
  if (args[0] === 'run') {
    const file = args[1]
    if (file === undefined) {
      console.error('run needs a file of commands, e.g. consensus-lab run experiment.txt')
      return 2
    }
    const input = createReadStream(file)
    const opened = await new Promise<Error | null>((resolve) => {
      input.once('open', () => resolve(null))
      input.once('error', resolve)
    })
    if (opened !== null) {
      console.error(`cannot read ${file}: ${opened.message}`)
      return 2
    }
    return runScript(input, file)
  }
  if (args.length > 0) {
    console.error(`unknown arguments: ${args.join(' ')}\n\n${usage}`)
    return 2
  }
  return process.stdin.isTTY === true ? interactive() : runScript(process.stdin, 'standard input')
}

main(process.argv.slice(2)).then(
  (code) => {
    // Closing flushes the last events of a run still being recorded.
    kept?.close()
    process.exit(code)
  },
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
