// The fault explorer's speed: random fault schedules run and judged per
// wall-clock second, for each module it explores. The floor for each is a run
// of the same module with the same clients and no faults at all, judged the
// same way: what the faults, their healing and the longer histories they leave
// cost on top of simply running the workload.

import { randomSchedule, runSchedule, type Schedule } from '../src/main/explore/explorer'
import { profiles } from '../src/main/explore/profiles'
import { figure, section } from './report'

/** Seeds per figure: each run is a whole simulated cluster, so a few dozen take seconds. */
const seeds = 20

/** Runs per second; a failed run counts as run (lock-naive is broken on purpose). */
async function runsPerSecond(schedules: Schedule[]): Promise<number> {
  const started = performance.now()
  for (const schedule of schedules) await runSchedule(schedule)
  return (schedules.length / (performance.now() - started)) * 1000
}

export async function explorerBenchmarks(): Promise<void> {
  section(`explorer (random fault schedules, seeds 1..${seeds}, each judged in full)`)
  for (const algorithm of Object.keys(profiles)) {
    const random = Array.from({ length: seeds }, (_, i) => randomSchedule(algorithm, i + 1))
    const quiet = random.map((schedule) => ({ ...schedule, faults: [] }))
    const floor = await runsPerSecond(quiet)
    const rate = await runsPerSecond(random)
    figure(
      `explore: ${algorithm}, random faults`,
      rate,
      'runs/s',
      `${algorithm} with no faults ${floor.toPrecision(3)} runs/s`,
    )
  }
}
