// A lesson's setup as the command lines a learner would type: the engine
// sets a lesson up through the same interpreter, so there is one way to start
// a cluster and inject a fault.

import type { LessonSetup } from './lesson'

export function setupLines(setup: LessonSetup): string[] {
  const start = [
    'start',
    setup.algorithm,
    String(setup.nodes),
    ...(setup.runtime === 'sim' ? ['--sim'] : []),
    '--seed',
    String(setup.seed),
    ...(setup.variant === undefined ? [] : ['--variant', setup.variant]),
  ].join(' ')
  return [start, ...setup.faults]
}
