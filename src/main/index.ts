// The Electron main process: windows, menus and the IPC transport, and
// nothing else. Everything the app does lives in the core (src/main/*,
// src/workers/*) and runs the same in the terminal REPL and in browser mode;
// what is Electron's is decided as data in src/main/electron (the page
// policy, the menus, the window's remembered state, the transport), where a
// test checks it without the Electron binary.

import { app, BrowserWindow, ipcMain, Menu, screen, session, shell } from 'electron'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import type { EventMessage, MenuAction } from '../shared/api'
import { eventChannel } from '../shared/ipc'
import { ApiCore } from './api/core'
import { IpcTransport } from './electron/ipc-transport'
import { menuTemplate } from './electron/menu'
import { windowOptions, type PageOrigin } from './electron/page-policy'
import { secureContents, secureSession } from './electron/secure'
import {
  loadWindowState,
  placeOnScreen,
  saveWindowState,
  windowStateFile,
  type WindowState,
} from './electron/window-state'
import { openKeptRuns } from './session-factory'

// Every renderer sandboxed, whatever a window's options say.
app.enableSandbox()

const here = import.meta.dirname
const rendererDir = join(here, '../renderer')
const devServer = app.isPackaged ? undefined : process.env['ELECTRON_RENDERER_URL']
const origin: PageOrigin = {
  rendererFolder: `${pathToFileURL(rendererDir).href}/`,
  ...(devServer === undefined ? {} : { devServer }),
}
const saveDelayMs = 500

// Every page, whoever makes it, stays where it is and opens no windows.
app.on('web-contents-created', (_event, contents) =>
  secureContents(contents, (url) => void shell.openExternal(url)),
)

function sendMenuAction(action: MenuAction): void {
  const message: EventMessage = { kind: 'event', name: 'menu', payload: { action } }
  BrowserWindow.getFocusedWindow()?.webContents.send(eventChannel, message)
}

function createWindow(transport: IpcTransport): void {
  const stateFile = join(app.getPath('userData'), windowStateFile)
  const state = loadWindowState(stateFile)
  const primary = screen.getPrimaryDisplay()
  const workAreas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map(
    (display) => display.workArea,
  )
  const window = new BrowserWindow(
    windowOptions(join(here, '../preload/index.cjs'), placeOnScreen(state.bounds, workAreas)),
  )
  if (state.maximized) window.maximize()
  if (state.fullScreen) window.setFullScreen(true)
  window.once('ready-to-show', () => window.show())
  window.webContents.on('did-finish-load', () => window.webContents.setZoomFactor(state.zoomFactor))
  transport.attach(window)

  let saveTimer: NodeJS.Timeout | undefined
  const save = (): void => {
    clearTimeout(saveTimer)
    if (window.isDestroyed()) return
    const next: WindowState = {
      version: 1,
      bounds: window.getNormalBounds(),
      maximized: window.isMaximized(),
      fullScreen: window.isFullScreen(),
      zoomFactor: window.webContents.getZoomFactor(),
    }
    try {
      saveWindowState(stateFile, next)
    } catch (error) {
      console.error(`could not remember the window's place: ${String(error)}`)
    }
  }
  const saveSoon = (): void => {
    clearTimeout(saveTimer)
    saveTimer = setTimeout(save, saveDelayMs)
  }
  for (const event of ['resized', 'moved', 'maximize', 'unmaximize'] as const) {
    window.on(event as 'resized', saveSoon)
  }
  window.on('close', save)

  if (devServer !== undefined) void window.loadURL(devServer)
  else void window.loadFile(join(rendererDir, 'index.html'))
}

void app.whenReady().then(() => {
  secureSession(session.defaultSession, origin)
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        platform: process.platform,
        development: !app.isPackaged,
        send: sendMenuAction,
      }),
    ),
  )
  const kept = openKeptRuns({
    db: join(app.getPath('userData'), 'lab.db'),
    tell: (line) => console.error(line),
  })
  const transport = new IpcTransport(ipcMain, origin, (hooks) => new ApiCore({ kept, ...hooks }))
  createWindow(transport)
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow(transport)
  })
  // Stop every cluster and flush the store before the process ends.
  let stopped = false
  app.on('will-quit', (event) => {
    if (stopped) return
    event.preventDefault()
    stopped = true
    void transport.close().finally(() => {
      kept.close()
      app.quit()
    })
  })
})

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit()
})
