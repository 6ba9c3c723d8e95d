import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectToCore } from './api/connect'
import { App } from './app'
import { installShortcuts } from './shortcuts'
import { AppStore } from './store'
import { startTheme } from './theme'
import './styles.css'

// The theme first, so that the first frame is drawn in it.
startTheme()

// One connection and one store for the page's life: the desktop app's IPC
// when its preload offers the API, else browser mode's WebSocket.
const client = connectToCore(window)
installShortcuts(client)
const store = new AppStore(client)

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
)
