// A long table drawn a screenful at a time (virtual-rows.ts picks the rows):
// a log of 20,000 entries costs what 40 rows cost. It is one tab stop; arrow
// keys, Page Up/Down, Home and End scroll it, as any scrolling box does.

import { useEffect, useRef, useState, type ReactNode } from 'react'
import { rowWindow } from './virtual-rows'

export interface VirtualListProps {
  label: string
  count: number
  rowPx: number
  /** The header row (column names), drawn above the rows and kept in view. */
  header: ReactNode
  /** One row's cells; the list wraps them in the row. */
  row: (index: number) => { cells: ReactNode; className?: string }
  /** A row to bring into view whenever this changes (e.g. the first conflict, or the end). */
  reveal?: { index: number; key: string } | null
  testId?: string
}

export function VirtualList({
  label,
  count,
  rowPx,
  header,
  row,
  reveal,
  testId,
}: VirtualListProps) {
  const box = useRef<HTMLDivElement>(null)
  const [scrollTop, setScrollTop] = useState(0)
  const [viewportPx, setViewportPx] = useState(400)

  useEffect(() => {
    const element = box.current
    if (element === null) return
    const observer = new ResizeObserver(([entry]) => setViewportPx(entry.contentRect.height))
    observer.observe(element)
    return () => observer.disconnect()
  }, [])

  const revealKey = reveal?.key ?? null
  const revealIndex = reveal?.index ?? null
  useEffect(() => {
    const element = box.current
    if (element === null || revealIndex === null) return
    const top = revealIndex * rowPx
    // Only when the row is out of view: a learner's own scrolling is left alone otherwise.
    if (top < element.scrollTop || top + rowPx > element.scrollTop + element.clientHeight - rowPx) {
      element.scrollTop = Math.max(0, top - element.clientHeight / 3)
      setScrollTop(element.scrollTop)
    }
  }, [revealKey, revealIndex, rowPx])

  const { first, end } = rowWindow(scrollTop, viewportPx, rowPx, count)
  const rows: ReactNode[] = []
  for (let index = first; index < end; index++) {
    const { cells, className } = row(index)
    rows.push(
      <div
        key={index}
        role="row"
        aria-rowindex={index + 2}
        className={`insp-row${className === undefined ? '' : ` ${className}`}`}
        style={{ top: index * rowPx, height: rowPx }}
      >
        {cells}
      </div>,
    )
  }
  return (
    <div
      ref={box}
      className="insp-virtual"
      role="table"
      aria-label={label}
      aria-rowcount={count + 1}
      tabIndex={0}
      data-testid={testId}
      data-rows-drawn={end - first}
      onScroll={(event) => setScrollTop(event.currentTarget.scrollTop)}
    >
      <div role="rowgroup" className="insp-virtual-head">
        <div role="row" aria-rowindex={1} className="insp-row insp-head-row">
          {header}
        </div>
      </div>
      <div role="rowgroup" className="insp-virtual-body" style={{ height: count * rowPx }}>
        {rows}
      </div>
    </div>
  )
}
