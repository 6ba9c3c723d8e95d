// The one way a transport turns what a page sent into an answer: validate the
// request against the typed API's schemas, hand it to the ApiCore, and reply
// with its result or one sentence saying why there is none. Browser mode's
// WebSocket (src/main/web.ts) and the desktop app's IPC
// (src/main/electron/ipc-transport.ts) both answer through here.

import {
  problemSentence,
  requestMessageSchema,
  requestSchemas,
  type ReplyMessage,
} from '../../shared/api'
import type { z } from 'zod'
import { RefusedRequest, type ApiCore } from './core'

/** The part of ApiCore a transport needs (a test may answer with less). */
export type RequestAnswerer = Pick<ApiCore, 'request'>

/** Answers one request message (already parsed from JSON, or as IPC delivered it); never throws. */
export async function answerRequest(
  core: RequestAnswerer,
  message: unknown,
): Promise<ReplyMessage> {
  const parsed = requestMessageSchema.safeParse(message)
  if (!parsed.success) {
    return { kind: 'reply', id: idOf(message), ok: false, error: badRequest(message, parsed.error) }
  }
  const { id, name, args } = parsed.data
  try {
    const result = await core.request(name, args)
    return { kind: 'reply', id, ok: true, result }
  } catch (error) {
    return {
      kind: 'reply',
      id,
      ok: false,
      error: error instanceof RefusedRequest ? error.message : `the core failed: ${String(error)}`,
    }
  }
}

/** Answers one request sent as JSON text (browser mode); never throws. */
export function answerRequestText(core: RequestAnswerer, text: string): Promise<ReplyMessage> {
  let message: unknown
  try {
    message = JSON.parse(text)
  } catch {
    return Promise.resolve({
      kind: 'reply',
      id: null,
      ok: false,
      error: 'a message must be JSON text.',
    })
  }
  return answerRequest(core, message)
}

function idOf(message: unknown): number | null {
  if (typeof message !== 'object' || message === null) return null
  const id = (message as { id?: unknown }).id
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 0 ? id : null
}

/** One sentence for a request that does not fit the contract. */
function badRequest(message: unknown, error: z.ZodError): string {
  const names = Object.keys(requestSchemas)
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return 'a request is an object: {"kind":"request","id":1,"name":"run","args":{"line":"status"}}.'
  }
  const { kind, name } = message as { kind?: unknown; name?: unknown }
  if (kind !== 'request') return 'a message to the core must have "kind":"request".'
  if (typeof name !== 'string' || !names.includes(name)) {
    return `there is no request ${JSON.stringify(name)}; the requests are ${names.join(', ')}.`
  }
  return problemSentence(error, `the ${name} request`)
}
