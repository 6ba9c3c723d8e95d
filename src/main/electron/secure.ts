// Applies the page policy (page-policy.ts) to Electron: the session refuses
// every permission and every request that would leave the app, adds the CSP
// header to what the dev server sends (the packaged app's file:// pages carry
// it in their <meta>), and every page is kept from navigating away, opening
// windows or attaching webviews. Written against the few methods it uses, so
// that a test drives it with fakes.

import type { Session, WebContents } from 'electron'
import {
  contentSecurityPolicy,
  isAllowedRequest,
  permissionDecision,
  windowOpenDecision,
  type PageOrigin,
} from './page-policy'

export type SessionLike = {
  webRequest: Pick<Session['webRequest'], 'onBeforeRequest' | 'onHeadersReceived'>
} & Pick<Session, 'setPermissionRequestHandler' | 'setPermissionCheckHandler'>

export function secureSession(session: SessionLike, origin: PageOrigin): void {
  session.setPermissionRequestHandler((_contents, permission, callback) =>
    callback(permissionDecision(permission)),
  )
  session.setPermissionCheckHandler((_contents, permission) => permissionDecision(permission))
  session.webRequest.onBeforeRequest((details, callback) =>
    callback({ cancel: !isAllowedRequest(details.url, origin) }),
  )
  const devServer = origin.devServer
  session.webRequest.onHeadersReceived((details, callback) => {
    if (devServer === undefined || !details.url.startsWith(new URL(devServer).origin)) {
      callback({})
      return
    }
    const csp = contentSecurityPolicy({
      connect: [new URL(devServer).origin.replace(/^http/, 'ws')],
      header: true,
    })
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [csp] },
    })
  })
}

export type ContentsLike = Pick<WebContents, 'on' | 'setWindowOpenHandler'>

/** Keeps a page where it is: no navigation, no new windows, no webviews. */
export function secureContents(contents: ContentsLike, openExternal: (url: string) => void): void {
  contents.on('will-navigate', (event) => event.preventDefault())
  contents.on('will-redirect', (event) => event.preventDefault())
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(({ url }) => {
    const decision = windowOpenDecision(url)
    if (decision.openExternally) openExternal(url)
    return { action: decision.action }
  })
}
