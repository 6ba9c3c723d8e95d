// The desktop app's security settings, asserted without the Electron binary:
// the window's web preferences, the Content-Security-Policy (the same in the
// built page's <meta> and in browser mode's header), what a page may load,
// open or be granted, and that the session and every page are held to it.

import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import {
  contentSecurityPolicy,
  isAllowedRequest,
  isAppPage,
  permissionDecision,
  webPreferences,
  windowOpenDecision,
  windowOptions,
  type PageOrigin,
} from '../../src/main/electron/page-policy'
import { secureContents, secureSession } from '../../src/main/electron/secure'

const root = fileURLToPath(new URL('../..', import.meta.url))
const packaged: PageOrigin = { rendererFolder: 'file:///opt/lab/resources/app.asar/out/renderer/' }
const development: PageOrigin = { ...packaged, devServer: 'http://localhost:5173' }

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy.split(';').map((part) => {
      const [name = '', ...sources] = part.trim().split(/\s+/)
      return [name, sources]
    }),
  )
}

describe('the window', () => {
  it('isolates the page, sandboxes it, keeps Node out and web security on', () => {
    const preferences = webPreferences('/app/out/preload/index.cjs')
    expect(preferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    const options = windowOptions('/p.cjs', { x: 10, y: 20, width: 900, height: 700 })
    expect(options.webPreferences).toEqual(webPreferences('/p.cjs'))
    expect(options).toMatchObject({ x: 10, y: 20, width: 900, height: 700, show: false })
  })
})

describe('the Content-Security-Policy', () => {
  const policy = directives(contentSecurityPolicy())

  it('allows scripts only from the app itself: no remote origin, no eval, no inline script', () => {
    for (const [name, sources] of policy) {
      for (const source of sources) {
        expect(source, `${name} ${source}`).not.toMatch(
          /^(https?:|wss?:|\*|'unsafe-eval'|'wasm-unsafe-eval')/,
        )
      }
    }
    expect(policy.get('script-src')).toEqual(["'self'"])
    expect(policy.get('default-src')).toEqual(["'self'"])
    expect(policy.get('object-src')).toEqual(["'none'"])
    expect(policy.get('base-uri')).toEqual(["'none'"])
  })

  it('lets browser mode reach only its own WebSocket, and keeps frame-ancestors for the header', () => {
    const header = directives(
      contentSecurityPolicy({ connect: ['ws://127.0.0.1:5170'], header: true }),
    )
    expect(header.get('connect-src')).toEqual(["'self'", 'ws://127.0.0.1:5170'])
    expect(header.get('frame-ancestors')).toEqual(["'none'"])
    expect(policy.has('frame-ancestors')).toBe(false)
  })

  it("is the policy in the page's own <meta> (what file:// pages get)", () => {
    const html = readFileSync(`${root}src/renderer/index.html`, 'utf8')
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html)
    expect(meta?.[1]).toBe(contentSecurityPolicy())
  })
})

