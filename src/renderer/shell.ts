// The terminal's line discipline on top of xterm.js: a prompt, editing keys,
// history (up/down), tab completion through the core's `complete`, and each
// command's answer in colour (failures red, events dim, tables ruled). One
// command runs at a time; keys typed meanwhile wait their turn, and Ctrl+C
// asks the core to stop the command (dropping what was typed ahead, as a
// terminal's line discipline does on an interrupt). Everything is
// written through a TerminalOutput, whose flow control keeps a flood of
// output from freezing the page, and in the order it was said.

import type { Terminal } from '@xterm/xterm'
import type { CommandResult } from '../shared/api'
import type { AppStore } from './store'
import type { TerminalOutput } from './terminal-output'
import { renderTable } from './terminal-table'

const prompt = '\x1b[36mlab>\x1b[0m '
const historyMax = 1_000

const red = (text: string): string => `\x1b[31m${text}\x1b[0m`
const dim = (text: string): string => `\x1b[2m${text}\x1b[0m`
/** Erases the screen and the scrollback, as xterm's clear() does, but in order with the output. */
const clearScreen = '\x1b[H\x1b[2J\x1b[3J'

type Waiting = { kind: 'keys'; data: string } | { kind: 'command'; line: string }

export class Shell {
  private line = ''
  private cursor = 0
  private readonly history: string[] = []
  /** Where up/down is in the history; history.length means the line being typed. */
  private historyAt = 0
  private draft = ''
  private busy = false
  private waiting: Waiting[] = []
  private progressShown = false

  constructor(
    private readonly terminal: Terminal,
    private readonly store: AppStore,
    private readonly output: TerminalOutput,
  ) {}

  start(greeting: string[]): void {
    for (const text of greeting) this.output.writeln(text)
    this.output.write(prompt)
  }

  /** Keys from xterm.js (typed or pasted). */
  input(data: string): void {
    if (this.busy && data === '\x03') {
      this.interrupt()
      return
    }
    if (this.busy) {
      this.waiting.push({ kind: 'keys', data })
      return
    }
    this.keys(data)
  }

  /** A command from elsewhere (the cluster view): echoed as if typed, then run. */
  command(line: string): void {
    if (this.busy) {
      this.waiting.push({ kind: 'command', line })
      return
    }
    const typed = { line: this.line, cursor: this.cursor }
    this.line = line
    this.cursor = line.length
    this.redraw()
    this.output.write('\r\n')
    this.line = ''
    this.cursor = 0
    void this.execute(line, typed)
  }

  /** A long command's progress, drawn over itself. */
  progress(line: string): void {
    if (!this.busy) return
    this.output.write(`\r\x1b[2K${dim(line)}`)
    this.progressShown = true
  }

  /** An event the core tells as it happens between commands: printed above the prompt. */
  notable(line: string): void {
    this.notice(line, false)
  }

  /** A sentence from outside any command (a broken message, a closed connection). */
  notice(text: string, failed: boolean): void {
    this.output.write('\r\x1b[2K')
    this.output.writeln(failed ? red(text) : dim(text))
    if (!this.busy) this.redraw()
  }

