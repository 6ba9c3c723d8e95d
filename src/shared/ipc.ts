// The desktop app's IPC channels: the preload and the main process agree on
// these two names and on nothing else. Requests travel as the same
// RequestMessage that browser mode sends over its WebSocket (validated by the
// main process with the same schemas); events as the same EventMessage. The
// page never names a channel: the preload owns both.

/** ipcRenderer.invoke -> ipcMain.handle: a RequestMessage in, a ReplyMessage out. */
export const requestChannel = 'consensus-lab:request'

/** webContents.send -> ipcRenderer.on: every EventMessage. */
export const eventChannel = 'consensus-lab:event'
