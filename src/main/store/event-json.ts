// How a trace event is kept in the events table: its seq (in the row's key),
// t, node and kind in columns of their own, and the JSON of the rest.
//
// Why not the whole JSON: insert speed falls with the bytes written (measured
// here: 160-byte rows insert about a fifth faster than 214-byte ones, and the
// head of every event, `{"seq":101,"t":176.10765334265307,"kind":"send",
// "node":"n5",`, is a quarter of an average one), and the file is a quarter
// smaller. Why not kind-specific columns: every event would then cost one
// column per field instead of one string, and the JSON is what export writes.
//
// The head is cut from JSON.stringify's own output by looking, not by
// formatting numbers again (formatting t a second time doubled the cost):
// the text between `"seq":` and the next comma is the seq, and so on, since a
// number's JSON has no comma. Decoding formats the columns' seq and t, which
// gives the same text, as String and JSON.stringify agree on finite numbers.
// Every runtime builds events with seq and t first (see EventBase), then node
// and kind in either order; an event whose JSON does not start that way is
// kept whole, and reads back the same.

import type { TraceEvent } from '../../shared/trace'

/** `"node":"n1"` and `"kind":"send"` texts, made once per value (there are few). */
const fieldTexts = new Map<string, string>()
const fieldTextsMax = 10_000

function fieldText(name: 'node' | 'kind', value: string): string {
  const key = name === 'node' ? `n${value}` : `k${value}`
  let text = fieldTexts.get(key)
  if (text === undefined) {
    text = `"${name}":${JSON.stringify(value)}`
    if (fieldTexts.size < fieldTextsMax) fieldTexts.set(key, text)
  }
  return text
}

const seqOpening = '{"seq":'

/**
 * The stored text of an event: either what follows its head (starting with
 * `,` or `}`), or, when its JSON does not start with the head, the whole JSON
 * (starting with `{`).
 */
export function compactEventJson(event: TraceEvent): string {
  const json = JSON.stringify(event)
  if (!json.startsWith(seqOpening) || !Number.isFinite(event.t)) return json
  const seqEnd = json.indexOf(',', seqOpening.length)
  if (seqEnd < 0 || !json.startsWith('"t":', seqEnd + 1)) return json
  const tEnd = json.indexOf(',', seqEnd + 5)
  if (tEnd < 0) return json
  const node = fieldText('node', event.node)
  const kind = fieldText('kind', event.kind)
  let at = tEnd + 1
  if (json.startsWith(kind, at)) {
    at += kind.length
    if (json.charCodeAt(at) !== comma || !json.startsWith(node, at + 1)) return json
    at += 1 + node.length
  } else if (json.startsWith(node, at)) {
    at += node.length
    if (json.charCodeAt(at) !== comma || !json.startsWith(kind, at + 1)) return json
    at += 1 + kind.length
  } else {
    return json
  }
  return json.slice(at)
}

const comma = 44

/** An event's JSON (one JSON Lines line) from its stored row. */
export function eventLine(
  seq: number,
  t: number,
  node: string,
  kind: string,
  stored: string,
): string {
  if (stored.startsWith('{')) return stored
  return `{"seq":${seq},"t":${t},${fieldText('node', node)},${fieldText('kind', kind)}${stored}`
}
