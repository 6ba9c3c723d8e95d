// Mutual exclusion as the protected resource sees it. A lock service can only
// promise so much: what matters is whether two holders ever both changed the
// resource during the same stretch (Kleppmann, "How to do distributed
// locking", 2016). So this check reads the writes the resource accepted (its
// `store_ok` answers in the trace) rather than the lock service's own state.
//
// A holder's session is its name with its fencing token (without tokens, its
// name alone). Two rules, per key of the resource:
//
//   Mutual Exclusion: once a session's writes are followed by another
//   session's, the first session must not write again. Its lock has passed to
//   someone else, so a later write of its is a second holder at once.
//   (Without tokens, a holder that legitimately acquired again after the
//   other cannot be told from a stale one: the check counts it as stale.)
//
//   Fencing: an accepted write's token is never lower than one accepted before.

import type { SendEvent, TraceEvent } from '../../shared/trace'
import type { TraceChecker, Violation } from './index'

interface KeyHistory {
  /** The session that wrote last, and the event of its last write. */
  current: string
  currentSeq: number
  /** Sessions that wrote and were then followed by another. */
  ended: Set<string>
  highestToken: number | undefined
}

export class LockInvariants implements TraceChecker {
  readonly name = 'lock invariants'
  private readonly keys = new Map<string, KeyHistory>()

  observe(event: TraceEvent): Violation[] {
    if (event.kind !== 'send' || event.body.type !== 'store_ok') return []
    const { key, holder, token } = event.body
    if (typeof key !== 'string' || typeof holder !== 'string') return []
    const fenced = typeof token === 'number' ? token : undefined
    const session = fenced === undefined ? holder : `${holder} (token ${fenced})`
    const found: Violation[] = []
    const history = this.keys.get(key)
    if (history === undefined) {
      this.keys.set(key, {
        current: session,
        currentSeq: event.seq,
        ended: new Set(),
        highestToken: fenced,
      })
      return found
    }
    if (
      fenced !== undefined &&
      history.highestToken !== undefined &&
      fenced < history.highestToken
    ) {
      found.push(
        violation(
          event,
          'Fencing',
          `${event.node} accepted ${session}'s write to ${key}, but it had already accepted token ${history.highestToken}.`,
          [history.currentSeq, event.seq],
        ),
      )
    }
    if (history.ended.has(session)) {
      found.push(
        violation(
          event,
          'Mutual Exclusion',
          `${event.node} accepted a write to ${key} from ${session} after ${history.current} had written: two holders at once.`,
          [history.currentSeq, event.seq],
        ),
      )
    }
    if (history.current !== session) history.ended.add(history.current)
    history.current = session
    history.currentSeq = event.seq
    if (fenced !== undefined)
      history.highestToken = Math.max(history.highestToken ?? fenced, fenced)
    return found
  }
}

function violation(event: SendEvent, rule: string, message: string, events: number[]): Violation {
  return {
    seq: 0,
    t: 0,
    kind: 'violation',
    node: event.node,
    rule,
    message,
    nodes: [event.node, String(event.body.holder)],
    events,
  }
}
