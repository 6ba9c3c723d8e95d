// The tabbed panel beside the terminal: one tab per view (cluster, inspector,
// code, metrics...). A panel is mounted the first time its tab opens (so the
// code editor loads only when wanted) and then kept, hidden, so that it keeps
// its state. Keyboard: Tab reaches the selected tab; arrows, Home and End move
// between tabs, as WAI-ARIA's tabs pattern has it.

import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react'

export interface Panel {
  id: string
  title: string
  render: () => ReactNode
}

export function PanelTabs({ panels, label }: { panels: readonly Panel[]; label: string }) {
  const [selected, setSelected] = useState(panels[0]?.id ?? '')
  const [opened, setOpened] = useState<ReadonlySet<string>>(() => new Set([selected]))
  const tabs = useRef(new Map<string, HTMLButtonElement>())

  const open = (id: string): void => {
    setSelected(id)
    setOpened((before) => (before.has(id) ? before : new Set([...before, id])))
    tabs.current.get(id)?.focus()
  }

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const at = panels.findIndex((panel) => panel.id === selected)
    const to =
      event.key === 'ArrowRight'
        ? (at + 1) % panels.length
        : event.key === 'ArrowLeft'
          ? (at - 1 + panels.length) % panels.length
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? panels.length - 1
              : null
    if (to === null) return
    event.preventDefault()
    const panel = panels[to]
    if (panel !== undefined) open(panel.id)
  }

  return (
    <section className="panel-tabs" aria-label={label}>
      <div className="tab-list" role="tablist" aria-label={label} onKeyDown={onKeyDown}>
        {panels.map((panel) => (
          <button
            key={panel.id}
            ref={(element) => {
              if (element === null) tabs.current.delete(panel.id)
              else tabs.current.set(panel.id, element)
            }}
            type="button"
            role="tab"
            id={`tab-${panel.id}`}
            aria-selected={panel.id === selected}
            aria-controls={`panel-${panel.id}`}
            tabIndex={panel.id === selected ? 0 : -1}
            className="tab"
            onClick={() => open(panel.id)}
          >
            {panel.title}
          </button>
        ))}
      </div>
      {panels.map((panel) =>
        opened.has(panel.id) ? (
          <div
            key={panel.id}
            role="tabpanel"
            id={`panel-${panel.id}`}
            aria-labelledby={`tab-${panel.id}`}
            className="tab-panel"
            hidden={panel.id !== selected}
          >
            {panel.render()}
          </div>
        ) : null,
      )}
    </section>
  )
}
