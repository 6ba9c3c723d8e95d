// The learner's own module in this session: what they last applied from the
// Code tab (explored by `explore --code` and judged by the explorer-passes
// goal), and the code the open lesson starts the editor on. Pure data: the
// code service fills it, the terminal and the lesson engine read it.

/** A module the learner applied. Each apply is a new version, so a verdict on older code is stale. */
export interface LearnerCode {
  /** The algorithm it implements: it picks the explorer's workload and invariants. */
  algorithm: string
  fileName: string
  source: string
  version: number
}

/** The code a lesson opens the editor on (a broken variant, or a skeleton to fill in). */
export interface StartingCode {
  algorithm: string
  variant: string | null
  fileName: string
  source: string
}

export class LearnerCodeSlot {
  private applied: LearnerCode | null = null
  private versions = 0
  private start: StartingCode | null = null

  /** Keeps `code` as the session's applied code; returns it with its new version. */
  apply(code: Omit<LearnerCode, 'version'>): LearnerCode {
    this.applied = { ...code, version: ++this.versions }
    return this.applied
  }

  /** The code last applied in this session, or null. */
  current(): LearnerCode | null {
    return this.applied
  }

  /** What the open lesson starts the editor on; null when no lesson gives code. */
  startingCode(): StartingCode | null {
    return this.start
  }

  setStartingCode(code: StartingCode | null): void {
    this.start = code
  }
}
