// Colours come from the CSS custom properties in styles.css, which follow the
// system's light or dark preference; the canvas and xterm.js read them here
// and read them again when the preference changes.

import type { ITheme } from '@xterm/xterm'

const darkQuery = '(prefers-color-scheme: dark)'

/** Calls `listener` whenever the system switches between light and dark. */
export function onThemeChange(listener: () => void): () => void {
  const query = window.matchMedia(darkQuery)
  query.addEventListener('change', listener)
  return () => query.removeEventListener('change', listener)
}

export function isDark(): boolean {
  return window.matchMedia(darkQuery).matches
}

function cssVariable(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim()
}

export interface Palette {
  background: string
  foreground: string
  muted: string
  link: string
  cut: string
  message: string
  drop: string
  focus: string
  roles: Record<'leader' | 'candidate' | 'follower' | 'other' | 'dead' | 'paused', string>
  onRole: string
}

export function readPalette(): Palette {
  return {
    background: cssVariable('--panel'),
    foreground: cssVariable('--fg'),
    muted: cssVariable('--muted'),
    link: cssVariable('--link'),
    cut: cssVariable('--cut'),
    message: cssVariable('--message'),
    drop: cssVariable('--drop'),
    focus: cssVariable('--accent'),
    roles: {
      leader: cssVariable('--leader'),
      candidate: cssVariable('--candidate'),
      follower: cssVariable('--follower'),
      other: cssVariable('--other-role'),
      dead: cssVariable('--dead'),
      paused: cssVariable('--paused'),
    },
    onRole: cssVariable('--on-role'),
  }
}

/** xterm.js colours for the current theme: ANSI red for failures, dim for events. */
export function terminalTheme(): ITheme {
  const dark = isDark()
  return {
    background: cssVariable('--term-bg'),
    foreground: cssVariable('--term-fg'),
    cursor: cssVariable('--term-fg'),
    cursorAccent: cssVariable('--term-bg'),
    selectionBackground: dark ? '#3a4a66' : '#b8d0f5',
    red: dark ? '#ff7b72' : '#c62828',
    brightRed: dark ? '#ffa198' : '#e53935',
    green: dark ? '#56d364' : '#2e7d32',
    cyan: dark ? '#56c8d8' : '#00838f',
    yellow: dark ? '#e3b341' : '#9a6700',
    blue: dark ? '#79c0ff' : '#1f5fbf',
    magenta: dark ? '#d2a8ff' : '#8250df',
  }
}
