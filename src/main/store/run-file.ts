// A run as one file, to keep or to share: gzip-compressed JSON Lines. Line 1 is
// the header (what ran: algorithm, spec, seed, the code as text), then one
// trace event per line in seq order; the client history is the invoke / ok /
// fail / info events among them. Both directions stream: a run of millions of
// events is never one string in memory.
//
// Import trusts nothing in the file. Every line is size-limited before it is
// parsed and checked against the schema of contract 3 after, and the first
// problem ends the import with one sentence naming the line. The code a file
// carries stays text: nothing here (or anywhere on import) compiles or runs it,
// and a spec's external command lines are data too; whoever replays a run asks
// the learner first.

import { createReadStream, createWriteStream } from 'node:fs'
import { open, rename, rm } from 'node:fs/promises'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGunzip, createGzip } from 'node:zlib'
import { z } from 'zod'
import type { TraceEvent } from '../../shared/trace'
import {
  clusterSpecSchema,
  codeCharsMax,
  inputCharsMax,
  nameCharsMax,
  traceEventSchema,
} from '../../shared/trace-schema'

export const runFileFormat = 'consensus-lab-run'
/** The newest version this app writes and reads. Bump it when the format changes. */
export const runFileVersion = 1
/** One event's line, as UTF-8 bytes. A real event is a few hundred. */
export const runEventLineBytesMax = 1024 * 1024
/** The header line: it may carry the run's code (and the spec's copy of it). */
export const runHeaderLineBytesMax = 4 * codeCharsMax
/** Events in one file: ten times a long real-time session. */
export const runEventsMax = 10_000_000
/** Uncompressed bytes in one file, so that a small file cannot expand without end. */
export const runFileBytesMax = 8 * 1024 * 1024 * 1024
/**
 * Events handed to the caller at once by `batches()`. Small batches die young:
 * with 4,096 a batch outlived the garbage collector's young generation and
 * importing a million events took about a third longer. The store gathers
 * batches into its own transactions.
 */
export const runBatchEventsMax = 256
/**
 * zlib level 1 instead of the default 6: trace lines repeat so much that level
 * 1 already shrinks a Raft trace elevenfold (level 6: sixteenfold) in half the
 * time, and compression is what an export waits on besides JSON.
 */
export const runFileGzipLevel = 1
/** The most commands a run file may carry as a simulated run's inputs. */
export const runInputsMax = 100_000
/** How much text is gathered before it goes to zlib: large enough to amortize each write. */
const exportChunkChars = 256 * 1024

export const runHeaderSchema = z.strictObject({
  format: z.literal(runFileFormat),
  version: z.literal(runFileVersion),
  algorithm: z.string().min(1).max(nameCharsMax),
  variant: z.string().max(nameCharsMax).optional(),
  runtime: z.enum(['sim', 'real-time']),
  seed: z.number().optional(),
  spec: clusterSpecSchema,
  /** The code that ran, as text. Never run on import. */
  code: z
    .strictObject({ name: z.string().max(nameCharsMax), source: z.string().max(codeCharsMax) })
    .optional(),
  /**
   * A simulated run's inputs: the commands that, typed again into a simulator
   * of this app, replay it event for event. Text only: importing runs none.
   */
  inputs: z.array(z.string().max(inputCharsMax)).max(runInputsMax).optional(),
  /** When the run started, as an ISO 8601 date and time. */
  createdAt: z.iso.datetime({ offset: true }),
  eventCount: z.int().min(0).max(runEventsMax),
})

export type RunHeader = z.infer<typeof runHeaderSchema>
/** A header as the exporter is given it: the format and version are this app's. */
export type RunHeaderInput = Omit<RunHeader, 'format' | 'version'>

/** A run file that cannot be written or read; the message is one sentence saying why. */
export class RunFileError extends Error {
  override name = 'RunFileError'
  constructor(
    message: string,
    /** The line of the file the problem is on (1 is the header), when there is one. */
    readonly line?: number,
  ) {
    super(message)
  }
}

