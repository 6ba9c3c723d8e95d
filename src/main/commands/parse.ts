// Parses one line of the command language into a command, or into one
// sentence that says what was wrong and what would be right. It never throws:
// nothing a learner types can crash the terminal.

import type { LinkShape } from '../../shared/trace'
import type { LessonCommand } from '../lessons/engine'
import { isLanguage, languages } from '../lessons/lesson'
import { closestCommand, findSpec, type CommandSpec } from './commands'

export const lineCharsMax = 2_000

export type Mix = { read: number; write: number; cas: number }

export type Command =
  | { kind: 'empty' }
  | {
      kind: 'start'
      algorithm: string
      nodes: number
      sim: boolean
      seed?: number
      variant?: string
      /** A program speaking Maelstrom's protocol, to run as nodes `on` (default: every node). */
      exec?: string
      on?: string[]
      /** What every node sees as ctx.options (gossip's quorums). */
      options?: Record<string, number | string | boolean>
    }
  | { kind: 'stop' | 'status' | 'metrics' | 'heal' | 'check' | 'faults-off' | 'restart-all' }
  | { kind: 'put'; key: string; value: unknown; on?: string }
  | { kind: 'get'; key: string; on?: string }
  | { kind: 'propose'; value: unknown; on: string }
  | { kind: 'transfer'; from: string; to: string; amount: number }
  | { kind: 'balance'; account: string; on: string }
  | { kind: 'submit'; task: string; costMs: number }
  | { kind: 'tasks' }
  | { kind: 'acquire' | 'renew' | 'release'; key: string; client: string; leaseMs: number }
  /** A write to the protected resource by `client`, with its fencing token for lock `key`. */
  | { kind: 'store'; key: string; value: unknown; client: string }
  | { kind: 'cas'; key: string; from: unknown; to: unknown; on?: string }
  | { kind: 'kill' | 'restart' | 'pause' | 'resume'; node: string }
  | { kind: 'log' | 'state'; node: string }
  | { kind: 'partition'; groups: string[][] }
  | { kind: 'link'; change: Partial<LinkShape>; from: string; to: string; said: string }
  | { kind: 'trace'; node?: string; type?: string; last: number }
  | {
      kind: 'workload'
      operations: number
      clients: number
      keys: string[]
      mix: Mix
      /** Operations started per second, at most; absent: as fast as the clients go. */
      rate?: number
    }
  | { kind: 'wait'; ms: number }
  | { kind: 'explore'; algorithm: string; variant?: string; runs: number; seed: number }
  /** The learner's code as last applied from the Code tab. */
  | { kind: 'explore-code'; runs: number; seed: number }
  | { kind: 'speed'; factor: number }
  | { kind: 'help'; topic?: string }
  | { kind: 'runs' }
  | { kind: 'save'; name: string; run?: string }
  | { kind: 'export'; file: string; run?: string }
  | { kind: 'import'; file: string }
  | { kind: 'replay'; run: string; at?: number; events: number }
  | { kind: 'lesson'; lesson: LessonCommand }

export type Parsed = { ok: true; command: Command } | { ok: false; error: string }

const nodePattern = /^(n\d{1,3}|leader)$/
const limits = {
  nodesMax: 25,
  workloadMax: 1_000_000,
  clientsMax: 64,
  /** Operations per second a workload may ask for with --rate. */
  workloadRateMax: 100_000,
  waitMsMax: 600_000,
  traceMax: 1_000,
  keysMax: 100,
}

class ParseError extends Error {}

export function parse(line: string): Parsed {
  try {
    return { ok: true, command: parseLine(line) }
  } catch (error) {
    if (error instanceof ParseError) return { ok: false, error: error.message }
    return { ok: false, error: `that line could not be read (${String(error)}); try: help` }
  }
}

