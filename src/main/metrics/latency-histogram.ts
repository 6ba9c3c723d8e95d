// Latencies counted in bins that grow by 10% each (from 0.1 ms), so that a
// second of any number of operations costs a few dozen counters and a
// percentile is read with at most 10% error, never by keeping every latency.

const smallestMs = 0.1
const growth = 1.1
/** 0.1 ms * 1.1^200 is about 19 000 s: every latency a run can see. */
const binsMax = 200

/** The bin a latency falls in: bin b holds (0.1 * 1.1^(b-1), 0.1 * 1.1^b] ms. */
function binOf(ms: number): number {
  if (!(ms > smallestMs)) return 0
  return Math.min(binsMax, Math.ceil(Math.log(ms / smallestMs) / Math.log(growth)))
}

/** The upper edge of a bin: what a percentile that lands in it reports. */
function upperEdgeMs(bin: number): number {
  return smallestMs * growth ** bin
}

export class LatencyHistogram {
  private readonly counts = new Map<number, number>()
  private total = 0

  add(ms: number): void {
    const bin = binOf(ms)
    this.counts.set(bin, (this.counts.get(bin) ?? 0) + 1)
    this.total++
  }

  addAll(other: LatencyHistogram): void {
    for (const [bin, count] of other.counts)
      this.counts.set(bin, (this.counts.get(bin) ?? 0) + count)
    this.total += other.total
  }

  get size(): number {
    return this.total
  }

  /** The latency at or below which `p` percent of them fall (the bin's upper edge); null when empty. */
  percentile(p: number): number | null {
    if (this.total === 0) return null
    const rank = Math.max(1, Math.ceil((p / 100) * this.total))
    let seen = 0
    for (const bin of [...this.counts.keys()].sort((a, b) => a - b)) {
      seen += this.counts.get(bin) ?? 0
      if (seen >= rank) return upperEdgeMs(bin)
    }
    return upperEdgeMs(binsMax)
  }
}
