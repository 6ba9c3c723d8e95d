// The linearizability checker over every reference history (Jepsen's etcd logs
// and the key-value histories, as in Porcupine's tests): the total time, and
// the slowest single history. Porcupine, a compiled Go checker with the same
// search, is the bar. It cannot run in CI (no Go toolchain there); measured by
// hand on this machine class (Go 1.19, its own parsers and models, parsing
// excluded, median of 3): 1,003 ms in all, the slowest history 274 ms. Note
// that it checks a failed cas as an operation that saw another value, where
// we (as Knossos) drop it: 1,765 fewer operations here.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { importHistory } from '../src/main/check/history-import'
import { kvModel } from '../src/main/check/models/key-value'
import { checkLinearizable } from '../src/main/check/linearizability'
import { figure, section } from './report'

export function checkerBenchmarks(): void {
  section('linearizability checker (reference histories; each figure the median of 3 runs)')
  const dir = fileURLToPath(new URL('../../shared/reference/porcupine-test-data/', import.meta.url))
  const files = readFileSync(`${dir}EXPECTED.tsv`, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.split('\t')[0])
  const histories = files.map((file) => importHistory(readFileSync(`${dir}${file}`, 'utf8')))
  const operations = histories.reduce((sum, h) => sum + h.operations.length, 0)
  const runs = Array.from({ length: 3 }, () => {
    let slowest = 0
    const started = performance.now()
    for (const history of histories) {
      const one = performance.now()
      checkLinearizable(kvModel(history.initial), history.operations)
      slowest = Math.max(slowest, performance.now() - one)
    }
    return { total: performance.now() - started, slowest }
  })
  const median = (values: number[]): number => [...values].sort((a, b) => a - b)[1]
  const floor = `${histories.length} histories, ${operations.toLocaleString('en-US')} operations`
  figure('checker: all reference histories, total', median(runs.map((r) => r.total)), 'ms', floor)
  figure('checker: the slowest single history', median(runs.map((r) => r.slowest)), 'ms', floor)
}
