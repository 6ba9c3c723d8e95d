// A node that is another program: anything that speaks Maelstrom's protocol on
// standard input and output (one JSON envelope per line), in any language. The
// host sends it `init`, waits for `init_ok`, then passes envelopes both ways.

import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import type { Envelope } from '../shared/envelope'

/** How long a program may take to answer `init`. */
export const initTimeoutMs = 10_000
/** Lines a program prints are cut here; longer ones are not messages we accept. */
const lineCharsMax = 1_000_000
const stderrLinesKept = 20

export interface ExternalNodeEvents {
  /** An envelope the program sent (its `src` is set to the node's id). */
  onSend(envelope: Envelope): void
  /** A line on standard error, or a line that was not a message: for the trace. */
  onLog(text: string): void
  /** The program stopped, or never answered init. */
  onFailed(message: string): void
}

export class ExternalNode {
  private readonly child: ChildProcess
  private readonly stderr: string[] = []
  private initialized = false
  private stopped = false

  constructor(
    readonly command: string,
    private readonly id: string,
    ids: readonly string[],
    private readonly events: ExternalNodeEvents,
  ) {
    // Its own process group: a shell and whatever it starts are stopped and killed together.
    this.child = spawn(command, { shell: true, detached: true, stdio: ['pipe', 'pipe', 'pipe'] })
    this.child.on('error', (error) => this.fail(`could not start "${command}": ${error.message}`))
    this.child.on('exit', (code, signal) => {
      const how = signal === null ? `exited with code ${code}` : `was stopped by ${signal}`
      const tail = this.stderr.length === 0 ? '' : `; it said: ${this.stderr.slice(-5).join(' | ')}`
      this.fail(`the program "${command}" ${how}${tail}`)
    })
    this.child.stdin?.on('error', () => {}) // a closed pipe is reported by 'exit'
    createInterface({ input: this.child.stdout!, crlfDelay: Infinity }).on('line', (line) =>
      this.onLine(line),
    )
    createInterface({ input: this.child.stderr!, crlfDelay: Infinity }).on('line', (line) => {
      this.stderr.push(line.slice(0, 500))
      if (this.stderr.length > stderrLinesKept) this.stderr.shift()
      events.onLog(line.slice(0, 500))
    })
    this.write({
      src: 'c0',
      dest: id,
      body: { type: 'init', msg_id: 0, node_id: id, node_ids: [...ids] },
    })
    setTimeout(() => {
      if (!this.initialized)
        this.fail(`the program "${command}" did not answer init within ${initTimeoutMs} ms`)
    }, initTimeoutMs).unref()
  }

  get pid(): number | undefined {
    return this.child.pid
  }

  deliver(envelope: Envelope): void {
    this.write(envelope)
  }

  /** Freezes the program itself, as a paused node should be. */
  pause(): void {
    this.signal('SIGSTOP')
  }

  resume(): void {
    this.signal('SIGCONT')
  }

  stop(): void {
    this.stopped = true
    this.signal('SIGKILL')
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.child.pid !== undefined) killGroup(this.child.pid, signal)
  }

  private write(envelope: Envelope): void {
    this.child.stdin?.write(`${JSON.stringify(envelope)}\n`)
  }

  private onLine(line: string): void {
    if (line.trim() === '') return
    let value: unknown
    try {
      value = line.length > lineCharsMax ? undefined : JSON.parse(line)
    } catch {
      value = undefined
    }
    const envelope = value as Envelope | undefined
    if (
      typeof envelope !== 'object' ||
      envelope === null ||
      typeof envelope.dest !== 'string' ||
      typeof envelope.body !== 'object' ||
      envelope.body === null ||
      typeof envelope.body.type !== 'string'
    ) {
      this.events.onLog(`printed a line that is not a message (ignored): ${line.slice(0, 200)}`)
      return
    }
    if (!this.initialized && envelope.body.type === 'init_ok') {
      this.initialized = true
      return
    }
    this.events.onSend({ src: this.id, dest: envelope.dest, body: envelope.body })
  }

  private fail(message: string): void {
    if (this.stopped) return
    this.stopped = true
    this.signal('SIGKILL')
    this.events.onFailed(message)
  }
}

/** Signals a program's whole process group (it leads one: it was started detached). */
export function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal)
  } catch {
    // already gone
  }
}