function parseLine(line: string): Command {
  if (line.length > lineCharsMax)
    fail(`that line is ${line.length} characters long; the limit is ${lineCharsMax}.`)
  const text = line.replace(/#.*$/, '').trim() // `#` starts a comment, as in scripts
  if (text === '') return { kind: 'empty' }
  const words = tokenize(text)
  const spec = findSpec(words[0])
  if (spec === undefined) {
    const near = closestCommand(words[0])
    fail(
      `there is no command "${shorten(words[0])}"${near ? `; did you mean ${near}?` : '.'} Type help for the list.`,
    )
  }
  const { positional, flags } = splitFlags(words.slice(1), spec)
  const args = new Args(spec, positional, flags)
  switch (spec.name) {
    case 'start': {
      // `start 3 --exec "python3 raft.py"`: every node is an outside program.
      const external = /^\d+$/.test(positional[0] ?? '') && flags.has('exec')
      const algorithm = external ? 'external' : args.word(0, 'an algorithm, e.g. raft')
      const first = external ? 0 : 1
      const nodes =
        positional.length > first ? args.integer(first, 'a number of nodes', 1, limits.nodesMax) : 5
      const seed = flags.has('seed') ? args.flagInteger('seed', 0, 2 ** 31 - 1) : undefined
      const variant = flags.has('variant') ? args.flagWord('variant') : undefined
      const exec = flags.has('exec') ? args.flagWord('exec') : undefined
      const on = flags.has('on') ? args.flagWord('on').split(',') : undefined
      if (on !== undefined && on.some((id) => !/^n\d{1,3}$/.test(id))) {
        fail('--on names the nodes that run the program, e.g. --on n3 or --on n2,n3.')
      }
      if (on !== undefined && exec === undefined) fail('--on goes with --exec "COMMAND".')
      const options = startOptions(args, flags, algorithm, nodes)
      args.done(first + 1, [
        'sim',
        'seed',
        'variant',
        'exec',
        'on',
        'resource',
        ...gossipFlags,
        ...schedulerFlags,
      ])
      return {
        kind: 'start',
        algorithm,
        // The protected resource is one node more, after the lock servers.
        nodes: options?.['resource'] === undefined ? nodes : nodes + 1,
        sim: flags.has('sim'),
        ...(options === undefined ? {} : { options }),
        ...(seed === undefined ? {} : { seed }),
        ...(variant === undefined ? {} : { variant }),
        ...(exec === undefined ? {} : { exec }),
        ...(on === undefined ? {} : { on }),
      }
    }
    case 'stop':
    case 'status':
    case 'metrics':
    case 'heal':
    case 'check':
      args.done(0, [])
      return { kind: spec.name }
    case 'faults':
      if (positional[0] !== 'off')
        fail('faults takes one word, off: faults off clears every link fault.')
      args.done(1, [])
      return { kind: 'faults-off' }
    case 'put': {
      const key = args.word(0, 'a key')
      const value = args.value(1, 'a value')
      const on = flags.has('on') ? args.flagNode('on') : undefined
      args.done(2, ['on'])
      return { kind: 'put', key, value, ...(on === undefined ? {} : { on }) }
    }
    case 'transfer': {
      const from = args.word(0, 'the account to take from')
      const to = args.word(1, 'the account to pay into')
      const amount = args.integer(2, 'an amount', 1, 1_000_000)
      args.done(3, [])
      return { kind: 'transfer', from, to, amount }
    }
    case 'submit': {
      const task = args.word(0, 'a task name')
      const costMs = parseMs(positional[1] ?? '', 'submit TASK')
      args.done(2, [])
      return { kind: 'submit', task, costMs }
    }
    case 'tasks':
      args.done(0, [])
      return { kind: 'tasks' }
    case 'balance': {
      const account = args.word(0, 'an account')
      const on = flags.has('on') ? args.flagNode('on') : 'n1'
      args.done(1, ['on'])
      return { kind: 'balance', account, on }
    }
    case 'acquire':
    case 'renew':
    case 'release': {
      const key = args.word(0, 'a lock name')
      const client = flags.has('as') ? args.flagWord('as') : 'c1'
      if (!/^c\d{1,3}$/.test(client))
        fail(`--as names a client, c1, c2, ..., not ${shorten(client)}.`)
      const leaseMs = flags.has('lease')
        ? parseMs(args.flagWord('lease'), `${spec.name} --lease`)
        : 2_000
      args.done(1, spec.name === 'release' ? ['as'] : ['as', 'lease'])
      return { kind: spec.name, key, client, leaseMs }
    }
    case 'store': {
      const key = args.word(0, 'a lock name')
      const value = args.value(1, 'a value to write')
      const client = flags.has('as') ? args.flagWord('as') : 'c1'
      if (!/^c\d{1,3}$/.test(client))
        fail(`--as names a client, c1, c2, ..., not ${shorten(client)}.`)
      args.done(2, ['as'])
      return { kind: 'store', key, value, client }
    }
    case 'propose': {
      const value = args.value(0, 'a value to propose')
      const on = flags.has('on') ? args.flagNode('on') : 'n1'
      args.done(1, ['on'])
      return { kind: 'propose', value, on }
    }
    case 'get': {
      const key = args.word(0, 'a key')
      const on = flags.has('on') ? args.flagNode('on') : undefined
      args.done(1, ['on'])
      return { kind: 'get', key, ...(on === undefined ? {} : { on }) }
    }
    case 'cas': {
      const key = args.word(0, 'a key')
      const from = args.value(1, 'the value it must have now')
      const to = args.value(2, 'the value to write')
      const on = flags.has('on') ? args.flagNode('on') : undefined
      args.done(3, ['on'])
      return { kind: 'cas', key, from, to, ...(on === undefined ? {} : { on }) }
    }
    case 'restart':
    case 'kill':
    case 'pause':
    case 'resume':
    case 'log':
    case 'state': {
      if (spec.name === 'restart' && positional[0] === 'all') {
        args.done(1, [])
        return { kind: 'restart-all' }
      }
      const node = args.node(0)
      args.done(1, [])
      return { kind: spec.name, node }
    }
    case 'partition':
      return { kind: 'partition', groups: parseGroups(positional.join(' ')) }
    case 'drop':
    case 'duplicate':
    case 'reorder': {
      const p = args.percent(0)
      const [from, to] = parseLink(positional[1], spec)
      args.done(2, [])
      const field = spec.name === 'drop' ? 'loss' : spec.name
      return { kind: 'link', change: { [field]: p }, from, to, said: positional.join(' ') }
    }
    case 'delay': {
      const [delayMsMin, delayMsMax] = parseDelay(positional[0])
      const [from, to] = parseLink(positional[1], spec)
      args.done(2, [])
      return {
        kind: 'link',
        change: { delayMsMin, delayMsMax },
        from,
        to,
        said: positional.join(' '),
      }
    }
    case 'trace': {
      const node = positional[0] === undefined ? undefined : args.node(0)
      const type = flags.has('type') ? args.flagWord('type') : undefined
      const last = flags.has('last') ? args.flagInteger('last', 1, limits.traceMax) : 20
      args.done(1, ['type', 'last'])
      return {
        kind: 'trace',
        ...(node === undefined ? {} : { node }),
        ...(type === undefined ? {} : { type }),
        last,
      }
    }
    case 'workload': {
      const operations = args.integer(0, 'a number of operations', 1, limits.workloadMax)
      const clients = flags.has('clients') ? args.flagInteger('clients', 1, limits.clientsMax) : 4
      const keys = flags.has('keys') ? parseKeys(args.flagWord('keys')) : ['x']
      const mix = flags.has('mix') ? parseMix(args.flagWord('mix')) : { read: 1, write: 1, cas: 0 }
      const rate = flags.has('rate')
        ? args.flagInteger('rate', 1, limits.workloadRateMax)
        : undefined
      args.done(1, ['clients', 'keys', 'mix', 'rate'])
      return {
        kind: 'workload',
        operations,
        clients,
        keys,
        mix,
        ...(rate === undefined ? {} : { rate }),
      }
    }
    case 'explore': {
      const runs = flags.has('runs') ? args.flagInteger('runs', 1, 10_000) : 100
      const seed = flags.has('seed') ? args.flagInteger('seed', 0, 2 ** 31 - 1) : 1
      if (flags.has('code')) {
        if (positional.length > 0 || flags.has('variant')) {
          fail(
            'explore --code explores the code you applied in the Code tab, whose algorithm it knows: write explore --code [--runs N] [--seed S].',
          )
        }
        args.done(0, ['code', 'runs', 'seed'])
        return { kind: 'explore-code', runs, seed }
      }
      const algorithm = args.word(0, 'an algorithm, e.g. raft')
      const variant = flags.has('variant') ? args.flagWord('variant') : undefined
      args.done(1, ['variant', 'runs', 'seed'])
      return {
        kind: 'explore',
        algorithm,
        runs,
        seed,
        ...(variant === undefined ? {} : { variant }),
      }
    }
    case 'wait': {
      const ms = parseMs(positional[0] ?? '', 'wait')
      args.done(1, [])
      return { kind: 'wait', ms }
    }
    case 'speed': {
      const factor = Number(positional[0]?.replace(/x$/, ''))
      if (!(factor >= 0.01 && factor <= 100)) {
        fail(
          'speed takes a factor from 0.01 to 100: speed 0.1 for slow motion, speed 4 to fast-forward.',
        )
      }
      args.done(1, [])
      return { kind: 'speed', factor }
    }
    case 'runs':
      args.done(0, [])
      return { kind: 'runs' }
    case 'save': {
      const name = args.word(0, 'a name for the run')
      if (/^\d+$/.test(name))
        fail('a run is named with a word, not a number (runs are numbered already).')
      const run = flags.has('run') ? args.flagWord('run') : undefined
      args.done(1, ['run'])
      return { kind: 'save', name, ...(run === undefined ? {} : { run }) }
    }
    case 'export': {
      const file = args.path(0)
      const run = flags.has('run') ? args.flagWord('run') : undefined
      args.done(1, ['run'])
      return { kind: 'export', file, ...(run === undefined ? {} : { run }) }
    }
    case 'import': {
      const file = args.path(0)
      args.done(1, [])
      return { kind: 'import', file }
    }
    case 'replay': {
      const run = args.word(0, 'a run (its number or name; runs lists them)')
      const at = flags.has('at') ? parseMs(args.flagWord('at'), 'replay --at') : undefined
      const events = flags.has('events') ? args.flagInteger('events', 0, limits.traceMax) : 10
      args.done(1, ['at', 'events'])
      return { kind: 'replay', run, events, ...(at === undefined ? {} : { at }) }
    }
    case 'lessons':
    case 'hint':
    case 'next':
    case 'back':
      args.done(0, [])
      return { kind: 'lesson', lesson: { kind: spec.name } }
    case 'lesson': {
      const number =
        positional[0] === undefined ? undefined : args.integer(0, 'a lesson number', 1, 999)
      args.done(1, [])
      return {
        kind: 'lesson',
        lesson: number === undefined ? { kind: 'lesson' } : { kind: 'lesson', number },
      }
    }
    case 'lang': {
      const language = positional[0] ?? ''
      if (!isLanguage(language))
        fail(`lang takes ${languages.join(' or ')}: lang en for English, lang zh for 简体中文.`)
      args.done(1, [])
      return { kind: 'lesson', lesson: { kind: 'lang', language } }
    }
    case 'help':
      args.done(1, [])
      return positional[0] === undefined ? { kind: 'help' } : { kind: 'help', topic: positional[0] }
    default:
      return fail(`${spec.name} is not ready yet.`)
  }
}

// --- pieces ---

/** The gossip store's settings as start flags: --n 3 --r 1 --w 1 --resolution vv --strict. */
const gossipFlags = ['n', 'r', 'w', 'resolution', 'strict']

/** The scheduler's: --policy least-loaded|round-robin|weighted [--weights n1=3,n2=1]. */
const schedulerFlags = ['policy', 'weights']

function startOptions(
  args: Args,
  flags: Map<string, string>,
  algorithm: string,
  nodes: number,
): Record<string, number | string | boolean> | undefined {
  if (flags.has('resource')) {
    if (algorithm !== 'lock' && algorithm !== 'lock-naive') {
      fail(
        `--resource adds the resource a lock protects (lock, lock-naive); ${algorithm} has no locks.`,
      )
    }
    const other = [...schedulerFlags, ...gossipFlags].find((name) => flags.has(name))
    if (other !== undefined) fail(`--${other} is not a setting of ${algorithm}.`)
    if (flags.get('resource') !== '')
      fail('--resource takes no value: the resource is one node more.')
    if (nodes >= limits.nodesMax) {
      fail(
        `with --resource, ${limits.nodesMax - 1} lock servers at most (the resource is one more node).`,
      )
    }
    return { resource: `n${nodes + 1}` }
  }
  const forScheduler = schedulerFlags.filter((name) => flags.has(name))
  if (forScheduler.length > 0) {
    if (algorithm !== 'scheduler') {
      fail(`--${forScheduler[0]} sets the scheduler's policy; ${algorithm} has no such setting.`)
    }
    const policy = flags.has('policy') ? args.flagWord('policy') : 'least-loaded'
    if (!['least-loaded', 'round-robin', 'weighted'].includes(policy)) {
      fail('--policy is least-loaded, round-robin or weighted (with --weights n1=3,n2=1).')
    }
    const weights = flags.has('weights') ? args.flagWord('weights') : undefined
    if (weights !== undefined && !/^(n\d{1,3}=\d+)(,n\d{1,3}=\d+)*$/.test(weights)) {
      fail('--weights lists nodes and whole-number weights, e.g. --weights n1=3,n2=1.')
    }
    return { policy, ...(weights === undefined ? {} : { weights }) }
  }
  const given = gossipFlags.filter((name) => flags.has(name))
  if (given.length === 0) return undefined
  if (algorithm !== 'gossip') {
    fail(`--${given[0]} sets the gossip store's quorums; ${algorithm} has no such setting.`)
  }
  const options: Record<string, number | string | boolean> = {}
  for (const name of ['n', 'r', 'w']) {
    if (flags.has(name)) options[name] = args.flagInteger(name, 1, nodes)
  }
  if (flags.has('resolution')) {
    const resolution = args.flagWord('resolution')
    if (resolution !== 'lww' && resolution !== 'vv') {
      fail('--resolution is lww (last writer wins) or vv (version vectors, keeping siblings).')
    }
    options['resolution'] = resolution
  }
  if (flags.has('strict')) options['sloppy'] = false
  const n = Number(options['n'] ?? 3)
  for (const name of ['r', 'w']) {
    if (Number(options[name] ?? 1) > n)
      fail(`--${name} cannot be more than --n (${n}): a quorum is drawn from N replicas.`)
  }
  return options
}

function fail(message: string): never {
  throw new ParseError(message)
}

function shorten(text: string): string {
  return text.length > 30 ? `${text.slice(0, 27)}...` : text
}

function usage(spec: CommandSpec): string {
  return `${spec.usage}, e.g. ${spec.example}`
}

/** Words, where "double quoted text" is one word. */
function tokenize(text: string): string[] {
  const words: string[] = []
  const pattern = /"([^"]*)"|(\S+)/g
  for (let match = pattern.exec(text); match !== null; match = pattern.exec(text)) {
    words.push(match[1] ?? match[2])
  }
  if ((text.match(/"/g) ?? []).length % 2 === 1) fail('a quote " is not closed.')
  return words
}

function splitFlags(
  words: string[],
  spec: CommandSpec,
): { positional: string[]; flags: Map<string, string> } {
  const positional: string[] = []
  const flags = new Map<string, string>()
  for (let i = 0; i < words.length; i++) {
    const word = words[i]
    if (!word.startsWith('--')) {
      positional.push(word)
      continue
    }
    const [name, inline] = word.slice(2).split('=', 2)
    if (name === '') fail(`"--" needs a name after it; ${spec.name} takes: ${usage(spec)}.`)
    if (flags.has(name)) fail(`--${shorten(name)} is given twice.`)
    const takesValue = !['sim', 'strict', 'code', 'resource'].includes(name)
    if (inline !== undefined) flags.set(name, inline)
    else if (takesValue && i + 1 < words.length && !words[i + 1].startsWith('--'))
      flags.set(name, words[++i])
    else flags.set(name, '')
  }
  return { positional, flags }
}

class Args {
  constructor(
    private readonly spec: CommandSpec,
    private readonly positional: string[],
    private readonly flags: Map<string, string>,
  ) {}

  private need(index: number, what: string): string {
    const word = this.positional[index]
    if (word === undefined) fail(`${this.spec.name} needs ${what}: ${usage(this.spec)}.`)
    return word
  }

  word(index: number, what: string): string {
    const word = this.need(index, what)
    if (word.length > 100)
      fail(`${shorten(word)} is too long for ${what} (100 characters at most).`)
    return word
  }

  value(index: number, what: string): unknown {
    return parseValue(this.word(index, what))
  }

  integer(index: number, what: string, min: number, max: number): number {
    return wholeNumber(this.need(index, what), what, min, max)
  }

  /** A file name: any characters but a NUL, quoted when it has spaces. */
  path(index: number): string {
    const word = this.need(index, 'a file name')
    if (word.length > 1_000 || word.includes('\0'))
      fail(`${shorten(word)} is not a file name this terminal can use.`)
    return word
  }

  node(index: number): string {
    const word = this.need(index, 'a node')
    if (!nodePattern.test(word))
      fail(`${shorten(word)} is not a node; nodes are n1, n2, ... or leader.`)
    return word
  }

  percent(index: number): number {
    const word = this.need(index, 'a percentage')
    const match = /^(\d+(?:\.\d+)?)%$/.exec(word)
    const p = match === null ? NaN : Number(match[1])
    if (!(p >= 0 && p <= 100)) {
      fail(
        `a ${this.spec.name === 'drop' ? 'loss' : this.spec.name} is a percentage from 0% to 100%, e.g. ${this.spec.example}.`,
      )
    }
    return p / 100
  }

  flagWord(name: string): string {
    const value = this.flags.get(name) ?? ''
    if (value === '') fail(`--${name} needs a value: ${usage(this.spec)}.`)
    return value
  }

  flagNode(name: string): string {
    const word = this.flagWord(name)
    if (!nodePattern.test(word))
      fail(`--${name} takes a node, n1, n2, ... or leader, not ${shorten(word)}.`)
    return word
  }

  flagInteger(name: string, min: number, max: number): number {
    return wholeNumber(this.flagWord(name), `--${name}`, min, max)
  }

  /** No more than `count` positional words, and no flags but `allowed`. */
  done(count: number, allowed: string[]): void {
    for (const name of this.flags.keys()) {
      if (!allowed.includes(name)) {
        const known = allowed.length === 0 ? 'no options' : allowed.map((a) => `--${a}`).join(', ')
        fail(
          `${this.spec.name} has no option --${shorten(name)} (it takes ${known}): ${usage(this.spec)}.`,
        )
      }
    }
    if (this.positional.length > count) {
      fail(
        `${this.spec.name} takes ${count === 0 ? 'nothing more' : 'fewer words'}: ${usage(this.spec)}.`,
      )
    }
  }
}

function wholeNumber(word: string, what: string, min: number, max: number): number {
  const n = Number(word.replace(/_/g, ''))
  if (!/^\d[\d_]*$/.test(word) || !Number.isSafeInteger(n) || n < min || n > max) {
    fail(
      `${what} must be a whole number from ${min} to ${max.toLocaleString('en-US')}, not ${shorten(word)}.`,
    )
  }
  return n
}

/** Numbers are numbers, true/false/null are themselves, anything else is text. */
function parseValue(word: string): unknown {
  if (/^-?\d+(\.\d+)?$/.test(word) && Number.isFinite(Number(word))) return Number(word)
  if (word === 'true') return true
  if (word === 'false') return false
  if (word === 'null') return null
  return word
}

/**
 * The groups of a partition. One group alone is cut off from the rest (the
 * interpreter makes the rest the other group); `leader` names the current
 * leader, as elsewhere, and is resolved when the command runs.
 */
function parseGroups(text: string): string[][] {
  const example = 'partition n1,n2 | n3,n4,n5'
  const groups = text.split('|').map((part) =>
    part
      .split(/[\s,]+/)
      .map((word) => word.trim())
      .filter((word) => word !== ''),
  )
  if (groups.length === 1 && groups[0].length === 0)
    fail(`partition needs nodes: ${example}, or partition leader to cut the leader off.`)
  if (groups.some((group) => group.length === 0))
    fail(`each side of | needs at least one node, e.g. ${example}.`)
  const seen = new Set<string>()
  for (const group of groups) {
    for (const node of group) {
      if (!/^n\d{1,3}$/.test(node) && node !== 'leader')
        fail(`${shorten(node)} is not a node; a partition names nodes n1, n2, ... or leader`)
      if (seen.has(node)) fail(`${node} is in two groups; each node belongs to one side.`)
      seen.add(node)
    }
  }
  return groups
}

function parseLink(word: string | undefined, spec: CommandSpec): [string, string] {
  if (word === undefined) return ['*', '*']
  const match = /^(n\d{1,3}|\*)->(n\d{1,3}|\*)$/.exec(word)
  if (match === null)
    fail(
      `a link is written from->to, e.g. n1->n2 (or leave it out for every link): ${usage(spec)}.`,
    )
  return [match[1], match[2]]
}

function parseDelay(word: string | undefined): [number, number] {
  const example = 'delay 50-100ms (or delay 20ms, or delay 0ms to remove it)'
  const match = /^(\d+)(?:-(\d+))?ms$/.exec(word ?? '')
  if (match === null) fail(`a delay is a range in milliseconds, e.g. ${example}.`)
  const min = Number(match[1])
  const max = match[2] === undefined ? min : Number(match[2])
  if (min > max) fail(`the delay range ${min}-${max}ms runs backwards; write it low-high.`)
  if (max > 60_000)
    fail('a delay of more than 60 seconds would stop everything; use pause or partition instead.')
  return [min, max]
}

function parseMs(word: string, command: string): number {
  const match = /^(\d+)(ms|s)?$/.exec(word)
  const ms = match === null ? NaN : Number(match[1]) * (match[2] === 's' ? 1000 : 1)
  if (!(ms >= 0 && ms <= limits.waitMsMax)) {
    fail(
      `${command} takes a time up to 10 minutes, e.g. ${command} 500 (milliseconds) or ${command} 2s.`,
    )
  }
  return ms
}

function parseKeys(text: string): string[] {
  const keys = text.split(',').filter((key) => key !== '')
  if (keys.length === 0 || keys.length > limits.keysMax || keys.some((key) => key.length > 100)) {
    fail(`--keys is a list of 1 to ${limits.keysMax} short names, e.g. --keys x,y,z.`)
  }
  return keys
}

function parseMix(text: string): Mix {
  const example = '--mix read:1,write:1,cas:1'
  const mix: Mix = { read: 0, write: 0, cas: 0 }
  for (const part of text.split(',')) {
    const [name, share] = part.split(':')
    const n = Number(share)
    if (!(name === 'read' || name === 'write' || name === 'cas') || !(n >= 0 && n <= 1000)) {
      fail(`a mix gives each of read, write and cas a share, e.g. ${example}.`)
    }
    mix[name] = n
  }
  if (mix.read + mix.write + mix.cas === 0) fail(`a mix needs some share above 0, e.g. ${example}.`)
  return mix
}
