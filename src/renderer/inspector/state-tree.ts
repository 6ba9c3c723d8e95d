// A node's state as a tree a learner can read, for any algorithm's plain-JSON
// state: the fields that matter first (role, term, commit index...), then the
// rest in the order the node keeps them. Long arrays and objects open in
// groups of at most 100 (as browsers' developer tools do), so that a log of
// 20,000 entries never becomes 20,000 rows at once. Pure: the view
// (state-tree-view.tsx) keeps which items are open and which has focus.

/** Fields shown first, in this order, wherever they appear: the paper's vocabulary. */
const fieldsFirst = [
  'role',
  'phase',
  'status',
  'currentTerm',
  'term',
  'leaderId',
  'leader',
  'votedFor',
  'commitIndex',
  'lastApplied',
  'ballot',
  'promised',
  'promisedBallot',
  'acceptedBallot',
  'acceptedValue',
  'chosen',
  'firstSlot',
  'nextSlot',
]

/** Children shown at one level, at most; more are grouped into ranges. */
export const groupSizeMax = 100

export interface TreeItem {
  /** Unique in the tree: the path from the root. */
  id: string
  /** The item above it, or null at the top level. */
  parentId: string | null
  /** A field name, an array index, or a range such as `[100 … 199]`. */
  label: string
  depth: number
  /** What a closed item shows: the value itself, or `{3 fields}`, `[12 items]`. */
  preview: string
  /** What an open item shows beside its children: `{3 fields}`, `[12 items]`. */
  size: string
  expandable: boolean
  /** The entries under an expandable item: its container's entries from..to (not including to). */
  children: { entries: readonly (readonly [string, unknown])[]; from: number; to: number } | null
}

/** The top level of the tree: the state's fields (or the state itself when it is not an object). */
export function rootItems(state: unknown): TreeItem[] {
  if (!isContainer(state)) return [itemFor('state', state, null, 0, 'state')]
  const entries = entriesOf(state)
  return groupItems(entries, 0, entries.length, null, 0)
}

export function childrenOf(item: TreeItem): TreeItem[] {
  if (item.children === null) return []
  const { entries, from, to } = item.children
  return groupItems(entries, from, to, item.id, item.depth + 1)
}

/** The items a reader sees: the top level, and the children of every open item, in order. */
export function visibleItems(state: unknown, open: ReadonlySet<string>): TreeItem[] {
  const shown: TreeItem[] = []
  const walk = (items: TreeItem[]): void => {
    for (const item of items) {
      shown.push(item)
      if (item.expandable && open.has(item.id)) walk(childrenOf(item))
    }
  }
  walk(rootItems(state))
  return shown
}

export interface TreeFocus {
  focus: string
  open: ReadonlySet<string>
}

/**
 * What a key does in the tree, as WAI-ARIA's tree pattern has it: Up and Down
 * move between visible items; Right opens an item, or on an open one moves to
 * its first child; Left closes an open item, or moves to its parent; Home and
 * End go to the first and last; Enter and Space open or close. Null: the key
 * means nothing here.
 */
export function treeKey(
  key: string,
  visible: readonly TreeItem[],
  focus: string,
  open: ReadonlySet<string>,
): TreeFocus | null {
  const at = visible.findIndex((item) => item.id === focus)
  const item = visible[at]
  if (item === undefined) return visible.length === 0 ? null : { focus: visible[0].id, open }
  const isOpen = item.expandable && open.has(item.id)
  const toggled = (opening: boolean): ReadonlySet<string> => {
    const next = new Set(open)
    if (opening) next.add(item.id)
    else next.delete(item.id)
    return next
  }
  switch (key) {
    case 'ArrowDown':
      return { focus: visible[Math.min(at + 1, visible.length - 1)].id, open }
    case 'ArrowUp':
      return { focus: visible[Math.max(at - 1, 0)].id, open }
    case 'Home':
      return { focus: visible[0].id, open }
    case 'End':
      return { focus: visible[visible.length - 1].id, open }
    case 'ArrowRight':
      if (!item.expandable) return null
      if (!isOpen) return { focus, open: toggled(true) }
      return { focus: visible[at + 1]?.id ?? focus, open }
    case 'ArrowLeft':
      if (isOpen) return { focus, open: toggled(false) }
      return item.parentId === null ? null : { focus: item.parentId, open }
    case 'Enter':
    case ' ':
      return item.expandable ? { focus, open: toggled(!isOpen) } : null
    default:
      return null
  }
}