export interface ExportedRun {
  eventCount: number
  /** The file's size on disk, compressed. */
  bytes: number
}

/**
 * Writes a run to `path` as it streams `events` (in seq order). The file
 * appears only once complete: it is written beside `path` and renamed, so a
 * failed export leaves nothing behind and never a half file under the name.
 * `header.eventCount` must be the number of events given.
 */
export async function exportRun(
  path: string,
  header: RunHeaderInput,
  events: Iterable<TraceEvent> | AsyncIterable<TraceEvent>,
): Promise<ExportedRun> {
  const checked = runHeaderSchema.safeParse(
    { format: runFileFormat, version: runFileVersion, ...header },
    { reportInput: true },
  )
  if (!checked.success) {
    throw new RunFileError(`Cannot export this run: its header's ${describeIssue(checked.error)}.`)
  }
  const headerLine = JSON.stringify(checked.data)
  if (utf8Bytes(headerLine) > runHeaderLineBytesMax) {
    throw new RunFileError(
      `Cannot export this run: its header is larger than ${mebibytes(runHeaderLineBytesMax)}.`,
    )
  }
  let written = 0
  let lastSeq = -1
  const eventLine = (event: TraceEvent): string => {
    if (!traceEventSchema.safeParse(event).success) {
      throw new RunFileError(
        `Cannot export event seq ${String(event.seq)}: ${eventProblem(event)}.`,
      )
    }
    if (event.seq <= lastSeq) {
      throw new RunFileError(
        `Cannot export event seq ${event.seq}: it comes after seq ${lastSeq}, and a run file keeps events in increasing seq order.`,
      )
    }
    lastSeq = event.seq
    if (++written > header.eventCount) {
      throw new RunFileError(
        `Cannot export this run: more events were given than its header's eventCount of ${header.eventCount}.`,
      )
    }
    const line = JSON.stringify(event)
    if (line.length * 3 > runEventLineBytesMax && utf8Bytes(line) > runEventLineBytesMax) {
      throw new RunFileError(
        `Cannot export event seq ${event.seq}: as JSON it is larger than ${mebibytes(runEventLineBytesMax)}, the limit for one event.`,
      )
    }
    return line
  }

  async function* text(): AsyncGenerator<string> {
    let chunk = headerLine + '\n'
    if (isAsyncIterable(events)) {
      for await (const event of events) {
        chunk += eventLine(event) + '\n'
        if (chunk.length >= exportChunkChars) {
          yield chunk
          chunk = ''
        }
      }
    } else {
      for (const event of events) {
        chunk += eventLine(event) + '\n'
        if (chunk.length >= exportChunkChars) {
          yield chunk
          chunk = ''
        }
      }
    }
    if (written !== header.eventCount) {
      throw new RunFileError(
        `Cannot export this run: its header's eventCount is ${header.eventCount}, but ${written} events were given.`,
      )
    }
    yield chunk
  }

  const partial = `${path}.${process.pid}.partial`
  try {
    const file = createWriteStream(partial)
    await pipeline(
      Readable.from(text(), { objectMode: false }),
      createGzip({ level: runFileGzipLevel }),
      file,
    )
    await rename(partial, path)
    return { eventCount: written, bytes: file.bytesWritten }
  } catch (error) {
    await rm(partial, { force: true })
    // A file system error is this export's to explain; anything else came
    // from the events' source (a store cursor, say) and goes back as it was.
    const code = (error as { code?: unknown } | null)?.code
    if (error instanceof RunFileError || typeof code !== 'string' || !code.startsWith('E')) {
      throw error
    }
    throw new RunFileError(`Cannot write ${path}: ${reason(error)}.`)
  }
}

/** A run file being read: its header, checked, and then its events, once. */
export interface RunReader {
  readonly header: RunHeader
  /** The events in file order, each checked. Throws RunFileError at the first bad line. */
  events(): AsyncIterable<TraceEvent>
  /** The same events in arrays of up to `runBatchEventsMax`, for batched writes to the store. */
  batches(): AsyncIterable<TraceEvent[]>
  /** Stops reading (only needed when the events are not read to the end). */
  close(): void
}

