// The desktop app's transport of the typed API: one ApiCore per window (its
// session closed when the window closes), requests in over
// ipcRenderer.invoke, answered through the same validation as browser mode
// (answer-request.ts), events out with webContents.send. Only the app's own
// pages, in a window's main frame, may ask.

import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron'
import type { EventMessage, ReplyMessage } from '../../shared/api'
import { eventChannel, requestChannel } from '../../shared/ipc'
import { answerRequest, type RequestAnswerer } from '../api/answer-request'
import { isAppPage, type PageOrigin } from './page-policy'

/** What the transport needs of a core: answers, and a way to stop. */
export type TransportCore = RequestAnswerer & { close(): Promise<void> }

export interface CoreHooks {
  /** Sends one event to the page. */
  push: (message: EventMessage) => void
  /** True while the page cannot take events (see `pageIsBehind`). */
  behind: () => boolean
}

export type IpcMainLike = Pick<IpcMain, 'handle' | 'removeHandler'>

export type ContentsLike = Pick<WebContents, 'id' | 'send' | 'isDestroyed' | 'once'>

/** What the transport needs of a window. */
export interface WindowLike {
  webContents: ContentsLike
  isMinimized(): boolean
  isVisible(): boolean
  once(event: 'closed', listener: () => void): unknown
}

/**
 * Whether trace batching should hold back: IPC has no backlog a sender can
 * see (webContents.send queues without limit), but a hidden or minimized
 * window's page is throttled and draws nothing, so while it is, the batcher
 * counts the busy kinds instead of sending them and keeps the lasting ones
 * (roles, faults) for when the window shows again.
 */
export function pageIsBehind(window: Pick<WindowLike, 'isMinimized' | 'isVisible'>): boolean {
  return window.isMinimized() || !window.isVisible()
}

export class IpcTransport {
  private readonly cores = new Map<number, TransportCore>()

  constructor(
    private readonly ipcMain: IpcMainLike,
    private readonly origin: PageOrigin,
    private readonly makeCore: (hooks: CoreHooks) => TransportCore,
  ) {
    ipcMain.handle(requestChannel, (event, message: unknown) => this.answer(event, message))
  }

  /** Gives a window its own core; closing the window stops it. */
  attach(window: WindowLike): void {
    const contents = window.webContents
    const id = contents.id
    const core = this.makeCore({
      push: (message) => {
        if (!contents.isDestroyed()) contents.send(eventChannel, message)
      },
      behind: () => pageIsBehind(window),
    })
    this.cores.set(id, core)
    window.once('closed', () => {
      this.cores.delete(id)
      void core.close()
    })
  }

  /** Stops every window's core and stops answering. */
  async close(): Promise<void> {
    this.ipcMain.removeHandler(requestChannel)
    const cores = [...this.cores.values()]
    this.cores.clear()
    await Promise.all(cores.map((core) => core.close()))
  }

  private answer(
    event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>,
    message: unknown,
  ): Promise<ReplyMessage> {
    const frame = event.senderFrame
    const refuse = (error: string): Promise<ReplyMessage> =>
      Promise.resolve({ kind: 'reply', id: null, ok: false, error })
    if (frame === null || frame.parent !== null || !isAppPage(frame.url, this.origin)) {
      return refuse("only the app's own page may use the API.")
    }
    const core = this.cores.get(event.sender.id)
    if (core === undefined) return refuse('this window has no session (it is closing).')
    return answerRequest(core, message)
  }
}
