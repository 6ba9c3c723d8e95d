// Seeded randomness. Every random choice in a run (election timeouts, link
// latencies, losses) comes from streams derived from one seed, so a run replays
// exactly. Each node and the network get their own stream: a change in how one
// node draws numbers does not shift what every other part of the run sees.

/** A generator of numbers in [0, 1). */
export type Random = () => number

/** sfc32 (Chris Doty-Humphrey's small fast counter): tiny, fast, well tested by PractRand. */
function sfc32(a: number, b: number, c: number, d: number): Random {
  return () => {
    a |= 0
    b |= 0
    c |= 0
    d |= 0
    const t = (((a + b) | 0) + d) | 0
    d = (d + 1) | 0
    a = b ^ (b >>> 9)
    b = (c + (c << 3)) | 0
    c = (c << 21) | (c >>> 11)
    c = (c + t) | 0
    return (t >>> 0) / 4294967296
  }
}

/** splitmix32 step: spreads a seed's bits so nearby seeds give unrelated streams. */
function splitmix32(x: number): number {
  x = (x + 0x9e3779b9) | 0
  let z = x
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
  return (z ^ (z >>> 16)) >>> 0
}

function hashString(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  }
  return h >>> 0
}

/** The stream called `name` (e.g. `n3`, `network`) of the run seeded with `seed`. */
export function randomStream(seed: number, name: string): Random {
  let s = splitmix32((seed | 0) ^ hashString(name))
  const words: number[] = []
  for (let i = 0; i < 4; i++) {
    s = splitmix32(s + i)
    words.push(s)
  }
  const next = sfc32(words[0], words[1], words[2], words[3])
  for (let i = 0; i < 12; i++) next() // warm up: the first outputs of sfc32 correlate with the seed
  return next
}

/** A whole number in [min, max], both included. */
export function randomInt(random: Random, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1))
}