/**
 * Opens a run file and checks its header. Nothing in the file is run: the
 * header's code comes back as text. Rejects with a RunFileError whose message
 * says, in one sentence, which line is wrong and how.
 */
export async function importRun(path: string): Promise<RunReader> {
  const lines = await LineSource.open(path)
  let header: RunHeader
  let rest: string[]
  try {
    const first = await lines.take()
    if (first === null) {
      throw new RunFileError(
        `${path} holds no header: the file is empty once uncompressed, and a run file starts with a header line.`,
        1,
      )
    }
    try {
      header = parseHeader(path, first[0])
    } catch (problem) {
      throw await lines.damagedOr(problem, 1)
    }
    rest = first.slice(1)
  } catch (error) {
    lines.close()
    throw error
  }
  let taken = false
  const batches = (): AsyncIterable<TraceEvent[]> => {
    if (taken) throw new Error('a run file is read once: call events() or batches() once.')
    taken = true
    return readEvents(path, header, rest, lines)
  }
  return {
    header,
    batches,
    events: () => flatten(batches()),
    close: () => lines.close(),
  }
}

/** Reads a whole run into memory: for small runs and tests. */
export async function readRunFile(
  path: string,
): Promise<{ header: RunHeader; events: TraceEvent[] }> {
  const reader = await importRun(path)
  const events: TraceEvent[] = []
  for await (const batch of reader.batches()) for (const event of batch) events.push(event)
  return { header: reader.header, events }
}

async function* flatten(batches: AsyncIterable<TraceEvent[]>): AsyncGenerator<TraceEvent> {
  for await (const batch of batches) yield* batch
}

async function* readEvents(
  path: string,
  header: RunHeader,
  first: string[],
  lines: LineSource,
): AsyncGenerator<TraceEvent[]> {
  let count = 0
  let lastSeq = -1
  let batch: TraceEvent[] = []
  try {
    // Lines come as many as one decompressed chunk holds, and are checked
    // without an await per line: a million events must not cost a million
    // trips through the microtask queue.
    for (let ready: string[] | null = first; ready !== null; ready = await lines.take()) {
      for (const line of ready) {
        const lineNumber = count + 2
        let event: TraceEvent
        try {
          if (count === header.eventCount) {
            throw new RunFileError(
              `${path}, line ${lineNumber}: the file has more events than its header's eventCount of ${header.eventCount}.`,
              lineNumber,
            )
          }
          event = parseEvent(path, line, lineNumber)
          if (event.seq <= lastSeq) {
            throw new RunFileError(
              `${path}, line ${lineNumber}: seq ${event.seq} does not come after the previous event's seq ${lastSeq}, and events must be in increasing seq order.`,
              lineNumber,
            )
          }
        } catch (problem) {
          throw await lines.damagedOr(problem, lineNumber)
        }
        lastSeq = event.seq
        count++
        batch.push(event)
        if (batch.length === runBatchEventsMax) {
          yield batch
          batch = []
        }
      }
    }
    if (count < header.eventCount) {
      throw new RunFileError(
        `${path} is cut short: its header says ${header.eventCount} events, but the file ends after ${count} (line ${count + 1}).`,
        count + 1,
      )
    }
    if (batch.length > 0) yield batch
  } finally {
    lines.close()
  }
}

