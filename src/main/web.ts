// Browser mode: `npm run web [-- --port N] [--db FILE]`. Serves the renderer
// (out/renderer, the output of `npm run build`, built first when it is missing
// or older than its sources: src/main/renderer-build.ts) and the typed API of
// src/shared/api.ts over a WebSocket, on 127.0.0.1 only. A random token made
// for this run guards the socket: the page learns it from the address this
// prints, and other pages and programs on the machine cannot drive the core.
// Each connection gets a session of its own (a real-time cluster, a job
// thread, the run library), stopped when the connection closes.

import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { resolve } from 'node:path'
import { ensureNativeModule } from '../../scripts/native-module.mjs'
import { contentSecurityPolicy } from './electron/page-policy'
import { prepareRenderer, type PreparedRenderer } from './renderer-build'

const usage = `consensus-lab web: the app in a browser, backed by the core on this machine.

  npm run web [-- --port N] [--db FILE]

  --port N     the port on 127.0.0.1 to serve on (default 0: any free port)
  --db FILE    where runs are kept (default: lab.db in the user's config folder)

It prints the address to open; the address carries a token made for this run.`

// --- The server. ---

export interface WebServerOptions {
  /** 0 picks any free port. */
  port: number
  /** Where runs are kept (default: the config folder). */
  db?: string
  /** Where notices go (a moved damaged store, pruned runs). */
  tell: (line: string) => void
  /** Finds or builds the page's files (default: out/renderer, built when stale). */
  renderer?: () => Promise<PreparedRenderer>
}

export interface WebServer {
  /** The address to open, token included. */
  url: string
  port: number
  close(): Promise<void>
}

function sameSecret(given: string, token: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(token)
  return a.length === b.length && timingSafeEqual(a, b)
}

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  // The core is most of the server's code: it loads while the browser fetches
  // the page, instead of before the address is printed (about 0.5 s of a start).
  // It starts first, so that its files are read while the page's are.
  const loading = import('./web-connections').then(({ openWebConnections }) =>
    openWebConnections({
      ...(options.db === undefined ? {} : { db: options.db }),
      tell: options.tell,
    }),
  )
  loading.catch((error: unknown) =>
    options.tell(
      `the core did not load: ${error instanceof Error ? error.message : String(error)}`,
    ),
  )
  let renderer: PreparedRenderer
  try {
    renderer = await (options.renderer ?? (() => prepareRenderer({ tell: options.tell })))()
  } catch (error) {
    await loading.then((connections) => connections.close()).catch(() => {})
    throw error
  }
  const files = renderer.files
  const token = randomBytes(24).toString('base64url')
  let port = options.port

  // Only the names this server answers to: a page on another name that
  // resolves here (DNS rebinding) gets nothing.
  const knownHost = (host: string | undefined): boolean =>
    host === `127.0.0.1:${port}` || host === `localhost:${port}`
  const knownOrigin = (origin: string | undefined): boolean =>
    origin === undefined ||
    origin === `http://127.0.0.1:${port}` ||
    origin === `http://localhost:${port}`

  const serve = (request: IncomingMessage, response: ServerResponse): void => {
    const plain = (status: number, text: string): void => {
      response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' })
      response.end(`${text}\n`)
    }
    if (!knownHost(request.headers.host)) return plain(403, 'open the address npm run web printed.')
    if (request.method !== 'GET' && request.method !== 'HEAD') return plain(405, 'only GET here.')
    const path = new URL(request.url ?? '/', `http://127.0.0.1:${port}`).pathname
    const file = files.get(path === '/' ? '/index.html' : path)
    if (file === undefined) return plain(404, `there is no ${path} here.`)
    response.writeHead(200, {
      'Content-Type': file.type,
      'Content-Length': file.body.length,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': contentSecurityPolicy({
        connect: [`ws://127.0.0.1:${port}`, `ws://localhost:${port}`],
        header: true,
      }),
    })
    response.end(request.method === 'HEAD' ? undefined : file.body)
  }

  const http = createServer(serve)
  const refuse = (socket: Duplex, status: string, sentence: string): void => {
    socket.end(
      `HTTP/1.1 ${status}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${sentence}\n`,
    )
  }

  http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', `http://127.0.0.1:${port}`)
    if (!knownHost(request.headers.host) || !knownOrigin(request.headers.origin)) {
      return refuse(socket, '403 Forbidden', 'only pages served by this server may connect.')
    }
    if (!sameSecret(url.searchParams.get('token') ?? '', token)) {
      return refuse(
        socket,
        '403 Forbidden',
        'the token is missing or wrong: open the address npm run web printed.',
      )
    }
    loading.then(
      (connections) => {
        if (url.pathname !== connections.path)
          return refuse(socket, '404 Not Found', `the API is at ${connections.path}.`)
        if (!socket.destroyed) connections.accept(request, socket, head)
      },
      () =>
        refuse(
          socket,
          '500 Internal Server Error',
          'the core did not load: see the terminal that runs npm run web.',
        ),
    )
  })

  try {
    await new Promise<void>((done, fail) => {
      http.once('error', fail)
      http.listen(options.port, '127.0.0.1', () => {
        http.off('error', fail)
        done()
      })
    })
  } catch (error) {
    await loading.then((connections) => connections.close()).catch(() => {})
    throw error
  }
  const address = http.address()
  if (address === null || typeof address === 'string') throw new Error('the server has no port')
  port = address.port

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    close: async () => {
      await loading.then((connections) => connections.close()).catch(() => {})
      http.closeAllConnections()
      await new Promise<void>((done) => http.close(() => done()))
    },
  }
}

// --- The command. ---

function parseArguments(args: string[]): { port: number; db?: string } | string {
  let port = 0
  let db: string | undefined
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]
    const value = args[i + 1]
    if (arg === '--port') {
      if (value === undefined || !/^\d+$/.test(value) || Number(value) > 65_535) {
        return '--port needs a number from 0 to 65535, e.g. --port 5170 (0: any free port).'
      }
      port = Number(value)
      i++
    } else if (arg === '--db') {
      if (value === undefined || value.startsWith('--'))
        return '--db needs a file, e.g. --db lab.db'
      db = value
      i++
    } else {
      return `unknown argument ${arg}.`
    }
  }
  return db === undefined ? { port } : { port, db }
}

async function main(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    console.log(usage)
    return 0
  }
  const parsed = parseArguments(args)
  if (typeof parsed === 'string') {
    console.error(`${parsed}\n\n${usage}`)
    return 2
  }
  // In this process rather than an npm pre-script: a process start less (0.13 s).
  try {
    const rebuilt = ensureNativeModule('node')
    if (rebuilt !== null) console.error(rebuilt)
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    return 2
  }
  let server: WebServer
  try {
    server = await startWebServer({ ...parsed, tell: (line) => console.error(line) })
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    console.error(
      code === 'EADDRINUSE'
        ? `port ${parsed.port} is taken; choose another with --port N (0: any free port).`
        : `cannot start: ${error instanceof Error ? error.message : String(error)}`,
    )
    return 2
  }
  console.log(`open ${server.url}`)
  await new Promise<void>((done) => {
    process.once('SIGINT', done)
    process.once('SIGTERM', done)
  })
  // Stopping the clusters closes their workers; closing the store flushes the runs.
  await server.close()
  return 0
}

const entry = process.argv[1]
if (entry !== undefined && resolve(entry) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error)
      process.exit(1)
    },
  )
}
