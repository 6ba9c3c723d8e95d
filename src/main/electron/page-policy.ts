// What the app's pages may do, as data: the Content-Security-Policy, the
// window's web preferences, which addresses a page may load, open or reach.
// Pure (Electron's types only), so that a test asserts every setting without
// the Electron binary; src/main/electron/secure.ts applies it to a session
// and its pages, and browser mode sends the same policy as a header.

import type { BrowserWindowConstructorOptions, WebPreferences } from 'electron'

export interface PolicyOptions {
  /** Further origins the page may connect to (browser mode's WebSocket, the dev server's). */
  connect?: readonly string[]
  /** As an HTTP header (true) or a <meta> (false): frame-ancestors works only in a header. */
  header?: boolean
}

/**
 * The app's Content-Security-Policy: everything from the app itself, nothing
 * from anywhere else, no eval. Styles may be inline (React's style props,
 * xterm.js and Monaco set element styles); images may be data: URLs (icons
 * drawn inline); workers only from the app's own files (Monaco's, bundled).
 */
export function contentSecurityPolicy(options: PolicyOptions = {}): string {
  const directives = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "font-src 'self' data:",
    "worker-src 'self'",
    ["connect-src 'self'", ...(options.connect ?? [])].join(' '),
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
  ]
  if (options.header === true) directives.push("frame-ancestors 'none'")
  return directives.join('; ')
}

/** The page's web preferences: isolated, sandboxed, no Node, web security on. */
export function webPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false,
  }
}

export interface WindowBounds {
  x?: number
  y?: number
  width: number
  height: number
}

export function windowOptions(
  preload: string,
  bounds: WindowBounds,
): BrowserWindowConstructorOptions {
  return {
    ...bounds,
    minWidth: 720,
    minHeight: 480,
    title: 'Consensus Lab',
    // Shown once the page has drawn, so that it never flashes white.
    show: false,
    webPreferences: webPreferences(preload),
  }
}

/** Where the app's pages come from: its renderer folder, or the dev server while developing. */
export interface PageOrigin {
  /** file:// URL of the folder holding index.html, ending in '/'. */
  rendererFolder: string
  /** The dev server's address (ELECTRON_RENDERER_URL), only in development. */
  devServer?: string
}

/**
 * May a page of the app load or reach `url`? Its own files, data: and blob:
 * URLs, and in development the dev server (http and its HMR WebSocket).
 * Nothing from the network: the app is offline, and a request that leaves the
 * machine is a bug or an attack.
 */
export function isAllowedRequest(url: string, origin: PageOrigin): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return true
  if (parsed.protocol === 'devtools:') return true
  if (parsed.protocol === 'file:') return isInsideFolder(parsed, origin.rendererFolder)
  if (origin.devServer === undefined) return false
  const dev = new URL(origin.devServer)
  const sameHost = parsed.host === dev.host
  return (
    sameHost &&
    (parsed.protocol === dev.protocol ||
      parsed.protocol === (dev.protocol === 'https:' ? 'wss:' : 'ws:'))
  )
}

/** Is `url` one of the app's own pages (the only ones that may use the API)? */
export function isAppPage(url: string, origin: PageOrigin): boolean {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return false
  }
  if (parsed.protocol === 'file:') return isInsideFolder(parsed, origin.rendererFolder)
  return origin.devServer !== undefined && parsed.origin === new URL(origin.devServer).origin
}

function isInsideFolder(url: URL, folder: string): boolean {
  // URL parsing has already resolved any ../ in the path.
  return url.href.startsWith(folder.endsWith('/') ? folder : `${folder}/`)
}

/**
 * What to do when a page asks to open a window: never open one; an https
 * link (a paper a lesson cites) goes to the system's browser instead.
 */
export function windowOpenDecision(url: string): { action: 'deny'; openExternally: boolean } {
  let external: boolean
  try {
    external = new URL(url).protocol === 'https:'
  } catch {
    external = false
  }
  return { action: 'deny', openExternally: external }
}

/** Every permission a page asks for (camera, notifications, geolocation, ...) is refused. */
export function permissionDecision(_permission: string): boolean {
  return false
}
