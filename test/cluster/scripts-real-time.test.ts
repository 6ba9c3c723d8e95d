// The scenario scripts of test/testdata, run on the real-time cluster: real
// threads, sockets and timers make the output differ from run to run, so here
// every command must succeed and no invariant may break (the simulator checks
// the exact output in test/commands/scripts.test.ts).

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { RealTimeCluster } from '../../src/main/cluster/cluster'
import { Session } from '../../src/main/commands/interpreter'

const dir = fileURLToPath(new URL('../testdata/', import.meta.url))
const realTimeScripts = ['raft-election.txt', 'raft-partition.txt', 'paxos.txt', 'scheduler.txt']

describe('scenario scripts on the real-time cluster', () => {
  for (const name of realTimeScripts) {
    it(name, { timeout: 60_000 }, async () => {
      const commands = readFileSync(`${dir}${name}`, 'utf8')
        .split('\n')
        .filter((line) => line.startsWith('> '))
        .map((line) => line.slice(2).replace(' --sim', ''))
      const session = new Session({ realTime: () => new RealTimeCluster() })
      try {
        for (const command of commands) {
          const result = await session.run(command)
          expect(result.ok, `> ${command}\n${result.lines.join('\n')}`).toBe(true)
        }
      } finally {
        await session.close()
      }
    })
  }
})