function parseHeader(path: string, line: string): RunHeader {
  const at = `${path}, line 1`
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (error) {
    throw new RunFileError(`${at}: the header is not valid JSON (${reason(error)}).`, 1)
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RunFileError(
      `${at}: the header must be a JSON object, not ${describeValue(value)}; this is not a Consensus Lab run file.`,
      1,
    )
  }
  const fields = value as Record<string, unknown>
  if (!('format' in fields)) {
    const looksLikeEvent = 'kind' in fields && 'seq' in fields
    throw new RunFileError(
      looksLikeEvent
        ? `${at} is a trace event where the header should be: the run's header line is missing.`
        : `${at}: the header has no "format" field; this is not a Consensus Lab run file.`,
      1,
    )
  }
  if (fields.format !== runFileFormat) {
    throw new RunFileError(
      `${at}: the format is ${describeValue(fields.format)}, not "${runFileFormat}"; this is not a Consensus Lab run file.`,
      1,
    )
  }
  const version = fields.version
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new RunFileError(
      `${at}: the version must be a whole number from 1, not ${describeValue(version)}.`,
      1,
    )
  }
  if (version > runFileVersion) {
    throw new RunFileError(
      `${at}: this run file has version ${version}, and this app reads versions up to ${runFileVersion}; update Consensus Lab to open it.`,
      1,
    )
  }
  const result = runHeaderSchema.safeParse(value, { reportInput: true })
  if (!result.success)
    throw new RunFileError(`${at}: the header's ${describeIssue(result.error)}.`, 1)
  return result.data
}

function parseEvent(path: string, line: string, lineNumber: number): TraceEvent {
  const at = `${path}, line ${lineNumber}`
  if (line.trim() === '') {
    throw new RunFileError(
      `${at} is empty, and every line after the header must be one trace event.`,
      lineNumber,
    )
  }
  let value: unknown
  try {
    value = JSON.parse(line)
  } catch (error) {
    throw new RunFileError(`${at} is not valid JSON (${reason(error)}).`, lineNumber)
  }
  // Parsing without reportInput keeps zod on its fast path; only a failure pays to be described.
  const result = traceEventSchema.safeParse(value)
  if (!result.success) throw new RunFileError(`${at}: ${eventProblem(value)}.`, lineNumber)
  return result.data
}

/**
 * Complete lines of a gzip-compressed file, as they are decompressed. A line
 * is measured as it arrives, so an endless line fails at its limit instead of
 * filling memory first.
 */
class LineSource {
  private readonly chunks: AsyncIterator<Buffer>
  private ready: string[] = []
  private partial: Buffer[] = []
  private partialBytes = 0
  /** Lines handed out or queued so far: the number of the line being assembled is this + 1. */
  private linesSeen = 0
  private bytesSeen = 0
  private ended = false

  private constructor(
    private readonly path: string,
    private readonly source: Readable,
    private readonly gunzip: Readable,
  ) {
    this.chunks = gunzip[Symbol.asyncIterator]() as AsyncIterator<Buffer>
  }

  static async open(path: string): Promise<LineSource> {
    let magic: Buffer
    try {
      const handle = await open(path, 'r')
      try {
        magic = Buffer.alloc(2)
        const { bytesRead } = await handle.read(magic, 0, 2, 0)
        magic = magic.subarray(0, bytesRead)
      } finally {
        await handle.close()
      }
    } catch (error) {
      throw new RunFileError(openProblem(path, error))
    }
    if (magic.length === 0) {
      throw new RunFileError(
        `${path} is empty: a run file holds a header line and the run's events, gzip-compressed.`,
      )
    }
    if (magic.length < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) {
      const plain = magic[0] === 0x7b // '{': JSON Lines that were never compressed, or were unpacked
      throw new RunFileError(
        plain
          ? `${path} is not gzip-compressed: it looks like plain JSON Lines, and a run file is gzip-compressed (compress it with gzip to import it).`
          : `${path} is not a Consensus Lab run file: it is not gzip-compressed, and a run file is gzip-compressed JSON Lines.`,
      )
    }
    const source = createReadStream(path, { highWaterMark: 256 * 1024 })
    const gunzip = createGunzip({ chunkSize: 64 * 1024 })
    // Errors on either side end the iteration over `gunzip` with that error.
    source.on('error', (error) => gunzip.destroy(error))
    source.pipe(gunzip)
    return new LineSource(path, source, gunzip)
  }

  /**
   * The complete lines decoded so far (at least one, without their newlines),
   * or null at the end of the file.
   */
  async take(): Promise<string[] | null> {
    while (this.ready.length === 0) {
      if (this.ended) return null
      await this.fill()
    }
    const lines = this.ready
    this.ready = []
    return lines
  }

