// The menus desktop users expect, with the standard roles (so that copy,
// paste, zoom and full screen behave as in every other app), plus what is
// ours: View > Focus Terminal (Ctrl/Cmd+`), which the page carries out when
// the main process sends it a `menu` event.

import type { MenuItemConstructorOptions } from 'electron'
import type { MenuAction } from '../../shared/api'

export interface MenuOptions {
  platform: NodeJS.Platform
  /** True in a development run: reload and the developer tools are offered. */
  development: boolean
  /** Asks the focused window's page to carry out an action. */
  send: (action: MenuAction) => void
}

export const focusTerminalAccelerator = 'CommandOrControl+`'

export function menuTemplate({
  platform,
  development,
  send,
}: MenuOptions): MenuItemConstructorOptions[] {
  const mac = platform === 'darwin'
  const app: MenuItemConstructorOptions[] = mac
    ? [
        {
          role: 'appMenu',
          submenu: [
            { role: 'about' },
            { type: 'separator' },
            { role: 'services' },
            { type: 'separator' },
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            { type: 'separator' },
            { role: 'quit' },
          ],
        },
      ]
    : []
  return [
    ...app,
    {
      role: 'fileMenu',
      submenu: mac
        ? [{ role: 'close' }]
        : [{ role: 'close' }, { type: 'separator' }, { role: 'quit' }],
    },
    {
      role: 'editMenu',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        { type: 'separator' },
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        { role: 'delete' },
        { type: 'separator' },
        { role: 'selectAll' },
      ],
    },
    {
      role: 'viewMenu',
      submenu: [
        {
          label: 'Focus Terminal',
          accelerator: focusTerminalAccelerator,
          click: () => send('focus-terminal'),
        },
        { type: 'separator' },
        ...(development
          ? ([
              { role: 'reload' },
              { role: 'forceReload' },
              { role: 'toggleDevTools' },
              { type: 'separator' },
            ] as const)
          : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        { type: 'separator' },
        { role: 'togglefullscreen' },
      ],
    },
    {
      role: 'windowMenu',
      submenu: mac
        ? [{ role: 'minimize' }, { role: 'zoom' }, { type: 'separator' }, { role: 'front' }]
        : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      role: 'help',
      submenu: [{ role: 'about', label: 'About Consensus Lab' }],
    },
  ]
}
