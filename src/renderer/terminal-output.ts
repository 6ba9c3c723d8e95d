// Flow control between the shell and xterm.js. xterm parses what it is given
// a slice per frame; handed a flood at once it holds all of it and works
// through it for seconds while keys wait. Here text goes to xterm in chunks,
// and feeding pauses while more than a high watermark is handed over but not
// yet parsed (xterm's write callback says when a chunk is), resuming below a
// low watermark. What waits is bounded too: past that, the oldest waiting
// text is dropped and a line says how much.

/** The part of xterm.js the output uses. */
export interface WriteTarget {
  write(data: string, parsed?: () => void): void
}

export interface FlowLimits {
  /** Characters handed to xterm and not yet parsed, above which feeding pauses. */
  highWatermarkChars: number
  /** Feeding resumes once fewer than this are unparsed. */
  lowWatermarkChars: number
  /** The largest chunk handed over at once. */
  chunkCharsMax: number
  /** Characters waiting to be handed over, at most; older ones are dropped past it. */
  waitingCharsMax: number
}

export const defaultFlowLimits: FlowLimits = {
  highWatermarkChars: 128 * 1024,
  lowWatermarkChars: 16 * 1024,
  chunkCharsMax: 32 * 1024,
  waitingCharsMax: 4 * 1024 * 1024,
}

export class TerminalOutput {
  private waiting: string[] = []
  private waitingChars = 0
  private unparsedChars = 0
  private droppedLines = 0
  private paused = false

  constructor(
    private readonly target: WriteTarget,
    private readonly limits: FlowLimits = defaultFlowLimits,
  ) {}

  write(text: string): void {
    if (text === '') return
    this.waiting.push(text)
    this.waitingChars += text.length
    if (this.waitingChars > this.limits.waitingCharsMax) this.dropOldest()
    this.feed()
  }

  writeln(text: string): void {
    this.write(`${text}\r\n`)
  }

  /** Characters handed to xterm and not yet parsed (for tests and the curious). */
  get unparsed(): number {
    return this.unparsedChars
  }

  /** Characters still waiting here. */
  get backlog(): number {
    return this.waitingChars
  }

  private feed(): void {
    while (this.waiting.length > 0 && !this.paused) {
      if (this.droppedLines > 0) {
        const notice = `\x1b[2m… ${this.droppedLines.toLocaleString('en-US')} lines of output were left out to keep the terminal responsive …\x1b[0m\r\n`
        this.droppedLines = 0
        this.hand(notice)
        continue
      }
      const chunk = this.takeChunk()
      this.hand(chunk)
    }
  }

  private hand(chunk: string): void {
    this.unparsedChars += chunk.length
    if (this.unparsedChars > this.limits.highWatermarkChars) this.paused = true
    this.target.write(chunk, () => {
      this.unparsedChars -= chunk.length
      if (this.paused && this.unparsedChars < this.limits.lowWatermarkChars) {
        this.paused = false
        this.feed()
      }
    })
  }

  /** Up to chunkCharsMax of the waiting text, in order. */
  private takeChunk(): string {
    let chunk = ''
    while (this.waiting.length > 0 && chunk.length < this.limits.chunkCharsMax) {
      const next = this.waiting[0]
      const room = this.limits.chunkCharsMax - chunk.length
      if (next.length <= room) {
        chunk += next
        this.waiting.shift()
      } else {
        chunk += next.slice(0, room)
        this.waiting[0] = next.slice(room)
      }
    }
    this.waitingChars -= chunk.length
    return chunk
  }

  /** Drops whole waiting pieces, oldest first, until what waits fits again. */
  private dropOldest(): void {
    while (this.waitingChars > this.limits.waitingCharsMax && this.waiting.length > 1) {
      const dropped = this.waiting.shift() as string
      this.waitingChars -= dropped.length
      this.droppedLines += Math.max(1, dropped.split('\n').length - 1)
    }
  }
}
