// The page's theme: the system's (light or dark, following it as it changes),
// or light or dark as chosen in the top bar, remembered in the page's
// localStorage. The choice resolves to data-theme="light" or "dark" on the
// root element; styles.css keeps every colour in custom properties, the dark
// ones under :root[data-theme='dark']. The canvases and xterm.js read those
// same properties here, and read them again on onThemeChange.

import type { ITheme } from '@xterm/xterm'

export const themeChoices = ['system', 'light', 'dark'] as const
export type ThemeChoice = (typeof themeChoices)[number]

const storageKey = 'consensus-lab:theme'
const darkQuery = '(prefers-color-scheme: dark)'
const listeners = new Set<() => void>()
let choice: ThemeChoice = 'system'
let watchingSystem = false

function isThemeChoice(value: unknown): value is ThemeChoice {
  return typeof value === 'string' && (themeChoices as readonly string[]).includes(value)
}

function storedChoice(): ThemeChoice {
  try {
    const stored = window.localStorage.getItem(storageKey)
    return isThemeChoice(stored) ? stored : 'system'
  } catch {
    // Storage may be off (a private window): the system's theme it is.
    return 'system'
  }
}

function apply(): void {
  document.documentElement.dataset['theme'] = isDark() ? 'dark' : 'light'
  for (const listener of listeners) listener()
}

/** Applies the remembered choice and follows the system's; call once, before the first render. */
export function startTheme(): void {
  choice = storedChoice()
  if (!watchingSystem) {
    watchingSystem = true
    window.matchMedia(darkQuery).addEventListener('change', () => {
      if (choice === 'system') apply()
    })
  }
  apply()
}

export function themeChoice(): ThemeChoice {
  return choice
}

export function setThemeChoice(next: ThemeChoice): void {
  choice = next
  try {
    window.localStorage.setItem(storageKey, next)
  } catch {
    // Not remembered, but applied.
  }
  apply()
}

/** Calls `listener` whenever the theme in force changes (the switch, or the system's under 'system'). */
export function onThemeChange(listener: () => void): () => void {
  listeners.add(listener)
  return () => listeners.delete(listener)
}

export function isDark(): boolean {
  return choice === 'dark' || (choice === 'system' && window.matchMedia(darkQuery).matches)
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