  private keys(typed: string): void {
    // A paste may end its lines with \r\n or \n: each is one Enter.
    const data = typed.replace(/\r\n?|\n/g, '\r')
    let i = 0
    while (i < data.length && !this.busy) {
      const rest = data.slice(i)
      // eslint-disable-next-line no-control-regex -- escape sequences are what a terminal sends
      const sequence = /^\x1b(\[[0-9;]*[A-Za-z~]|O[A-Za-z])/.exec(rest)
      if (sequence !== null) {
        this.escape(sequence[1])
        i += sequence[0].length
        continue
      }
      const char = rest[0]
      i++
      switch (char) {
        case '\r':
          this.enter()
          break
        case '\x7f':
        case '\b':
          if (this.cursor > 0) {
            this.line = this.line.slice(0, this.cursor - 1) + this.line.slice(this.cursor)
            this.cursor--
            this.redraw()
          }
          break
        case '\t':
          void this.completeWord()
          break
        case '\x03': // Ctrl+C: give up the line
          this.output.write('^C\r\n')
          this.line = ''
          this.cursor = 0
          this.historyAt = this.history.length
          this.output.write(prompt)
          break
        case '\x0c': // Ctrl+L: clear the screen
          this.output.write(clearScreen)
          this.redraw()
          break
        case '\x01': // Ctrl+A
          this.cursor = 0
          this.redraw()
          break
        case '\x05': // Ctrl+E
          this.cursor = this.line.length
          this.redraw()
          break
        case '\x15': // Ctrl+U: erase to the start
          this.line = this.line.slice(this.cursor)
          this.cursor = 0
          this.redraw()
          break
        default:
          if (char >= ' ') {
            this.line = this.line.slice(0, this.cursor) + char + this.line.slice(this.cursor)
            this.cursor++
            this.redraw()
          }
      }
    }
    // Keys after an Enter wait until that command is done.
    if (i < data.length) this.waiting.unshift({ kind: 'keys', data: data.slice(i) })
  }

  private escape(code: string): void {
    switch (code) {
      case '[A':
      case 'OA':
        return this.recall(-1)
      case '[B':
      case 'OB':
        return this.recall(1)
      case '[C':
      case 'OC':
        this.cursor = Math.min(this.line.length, this.cursor + 1)
        return this.redraw()
      case '[D':
      case 'OD':
        this.cursor = Math.max(0, this.cursor - 1)
        return this.redraw()
      case '[H':
      case 'OH':
      case '[1~':
        this.cursor = 0
        return this.redraw()
      case '[F':
      case 'OF':
      case '[4~':
        this.cursor = this.line.length
        return this.redraw()
      case '[3~':
        this.line = this.line.slice(0, this.cursor) + this.line.slice(this.cursor + 1)
        return this.redraw()
      default:
        return
    }
  }

  private recall(step: number): void {
    if (this.history.length === 0) return
    if (this.historyAt === this.history.length) this.draft = this.line
    const at = Math.min(this.history.length, Math.max(0, this.historyAt + step))
    if (at === this.historyAt) return
    this.historyAt = at
    this.line = at === this.history.length ? this.draft : this.history[at]
    this.cursor = this.line.length
    this.redraw()
  }

  private enter(): void {
    const line = this.line
    this.output.write('\r\n')
    this.line = ''
    this.cursor = 0
    if (line.trim() !== '' && this.history[this.history.length - 1] !== line) {
      this.history.push(line)
      if (this.history.length > historyMax) this.history.shift()
    }
    this.historyAt = this.history.length
    this.draft = ''
    if (line.trim() === 'clear') {
      this.output.write(clearScreen)
      this.output.write(prompt)
      return
    }
    void this.execute(line, null)
  }

  /** Ctrl+C while a command runs: the command answers with what it got so far. */
  private interrupt(): void {
    this.waiting = this.waiting.filter((next) => next.kind === 'command')
    if (this.progressShown) this.output.write('\r\x1b[2K')
    this.progressShown = false
    this.output.writeln(dim('^C'))
    this.store.client.request('interrupt', {}).then(
      (stopped) => {
        if (!stopped)
          this.notice(
            'this command runs to its end: it had finished, or it is a simulated wait or workload (a simulated run replays from its commands, so each does all it says).',
            false,
          )
      },
      () => {}, // a closed connection is shown by its status
    )
  }

  private async execute(line: string, restore: { line: string; cursor: number } | null) {
    this.busy = true
    let result: CommandResult
    try {
      result = await this.store.client.request('run', { line })
    } catch (error) {
      result = {
        ok: false,
        lines: [error instanceof Error ? error.message : String(error)],
        events: [],
      }
    }
    if (this.progressShown) this.output.write('\r\x1b[2K')
    this.progressShown = false
    this.print(result)
    this.store.commandFinished(line, result)
    if (restore !== null) {
      this.line = restore.line
      this.cursor = restore.cursor
    }
    this.busy = false
    this.redraw()
    this.drain()
  }

  private print(result: CommandResult): void {
    const { table } = result
    let lines = result.lines
    if (result.ok && table !== undefined && table.rows.length > 0) {
      // The lines start with the table as plain text (a heading and a line a
      // row); it is drawn ruled instead, and what follows it is printed as is.
      for (const text of renderTable(table.columns, table.rows, this.terminal.cols)) {
        this.output.writeln(text)
      }
      lines = lines.slice(table.rows.length + 1)
    }
    // More lines than the terminal keeps would scroll away unseen: the last ones are printed.
    const kept = this.terminal.options.scrollback ?? 1_000
    const all = [...lines.map((text) => (result.ok ? text : red(text))), ...result.events.map(dim)]
    if (all.length > kept) {
      this.output.writeln(
        dim(
          `… ${(all.length - kept).toLocaleString('en-US')} earlier lines left out: the terminal keeps ${kept.toLocaleString('en-US')} …`,
        ),
      )
    }
    this.output.write(all.slice(-kept).join('\r\n') + (all.length > 0 ? '\r\n' : ''))
  }

  private drain(): void {
    while (!this.busy && this.waiting.length > 0) {
      const next = this.waiting.shift() as Waiting
      if (next.kind === 'keys') this.keys(next.data)
      else this.command(next.line)
    }
  }

  private async completeWord(): Promise<void> {
    const before = this.line.slice(0, this.cursor)
    this.busy = true
    const { candidates, partial } = await this.store.client
      .request('complete', { line: before })
      .catch(() => ({ candidates: [] as string[], partial: '' }))
    this.busy = false
    if (candidates.length === 1) {
      this.insert(candidates[0].slice(partial.length) + ' ')
    } else if (candidates.length > 1) {
      const shared = commonPrefix(candidates)
      if (shared.length > partial.length) {
        this.insert(shared.slice(partial.length))
      } else {
        this.output.write('\r\n')
        this.output.writeln(columns(candidates, this.terminal.cols))
        this.redraw()
      }
    } else {
      this.output.write('\x07')
    }
    this.drain()
  }

  private insert(text: string): void {
    this.line = this.line.slice(0, this.cursor) + text + this.line.slice(this.cursor)
    this.cursor += text.length
    this.redraw()
  }

  /** Draws the prompt and the line again, the cursor where it is in the line. */
  private redraw(): void {
    const back = this.line.length - this.cursor
    this.output.write(`\r\x1b[2K${prompt}${this.line}${back > 0 ? `\x1b[${back}D` : ''}`)
  }
}

function commonPrefix(words: readonly string[]): string {
  let prefix = words[0] ?? ''
  for (const word of words) while (!word.startsWith(prefix)) prefix = prefix.slice(0, -1)
  return prefix
}

function columns(words: readonly string[], width: number): string {
  const cell = Math.max(...words.map((word) => word.length)) + 2
  const perRow = Math.max(1, Math.floor(width / cell))
  const rows: string[] = []
  for (let i = 0; i < words.length; i += perRow) {
    rows.push(
      words
        .slice(i, i + perRow)
        .map((word) => word.padEnd(cell))
        .join('')
        .trimEnd(),
    )
  }
  return rows.join('\r\n')
}
