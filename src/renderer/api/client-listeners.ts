// What both clients of the typed API keep for the page: the listeners of each
// event, of the connection's status, and of problems (what arrived that did
// not fit the contract). The transports differ; this does not.

import type { EventName, EventPayload } from '../../shared/api'

export type ConnectionStatus =
  { state: 'connecting' } | { state: 'open' } | { state: 'closed'; reason: string }

type Listener = (payload: unknown) => void

export class ClientListeners {
  private readonly events = new Map<EventName, Set<Listener>>()
  private readonly statuses = new Set<(status: ConnectionStatus) => void>()
  private readonly problems = new Set<(sentence: string) => void>()

  constructor(private current: ConnectionStatus) {}

  get status(): ConnectionStatus {
    return this.current
  }

  setStatus(next: ConnectionStatus): void {
    this.current = next
    for (const listener of this.statuses) listener(next)
  }

  problem(sentence: string): void {
    for (const listener of this.problems) listener(sentence)
  }

  /** Hands a checked payload to the event's listeners. */
  emit(name: EventName, payload: unknown): void {
    for (const listener of this.events.get(name) ?? []) listener(payload)
  }

  on<Name extends EventName>(
    name: Name,
    listener: (payload: EventPayload<Name>) => void,
  ): () => void {
    const set = this.events.get(name) ?? new Set<Listener>()
    this.events.set(name, set)
    const wrapped = listener as Listener
    set.add(wrapped)
    return () => set.delete(wrapped)
  }

  onStatus(listener: (status: ConnectionStatus) => void): () => void {
    this.statuses.add(listener)
    listener(this.current)
    return () => this.statuses.delete(listener)
  }

  onProblem(listener: (sentence: string) => void): () => void {
    this.problems.add(listener)
    return () => this.problems.delete(listener)
  }
}
