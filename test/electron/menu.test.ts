// The menus desktop users expect, with Electron's standard roles, and
// Ctrl/Cmd+` asking the page to focus the terminal.

import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it } from 'vitest'
import type { MenuAction } from '../../src/shared/api'
import { focusTerminalAccelerator, menuTemplate } from '../../src/main/electron/menu'

function roles(items: MenuItemConstructorOptions[]): string[] {
  return items.flatMap((item) => [
    ...(item.role === undefined ? [] : [item.role]),
    ...(Array.isArray(item.submenu) ? roles(item.submenu) : []),
  ])
}

function template(platform: NodeJS.Platform, development = false) {
  const sent: MenuAction[] = []
  return {
    sent,
    menu: menuTemplate({ platform, development, send: (action) => sent.push(action) }),
  }
}

describe('the menus', () => {
  it('has file, edit, view, window and help menus, and the app menu on macOS only', () => {
    expect(template('linux').menu.map((item) => item.role)).toEqual([
      'fileMenu',
      'editMenu',
      'viewMenu',
      'windowMenu',
      'help',
    ])
    expect(template('darwin').menu.map((item) => item.role)).toEqual([
      'appMenu',
      'fileMenu',
      'editMenu',
      'viewMenu',
      'windowMenu',
      'help',
    ])
    expect(roles(template('darwin').menu)).toEqual(
      expect.arrayContaining(['about', 'hide', 'quit', 'front', 'zoom']),
    )
    expect(roles(template('win32').menu)).toContain('quit')
  })

  it('edits, zooms and goes full screen with the standard roles', () => {
    expect(roles(template('linux').menu)).toEqual(
      expect.arrayContaining([
        'undo',
        'redo',
        'cut',
        'copy',
        'paste',
        'selectAll',
        'resetZoom',
        'zoomIn',
        'zoomOut',
        'togglefullscreen',
        'minimize',
        'close',
      ]),
    )
  })

  it('offers reload and the developer tools only while developing', () => {
    expect(roles(template('linux').menu)).not.toContain('toggleDevTools')
    expect(roles(template('linux').menu)).not.toContain('reload')
    expect(roles(template('linux', true).menu)).toEqual(
      expect.arrayContaining(['reload', 'toggleDevTools']),
    )
  })

  it('focuses the terminal with Ctrl/Cmd+` by sending the page a menu event', () => {
    const { sent, menu } = template('linux')
    const view = menu.find((item) => item.role === 'viewMenu')
    const items = (view?.submenu ?? []) as MenuItemConstructorOptions[]
    const focus = items.find((item) => item.label === 'Focus Terminal')
    expect(focus?.accelerator).toBe(focusTerminalAccelerator)
    expect(focusTerminalAccelerator).toBe('CommandOrControl+`')
    focus?.click?.(undefined as never, undefined, undefined as never)
    expect(sent).toEqual(['focus-terminal'])
  })
})
