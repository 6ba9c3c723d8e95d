// One of our node modules as a Maelstrom node program: envelopes arrive on
// standard input, one JSON object per line, and leave on standard output. So a
// learner's Raft can be put through Jepsen's Maelstrom on a machine that has it:
//   maelstrom test -w lin-kv --bin "consensus-lab maelstrom raft" ...
// Maelstrom restarts crashed nodes from nothing, so saved fields live in
// memory here, as Maelstrom's own examples keep them.

import { createInterface } from 'node:readline'
import type { Envelope } from '../shared/envelope'
import type { AnyNodeDefinition } from '../shared/node-api'
import { randomStream } from '../shared/random'
import { NodeRunner, type Outcome } from '../workers/runtime/node-runner'

export async function runAsMaelstromNode(definition: AnyNodeDefinition): Promise<number> {
  const started = performance.now()
  let runner: NodeRunner | null = null
  const timers = new Map<string, NodeJS.Timeout>()
  const write = (envelope: Envelope): void => {
    process.stdout.write(`${JSON.stringify(envelope)}\n`)
  }

  const apply = (outcome: Outcome): void => {
    if (!outcome.ok) {
      const where = outcome.error.location
      process.stderr.write(
        `${outcome.error.message}${where ? ` (at ${where.file}:${where.line})` : ''}\n`,
      )
      process.exit(1)
    }
    for (const text of outcome.effects.logs) process.stderr.write(`${text}\n`)
    for (const timer of outcome.effects.timers) {
      clearTimeout(timers.get(timer.name))
      timers.delete(timer.name)
      if (timer.op === 'set') {
        const name = timer.name
        timers.set(
          name,
          setTimeout(() => {
            timers.delete(name)
            if (runner !== null) apply(runner.fire(name))
          }, timer.ms),
        )
      }
    }
    for (const envelope of outcome.effects.sends) write(envelope)
  }

  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity })
  for await (const line of lines) {
    if (line.trim() === '') continue
    let envelope: Envelope
    try {
      envelope = JSON.parse(line) as Envelope
    } catch {
      process.stderr.write(`not a message (ignored): ${line.slice(0, 200)}\n`)
      continue
    }
    if (typeof envelope?.body?.type !== 'string') {
      process.stderr.write(`not a message (ignored): ${line.slice(0, 200)}\n`)
      continue
    }
    const body = envelope.body
    if (body.type === 'init') {
      const id = String(body.node_id)
      const ids = Array.isArray(body.node_ids) ? body.node_ids.map(String) : [id]
      runner = new NodeRunner(
        definition,
        id,
        ids.filter((peer) => peer !== id),
        { now: () => performance.now() - started, random: randomStream(Date.now() % 2 ** 31, id) },
      )
      write({ src: id, dest: envelope.src, body: { type: 'init_ok', in_reply_to: body.msg_id } })
      apply(runner.start(undefined))
      continue
    }
    if (runner === null) {
      process.stderr.write(`a ${body.type} arrived before init (ignored)\n`)
      continue
    }
    apply(runner.deliver(envelope))
  }
  for (const timer of timers.values()) clearTimeout(timer)
  return 0
}
