// The preload, run with a fake `electron`: it exposes exactly the typed API
// (request and on, under one name) and nothing else, and talks only on the
// app's two channels, whatever the page passes.

import { beforeAll, describe, expect, it, vi } from 'vitest'
import type { LabApi } from '../../src/shared/api'
import { eventChannel, requestChannel } from '../../src/shared/ipc'

const exposed = new Map<string, unknown>()
const invoked: { channel: string; message: unknown }[] = []
const listeners = new Map<string, Set<(event: unknown, message: unknown) => void>>()
let nextReply: unknown = null

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: unknown) => exposed.set(key, api),
  },
  ipcRenderer: {
    invoke: (channel: string, message: unknown) => {
      invoked.push({ channel, message })
      return Promise.resolve(nextReply)
    },
    on: (channel: string, listener: (event: unknown, message: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set()
      listeners.set(channel, set)
      set.add(listener)
    },
    removeListener: (channel: string, listener: (event: unknown, message: unknown) => void) =>
      listeners.get(channel)?.delete(listener),
  },
}))

let api: LabApi

beforeAll(async () => {
  await import('../../src/preload/index')
  api = exposed.get('consensusLab') as LabApi
})

describe('the preload', () => {
  it('exposes one object with exactly request and on', () => {
    expect([...exposed.keys()]).toEqual(['consensusLab'])
    expect(Object.keys(api).sort()).toEqual(['on', 'request'])
    expect(typeof api.request).toBe('function')
    expect(typeof api.on).toBe('function')
  })

  it('sends every request as a request message on the one request channel', async () => {
    nextReply = { kind: 'reply', id: 1, ok: true, result: ['n1', 'n2'] }
    await expect(api.request('nodes', {})).resolves.toEqual(['n1', 'n2'])
    nextReply = { kind: 'reply', id: 2, ok: false, error: 'there is no request "rm".' }
    await expect(api.request('rm' as never, {} as never)).rejects.toThrow(
      'there is no request "rm".',
    )
    expect(invoked.map(({ channel }) => channel)).toEqual([requestChannel, requestChannel])
    expect(invoked[0]?.message).toMatchObject({ kind: 'request', name: 'nodes', args: {} })
  })

  it('passes only the payload of its own event name to the page, never the IPC event', () => {
    const heard: unknown[] = []
    const stop = api.on('progress', (payload) => heard.push(payload))
    const sender = { sender: 'the ipcRenderer object' }
    const deliver = (message: unknown): void => {
      for (const listener of listeners.get(eventChannel) ?? []) listener(sender, message)
    }
    deliver({ kind: 'event', name: 'progress', payload: { line: 'checking 3/10' } })
    deliver({ kind: 'event', name: 'trace', payload: { run: 1, events: [], skipped: {} } })
    deliver('junk')
    expect(heard).toEqual([{ line: 'checking 3/10' }])
    expect([...listeners.keys()]).toEqual([eventChannel])
    stop()
    deliver({ kind: 'event', name: 'progress', payload: { line: 'after' } })
    expect(heard).toHaveLength(1)
    expect(listeners.get(eventChannel)?.size).toBe(0)
  })
})