  /**
   * What to throw for `problem`, found at `line`: gzip checks its data only
   * at the end, so a line that reads wrong may be the first sign of a damaged
   * or cut file, and that is then the better answer. Finding out reads the
   * rest of the file, which only the way to an error pays for.
   */
  async damagedOr(problem: unknown, line: number): Promise<unknown> {
    try {
      for (;;) {
        const result = await this.chunks.next()
        if (result.done === true) break
        this.bytesSeen += result.value.length
        if (this.bytesSeen > runFileBytesMax) break
      }
    } catch (error) {
      return new RunFileError(this.streamProblem(error, line), line)
    }
    return problem
  }

  close(): void {
    this.source.destroy()
    this.gunzip.destroy()
  }

  private lineLimit(): number {
    return this.linesSeen === 0 ? runHeaderLineBytesMax : runEventLineBytesMax
  }

  private async fill(): Promise<void> {
    let result: IteratorResult<Buffer>
    try {
      result = await this.chunks.next()
    } catch (error) {
      throw new RunFileError(this.streamProblem(error), this.linesSeen + 1)
    }
    if (result.done === true) {
      this.ended = true
      if (this.partialBytes > 0) this.pushLine(Buffer.concat(this.partial).toString('utf8'))
      this.partial = []
      this.partialBytes = 0
      return
    }
    const chunk = result.value
    this.bytesSeen += chunk.length
    if (this.bytesSeen > runFileBytesMax) {
      throw new RunFileError(
        `${this.path} is too large: uncompressed it holds more than ${mebibytes(runFileBytesMax)}, the limit for a run file.`,
        this.linesSeen + 1,
      )
    }
    let start = 0
    for (;;) {
      const newline = chunk.indexOf(10, start)
      const end = newline === -1 ? chunk.length : newline
      if (this.partialBytes + end - start > this.lineLimit()) {
        const lineNumber = this.linesSeen + 1
        const what = lineNumber === 1 ? 'the header' : 'one event'
        throw new RunFileError(
          `${this.path}, line ${lineNumber} is longer than ${mebibytes(this.lineLimit())}, the limit for ${what}.`,
          lineNumber,
        )
      }
      if (newline === -1) {
        if (start < chunk.length) {
          this.partial.push(chunk.subarray(start))
          this.partialBytes += chunk.length - start
        }
        return
      }
      if (this.partialBytes === 0) {
        this.pushLine(chunk.toString('utf8', start, newline))
      } else {
        this.partial.push(chunk.subarray(start, newline))
        this.pushLine(Buffer.concat(this.partial).toString('utf8'))
        this.partial = []
        this.partialBytes = 0
      }
      start = newline + 1
    }
  }

  private pushLine(line: string): void {
    this.ready.push(line)
    this.linesSeen++
  }

  /** Why decompression stopped; `firstBadLine` is where the data first read wrong, if before. */
  private streamProblem(error: unknown, firstBadLine?: number): string {
    const code = (error as { code?: unknown } | null)?.code
    const line = firstBadLine ?? this.linesSeen + 1
    if (code === 'Z_BUF_ERROR') {
      return firstBadLine === undefined
        ? `${this.path} is cut short: its compressed data ends in the middle of line ${line}, so the file was not written, copied or downloaded completely.`
        : `${this.path} is cut short: its compressed data ends early, and line ${line} already reads wrong, so the file was not written, copied or downloaded completely.`
    }
    if (typeof code === 'string' && code.startsWith('Z_')) {
      return `${this.path} is damaged: its compressed data is corrupt from line ${line} on (${reason(error)}).`
    }
    return openProblem(this.path, error)
  }
}

function openProblem(path: string, error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (code === 'ENOENT') return `There is no file at ${path}.`
  if (code === 'EISDIR') return `${path} is a folder, not a run file.`
  if (code === 'EACCES' || code === 'EPERM') return `${path} cannot be read: permission denied.`
  return `Cannot read ${path}: ${reason(error)}.`
}

