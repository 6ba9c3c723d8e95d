// Flow control into xterm.js: feeding pauses above the high watermark until
// xterm says it parsed enough, text arrives whole and in order, and what
// waits is bounded.

import { describe, expect, it } from 'vitest'
import { TerminalOutput, type FlowLimits } from '../../src/renderer/terminal-output'

/** A terminal that parses only when told to, as a busy xterm does. */
class SlowTerminal {
  received = ''
  unparsedMax = 0
  private pending: { size: number; parsed?: () => void }[] = []
  private unparsed = 0

  write(data: string, parsed?: () => void): void {
    this.received += data
    this.unparsed += data.length
    this.unparsedMax = Math.max(this.unparsedMax, this.unparsed)
    this.pending.push({ size: data.length, parsed })
  }

  /** Parses every chunk handed over so far (each callback may hand over more). */
  parseAll(): void {
    while (this.pending.length > 0) {
      const next = this.pending.shift() as { size: number; parsed?: () => void }
      this.unparsed -= next.size
      next.parsed?.()
    }
  }
}

const limits: FlowLimits = {
  highWatermarkChars: 1_000,
  lowWatermarkChars: 100,
  chunkCharsMax: 300,
  waitingCharsMax: 1_000_000,
}

describe('terminal output', () => {
  it('pauses above the high watermark and delivers everything in order', () => {
    const terminal = new SlowTerminal()
    const output = new TerminalOutput(terminal, limits)
    const lines = Array.from({ length: 5_000 }, (_, i) => `line ${i}`)
    for (const line of lines) output.writeln(line)
    // Nothing parsed yet: at most one chunk past the high watermark was handed over.
    expect(output.unparsed).toBeLessThanOrEqual(limits.highWatermarkChars + limits.chunkCharsMax)
    expect(output.backlog).toBeGreaterThan(0)
    terminal.parseAll()
    expect(terminal.received).toBe(lines.map((line) => `${line}\r\n`).join(''))
    expect(terminal.unparsedMax).toBeLessThanOrEqual(
      limits.highWatermarkChars + limits.chunkCharsMax,
    )
    expect(output.backlog).toBe(0)
  })

  it('drops the oldest waiting output past its bound, and says how many lines', () => {
    const terminal = new SlowTerminal()
    const output = new TerminalOutput(terminal, { ...limits, waitingCharsMax: 2_000 })
    for (let i = 0; i < 10_000; i++) output.writeln(`line ${i}`)
    expect(output.backlog).toBeLessThanOrEqual(2_000)
    terminal.parseAll()
    expect(terminal.received).toMatch(/… [\d,]+ lines of output were left out/)
    expect(terminal.received.endsWith('line 9999\r\n')).toBe(true)
  })
})