describe('what a page may load', () => {
  it("loads the app's own files and data: URLs, and nothing from the network", () => {
    expect(isAllowedRequest(`${packaged.rendererFolder}index.html`, packaged)).toBe(true)
    expect(isAllowedRequest(`${packaged.rendererFolder}assets/index-1.js`, packaged)).toBe(true)
    expect(isAllowedRequest('data:image/png;base64,AAAA', packaged)).toBe(true)
    expect(isAllowedRequest('https://cdn.example.com/monaco.js', packaged)).toBe(false)
    expect(isAllowedRequest('http://localhost:5173/', packaged)).toBe(false)
    expect(isAllowedRequest('ws://127.0.0.1:9/', packaged)).toBe(false)
    expect(isAllowedRequest('file:///etc/passwd', packaged)).toBe(false)
    expect(isAllowedRequest(`${packaged.rendererFolder}../../../secret`, packaged)).toBe(false)
    expect(isAllowedRequest('not a url', packaged)).toBe(false)
  })

  it('reaches the dev server (pages and its HMR socket) only while developing', () => {
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', development)).toBe(true)
    expect(isAllowedRequest('ws://localhost:5173/', development)).toBe(true)
    expect(isAllowedRequest('http://localhost:5174/', development)).toBe(false)
    expect(isAllowedRequest('https://example.com/', development)).toBe(false)
  })

  it('counts only its own pages as the app', () => {
    expect(isAppPage(`${packaged.rendererFolder}index.html`, packaged)).toBe(true)
    expect(isAppPage('file:///tmp/evil.html', packaged)).toBe(false)
    expect(isAppPage('http://localhost:5173/', development)).toBe(true)
    expect(isAppPage('http://localhost:5173/', packaged)).toBe(false)
  })

  it('opens no window; an https link goes to the system browser', () => {
    expect(windowOpenDecision('https://raft.github.io/raft.pdf')).toEqual({
      action: 'deny',
      openExternally: true,
    })
    expect(windowOpenDecision('http://example.com/')).toEqual({
      action: 'deny',
      openExternally: false,
    })
    expect(windowOpenDecision('file:///etc/passwd')).toEqual({
      action: 'deny',
      openExternally: false,
    })
    expect(windowOpenDecision('javascript:alert(1)')).toEqual({
      action: 'deny',
      openExternally: false,
    })
  })

  it('is refused every permission', () => {
    for (const permission of [
      'media',
      'geolocation',
      'notifications',
      'clipboard-read',
      'openExternal',
    ]) {
      expect(permissionDecision(permission)).toBe(false)
    }
  })
})

describe('the session and every page are held to the policy', () => {
  type Handler = (...args: never[]) => unknown

  it('refuses permissions and network requests and adds the CSP to dev-server pages', () => {
    const handlers = new Map<string, Handler>()
    const fake = {
      setPermissionRequestHandler: (handler: Handler) => handlers.set('request', handler),
      setPermissionCheckHandler: (handler: Handler) => handlers.set('check', handler),
      webRequest: {
        onBeforeRequest: (handler: Handler) => handlers.set('before', handler),
        onHeadersReceived: (handler: Handler) => handlers.set('headers', handler),
      },
    }
    secureSession(fake as never, development)
    const answers: unknown[] = []
    const call = (name: string, ...args: unknown[]): unknown =>
      (handlers.get(name) as (...args: unknown[]) => unknown)(...args)

    call('request', {}, 'media', (granted: boolean) => answers.push(granted))
    expect(answers).toEqual([false])
    expect(call('check', {}, 'notifications')).toBe(false)

    call('before', { url: 'https://example.com/x.js' }, (answer: unknown) => answers.push(answer))
    call('before', { url: 'http://localhost:5173/x.js' }, (answer: unknown) => answers.push(answer))
    expect(answers.slice(1)).toEqual([{ cancel: true }, { cancel: false }])

    call(
      'headers',
      { url: 'http://localhost:5173/', responseHeaders: { 'Content-Type': ['text/html'] } },
      (answer: unknown) => answers.push(answer),
    )
    const headers = (answers[3] as { responseHeaders: Record<string, string[]> }).responseHeaders
    expect(headers['Content-Type']).toEqual(['text/html'])
    expect(directives(headers['Content-Security-Policy']?.[0] ?? '').get('connect-src')).toEqual([
      "'self'",
      'ws://localhost:5173',
    ])
  })

  it('keeps a page from navigating, redirecting, attaching webviews or opening windows', () => {
    const listeners = new Map<string, (event: { preventDefault(): void }) => void>()
    let openHandler: ((details: { url: string }) => { action: string }) | null = null
    const fake = {
      on: (name: string, listener: (event: { preventDefault(): void }) => void) =>
        listeners.set(name, listener),
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
        openHandler = handler
      },
    }
    const opened: string[] = []
    secureContents(fake as never, (url) => opened.push(url))
    for (const name of ['will-navigate', 'will-redirect', 'will-attach-webview']) {
      let prevented = false
      listeners.get(name)?.({ preventDefault: () => (prevented = true) })
      expect(prevented, name).toBe(true)
    }
    expect(openHandler!({ url: 'https://raft.github.io/' })).toEqual({ action: 'deny' })
    expect(openHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' })
    expect(opened).toEqual(['https://raft.github.io/'])
  })
})
