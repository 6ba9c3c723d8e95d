// Runtime schemas for contract 3 (trace events) and the cluster spec, for data
// that comes from outside the app: an imported run file, a message from
// another process. The TypeScript types in trace.ts and cluster.ts stay the
// source of truth; the assertions at the end of this file make any drift
// between the two a compile error, so a field added there must be added here.
//
// Every string has a length limit and every object is strict (an unknown field
// is an error), so what passes is exactly what the types describe, and nothing
// in an imported file can be larger than the app expects to show.

import { z } from 'zod'
import type { ClusterSpec } from './cluster'
import type { Body } from './envelope'
import type { NodeSummary } from './node-api'
import type { FieldChange, LinkShape, Operation, TraceEvent } from './trace'

/** Node and client ids: `n1`, `c12`, or a name an external node was given. */
export const nodeIdCharsMax = 64
/** Names: message types, timer names, field names, rules, algorithms, file names. */
export const nameCharsMax = 256
/** Free text: log lines, error messages, stacks, change descriptions. */
export const textCharsMax = 64 * 1024
/** Algorithm source code carried with a run. */
export const codeCharsMax = 1024 * 1024
/** The longest command a run keeps as one of its inputs. */
export const inputCharsMax = 4 * 1024
/** Nodes a spec may name, and node ids a violation or partition may list. */
export const nodesMax = 1_000
/** Events a violation may cite. */
export const citedEventsMax = 10_000
/** Settings a spec may carry for its nodes (`options`). */
export const nodeOptionsMax = 64

const nodeId = z.string().min(1).max(nodeIdCharsMax)
const name = z.string().max(nameCharsMax)
const text = z.string().max(textCharsMax)
const count = z.int().nonnegative()
const probability = z.number().min(0).max(1)

const body = z.looseObject({
  type: name,
  msg_id: z.int().optional(),
  in_reply_to: z.int().optional(),
})

const linkShape = z.strictObject({
  loss: probability,
  delayMsMin: z.number().nonnegative(),
  delayMsMax: z.number().nonnegative(),
  duplicate: probability,
  reorder: probability,
})

const nodeSummary = z
  .object({
    role: name.optional(),
    term: z.number().optional(),
    commitIndex: z.number().optional(),
    leader: nodeId.nullable().optional(),
    logLength: z.number().optional(),
  })
  .catchall(z.union([text, z.number(), z.boolean(), z.null(), z.undefined()]))

const fieldChange = z.discriminatedUnion('op', [
  z.strictObject({ field: name, op: z.literal('set'), value: z.unknown() }),
  z.strictObject({
    field: name,
    op: z.literal('splice'),
    from: count,
    append: z.array(z.unknown()).readonly(),
  }),
])

const operation = z.strictObject({
  f: z.enum(['read', 'write', 'cas', 'append', 'add', 'acquire', 'release']),
  key: name,
  value: z.unknown().optional(),
  from: z.unknown().optional(),
  to: z.unknown().optional(),
})

const codeLocation = z.strictObject({ file: name, line: count, column: count })

// Fields every event has (EventBase in trace.ts).
const base = { seq: count, t: z.number().nonnegative(), node: nodeId }
const message = { ...base, mid: count, src: nodeId, dest: nodeId, body }
const client = { ...base, opId: count, client: nodeId }

export const traceEventSchema = z.discriminatedUnion('kind', [
  z.strictObject({ ...message, kind: z.literal('send') }),
  z.strictObject({ ...message, kind: z.literal('recv'), duplicate: z.boolean().optional() }),
  z.strictObject({
    ...message,
    kind: z.literal('drop'),
    reason: z.enum(['partition', 'loss', 'dead', 'unknown-node']),
  }),
  z.strictObject({ ...base, kind: z.literal('timer-set'), name, ms: z.number().nonnegative() }),
  z.strictObject({ ...base, kind: z.literal('timer-fire'), name }),
  z.strictObject({
    ...base,
    kind: z.literal('state'),
    summary: nodeSummary,
    changes: z.array(fieldChange),
    initial: z.boolean().optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('crash'),
    error: z
      .strictObject({ message: text, location: codeLocation.optional(), stack: text.optional() })
      .optional(),
  }),
  z.strictObject({ ...base, kind: z.enum(['restart', 'pause', 'resume']) }),
  z.strictObject({
    ...base,
    kind: z.literal('link'),
    change: text,
    groups: z.array(z.array(nodeId).max(nodesMax)).max(nodesMax).optional(),
    from: nodeId.optional(),
    to: nodeId.optional(),
    shape: linkShape.optional(),
  }),
  z.strictObject({ ...client, kind: z.literal('invoke'), op: operation }),
  z.strictObject({
    ...client,
    kind: z.enum(['ok', 'fail', 'info']),
    op: operation,
    value: z.unknown().optional(),
    error: z.strictObject({ code: z.int(), text }).optional(),
  }),
  z.strictObject({
    ...base,
    kind: z.literal('violation'),
    rule: name,
    message: text,
    nodes: z.array(nodeId).max(nodesMax),
    term: z.number().optional(),
    index: z.number().optional(),
    events: z.array(count).max(citedEventsMax),
  }),
  z.strictObject({ ...base, kind: z.literal('log'), text }),
])

export const clusterSpecSchema = z.strictObject({
  algorithm: name,
  variant: name.optional(),
  nodes: z.int().min(1).max(nodesMax),
  seed: z.number().optional(),
  link: linkShape.partial().optional(),
  external: z.record(nodeId, text).optional(),
  code: z.strictObject({ source: z.string().max(codeCharsMax), fileName: name }).optional(),
  options: z
    .record(name, z.union([z.number(), text, z.boolean()]))
    .refine((options) => Object.keys(options).length <= nodeOptionsMax, {
      message: `a spec carries at most ${nodeOptionsMax} options`,
    })
    .optional(),
})

// --- Drift checks: each schema's type must be exactly the contract's type. ---

/** True when A and B are the same type (not merely assignable either way). */
type Same<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
type InSync<Check extends true> = Check

export type TraceSchemaInSync = [
  InSync<Same<z.infer<typeof body>, Body>>,
  InSync<Same<z.infer<typeof linkShape>, LinkShape>>,
  InSync<Same<z.infer<typeof nodeSummary>, NodeSummary>>,
  InSync<Same<z.infer<typeof fieldChange>, FieldChange>>,
  InSync<Same<z.infer<typeof operation>, Operation>>,
  InSync<Same<z.infer<typeof traceEventSchema>, TraceEvent>>,
  InSync<Same<z.infer<typeof clusterSpecSchema>, ClusterSpec>>,
]
