// A key-value client, the way Jepsen's clients behave: one operation at a time,
// each recorded as `invoke` then `ok` (it happened), `fail` (it definitely did
// not) or `info` (nobody knows). It finds the leader by following the hints in
// error 11 replies and retries only when a reply promised the operation did not
// happen: after a timeout the operation may still take effect, so retrying it
// could apply it twice. It then records `info` and moves on.

import { definiteErrorCodes, type Body, type Envelope, type NodeId } from '../../shared/envelope'
import type { CompleteEvent, InvokeEvent, Operation } from '../../shared/trace'

export interface ClientTransport {
  now(): number
  send(dest: NodeId, body: Body): void
  /** Runs `action` once after `ms`. */
  schedule(ms: number, action: () => void): void
  /** Records a history event (built with `seq: 0, t: 0`, stamped by the trace). */
  record(event: InvokeEvent | CompleteEvent): void
  /** A new operation id, unique within the run (it pairs an invoke with its completion). */
  nextOpId(): number
}

export interface ClientOptions {
  /** How long to wait for one reply. */
  timeoutMs: number
  /** How long one operation may take in all, retries included. */
  operationMsMax: number
  /** The pause before retrying on another node. */
  retryMs: number
}

export const defaultClientOptions: ClientOptions = {
  timeoutMs: 1000,
  operationMsMax: 2000,
  retryMs: 10,
}

export interface Completion {
  type: 'ok' | 'fail' | 'info'
  value?: unknown
  error?: { code: number; text: string }
}

interface InFlight {
  opId: number
  op: Operation
  startedAt: number
  msgId: number
  /** When the current attempt times out. */
  deadline: number
  done: (result: Completion) => void
}

export class KvClient {
  private msgIds = 0
  private current: InFlight | null = null
  private target: NodeId
  /** When the one pending watchdog wakes up, or null. One per client, not one per attempt. */
  private watchdogAt: number | null = null

  constructor(
    readonly id: NodeId,
    private readonly nodes: readonly NodeId[],
    private readonly transport: ClientTransport,
    private readonly options: ClientOptions = defaultClientOptions,
    /** Which node to try first; the client learns the leader from there. */
    firstNode?: NodeId,
  ) {
    if (nodes.length === 0) throw new Error('a client needs at least one node to talk to')
    this.target = firstNode ?? nodes[0]
  }

  busy(): boolean {
    return this.current !== null
  }

  /** Start the next operation at `node` (say, the leader someone just saw). */
  startAt(node: NodeId): void {
    if (this.nodes.includes(node)) this.target = node
  }

  /** Starts `op`; `done` runs once with its outcome. One operation at a time. */
  invoke(op: Operation, done: (result: Completion) => void = () => {}): void {
    if (this.current !== null)
      throw new Error(`client ${this.id} is already waiting for an operation`)
    const opId = this.transport.nextOpId()
    this.transport.record({
      seq: 0,
      t: 0,
      kind: 'invoke',
      node: this.id,
      client: this.id,
      opId,
      op,
    })
    this.current = { opId, op, startedAt: this.transport.now(), msgId: 0, deadline: 0, done }
    this.attempt()
  }

  /** A reply for this client arrived. */
  receive(envelope: Envelope): void {
    const current = this.current
    const body = envelope.body
    if (current === null || body.in_reply_to !== current.msgId) return // late: already settled
    if (body.type === 'error') {
      const code = typeof body.code === 'number' ? body.code : -1
      const text = typeof body.text === 'string' ? body.text : 'error'
      this.onError(current, code, text, typeof body.leader === 'string' ? body.leader : undefined)
      return
    }
    const expected = `${current.op.f}_ok`
    if (body.type !== expected) {
      // A reply we cannot read: the operation's fate is unknown.
      this.finish({ type: 'info', error: { code: -1, text: `unexpected reply ${body.type}` } })
      return
    }
    this.finish(
      current.op.f === 'read' ? { type: 'ok', value: body.value ?? null } : { type: 'ok' },
    )
  }

  private attempt(): void {
    const current = this.current
    if (current === null) return
    const msgId = ++this.msgIds
    current.msgId = msgId
    const op = current.op
    const body = kvRequest(op, msgId)
    current.deadline = this.transport.now() + this.options.timeoutMs
    this.transport.send(this.target, body)
    this.armWatchdog(current.deadline)
  }

  private armWatchdog(at: number): void {
    if (this.watchdogAt !== null && this.watchdogAt <= at) return // it will wake in time and look again
    this.watchdogAt = at
    this.transport.schedule(at - this.transport.now(), () => this.onWatchdog(at))
  }

  private onWatchdog(at: number): void {
    if (this.watchdogAt !== at) return // replaced by an earlier one
    this.watchdogAt = null
    const current = this.current
    if (current === null || current.msgId < 0) return
    if (this.transport.now() < current.deadline) {
      this.armWatchdog(current.deadline)
      return
    }
    this.finish({
      type: 'info',
      error: { code: 0, text: `no reply from ${this.target} in ${this.options.timeoutMs} ms` },
    })
    this.rotateTarget() // that node may be dead: start elsewhere next time
  }

  private onError(current: InFlight, code: number, text: string, leader: NodeId | undefined): void {
    // A read of a missing key happened: it saw nothing.
    if (code === 20 && current.op.f === 'read') {
      this.finish({ type: 'ok', value: null })
      return
    }
    if (!definiteErrorCodes.has(code)) {
      this.finish({ type: 'info', error: { code, text } })
      return
    }
    if (code !== 11) {
      this.finish({ type: 'fail', error: { code, text } })
      return
    }
    // Code 11: not the leader, or no leader yet. The operation did not happen, so retrying is safe.
    if (leader !== undefined && this.nodes.includes(leader) && leader !== this.target) {
      this.target = leader
    } else {
      this.rotateTarget()
    }
    const elapsed = this.transport.now() - current.startedAt
    if (elapsed + this.options.retryMs > this.options.operationMsMax) {
      this.finish({ type: 'fail', error: { code, text } })
      return
    }
    current.msgId = -1 // ignore anything more for the failed attempt
    this.transport.schedule(this.options.retryMs, () => {
      if (this.current === current) this.attempt()
    })
  }

  private rotateTarget(): void {
    const index = this.nodes.indexOf(this.target)
    this.target = this.nodes[(index + 1) % this.nodes.length]
  }

  private finish(result: Completion): void {
    const current = this.current
    if (current === null) return
    this.current = null
    this.transport.record({
      seq: 0,
      t: 0,
      kind: result.type,
      node: this.id,
      client: this.id,
      opId: current.opId,
      op: current.op,
      ...(result.value === undefined ? {} : { value: result.value }),
      ...(result.error === undefined ? {} : { error: result.error }),
    })
    current.done(result)
  }
}

/** Maelstrom's lin-kv speaks read, write and cas; other operations belong to other clients. */
function kvRequest(op: Operation, msgId: number): Body {
  switch (op.f) {
    case 'read':
      return { type: 'read', key: op.key, msg_id: msgId }
    case 'write':
      return { type: 'write', key: op.key, value: op.value, msg_id: msgId }
    case 'cas':
      return { type: 'cas', key: op.key, from: op.from, to: op.to, msg_id: msgId }
    default:
      throw new Error(`the key-value client cannot ${op.f}: it speaks read, write and cas.`)
  }
}
