// The consensus-lab command, as a user runs it: scripts from a file or from
// standard input (exit 1 at the first failing command), and maelstrom mode,
// where one of our nodes speaks Maelstrom's protocol on stdin and stdout.

import { spawn, spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const bin = fileURLToPath(new URL('../../bin/consensus-lab.js', import.meta.url))
const configFolder = mkdtempSync(join(tmpdir(), 'consensus-lab-config-'))

function run(
  args: string[],
  input?: string,
): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [bin, ...args], {
    input,
    encoding: 'utf8',
    timeout: 60_000,
    // Runs are kept in the config folder: a test's go in a folder of its own.
    env: { ...process.env, XDG_CONFIG_HOME: configFolder },
  })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr }
}

describe('consensus-lab', { timeout: 90_000 }, () => {
  it('runs a script file and exits 0 when every command succeeds', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consensus-lab-cli-'))
    const file = join(dir, 'experiment.txt')
    writeFileSync(
      file,
      '# an experiment\nstart raft 3 --sim --seed 2\nwait 500\nput x 1\nget x\ncheck\n',
    )
    const { status, stdout } = run(['run', file])
    expect(status).toBe(0)
    expect(stdout).toContain('> get x\nx = 1')
    expect(stdout).toContain('no invariant broken')
  })

  it('stops at the first failing command from standard input, names the line, and exits 1', () => {
    const { status, stdout, stderr } = run([], 'start raft 3 --sim\nkill n7\nstatus\n')
    expect(status).toBe(1)
    expect(stdout).toContain('there is no node n7; the nodes are n1, n2, n3.')
    expect(stdout).not.toContain('> status')
    expect(stderr).toContain('standard input:2: stopped at this command.')
  })

  it('ends a script at exit or quit, as the prompt does, with exit 0', () => {
    const { status, stdout } = run([], 'start raft 3 --sim --seed 2\nwait 500\nquit\nkill n7\n')
    expect(status).toBe(0)
    expect(stdout).toContain('> wait 500')
    expect(stdout).not.toContain('kill n7')
  })

  it('checks a history file: exit 0 linearizable, 1 not (with the reason), 2 for a bad file', () => {
    const reference = fileURLToPath(
      new URL('../../../shared/reference/porcupine-test-data/', import.meta.url),
    )
    const good = run(['check', `${reference}kv/c10-ok.txt`])
    expect(good.status).toBe(0)
    expect(good.stdout).toMatch(/^linearizable: \d+ operations \(kv model\); one valid order: /)
    const bad = run(['check', `${reference}jepsen/etcd_000.log`])
    expect(bad.status).toBe(1)
    expect(bad.stdout).toMatch(
      /^NOT linearizable: 65 operations \(kv model\), key x \(jepsen-log, \d+ ms\)\n {2}the read of x that returned 1 by 10 cannot be placed: /,
    )
    // The slice, drawn: one lane per client, the culprit marked.
    expect(bad.stdout).toMatch(/ {4}10 +\|=+ read x → 1 =+\| +<- read x → 1 cannot be placed/)
    const notHistory = run(['check', `${reference}README.md`])
    expect(notHistory.status).toBe(2)
    expect(notHistory.stderr).toMatch(/found no operations/)
  })

  it('checks a counter or a lock history with --model, and refuses a model it lacks', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consensus-lab-cli-'))
    const file = join(dir, 'lock.edn')
    writeFileSync(
      file,
      [
        '{:process 0, :type :invoke, :f :acquire, :key "l", :value nil}',
        '{:process 0, :type :ok, :f :acquire, :key "l", :value 1}',
        '{:process 1, :type :invoke, :f :acquire, :key "l", :value nil}',
        '{:process 1, :type :ok, :f :acquire, :key "l", :value 2}',
      ].join('\n'),
    )
    const lock = run(['check', file, '--model', 'lock'])
    expect(lock.status).toBe(1)
    expect(lock.stdout).toContain('NOT linearizable: 2 operations (lock model), key l')
    // Without --model, the operations choose it.
    expect(run(['check', file]).stdout).toContain('(lock model)')
    const counter = run(['check', file, '--model', 'counter'])
    expect(counter.status).toBe(2)
    expect(counter.stdout).toContain('the counter model has no acquire operation')
    const unknown = run(['check', '--model', 'queue', file])
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('there is no queue model: use --model kv, --model register')
  })

  it('keeps runs in the config folder, or in the file --db names, from any folder', () => {
    const db = join(mkdtempSync(join(tmpdir(), 'consensus-lab-cli-')), 'mine.db')
    const script = 'start raft 3 --sim --seed 2\nwait 300\nsave first\nruns\n'
    const kept = spawnSync(process.execPath, [bin, '--db', db], {
      input: script,
      encoding: 'utf8',
      timeout: 60_000,
      cwd: tmpdir(), // the command works outside the checkout too
    })
    expect(kept.status).toBe(0)
    expect(kept.stdout).toMatch(/\n1 +first +raft +sim \(seed 2\) +\d+/)
    const again = run(['--db', db], 'runs\nreplay first\n')
    expect(again.stdout).toContain('replayed run 1 (first) from its 2 commands')
    // Without --db: the config folder.
    expect(run([], 'start raft 3 --sim\nruns\n').stdout).toMatch(/\n1 +- +raft/)
    expect(run(['--db'], '').stderr).toContain('--db needs a file')
  })

  it('answers bad arguments with usage and exit code 2', () => {
    expect(run(['run']).status).toBe(2)
    expect(run(['run', '/nonexistent/file.txt']).stderr).toMatch(
      /cannot read \/nonexistent\/file.txt/,
    )
    const unknown = run(['frobnicate'])
    expect(unknown.status).toBe(2)
    expect(unknown.stderr).toContain('consensus-lab run FILE')
  })

  it('runs a module from a file as a Maelstrom node (--code)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'consensus-lab-cli-'))
    const file = join(dir, 'hello.ts')
    writeFileSync(
      file,
      "import { defineNode } from 'consensus-lab'\n" +
        "export default defineNode({ name: 'hello', persistent: [], init: () => ({}),\n" +
        "  onMessage(_s, env, ctx) { ctx.reply(env, { type: 'hello_ok' }) }, onTimer() {} })\n",
    )
    const lines = [
      { src: 'c1', dest: 'n1', body: { type: 'init', msg_id: 1, node_id: 'n1', node_ids: ['n1'] } },
      { src: 'c1', dest: 'n1', body: { type: 'hello', msg_id: 2 } },
    ]
    const { status, stdout } = run(
      ['maelstrom', '--code', file],
      lines.map((l) => JSON.stringify(l)).join('\n'),
    )
    expect(status).toBe(0)
    expect(
      stdout
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as unknown),
    ).toEqual([
      { src: 'n1', dest: 'c1', body: { type: 'init_ok', in_reply_to: 1 } },
      { src: 'n1', dest: 'c1', body: { type: 'hello_ok', in_reply_to: 2 } },
    ])
  })

  it('is a Maelstrom node in maelstrom mode', async () => {
    const child = spawn(process.execPath, [bin, 'maelstrom', 'echo'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    const replies: unknown[] = []
    createInterface({ input: child.stdout }).on('line', (line) => replies.push(JSON.parse(line)))
    const send = (body: object): void => {
      child.stdin.write(`${JSON.stringify({ src: 'c1', dest: 'n1', body })}\n`)
    }
    send({ type: 'init', msg_id: 1, node_id: 'n1', node_ids: ['n1', 'n2'] })
    send({ type: 'echo', msg_id: 2, echo: 'hello' })
    send({ type: 'burst', msg_id: 3, count: 2 })
    const deadline = Date.now() + 30_000
    while (replies.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20))
    child.stdin.end()
    child.kill()
    expect(replies).toEqual([
      { src: 'n1', dest: 'c1', body: { type: 'init_ok', in_reply_to: 1 } },
      { src: 'n1', dest: 'c1', body: { type: 'echo_ok', echo: 'hello', in_reply_to: 2 } },
      { src: 'n1', dest: 'n2', body: { type: 'hello', n: 1 } },
      { src: 'n1', dest: 'n2', body: { type: 'hello', n: 2 } },
      { src: 'n1', dest: 'c1', body: { type: 'burst_ok', sent: 2, in_reply_to: 3 } },
    ])
  })
})