function groupItems(
  entries: readonly (readonly [string, unknown])[],
  from: number,
  to: number,
  parentId: string | null,
  depth: number,
): TreeItem[] {
  const count = to - from
  if (count <= groupSizeMax) {
    const items: TreeItem[] = []
    for (let i = from; i < to; i++) {
      const [key, value] = entries[i]
      items.push(itemFor(key, value, parentId, depth, `${parentId ?? ''}/${key}`))
    }
    return items
  }
  // Ranges of 100, 10,000, ... entries: at most 100 ranges at this level.
  let size = groupSizeMax
  while (count / size > groupSizeMax) size *= groupSizeMax
  const ranges: TreeItem[] = []
  for (let start = from; start < to; start += size) {
    const end = Math.min(start + size, to)
    ranges.push({
      id: `${parentId ?? ''}#${start}-${end}`,
      parentId,
      label: `[${entries[start][0]} … ${entries[end - 1][0]}]`,
      depth,
      preview: `${end - start} items`,
      size: `${end - start} items`,
      expandable: true,
      children: { entries, from: start, to: end },
    })
  }
  return ranges
}

function itemFor(
  key: string,
  value: unknown,
  parentId: string | null,
  depth: number,
  id: string,
): TreeItem {
  if (!isContainer(value)) {
    return {
      id,
      parentId,
      label: key,
      depth,
      preview: leafText(value),
      size: '',
      expandable: false,
      children: null,
    }
  }
  const entries = entriesOf(value)
  const size = entries.length
  const sizeText = Array.isArray(value)
    ? `[${size} item${size === 1 ? '' : 's'}]`
    : `{${size} field${size === 1 ? '' : 's'}}`
  return {
    id,
    parentId,
    label: key,
    depth,
    preview: inlinePreview(value) ?? sizeText,
    size: sizeText,
    expandable: size > 0,
    children: size > 0 ? { entries, from: 0, to: size } : null,
  }
}

/** An array's items by index; an object's fields, the ones that matter first. */
function entriesOf(value: object): (readonly [string, unknown])[] {
  if (Array.isArray(value)) return value.map((item: unknown, i) => [String(i), item] as const)
  const entries = Object.entries(value)
  const rank = (key: string): number => {
    const at = fieldsFirst.indexOf(key)
    return at < 0 ? fieldsFirst.length : at
  }
  // A stable sort: fields not named above keep the node's own order.
  return entries.sort(([a], [b]) => rank(a) - rank(b))
}

/** A closed container shows its contents when they fit on a short line. */
const inlineCharsMax = 72

/** `{term: 1, command: {op: "write", key: "x", value: 1}}`, or null when too long to read at a glance. */
function inlinePreview(value: object): string | null {
  const text = inlineText(value, 0)
  return text !== null && text.length <= inlineCharsMax ? text : null
}

/** Null as soon as the text would not fit: a 20,000-entry log is never written out here. */
function inlineText(value: unknown, depth: number): string | null {
  if (typeof value !== 'object' || value === null) return leafText(value)
  if (depth > 3 || (Array.isArray(value) && value.length > inlineCharsMax / 2)) return null
  const parts: string[] = []
  let length = 2
  const entries = Array.isArray(value)
    ? value.map((item: unknown) => [null, item] as const)
    : Object.entries(value)
  for (const [key, field] of entries) {
    const inner = inlineText(field, depth + 1)
    if (inner === null) return null
    const part = key === null ? inner : `${key}: ${inner}`
    length += part.length + 2
    if (length > inlineCharsMax) return null
    parts.push(part)
  }
  return Array.isArray(value) ? `[${parts.join(', ')}]` : `{${parts.join(', ')}}`
}

/** A value in one short line: strings quoted, as JSON writes them. */
function leafText(value: unknown): string {
  // JSON writes no undefined (a field the core left out) nor functions: name them.
  const text = JSON.stringify(value) ?? typeof value
  return text.length > 200 ? `${text.slice(0, 199)}…` : text
}

function isContainer(value: unknown): value is object {
  return typeof value === 'object' && value !== null
}
