// The node's state as a tree (state-tree.ts): one tab stop, arrows to move,
// Right and Left to open and close, Enter to toggle, as WAI-ARIA's tree
// pattern has it; a click toggles too. What is open stays open as the state
// changes underneath, since items are named by their path.

import { useMemo, useRef, useState, type KeyboardEvent } from 'react'
import { treeKey, visibleItems } from './state-tree'

export function StateTreeView(props: { state: unknown; label: string; empty: string }) {
  const { state, label, empty } = props
  const [open, setOpen] = useState<ReadonlySet<string>>(() => new Set())
  const [focus, setFocus] = useState<string | null>(null)
  const items = useMemo(() => visibleItems(state, open), [state, open])
  const rows = useRef(new Map<string, HTMLLIElement>())
  const focused = items.find((item) => item.id === focus) ?? items[0]

  const moveTo = (id: string): void => {
    setFocus(id)
    // After React draws the new row (a parent, or a child just opened).
    requestAnimationFrame(() => rows.current.get(id)?.focus())
  }

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    if (focused === undefined) return
    const next = treeKey(event.key, items, focused.id, open)
    if (next === null) return
    event.preventDefault()
    setOpen(next.open)
    moveTo(next.focus)
  }

  const toggle = (id: string): void => {
    const next = new Set(open)
    if (next.has(id)) next.delete(id)
    else next.add(id)
    setOpen(next)
    moveTo(id)
  }

  if (items.length === 0) return <p className="insp-empty">{empty}</p>
  return (
    <ul className="insp-tree" role="tree" aria-label={label} onKeyDown={onKeyDown}>
      {items.map((item) => {
        const isOpen = item.expandable && open.has(item.id)
        return (
          <li
            key={item.id}
            ref={(element) => {
              if (element === null) rows.current.delete(item.id)
              else rows.current.set(item.id, element)
            }}
            role="treeitem"
            aria-label={`${item.label}: ${isOpen ? item.size : item.preview}`}
            aria-level={item.depth + 1}
            aria-expanded={item.expandable ? isOpen : undefined}
            aria-selected={item === focused}
            tabIndex={item === focused ? 0 : -1}
            className="insp-tree-item"
            style={{ paddingLeft: `${item.depth * 1.1 + 0.3}rem` }}
            data-path={item.id}
            onFocus={() => setFocus(item.id)}
            onClick={(event) => {
              event.stopPropagation()
              if (item.expandable) toggle(item.id)
              else moveTo(item.id)
            }}
          >
            <span className="insp-twisty" aria-hidden="true">
              {item.expandable ? (isOpen ? '▾' : '▸') : ''}
            </span>
            <span className="insp-key">{item.label}</span>
            <span className="insp-colon" aria-hidden="true">
              :
            </span>
            <span className={item.expandable ? 'insp-preview' : 'insp-value'}>
              {isOpen ? item.size : item.preview}
            </span>
          </li>
        )
      })}
    </ul>
  )
}
