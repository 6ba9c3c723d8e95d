// Reads vitest's JSON report and prints CI's closing line: `N passed, N failed`.
// A test file that failed to load counts as one failure: it ran no test at all.

import { readFileSync } from 'node:fs'

const file = process.argv[2] ?? 'test-results/vitest.json'
let report
try {
  report = JSON.parse(readFileSync(file, 'utf8'))
} catch (error) {
  console.log(`could not read the test report ${file}: ${error.message}`)
  console.log('0 passed, 1 failed')
  process.exit(1)
}

let passed = 0
let failed = 0
for (const suite of report.testResults ?? []) {
  const tests = suite.assertionResults ?? []
  for (const test of tests) {
    if (test.status === 'passed') passed++
    else if (test.status === 'failed') failed++
  }
  if (suite.status === 'failed' && !tests.some((test) => test.status === 'failed')) {
    console.log(`failed to run: ${suite.name}: ${suite.message ?? ''}`)
    failed++
  }
}
console.log(`${passed} passed, ${failed} failed`)
process.exit(failed === 0 && passed > 0 ? 0 : 1)
