// A node's state cut to a size a page can take. Node state is plain JSON, but
// a long-running node's log or store can grow without bound; the inspector
// shows the start of each long array and long string, and says what it left
// out, rather than sending megabytes or refusing to show anything.

/** JSON a page receives: what JSON.stringify would keep of a value. */
export type Json = string | number | boolean | null | Json[] | { [key: string]: Json }

export interface Bounded {
  value: Json
  /** What was cut, as a sentence; null when nothing was. */
  note: string | null
}

/** Nested deeper than this, a value is replaced by a marker (plain data is never this deep). */
const depthMax = 64

/**
 * `value` as JSON of at most `charsMax` characters. Arrays and strings are
 * cut to ever fewer items and characters until it fits; a cut array ends with
 * a marker saying how many items are not shown.
 */
export function boundedJson(value: unknown, charsMax: number): Bounded {
  const whole = toJson(value, Infinity, Infinity, 0)
  if (jsonLength(whole) <= charsMax) return { value: whole, note: null }
  for (let items = 1_000, chars = 2_000; ; items = Math.floor(items / 2), chars = chars / 2) {
    const cut = toJson(value, Math.max(items, 1), Math.max(Math.floor(chars), 16), 0)
    const fits = jsonLength(cut) <= charsMax
    if (fits || items <= 1) {
      return {
        value: fits ? cut : `(a state of ${jsonLength(whole).toLocaleString('en-US')} characters)`,
        note: `The state is larger than ${Math.round(charsMax / 1024)} KiB of JSON: long arrays show their first ${Math.max(items, 1)} items and long strings their first ${Math.max(Math.floor(chars), 16)} characters.`,
      }
    }
  }
}

function jsonLength(value: Json): number {
  return JSON.stringify(value).length
}

function toJson(value: unknown, itemsMax: number, charsMax: number, depth: number): Json {
  if (value === null || typeof value === 'boolean') return value
  if (typeof value === 'number') return Number.isFinite(value) ? value : null
  if (typeof value === 'string') {
    return value.length <= charsMax
      ? value
      : `${value.slice(0, charsMax)}… (${value.length - charsMax} more characters)`
  }
  if (typeof value !== 'object') return null // functions, symbols, undefined: JSON keeps none
  if (depth >= depthMax) return '(nested too deep to show)'
  if (Array.isArray(value)) {
    const shown = value
      .slice(0, itemsMax)
      .map((item: unknown) => toJson(item, itemsMax, charsMax, depth + 1))
    if (value.length > itemsMax) shown.push(`… ${value.length - itemsMax} more items`)
    return shown
  }
  const object: { [key: string]: Json } = {}
  const entries = Object.entries(value)
  for (const [key, field] of entries.slice(0, itemsMax)) {
    if (field === undefined || typeof field === 'function') continue
    object[key] = toJson(field, itemsMax, charsMax, depth + 1)
  }
  if (entries.length > itemsMax) object['…'] = `${entries.length - itemsMax} more fields`
  return object
}
