// The terminal: xterm.js owned through a ref, created and disposed in an
// effect, fitted to its box (resizes debounced). It draws with the WebGL
// renderer where the browser offers WebGL, and with xterm's DOM renderer
// where it does not (headless Chromium with --disable-gpu, for one); the box
// says which in data-renderer. Output goes through a TerminalOutput (flow
// control), and node names in it are links: Ctrl+click (Cmd+click) opens the
// node's menu in the cluster view.

import { FitAddon } from '@xterm/addon-fit'
import { Terminal as XTerm } from '@xterm/xterm'
import '@xterm/xterm/css/xterm.css'
import { useEffect, useRef } from 'react'
import { useWords } from './i18n'
import { nodeMentions } from './node-links'
import { Shell } from './shell'
import { useAppState, type AppStore } from './store'
import { TerminalOutput } from './terminal-output'
import { onThemeChange, terminalTheme } from './theme'

const resizeDebounceMs = 100

/**
 * True when WebGL here is drawn by a graphics card. A software rasterizer
 * (SwiftShader, llvmpipe: what Chromium falls back to without a usable GPU)
 * makes xterm's WebGL renderer slower than its DOM renderer: it cost about
 * 0.3 s of the first page's start in headless Chromium, and more per frame.
 */
function hardwareWebgl(): boolean {
  const probe = document.createElement('canvas').getContext('webgl2')
  if (probe === null) return false
  try {
    const info = probe.getExtension('WEBGL_debug_renderer_info')
    const name = String(
      info === null
        ? probe.getParameter(probe.RENDERER)
        : probe.getParameter(info.UNMASKED_RENDERER_WEBGL),
    )
    return !/swiftshader|llvmpipe|softpipe|software|basic render/i.test(name)
  } finally {
    // The probe's context counts against the page's few; give it back now.
    probe.getExtension('WEBGL_lose_context')?.loseContext()
  }
}

/**
 * Draws with the WebGL renderer when a GPU draws it here (its addon is loaded
 * only then, and after the first frame); the DOM renderer draws until then,
 * and wherever WebGL fails. Says which renderer draws in `host.dataset.renderer`.
 */
function chooseRenderer(terminal: XTerm, host: HTMLElement, isDisposed: () => boolean): void {
  host.dataset.renderer = 'dom'
  let hardware: boolean
  try {
    hardware = hardwareWebgl()
  } catch {
    return
  }
  if (!hardware) return
  void import('@xterm/addon-webgl').then(({ WebglAddon }) => {
    if (isDisposed()) return
    try {
      const webgl = new WebglAddon()
      // A lost context (a GPU reset) falls back to the DOM renderer.
      webgl.onContextLoss(() => {
        webgl.dispose()
        host.dataset.renderer = 'dom'
      })
      terminal.loadAddon(webgl)
      host.dataset.renderer = 'webgl'
    } catch {
      host.dataset.renderer = 'dom'
    }
  })
}