/** What is wrong with one event, saying which kind of event it is when that is known. */
function eventProblem(value: unknown): string {
  const error = traceEventSchema.safeParse(value, { reportInput: true }).error
  if (error === undefined) return 'it passes the schema only on a second look, which is a bug'
  const kind = (value as { kind?: unknown } | null)?.kind
  const issue = error.issues[0]
  const kindIsFine =
    typeof kind === 'string' && !(issue.code === 'invalid_union' && issue.path[0] === 'kind')
  return kindIsFine ? `in this "${kind}" event, ${describeIssue(error)}` : describeIssue(error)
}

/** The first issue zod found, as the end of a sentence: `"body.type" must be a string, not a number`. */
function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0]
  const where = issue.path.length === 0 ? 'the value' : `"${pathText(issue.path)}"`
  const input = 'input' in issue ? issue.input : undefined
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return `${where} is missing (it must be ${article(issue.expected)})`
      return `${where} must be ${article(issue.expected)}, not ${describeValue(input)}`
    case 'too_big':
      if (issue.origin === 'string')
        return `${where} is longer than ${limitText(issue.maximum)} characters`
      if (issue.origin === 'array')
        return `${where} has more than ${limitText(issue.maximum)} items`
      return `${where} is ${describeValue(input)}, above the largest allowed, ${limitText(issue.maximum)}`
    case 'too_small':
      if (issue.origin === 'string') return `${where} is empty`
      return `${where} is ${describeValue(input)}, below the smallest allowed, ${limitText(issue.minimum)}`
    case 'unrecognized_keys':
      return `${where === 'the value' ? 'it' : where} has ${issue.keys.length === 1 ? 'a field' : 'fields'} this app does not know: ${issue.keys.map((key) => `"${key}"`).join(', ')}`
    case 'invalid_union':
      if ('discriminator' in issue && issue.discriminator !== undefined) {
        const options = (issue as { options?: unknown[] }).options ?? []
        const given = (input as Record<string, unknown> | undefined)?.[issue.discriminator]
        return `${where} is ${describeValue(given)}, which is not one of ${options.map((option) => JSON.stringify(option)).join(', ')}`
      }
      return `${where} matches none of the shapes it may have`
    case 'invalid_value':
      return `${where} is ${describeValue(input)}, not one of ${issue.values.map((option) => JSON.stringify(option)).join(', ')}`
    case 'invalid_format':
      return `${where} is ${describeValue(input)}, not a valid ${issue.format}`
    default:
      return `${where} is wrong: ${issue.message}`
  }
}

function pathText(path: readonly PropertyKey[]): string {
  let text = ''
  for (const part of path) {
    if (typeof part === 'number') text += `[${part}]`
    else text += (text === '' ? '' : '.') + String(part)
  }
  return text
}

function article(expected: string): string {
  const names: Record<string, string> = {
    int: 'a whole number',
    number: 'a number',
    string: 'a string',
    boolean: 'true or false',
    object: 'an object',
    array: 'an array',
    null: 'null',
  }
  return names[expected] ?? `of type ${expected}`
}

/** A short description of a JSON value, for messages: never the whole of a large value. */
function describeValue(value: unknown): string {
  if (value === undefined) return 'missing'
  if (value === null) return 'null'
  if (Array.isArray(value)) return `an array of ${value.length}`
  if (typeof value === 'string') {
    return value.length <= 40 ? JSON.stringify(value) : `a string of ${value.length} characters`
  }
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  return 'an object'
}

function limitText(limit: number | bigint): string {
  return typeof limit === 'number' ? limit.toLocaleString('en-US') : String(limit)
}

function mebibytes(bytes: number): string {
  return `${bytes / (1024 * 1024)} MiB`
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8')
}

function reason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error)
  const firstLine = message.split('\n')[0].replace(/\.$/, '')
  return firstLine.length <= 120 ? firstLine : `${firstLine.slice(0, 117)}...`
}

function isAsyncIterable<T>(value: Iterable<T> | AsyncIterable<T>): value is AsyncIterable<T> {
  return Symbol.asyncIterator in value
}
