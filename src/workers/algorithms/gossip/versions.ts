// How replicas order and merge the versions of a key: the part of the store
// that decides who wins a conflict. Read this beside gossip.ts.
//
// Two ways (Dynamo, DeCandia et al. 2007):
// - last writer wins (section 6, "timestamp based reconciliation"): every
//   write carries the coordinator's clock and id; the later one replaces the
//   earlier everywhere, and a concurrent write is silently lost;
// - version vectors (section 4.4): every write carries a count of the writes
//   of each coordinator that it has seen. One version replaces another only
//   if it has seen it; concurrent writes are kept side by side as siblings.

/** Which write is this? The order of versions, without the value. */
export interface Stamp {
  /** When the coordinator took the write (ctx.now()), and which coordinator it was. */
  t: number
  node: string
  /** Version vector (resolution 'vv' only): writes of each coordinator this one has seen. */
  clock?: Record<string, number>
}

export interface Version extends Stamp {
  value: unknown
}

/** Versions of several keys, as gossip carries them. */
export type Updates = Record<string, Version[]>

export type Resolution = 'lww' | 'vv'

function sameClock(a: Record<string, number>, b: Record<string, number>): boolean {
  for (const node in a) if (a[node] !== (b[node] ?? 0)) return false
  for (const node in b) if (b[node] !== (a[node] ?? 0)) return false
  return true
}

/** Section 4.4: a clock descends from another when it has seen everything the other has, and more. */
function descends(a: Record<string, number>, b: Record<string, number>): boolean {
  for (const node in b) if ((a[node] ?? 0) < b[node]) return false
  return !sameClock(a, b)
}

/** The later timestamp, ties broken by node id: a total order, so every replica picks alike. */
function later(a: Stamp, b: Stamp): boolean {
  return a.t > b.t || (a.t === b.t && a.node > b.node)
}

/** `a` replaces `b` on every replica that sees both. */
export function supersedes(a: Stamp, b: Stamp): boolean {
  if (a.clock !== undefined && b.clock !== undefined) return descends(a.clock, b.clock)
  return later(a, b)
}

function sameVersion(a: Stamp, b: Stamp): boolean {
  if (a.clock !== undefined && b.clock !== undefined) return sameClock(a.clock, b.clock)
  return a.t === b.t && a.node === b.node
}

/** `held` has `version` already, or something that replaces it. */
export function covers(held: readonly Stamp[], version: Stamp): boolean {
  return held.some((h) => sameVersion(h, version) || supersedes(h, version))
}

/** `incoming` has something that `held` lacks. */
export function lacks(held: readonly Stamp[], incoming: readonly Stamp[]): boolean {
  return incoming.some((version) => !covers(held, version))
}

/**
 * Keeps every version that nothing else replaces, once. Under LWW that is
 * exactly one; under version vectors, every concurrent sibling. The result is
 * the same in any order of arrival: replicas that heard the same writes agree.
 */
export function mergeVersions(a: readonly Version[], b: readonly Version[]): Version[] {
  const all = [...a, ...b]
  return all.filter((v, i) => !all.some((u, j) => supersedes(u, v) || (j < i && sameVersion(u, v))))
}

/** The sibling with the latest stamp: the one value a read returns (see gossip.ts). */
export function newest(versions: readonly Version[]): Version | undefined {
  let best: Version | undefined
  for (const v of versions) if (best === undefined || later(v, best)) best = v
  return best
}

/** A new write, coordinated by `node` at time `now`, replacing the versions it holds. */
export function newVersion(
  held: readonly Version[],
  value: unknown,
  now: number,
  node: string,
  resolution: Resolution,
): Version {
  // Never stamp a write earlier than a version this replica holds: two writes
  // can share a millisecond (and real clocks drift), and the new write would
  // then lose to the one it replaces. This also makes every stamp unique.
  const t = Math.max(Math.floor(now), ...held.map((v) => v.t + 1))
  if (resolution === 'lww') return { value, t, node }
  // Section 4.4: the new clock descends from every sibling held here (a write
  // "reconciles" the versions its writer has seen), plus one write of ours.
  const clock: Record<string, number> = {}
  for (const v of held) {
    for (const [id, count] of Object.entries(v.clock ?? {}))
      clock[id] = Math.max(clock[id] ?? 0, count)
  }
  clock[node] = (clock[node] ?? 0) + 1
  return { value, t, node, clock }
}

export function stampOf(version: Version): Stamp {
  const { t, node, clock } = version
  return clock === undefined ? { t, node } : { t, node, clock }
}

/** FNV-1a: a small hash that every node computes alike. */
export function hashOf(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

/** `1@120/n1` (LWW) or `1{n1:2,n4:1}` (vv); siblings joined by `|`. */
export function describeVersions(versions: readonly (Stamp & { value?: unknown })[]): string {
  const one = (v: Stamp & { value?: unknown }): string =>
    ('value' in v ? JSON.stringify(v.value) : '') +
    (v.clock === undefined ? `@${v.t}/${v.node}` : JSON.stringify(v.clock).replaceAll('"', ''))
  return versions.map(one).join('|')
}

export function describeUpdates(updates: Record<string, readonly Stamp[]>): string {
  const keys = Object.keys(updates)
  const shown = keys.slice(0, 3).map((key) => `${key}=${describeVersions(updates[key])}`)
  return `[${shown.join(', ')}${keys.length > 3 ? ` +${keys.length - 3}` : ''}]`
}

/** A short hash of every key's stamps: replicas with equal digests hold the same versions. */
export function storeDigest(store: Record<string, readonly Version[]>): string {
  const keys = Object.keys(store).sort()
  const text = keys.map((key) => `${key}:${describeVersions(store[key].map(stampOf))}`).join(';')
  return hashOf(text).toString(16).padStart(8, '0')
}
