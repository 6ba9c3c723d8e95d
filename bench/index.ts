// `npm run bench [filter]`: every benchmark section whose name contains the filter.

import { checkerBenchmarks } from './checker'
import { clusterBenchmarks } from './cluster'
import { explorerBenchmarks } from './explorer'
import { runFileBenchmarks } from './run-file'
import { simulatorBenchmarks } from './simulator'
import { storeBenchmarks } from './store'
import { webStartBenchmarks } from './web-start'
import { timelineBenchmarks } from './timeline'
import { timelineCanvasBenchmarks } from './timeline-canvas'
import { uiFpsBenchmarks } from './ui-fps'

const sections: Record<string, () => void | Promise<void>> = {
  sim: simulatorBenchmarks,
  cluster: clusterBenchmarks,
  checker: checkerBenchmarks,
  explore: explorerBenchmarks,
  store: storeBenchmarks,
  'run-file': runFileBenchmarks,
  'web-start': webStartBenchmarks,
  timeline: timelineBenchmarks,
  'timeline-canvas': timelineCanvasBenchmarks,
  'ui-fps': uiFpsBenchmarks,
}

const filter = process.argv[2] ?? ''
for (const [name, run] of Object.entries(sections)) {
  if (name.includes(filter)) await run()
}
