// `npm run bench [filter]`: every benchmark section whose name contains the filter.

import { clusterBenchmarks } from './cluster'
import { simulatorBenchmarks } from './simulator'

const sections: Record<string, () => void | Promise<void>> = {
  sim: simulatorBenchmarks,
  cluster: clusterBenchmarks,
}

const filter = process.argv[2] ?? ''
for (const [name, run] of Object.entries(sections)) {
  if (name.includes(filter)) await run()
}
