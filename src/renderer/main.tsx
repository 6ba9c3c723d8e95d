import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { connectWebSocket } from './api/web-socket-client'
import { App } from './app'
import { AppStore } from './store'
import './styles.css'

// One connection and one store for the page's life: browser mode's WebSocket
// today; the desktop app's preload will offer the same API.
const store = new AppStore(connectWebSocket(window.location))

const root = document.getElementById('root')
if (root === null) throw new Error('index.html has no #root element')
createRoot(root).render(
  <StrictMode>
    <App store={store} />
  </StrictMode>,
)
