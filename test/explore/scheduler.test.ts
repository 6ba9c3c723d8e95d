// The fault explorer against the task scheduler: tasks submitted through
// crashes and partitions; judged by Exclusive Run on every event, and once
// healed by every acknowledged task having run to the end.

import { describeExplorer } from './explore-module'

describeExplorer('scheduler', { referenceRuns: 30, variantRuns: 40 })
