// For one test file of the core's API: before each test a fresh ApiCore on a
// store of its own (in a temporary folder), closed and removed after it.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach } from 'vitest'
import { ApiCore } from '../../src/main/api/core'
import { openKeptRuns, type KeptRuns } from '../../src/main/session-factory'
import type { EventMessage } from '../../src/shared/api'

export interface CoreFixture {
  readonly core: ApiCore
  readonly kept: KeptRuns
}

/** `push` sees every event the core sends (trace batches, progress, metrics). */
export function useCore(
  name: string,
  push: (message: EventMessage) => void = () => {},
): CoreFixture {
  let folder = ''
  let kept: KeptRuns | null = null
  let core: ApiCore | null = null
  beforeEach(() => {
    folder = mkdtempSync(join(tmpdir(), `consensus-lab-${name}-`))
    kept = openKeptRuns({ db: join(folder, 'lab.db'), tell: () => {} })
    core = new ApiCore({ kept, push, behind: () => false })
  })
  afterEach(async () => {
    await core?.close()
    kept?.close()
    rmSync(folder, { recursive: true, force: true })
  })
  const ready = <T>(value: T | null, what: string): T => {
    if (value === null) throw new Error(`no ${what}: use it inside a test`)
    return value
  }
  return {
    get core() {
      return ready(core, 'core')
    },
    get kept() {
      return ready(kept, 'store')
    },
  }
}
