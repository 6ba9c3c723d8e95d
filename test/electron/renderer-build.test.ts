// Browser mode serves the built renderer and builds it only when it is
// missing or its sources changed: the decision, with a stand-in build.

import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { hashSources, prepareRenderer, stampFile } from '../../src/main/renderer-build'

function fakeBuild(builds: string[]) {
  return (outDir: string): Promise<void> => {
    builds.push(outDir)
    mkdirSync(join(outDir, 'assets'), { recursive: true })
    writeFileSync(join(outDir, 'index.html'), `<p>build ${builds.length}</p>`)
    writeFileSync(join(outDir, 'assets', 'index.js'), 'console.log(1)')
    return Promise.resolve()
  }
}

describe('the renderer browser mode serves', () => {
  it('is built when missing, reused while its sources are the same, rebuilt when they change', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'renderer-')), 'renderer')
    const builds: string[] = []
    const told: string[] = []
    const prepare = (sourceHash: string) =>
      prepareRenderer({ outDir, sourceHash, build: fakeBuild(builds), tell: (l) => told.push(l) })

    const first = await prepare('a')
    expect(first.built).toBe(true)
    expect(first.files.get('/index.html')?.body.toString()).toBe('<p>build 1</p>')
    expect(first.files.get('/assets/index.js')?.type).toBe('text/javascript; charset=utf-8')
    expect(first.files.has(`/${stampFile}`)).toBe(false)
    expect(readFileSync(join(outDir, stampFile), 'utf8').trim()).toBe('a')
    expect(told).toEqual([expect.stringMatching(/not been built yet/) as string])

    const second = await prepare('a')
    expect(second.built).toBe(false)
    expect(builds).toHaveLength(1)

    const third = await prepare('b')
    expect(third.built).toBe(true)
    expect(third.files.get('/index.html')?.body.toString()).toBe('<p>build 2</p>')
    expect(readFileSync(join(outDir, 'index.html'), 'utf8')).toBe('<p>build 2</p>')
    expect(told[1]).toMatch(/sources changed/)
    // Each build went to a folder of its own, moved into place after.
    expect(builds.every((dir) => dir !== outDir)).toBe(true)
  })

  it('is rebuilt when an output without index.html carries a matching stamp', async () => {
    const outDir = join(mkdtempSync(join(tmpdir(), 'renderer-')), 'renderer')
    mkdirSync(outDir)
    writeFileSync(join(outDir, stampFile), 'a\n')
    const builds: string[] = []
    const prepared = await prepareRenderer({ outDir, sourceHash: 'a', build: fakeBuild(builds) })
    expect(prepared.built).toBe(true)
  })

  it('hashes every source file: an edit, a new file or a rename changes it', () => {
    const sources = mkdtempSync(join(tmpdir(), 'sources-'))
    mkdirSync(join(sources, 'src', 'renderer'), { recursive: true })
    writeFileSync(join(sources, 'src', 'renderer', 'app.tsx'), 'one')
    writeFileSync(join(sources, 'vite.config.ts'), 'config')
    const inputs = ['src/renderer', 'vite.config.ts', 'missing.json']
    const before = hashSources(sources, inputs)
    expect(hashSources(sources, inputs)).toBe(before)
    writeFileSync(join(sources, 'src', 'renderer', 'app.tsx'), 'two')
    const edited = hashSources(sources, inputs)
    expect(edited).not.toBe(before)
    writeFileSync(join(sources, 'src', 'renderer', 'more.ts'), '')
    const added = hashSources(sources, inputs)
    expect(added).not.toBe(edited)
    writeFileSync(join(sources, 'vite.config.ts'), 'config 2')
    expect(hashSources(sources, inputs)).not.toBe(added)
  })
})
