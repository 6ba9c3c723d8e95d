// What the Metrics panel shows: the last minute of a run in one-second steps,
// computed in the core from every trace event (the page sees only sampled
// batches, and sampling would hide most client operations and so the
// latencies). The core pushes one snapshot a second, as the `metrics` event.

import { z } from 'zod'
import { nameCharsMax, nodeIdCharsMax, nodesMax } from './trace-schema'

/** How far back the plots reach, in one-second steps. */
export const metricsWindowSeconds = 60
/** Message types drawn one by one; the rest are summed as `other`. */
export const messageTypesShownMax = 8
/** Elections a snapshot lists (the newest, within the window). */
export const electionsShownMax = 200

const perSecond = z.array(z.number().nonnegative()).max(metricsWindowSeconds)
const perSecondOrGap = z.array(z.number().nonnegative().nullable()).max(metricsWindowSeconds)
const nodeId = z.string().min(1).max(nodeIdCharsMax)

export const metricsSnapshotSchema = z.strictObject({
  /** Run time (ms) of the newest event counted. */
  nowMs: z.number().nonnegative(),
  /** Start of each one-second step, in seconds of run time, oldest first. */
  seconds: perSecond,
  /** Messages sent per second, by message type (the busiest first; then `other`). */
  messages: z
    .array(z.strictObject({ type: z.string().max(nameCharsMax), counts: perSecond }))
    .max(messageTypesShownMax + 1),
  /** Messages dropped per second (partition, loss, dead node). */
  dropped: perSecond,
  /**
   * Log entries newly committed per second: the growth of the highest
   * `commitIndex` any node reports. Null when the algorithm reports none.
   */
  committed: perSecond.nullable(),
  /** Client operations that completed `ok`, and that failed or timed out, per second. */
  completed: perSecond,
  failed: perSecond,
  /** Client latency (invoke to ok) per second: median and 99th percentile, null when none ended. */
  latencyP50Ms: perSecondOrGap,
  latencyP99Ms: perSecondOrGap,
  /** The same over the whole window. */
  window: z.strictObject({
    messages: z.number().nonnegative(),
    completed: z.number().nonnegative(),
    latencyP50Ms: z.number().nonnegative().nullable(),
    latencyP99Ms: z.number().nonnegative().nullable(),
  }),
  /** Each time a node became leader, within the window, oldest first. */
  elections: z
    .array(
      z.strictObject({
        t: z.number().nonnegative(),
        node: nodeId,
        term: z.number().nullable(),
      }),
    )
    .max(electionsShownMax),
  /** Elections since the run started. */
  electionsTotal: z.int().nonnegative(),
  /**
   * How far each node is behind: a progress field every node reports
   * (`commitIndex` where there is one), against the leader's value, or the
   * furthest node's when there is no leader. Null when no node reports a number.
   */
  lag: z
    .strictObject({
      field: z.string().max(nameCharsMax),
      against: z.union([z.strictObject({ leader: nodeId }), z.literal('furthest')]),
      nodes: z
        .array(
          z.strictObject({
            node: nodeId,
            value: z.number().nullable(),
            lag: z.number().nonnegative().nullable(),
            down: z.boolean(),
          }),
        )
        .max(nodesMax),
    })
    .nullable(),
})

export type MetricsSnapshot = z.infer<typeof metricsSnapshotSchema>
