// Hashes of log entries and of whole log prefixes, so that "these two logs are
// identical up to index i" is one comparison instead of i. Two independent
// 32-bit lanes make an accidental match (which could only hide a bug, never
// invent one: different hashes always mean different contents) vanishingly rare.

export interface Hash {
  a: number
  b: number
}

export const emptyPrefix: Hash = { a: 0x6a09e667, b: 0xbb67ae85 }

/**
 * Recently hashed entries, by identity. In the simulator one entry object
 * reaches every node's log within moments, so a small cache saves most of the
 * hashing. It is bounded (and cleared when full) rather than weak: a WeakMap
 * with one key per entry costs the garbage collector more than it saves.
 */
const recent = new Map<object, Hash>()
const recentMax = 4096

export function hashEntry(entry: unknown): Hash {
  if (typeof entry !== 'object' || entry === null)
    return hashText(JSON.stringify(entry) ?? 'undefined')
  let hash = recent.get(entry)
  if (hash === undefined) {
    hash = hashText(JSON.stringify(entry))
    if (recent.size >= recentMax) recent.clear()
    recent.set(entry, hash)
  }
  return hash
}

/** Lane a of the hash of a prefix extended by one more entry. */
export function extendA(prefixA: number, entry: Hash): number {
  return mix(prefixA, entry.a, 0x9e3779b1)
}

/** Lane b of the hash of a prefix extended by one more entry. */
export function extendB(prefixB: number, entry: Hash): number {
  return mix(prefixB, entry.b, 0x85ebca77)
}

function hashText(text: string): Hash {
  let a = 0x811c9dc5
  let b = 0x01000193 ^ text.length
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    a = Math.imul(a ^ c, 0x01000193)
    b = Math.imul(b ^ c, 0x5bd1e995)
    b ^= b >>> 15
  }
  return { a: finalize(a), b: finalize(b) }
}

function mix(x: number, y: number, seed: number): number {
  let h = Math.imul(x ^ seed, 0xcc9e2d51)
  h = (h << 15) | (h >>> 17)
  h = Math.imul(h ^ y, 0x1b873593)
  return finalize(h)
}

function finalize(h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h >>> 0
}
