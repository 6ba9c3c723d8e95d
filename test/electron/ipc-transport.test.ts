// The desktop app's IPC transport with fakes for Electron: one core per
// window (closed with it), requests validated as browser mode validates them,
// only the app's own main frame heard, events pushed to the right window.

import { describe, expect, it } from 'vitest'
import type { EventMessage, ReplyMessage } from '../../src/shared/api'
import { eventChannel, requestChannel } from '../../src/shared/ipc'
import { RefusedRequest } from '../../src/main/api/core'
import {
  IpcTransport,
  pageIsBehind,
  type CoreHooks,
  type TransportCore,
} from '../../src/main/electron/ipc-transport'

const page = 'file:///app/out/renderer/index.html'
const origin = { rendererFolder: 'file:///app/out/renderer/' }

type Handler = (event: unknown, message: unknown) => Promise<ReplyMessage>

function setUp() {
  let handler: Handler | null = null
  const ipcMain = {
    handle: (channel: string, listener: Handler) => {
      expect(channel).toBe(requestChannel)
      handler = listener
    },
    removeHandler: () => (handler = null),
  }
  const cores: { hooks: CoreHooks; asked: unknown[]; closed: boolean }[] = []
  const transport = new IpcTransport(ipcMain as never, origin, (hooks) => {
    const core = { hooks, asked: [] as unknown[], closed: false }
    cores.push(core)
    const api: TransportCore = {
      request: (name, args) => {
        core.asked.push({ name, args })
        if (name === 'complete') return Promise.reject(new RefusedRequest('no cluster runs.'))
        return Promise.resolve(['n1'] as never)
      },
      close: () => {
        core.closed = true
        return Promise.resolve()
      },
    }
    return api
  })
  const window = (id: number) => {
    const sent: unknown[][] = []
    let closed: (() => void) | null = null
    const state = { minimized: false, visible: true, destroyed: false }
    return {
      sent,
      state,
      close: () => closed?.(),
      webContents: {
        id,
        send: (...args: unknown[]) => sent.push(args),
        isDestroyed: () => state.destroyed,
        once: () => undefined,
      },
      isMinimized: () => state.minimized,
      isVisible: () => state.visible,
      once: (_event: 'closed', listener: () => void) => (closed = listener),
    }
  }
  const ask = (id: number, message: unknown, url = page, parent: unknown = null) =>
    handler!({ sender: { id }, senderFrame: { url, parent } }, message)
  return { transport, cores, window, ask, handler: () => handler }
}

describe('the IPC transport', () => {
  it('answers a valid request from the core of the window that asked', async () => {
    const { transport, cores, window, ask } = setUp()
    transport.attach(window(1) as never)
    transport.attach(window(2) as never)
    const reply = await ask(2, { kind: 'request', id: 7, name: 'nodes', args: {} })
    expect(reply).toEqual({ kind: 'reply', id: 7, ok: true, result: ['n1'] })
    expect(cores[0]?.asked).toEqual([])
    expect(cores[1]?.asked).toEqual([{ name: 'nodes', args: {} }])
  })

  it('answers bad input with one sentence and never reaches the core with it', async () => {
    const { transport, cores, window, ask } = setUp()
    transport.attach(window(1) as never)
    expect(await ask(1, { kind: 'request', id: 1, name: 'rm', args: {} })).toMatchObject({
      ok: false,
      id: 1,
      error: expect.stringMatching(/^there is no request "rm"; the requests are run, /) as string,
    })
    expect(await ask(1, { kind: 'request', id: 2, name: 'run', args: { line: 5 } })).toMatchObject({
      ok: false,
      error: expect.stringMatching(/^the run request is not valid at args\.line/) as string,
    })
    expect(await ask(1, 'status')).toMatchObject({ ok: false, id: null })
    expect(
      await ask(1, { kind: 'request', id: 3, name: 'complete', args: { line: 'st' } }),
    ).toEqual({
      kind: 'reply',
      id: 3,
      ok: false,
      error: 'no cluster runs.',
    })
    expect(cores[0]?.asked).toEqual([{ name: 'complete', args: { line: 'st' } }])
  })

  it("hears only the app's own page in a window's main frame", async () => {
    const { transport, cores, window, ask } = setUp()
    transport.attach(window(1) as never)
    const message = { kind: 'request', id: 1, name: 'nodes', args: {} }
    const refused = {
      kind: 'reply',
      id: null,
      ok: false,
      error: "only the app's own page may use the API.",
    }
    expect(await ask(1, message, 'https://example.com/')).toEqual(refused)
    expect(await ask(1, message, page, { url: page })).toEqual(refused)
    expect(await ask(9, message)).toMatchObject({
      ok: false,
      error: expect.stringMatching(/no session/) as string,
    })
    expect(cores[0]?.asked).toEqual([])
  })

  it("pushes a core's events to its own window, and closes the core with the window", async () => {
    const { transport, cores, window, ask } = setUp()
    const first = window(1)
    transport.attach(first as never)
    const event: EventMessage = { kind: 'event', name: 'progress', payload: { line: 'x' } }
    cores[0]?.hooks.push(event)
    expect(first.sent).toEqual([[eventChannel, event]])
    first.state.destroyed = true
    cores[0]?.hooks.push(event)
    expect(first.sent).toHaveLength(1)
    first.close()
    expect(cores[0]?.closed).toBe(true)
    expect(await ask(1, { kind: 'request', id: 1, name: 'nodes', args: {} })).toMatchObject({
      ok: false,
    })
  })

  it('holds trace batches back while the window is hidden or minimized', () => {
    expect(pageIsBehind({ isMinimized: () => false, isVisible: () => true })).toBe(false)
    expect(pageIsBehind({ isMinimized: () => true, isVisible: () => true })).toBe(true)
    expect(pageIsBehind({ isMinimized: () => false, isVisible: () => false })).toBe(true)
  })

  it('stops answering and closes every core when it closes', async () => {
    const { transport, cores, window, handler } = setUp()
    transport.attach(window(1) as never)
    transport.attach(window(2) as never)
    await transport.close()
    expect(cores.map((core) => core.closed)).toEqual([true, true])
    expect(handler()).toBeNull()
  })
})
