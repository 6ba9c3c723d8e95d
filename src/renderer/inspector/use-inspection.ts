// One node's inspection, kept fresh: asked again when the node, the moment
// shown or (live) the cluster changes, at most every `intervalMsMin` (or three
// times as long as the last answer took, for a node whose state is large), so
// that a busy cluster or a scrubbed timeline never floods the core. An answer
// that arrives after a newer one was shown is dropped.

import { useEffect, useRef, useState } from 'react'
import type { NodeId } from '../../shared/envelope'
import type { InspectResult } from '../../shared/inspection'
import type { LabClient } from '../api/web-socket-client'

/** How often one view asks, at most. */
const intervalMsMin = 250

export interface Inspection {
  /** What was asked: the node and the moment (`live` or ms). */
  key: string
  result: InspectResult | null
  error: string | null
}

export function inspectionKey(node: NodeId, at: number | null): string {
  return `${node}@${at === null ? 'live' : at}`
}

/**
 * The latest answer for `node` at `at` (null: live). `version` changes when
 * the live cluster does; `active` is false while the view is hidden.
 */
export function useInspection(
  client: LabClient,
  node: NodeId | null,
  at: number | null,
  version: unknown,
  active: boolean,
): Inspection | null {
  const [answer, setAnswer] = useState<Inspection | null>(null)
  const lastAskedMs = useRef(-Infinity)
  const lastTookMs = useRef(0)
  const asked = useRef(0)
  const shown = useRef(0)

  // While the moment is fixed, the cluster changing does not change what it was.
  const liveVersion = at === null ? version : null
  useEffect(() => {
    if (!active || node === null) return
    const key = inspectionKey(node, at)
    const intervalMs = Math.max(intervalMsMin, 3 * lastTookMs.current)
    const waitMs = Math.max(0, lastAskedMs.current + intervalMs - performance.now())
    const timer = setTimeout(() => {
      const askedMs = performance.now()
      lastAskedMs.current = askedMs
      const ticket = ++asked.current
      const settle = (next: Inspection): void => {
        lastTookMs.current = performance.now() - askedMs
        if (ticket < shown.current) return
        shown.current = ticket
        setAnswer(next)
      }
      client.request('inspect', at === null ? { node } : { node, at }).then(
        (result) => settle({ key, result, error: null }),
        (error: unknown) =>
          settle({
            key,
            result: null,
            error: error instanceof Error ? error.message : String(error),
          }),
      )
    }, waitMs)
    return () => clearTimeout(timer)
  }, [client, node, at, liveVersion, active])

  return answer
}