export function Terminal({ store }: { store: AppStore }) {
  const hostRef = useRef<HTMLDivElement>(null)
  const words = useWords(store).terminal
  // The greeting is printed once, in the language of the moment the terminal opens.
  const greetingWords = useRef(words)
  greetingWords.current = words

  useEffect(() => {
    const host = hostRef.current
    if (host === null) return
    const terminal = new XTerm({
      theme: terminalTheme(),
      fontFamily: 'ui-monospace, "DejaVu Sans Mono", Menlo, Consolas, monospace',
      fontSize: 13,
      cursorBlink: true,
      scrollback: 5_000,
      convertEol: true,
      screenReaderMode: false,
    })
    const fit = new FitAddon()
    terminal.loadAddon(fit)
    terminal.open(host)
    let disposed = false
    chooseRenderer(terminal, host, () => disposed)
    // The grid's size, for tests that point at a cell (the canvas has no text to find).
    const sized = terminal.onResize(({ cols, rows }) => {
      host.dataset.cols = String(cols)
      host.dataset.rows = String(rows)
    })
    fit.fit()
    host.dataset.cols = String(terminal.cols)
    host.dataset.rows = String(terminal.rows)

    // Shift+Tab leaves the terminal (Tab completes inside it); F6 goes to the cluster view.
    terminal.attachCustomKeyEventHandler((event) => {
      if (event.key === 'Tab' && event.shiftKey) return false
      if (event.key === 'F6') {
        if (event.type === 'keydown') {
          event.preventDefault()
          document.querySelector<HTMLElement>('[data-focus-target="cluster"]')?.focus()
        }
        return false
      }
      return true
    })

    const output = new TerminalOutput(terminal)
    const shell = new Shell(terminal, store, output)
    const links = terminal.registerLinkProvider({
      provideLinks(lineNumber, answer) {
        const text = terminal.buffer.active.getLine(lineNumber - 1)?.translateToString(true) ?? ''
        const nodes = new Set(store.getState().nodes.map((node) => node.id))
        const found = nodeMentions(text, nodes).map(({ node, start }) => ({
          text: node,
          range: {
            start: { x: start + 1, y: lineNumber },
            end: { x: start + node.length, y: lineNumber },
          },
          decorations: { underline: true, pointerCursor: true },
          // Ctrl+click (Cmd+click on a Mac), as in other terminals: a plain click
          // into the terminal, to type, must not open a menu and take the focus.
          activate: (event: MouseEvent) => {
            if (!event.ctrlKey && !event.metaKey) return
            // The cluster view is a tab of the panel beside (panel-tabs.tsx names it tab-cluster).
            document.getElementById('tab-cluster')?.click()
            store.openNodeMenu(node)
          },
        }))
        answer(found.length === 0 ? undefined : found)
      },
    })
    shell.start([
      `\x1b[1mConsensus Lab\x1b[0m: ${greetingWords.current.greeting}`,
      `\x1b[2m${greetingWords.current.keys}\x1b[0m`,
    ])
    const typed = terminal.onData((data) => shell.input(data))
    store.setCommandRunner((line) => shell.command(line))
    const unsubscribeProgress = store.client.on('progress', ({ line }) => shell.progress(line))
    const unsubscribeNotable = store.client.on('notable', ({ line }) => shell.notable(line))
    const unsubscribeProblems = store.client.onProblem((sentence) => shell.notice(sentence, true))
    let lastStatus = ''
    const unsubscribeStatus = store.client.onStatus((status) => {
      if (status.state === 'closed' && lastStatus !== 'closed') shell.notice(status.reason, true)
      lastStatus = status.state
    })

    let resizeTimer: number | undefined
    const resized = new ResizeObserver(() => {
      window.clearTimeout(resizeTimer)
      resizeTimer = window.setTimeout(() => fit.fit(), resizeDebounceMs)
    })
    resized.observe(host)
    const unsubscribeTheme = onThemeChange(() => {
      terminal.options.theme = terminalTheme()
    })
    terminal.focus()

    return () => {
      disposed = true
      window.clearTimeout(resizeTimer)
      resized.disconnect()
      unsubscribeTheme()
      unsubscribeStatus()
      unsubscribeProblems()
      unsubscribeProgress()
      unsubscribeNotable()
      store.setCommandRunner(null)
      typed.dispose()
      links.dispose()
      sized.dispose()
      terminal.dispose()
    }
  }, [store])

  const lastAnswer = useAppState(store, (state) => state.lastAnswer)

  // xterm.js takes over the element it opens in; the frame around it stays ours.
  // The terminal draws on a canvas: the last answer is also given as text.
  return (
    <div className="terminal-pane" role="region" aria-label={words.region}>
      <div ref={hostRef} className="terminal-host" data-testid="terminal" />
      <div
        className="visually-hidden"
        role="log"
        aria-label={words.lastCommand}
        data-testid="last-answer"
      >
        {lastAnswer === null
          ? ''
          : `${lastAnswer.line}\n${lastAnswer.ok ? '' : words.failed}${lastAnswer.text}`}
      </div>
    </div>
  )
}
