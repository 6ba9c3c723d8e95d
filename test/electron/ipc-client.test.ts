// The page's client over the preload's bridge: the same LabClient as browser
// mode's, every reply and event checked against the contract, one bridge
// subscription per event name however many listeners the page adds.

import { describe, expect, it } from 'vitest'
import type { EventName, LabApi } from '../../src/shared/api'
import { connectIpc } from '../../src/renderer/api/ipc-client'
import { connectToCore } from '../../src/renderer/api/connect'

function fakeBridge(answer: unknown) {
  const subscribed = new Map<EventName, ((payload: unknown) => void)[]>()
  let unsubscribed = 0
  const bridge: LabApi = {
    request: () => Promise.resolve(answer as never),
    on: (name, listener) => {
      subscribed.set(name, [...(subscribed.get(name) ?? []), listener as (p: unknown) => void])
      return () => unsubscribed++
    },
  }
  const deliver = (name: EventName, payload: unknown) => {
    for (const listener of subscribed.get(name) ?? []) listener(payload)
  }
  return { bridge, subscribed, deliver, unsubscribed: () => unsubscribed }
}

describe('the IPC client', () => {
  it('is open at once and hands checked results back', async () => {
    const { bridge } = fakeBridge(['n1', 'n2'])
    const client = connectIpc(bridge)
    const statuses: unknown[] = []
    client.onStatus((status) => statuses.push(status))
    expect(statuses).toEqual([{ state: 'open' }])
    await expect(client.request('nodes', {})).resolves.toEqual(['n1', 'n2'])
  })

  it('refuses a result that does not fit the contract, with a sentence', async () => {
    const client = connectIpc(fakeBridge([42]).bridge)
    await expect(client.request('nodes', {})).rejects.toThrow(
      /^the answer to nodes is not valid at 0/,
    )
  })

  it('checks each event once, drops what does not fit and says so', () => {
    const { bridge, subscribed, deliver } = fakeBridge(null)
    const client = connectIpc(bridge)
    const heard: unknown[] = []
    const problems: string[] = []
    client.onProblem((sentence) => problems.push(sentence))
    client.on('progress', (payload) => heard.push(['a', payload]))
    client.on('progress', (payload) => heard.push(['b', payload]))
    expect(subscribed.get('progress')).toHaveLength(1)
    deliver('progress', { line: 'checking' })
    deliver('progress', { line: 7 })
    expect(heard).toEqual([
      ['a', { line: 'checking' }],
      ['b', { line: 'checking' }],
    ])
    expect(problems).toEqual([expect.stringMatching(/^the progress event is not valid at line/)])
  })

  it('closes: the bridge subscriptions end and requests are refused', async () => {
    const { bridge, unsubscribed } = fakeBridge(['n1'])
    const client = connectIpc(bridge)
    client.on('trace', () => undefined)
    client.on('menu', () => undefined)
    client.close()
    expect(unsubscribed()).toBe(2)
    await expect(client.request('nodes', {})).rejects.toThrow(/closed/)
  })

  it('is chosen when the preload offers the API, and the WebSocket otherwise', async () => {
    const { bridge } = fakeBridge(['n3'])
    const client = connectToCore({ consensusLab: bridge, location: {} as Location })
    await expect(client.request('nodes', {})).resolves.toEqual(['n3'])
    // No preload and no token in the address: the WebSocket client says what to open.
    const web = connectToCore({
      consensusLab: undefined,
      location: { search: '', protocol: 'http:', host: '127.0.0.1:1' } as Location,
    })
    const statuses: unknown[] = []
    web.onStatus((status) => statuses.push(status))
    expect(statuses).toEqual([
      { state: 'closed', reason: expect.stringMatching(/no token/) as string },
    ])
  })
})
