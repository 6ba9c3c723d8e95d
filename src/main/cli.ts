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
import { createInterface } from 'node:readline'
import { resolveAlgorithm } from '../workers/algorithms'
import { loadCompiledModule } from '../workers/load-module'
import { RealTimeCluster } from './cluster/cluster'
import { compileNodeModule } from './cluster/compile'
import { importHistory } from './check/history-import'
import { kvModel } from './check/kv-model'
import { checkLinearizable } from './check/linearizability'
import { complete } from './commands/complete'
import { Session, type Result } from './commands/interpreter'
import { runAsMaelstromNode } from './maelstrom'

const usage = `consensus-lab: run, break and fix consensus clusters from a terminal.

  consensus-lab              an interactive session (type help inside)
  consensus-lab run FILE     run the commands in FILE, stop at the first that fails
  consensus-lab < FILE       the same, from standard input
  consensus-lab maelstrom ALGORITHM [--variant NAME] | --code FILE
                             be one node of ours speaking Maelstrom's protocol on
                             stdin and stdout (for Jepsen's Maelstrom)
  consensus-lab check FILE [--model register|kv]
                             is this history linearizable? (Jepsen log or EDN, or
                             our JSON Lines); exit 0 yes, 1 no, 2 unknown or bad file
  consensus-lab --help       this text`

const colour = process.stdout.isTTY === true
const paint = (code: number, text: string): string =>
  colour ? `\x1b[${code}m${text}\x1b[0m` : text

function print(result: Result): void {
  for (const line of result.lines) console.log(result.ok ? line : paint(31, line))
  for (const line of result.events) console.log(paint(2, line))
}

function newSession(): Session {
  return new Session({ realTime: () => new RealTimeCluster() })
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
  const session = newSession()
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
  console.log('Consensus Lab. Type help for the commands, or start with: start raft 5 --sim')
  terminal.prompt()
  let busy: Promise<void> = Promise.resolve()
  terminal.on('line', (line) => {
    busy = busy.then(async () => {
      const word = line.trim()
      if (word === 'exit' || word === 'quit') {
        terminal.close()
        return
      }
      print(await session.run(line))
      terminal.prompt()
    })
  })
  await new Promise<void>((resolve) => terminal.on('close', resolve))
  await busy
  await session.close()
  return 0
}

/** `consensus-lab check FILE`: 0 linearizable, 1 not, 2 unknown or a bad file. */
function checkFile(args: string[]): number {
  const file = args.find((arg) => !arg.startsWith('--'))
  const modelAt = args.indexOf('--model')
  const model = modelAt >= 0 ? args[modelAt + 1] : 'kv'
  if (file === undefined) {
    console.error('check needs a history file, e.g. consensus-lab check history.jsonl')
    return 2
  }
  if (model !== 'kv' && model !== 'register') {
    console.error(`the ${String(model)} model is not here yet: use --model kv or --model register.`)
    return 2
  }
  try {
    const { operations, initial, format } = importHistory(readFileSync(file, 'utf8'))
    const started = performance.now()
    const verdict = checkLinearizable(kvModel(initial), operations, {
      deadline: started + 60_000,
      now: () => performance.now(),
    })
    const took = `${Math.round(performance.now() - started)} ms`
    const what = `${operations.length} operations (${format})`
    if (verdict.result === 'linearizable') {
      console.log(`linearizable: ${what}, one valid order found in ${took}`)
      return 0
    }
    if (verdict.result === 'unknown') {
      console.log(`unknown: ${verdict.reason} (${what})`)
      return 2
    }
    console.log(`not linearizable: ${what}, checked in ${took}`)
    console.log(`  key ${verdict.part}: ${verdict.explanation}`)
    return 1
  } catch (error) {
    console.error(`cannot check ${file}: ${error instanceof Error ? error.message : String(error)}`)
    return 2
  }
}

async function main(args: string[]): Promise<number> {
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
  if (args[0] === 'check') return checkFile(args.slice(1))
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
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error)
    process.exit(1)
  },
)
