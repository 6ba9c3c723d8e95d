// The command language's parser: good lines become commands; every bad line
// becomes one sentence naming the problem and the right form.

import { describe, expect, it } from 'vitest'
import { parse } from '../../src/main/commands/parse'

describe('parsing command lines', () => {
  it.each([
    [
      'start raft 5 --sim --seed 7',
      { kind: 'start', algorithm: 'raft', nodes: 5, sim: true, seed: 7 },
    ],
    ['start raft', { kind: 'start', algorithm: 'raft', nodes: 5, sim: false }],
    [
      'start raft 3 --variant endless-loop',
      { kind: 'start', algorithm: 'raft', nodes: 3, sim: false, variant: 'endless-loop' },
    ],
    ['put x 1', { kind: 'put', key: 'x', value: 1 }],
    ['write x hello', { kind: 'put', key: 'x', value: 'hello' }],
    ['put x "hello world"', { kind: 'put', key: 'x', value: 'hello world' }],
    ['get x', { kind: 'get', key: 'x' }],
    ['cas x 1 2', { kind: 'cas', key: 'x', from: 1, to: 2 }],
    ['kill leader', { kind: 'kill', node: 'leader' }],
    ['restart n3', { kind: 'restart', node: 'n3' }],
    [
      'partition n1,n2 | n3,n4,n5',
      {
        kind: 'partition',
        groups: [
          ['n1', 'n2'],
          ['n3', 'n4', 'n5'],
        ],
      },
    ],
    ['partition n1 | n2 n3', { kind: 'partition', groups: [['n1'], ['n2', 'n3']] }],
    ['partition leader', { kind: 'partition', groups: [['leader']] }],
    ['partition n1 n2', { kind: 'partition', groups: [['n1', 'n2']] }],
    [
      'drop 20% n1->n2',
      { kind: 'link', change: { loss: 0.2 }, from: 'n1', to: 'n2', said: '20% n1->n2' },
    ],
    [
      'delay 50-100ms',
      {
        kind: 'link',
        change: { delayMsMin: 50, delayMsMax: 100 },
        from: '*',
        to: '*',
        said: '50-100ms',
      },
    ],
    ['duplicate 5%', { kind: 'link', change: { duplicate: 0.05 }, from: '*', to: '*', said: '5%' }],
    ['trace n1 --last 5', { kind: 'trace', node: 'n1', last: 5 }],
    [
      'workload 100 --clients 8 --keys x,y --mix read:1,write:2,cas:0',
      {
        kind: 'workload',
        operations: 100,
        clients: 8,
        keys: ['x', 'y'],
        mix: { read: 1, write: 2, cas: 0 },
      },
    ],
    ['wait 2s', { kind: 'wait', ms: 2000 }],
    ['  # just a comment', { kind: 'empty' }],
    ['status # comments may follow a command', { kind: 'status' }],
  ])('%s', (line, command) => {
    expect(parse(line)).toEqual({ ok: true, command })
  })

  it.each([
    ['kill', 'kill needs a node: kill <node>, e.g. kill leader.'],
    ['kill n1 n2', 'kill takes fewer words: kill <node>, e.g. kill leader.'],
    ['kill bob', 'bob is not a node; nodes are n1, n2, ... or leader.'],
    ['drop 120% n1->n2', 'a loss is a percentage from 0% to 100%, e.g. drop 20% n1->n2.'],
    [
      'drop 20% n1-n2',
      'a link is written from->to, e.g. n1->n2 (or leave it out for every link): drop <percent>% [<from>-><to>], e.g. drop 20% n1->n2.',
    ],
    ['delay 100-50ms', 'the delay range 100-50ms runs backwards; write it low-high.'],
    [
      'partition',
      'partition needs nodes: partition n1,n2 | n3,n4,n5, or partition leader to cut the leader off.',
    ],
    ['partition n1 | n1,n2', 'n1 is in two groups; each node belongs to one side.'],
    ['start raft 99', 'a number of nodes must be a whole number from 1 to 25, not 99.'],
    [
      'start raft 5 --colour red',
      'start has no option --colour (it takes --sim, --seed, --variant, --exec, --on, --resource, --n, --r, --w, --resolution, --strict, --policy, --weights): start <algorithm> [nodes] [--sim] [--seed N] [--variant NAME] [--exec "COMMAND" [--on n3,n4]] [gossip: --n N --r R --w W --resolution lww|vv --strict] [scheduler: --policy least-loaded|round-robin|weighted --weights n1=3,n2=1] [locks: --resource], e.g. start raft 5 --sim --seed 7.',
    ],
    [
      'start scheduler 4 --policy fastest',
      '--policy is least-loaded, round-robin or weighted (with --weights n1=3,n2=1).',
    ],
    ['start raft 3 --n 3', "--n sets the gossip store's quorums; raft has no such setting."],
    [
      'start gossip 5 --n 3 --r 4',
      '--r cannot be more than --n (3): a quorum is drawn from N replicas.',
    ],
    [
      'propose',
      'propose needs a value to propose: propose <value> [--on NODE], e.g. propose apple --on n2.',
    ],
    ['put x 1 --on n9x', '--on takes a node, n1, n2, ... or leader, not n9x.'],
    ['statsu', 'there is no command "statsu"; did you mean status? Type help for the list.'],
    ['put x "unclosed', 'a quote " is not closed.'],
    [
      'speed 1000',
      'speed takes a factor from 0.01 to 100: speed 0.1 for slow motion, speed 4 to fast-forward.',
    ],
    ['workload 10 --rate 0', '--rate must be a whole number from 1 to 100,000, not 0.'],
    [
      'workload 10 --mix read:x',
      'a mix gives each of read, write and cas a share, e.g. --mix read:1,write:1,cas:1.',
    ],
  ])('%s', (line, error) => {
    expect(parse(line)).toEqual({ ok: false, error })
  })

  it('refuses a line longer than the limit with its length', () => {
    const result = parse(`put x ${'y'.repeat(3_000)}`)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.error).toMatch(/characters long; the limit is 2000/)
  })
})
