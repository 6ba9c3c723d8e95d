// The bridge between the sandboxed renderer and the main process. It exposes
// exactly the typed API of src/shared and nothing else; the API itself arrives
// with the desktop app (terminal, cluster view, editor).

import { contextBridge } from 'electron'

contextBridge.exposeInMainWorld('consensusLab', {
  version: '0.1.0',
})
