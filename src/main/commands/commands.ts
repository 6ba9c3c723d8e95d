// The terminal's command language: every command, with what `help` says of
// it. The parser, `help` and tab completion all read this one table.

export interface CommandSpec {
  name: string
  aliases?: string[]
  usage: string
  summary: string
  example: string
}

export const commandSpecs: CommandSpec[] = [
  {
    name: 'start',
    usage:
      'start <algorithm> [nodes] [--sim] [--seed N] [--variant NAME] [--exec "COMMAND" [--on n3,n4]] [gossip: --n N --r R --w W --resolution lww|vv --strict] [scheduler: --policy least-loaded|round-robin|weighted --weights n1=3,n2=1] [locks: --resource]',
    summary:
      'start a cluster: real threads and sockets, or the simulator with --sim; --exec runs Maelstrom programs as nodes; --resource adds a node the locks protect (lock, lock-naive)',
    example: 'start raft 5 --sim --seed 7',
  },
  { name: 'stop', usage: 'stop', summary: 'stop the cluster', example: 'stop' },
  {
    name: 'status',
    usage: 'status',
    summary: 'a table of the nodes: role, term, commit index, log length, up or down',
    example: 'status',
  },
  {
    name: 'metrics',
    usage: 'metrics',
    summary:
      "the run's last minute in numbers: messages/s by type, commits/s, client latency p50/p99, elections, how far each node lags",
    example: 'metrics',
  },
  {
    name: 'put',
    aliases: ['write'],
    usage: 'put <key> <value> [--on NODE]',
    summary: 'write a value (through the leader, or from the node --on names)',
    example: 'put x 1',
  },
  {
    name: 'get',
    aliases: ['read'],
    usage: 'get <key> [--on NODE]',
    summary: 'read a value (in Raft, through the log: never stale; --on starts at that node)',
    example: 'get x',
  },
  {
    name: 'cas',
    usage: 'cas <key> <from> <to> [--on NODE]',
    summary: 'compare-and-set: write <to> only if the value is <from>',
    example: 'cas x 1 2',
  },
  {
    name: 'propose',
    usage: 'propose <value> [--on NODE]',
    summary:
      'ask a Paxos node to propose a value; it answers with the value chosen (maybe another)',
    example: 'propose apple --on n2',
  },
  {
    name: 'transfer',
    usage: 'transfer <from> <to> <amount>',
    summary: 'move money between accounts in one transaction (2pc, 2pc-occ, 3pc): all or nothing',
    example: 'transfer a c 10',
  },
  {
    name: 'balance',
    usage: 'balance <account> [--on NODE]',
    summary: "an account's balance, from the node that holds it",
    example: 'balance a',
  },
  {
    name: 'submit',
    usage: 'submit <task> <cost-ms>',
    summary: 'hand a task to the scheduler; its leader assigns it to a worker, which runs it',
    example: 'submit build 300',
  },
  {
    name: 'tasks',
    usage: 'tasks',
    summary: "the scheduler's tasks: state, worker, attempts",
    example: 'tasks',
  },
  {
    name: 'acquire',
    usage: 'acquire <lock> [--as CLIENT] [--lease MS]',
    summary: 'take a lock (lock, lock-naive): the answer is its fencing token, or who holds it',
    example: 'acquire lock1 --as c2 --lease 2000',
  },
  {
    name: 'renew',
    usage: 'renew <lock> [--as CLIENT] [--lease MS]',
    summary: 'extend the lease on a lock you hold, before it runs out',
    example: 'renew lock1',
  },
  {
    name: 'release',
    usage: 'release <lock> [--as CLIENT]',
    summary: 'give a lock back',
    example: 'release lock1 --as c2',
  },
  {
    name: 'store',
    usage: 'store <lock> <value> [--as CLIENT]',
    summary:
      "write to the protected resource (start lock 3 --resource) as the lock's holder, with the fencing token last granted to that client; a token older than one it has seen is rejected",
    example: 'store lock1 hello --as c1',
  },
  {
    name: 'kill',
    usage: 'kill <node>',
    summary: 'crash a node (it keeps its saved state)',
    example: 'kill leader',
  },
  {
    name: 'restart',
    usage: 'restart <node | all>',
    summary: 'start a crashed node again (all: every crashed node)',
    example: 'restart n1',
  },
  {
    name: 'pause',
    usage: 'pause <node>',
    summary: 'freeze a node: it hears nothing until resumed',
    example: 'pause n2',
  },
  {
    name: 'resume',
    usage: 'resume <node>',
    summary: 'unfreeze a paused node',
    example: 'resume n2',
  },
  {
    name: 'partition',
    usage: 'partition <nodes> [| <nodes> ...]',
    summary:
      'cut the network into groups that cannot reach each other (one group alone, e.g. partition leader, is cut off from the rest)',
    example: 'partition n1,n2 | n3,n4,n5',
  },
  { name: 'heal', usage: 'heal', summary: 'join all partitions again', example: 'heal' },
  {
    name: 'drop',
    aliases: ['loss'],
    usage: 'drop <percent>% [<from>-><to>]',
    summary: 'lose that share of messages (on one link, or all)',
    example: 'drop 20% n1->n2',
  },
  {
    name: 'delay',
    usage: 'delay <min>-<max>ms [<from>-><to>]',
    summary: 'hold every message for a random time in that range',
    example: 'delay 50-100ms',
  },
  {
    name: 'duplicate',
    usage: 'duplicate <percent>% [<from>-><to>]',
    summary: 'deliver that share of messages twice',
    example: 'duplicate 5%',
  },
  {
    name: 'reorder',
    usage: 'reorder <percent>% [<from>-><to>]',
    summary: 'let that share of messages overtake earlier ones',
    example: 'reorder 10% n2->n3',
  },
  {
    name: 'faults',
    usage: 'faults off',
    summary: 'clear every link fault (loss, delay, duplication, reordering)',
    example: 'faults off',
  },
  {
    name: 'log',
    usage: 'log <node>',
    summary: "a node's log: index, term, command; * marks committed",
    example: 'log n3',
  },
  {
    name: 'state',
    usage: 'state <node>',
    summary: "a node's whole state",
    example: 'state leader',
  },
  {
    name: 'trace',
    usage: 'trace [node] [--type TYPE] [--last N]',
    summary: 'recent events: messages, elections, faults, client operations',
    example: 'trace n1 --last 20',
  },
  {
    name: 'check',
    usage: 'check',
    summary: "the algorithm's invariants, and whether the clients' history is linearizable",
    example: 'check',
  },
  {
    name: 'workload',
    usage:
      'workload <operations> [--clients K] [--keys a,b] [--mix read:1,write:1,cas:1] [--rate R]',
    summary:
      'run operations from concurrent clients (at most R a second with --rate); prints throughput and latency',
    example: 'workload 1000 --clients 16',
  },
  {
    name: 'explore',
    usage:
      'explore <algorithm> [--variant NAME] [--runs N] [--seed S] | explore --code [--runs N] [--seed S]',
    summary:
      'run random fault schedules in the simulator until one breaks it; show the smallest replay (--code: the code you applied in the Code tab)',
    example: 'explore raft --variant votes-twice --runs 100',
  },
  {
    name: 'wait',
    usage: 'wait <ms>',
    summary: 'let time pass (virtual time in the simulator)',
    example: 'wait 500',
  },
  {
    name: 'speed',
    usage: 'speed <factor>',
    summary: 'run every timer and delay faster or slower (real-time cluster)',
    example: 'speed 0.1',
  },
  {
    name: 'runs',
    usage: 'runs',
    summary: 'the runs kept on this machine: what ran, how long, how big, saved or not',
    example: 'runs',
  },
  {
    name: 'save',
    usage: 'save <name> [--run N]',
    summary: 'keep this run (or run N) under a name: saved runs are never pruned',
    example: 'save split-vote',
  },
  {
    name: 'export',
    usage: 'export <file> [--run N|NAME]',
    summary: 'write this run (or another) to one file to share: events, history, spec, seed, code',
    example: 'export split-vote.run.gz',
  },
  {
    name: 'import',
    usage: 'import <file>',
    summary: 'read a run from a file into the runs kept here (nothing in it runs by itself)',
    example: 'import split-vote.run.gz',
  },
  {
    name: 'replay',
    usage: 'replay <run> [--at MS] [--events N]',
    summary:
      'a simulated run: run its commands again and compare every event; any run: the nodes at a moment, and the events before it',
    example: 'replay split-vote --at 1200',
  },
  {
    name: 'lessons',
    usage: 'lessons',
    summary: 'the course map: each lesson, steps done, time spent, where you left off',
    example: 'lessons',
  },
  {
    name: 'lesson',
    usage: 'lesson [N]',
    summary:
      'start or resume lesson N (sets up its cluster, shows the step); alone: the step and what is left',
    example: 'lesson 2',
  },
  {
    name: 'hint',
    usage: 'hint',
    summary: "a hint for the lesson's current step (again for the next one)",
    example: 'hint',
  },
  {
    name: 'next',
    usage: 'next',
    summary: "skip to the lesson's next step (it is not marked done)",
    example: 'next',
  },
  {
    name: 'back',
    usage: 'back',
    summary: "go back to the lesson's previous step",
    example: 'back',
  },
  {
    name: 'lang',
    usage: 'lang en|zh',
    summary: 'the language of the lessons: English or Simplified Chinese (简体中文)',
    example: 'lang zh',
  },
  {
    name: 'help',
    usage: 'help [command]',
    summary: 'this list, or one command in detail',
    example: 'help partition',
  },
]

export function findSpec(word: string): CommandSpec | undefined {
  const lower = word.toLowerCase()
  return commandSpecs.find((spec) => spec.name === lower || spec.aliases?.includes(lower))
}

/** The closest command name, for "did you mean ...?" */
export function closestCommand(word: string): string | undefined {
  let best: { name: string; distance: number } | undefined
  for (const spec of commandSpecs) {
    for (const name of [spec.name, ...(spec.aliases ?? [])]) {
      const distance = editDistance(word.toLowerCase(), name)
      if (best === undefined || distance < best.distance) best = { name: spec.name, distance }
    }
  }
  return best !== undefined && best.distance <= 2 ? best.name : undefined
}

function editDistance(a: string, b: string): number {
  if (a.length > 40 || b.length > 40) return Infinity
  const row = Array.from({ length: b.length + 1 }, (_, j) => j)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const kept = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = kept
    }
  }
  return row[b.length]
}
