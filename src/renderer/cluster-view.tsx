// The cluster view: the canvas (cluster-drawing.ts) and, over it, one button
// per node, so that every node can be reached by keyboard (Tab, arrows) and
// read by a screen reader, and tests can read the view's state without
// looking at pixels (data-leader on the view, data-role on each node).
// Clicking a node, or Enter on it, opens its menu: kill, restart, pause,
// resume, each run as a command through the terminal, which echoes it.

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { NodeId } from '../shared/envelope'
import { drawScene, layoutNodes, nodeWord, type Layout } from './cluster-drawing'
import { useAppState, type AppStore, type NodeView } from './store'
import { onThemeChange, readPalette } from './theme'

interface Action {
  command: 'kill' | 'restart' | 'pause' | 'resume'
  label: string
  allowed: (node: NodeView) => boolean
}

const actions: Action[] = [
  { command: 'kill', label: 'Kill', allowed: (node) => node.status !== 'dead' },
  { command: 'restart', label: 'Restart', allowed: (node) => node.status === 'dead' },
  { command: 'pause', label: 'Pause', allowed: (node) => node.status === 'up' },
  { command: 'resume', label: 'Resume', allowed: (node) => node.status === 'paused' },
]

export function ClusterView({ store }: { store: AppStore }) {
  const nodes = useAppState(store, (state) => state.nodes)
  const groups = useAppState(store, (state) => state.groups)
  const leader = useAppState(store, (state) => state.leader)
  const run = useAppState(store, (state) => state.run)
  const skipped = useAppState(store, (state) => state.skipped)
  const [size, setSize] = useState({ width: 0, height: 0 })
  const [menuFor, setMenuFor] = useState<NodeId | null>(null)
  const boxRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const nodeButtons = useRef(new Map<NodeId, HTMLButtonElement>())

  const layout: Layout = useMemo(
    () =>
      layoutNodes(
        nodes.map((node) => node.id),
        size.width,
        size.height,
      ),
    [nodes, size],
  )

  // The canvas follows its box (at the screen's pixel density).
  useEffect(() => {
    const box = boxRef.current
    if (box === null) return
    const observer = new ResizeObserver(([entry]) => {
      const { width, height } = entry.contentRect
      setSize({ width: Math.floor(width), height: Math.floor(height) })
    })
    observer.observe(box)
    return () => observer.disconnect()
  }, [])

  // What the drawing loop reads each frame, without restarting it on each change.
  const scene = useRef({ nodes, groups, layout, selected: menuFor })
  scene.current = { nodes, groups, layout, selected: menuFor }
  const dirty = useRef(true)
  dirty.current = true

  useEffect(() => {
    const canvas = canvasRef.current
    const context = canvas?.getContext('2d')
    if (canvas === null || context === null || context === undefined) return
    let palette = readPalette()
    const unsubscribeTheme = onThemeChange(() => {
      palette = readPalette()
      dirty.current = true
    })
    let frame = 0
    let drewFlights = false
    const draw = (): void => {
      frame = requestAnimationFrame(draw)
      const nowMs = performance.now()
      const flights = store.flights.live(nowMs)
      // Idle frames cost nothing: draw only when something changed or moves.
      if (!dirty.current && flights.length === 0 && !drewFlights) return
      dirty.current = false
      drewFlights = flights.length > 0
      const ratio = window.devicePixelRatio || 1
      const { width, height } = canvas.getBoundingClientRect()
      if (
        canvas.width !== Math.round(width * ratio) ||
        canvas.height !== Math.round(height * ratio)
      ) {
        canvas.width = Math.round(width * ratio)
        canvas.height = Math.round(height * ratio)
      }
      context.setTransform(ratio, 0, 0, ratio, 0, 0)
      drawScene(context, { ...scene.current, flights, nowMs, palette })
    }
    frame = requestAnimationFrame(draw)
    return () => {
      cancelAnimationFrame(frame)
      unsubscribeTheme()
    }
  }, [store])

  const choose = (node: NodeId, command: Action['command']): void => {
    setMenuFor(null)
    store.runCommand(`${command} ${node}`)
    nodeButtons.current.get(node)?.focus()
  }

  // Arrow keys move between nodes; Enter or Space opens a node's menu.
  const onNodeKey = (event: KeyboardEvent<HTMLButtonElement>, index: number): void => {
    const step =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? -1
          : 0
    if (step === 0) return
    event.preventDefault()
    const next = nodes[(index + step + nodes.length) % nodes.length]
    nodeButtons.current.get(next.id)?.focus()
  }

  const leaderView = nodes.find((node) => node.id === leader)
  const summary =
    nodes.length === 0
      ? 'No cluster is running. Type start raft 5 in the terminal.'
      : leaderView === undefined
        ? 'No leader right now.'
        : `Leader: ${leaderView.id} (term ${leaderView.term ?? '-'}).`

  return (
    <section
      className="cluster-view"
      aria-label="Cluster view"
      data-leader={leader ?? ''}
      data-run={run}
      data-groups={groups === null ? '' : groups.map((group) => group.join(',')).join('|')}
      data-nodes={nodes.map((node) => `${node.id}:${nodeWord(node)}`).join(' ')}
    >
      <div className="cluster-box" ref={boxRef}>
        <canvas ref={canvasRef} className="cluster-canvas" aria-hidden="true" />
        {nodes.map((node, index) => {
          const at = layout.positions.get(node.id)
          if (at === undefined) return null
          const word = nodeWord(node)
          return (
            <button
              key={node.id}
              type="button"
              className="node-button"
              ref={(button) => {
                if (button === null) nodeButtons.current.delete(node.id)
                else nodeButtons.current.set(node.id, button)
              }}
              style={{
                left: at.x - layout.radius,
                top: at.y - layout.radius,
                width: layout.radius * 2,
                height: layout.radius * 2,
              }}
              data-node={node.id}
              data-role={word}
              data-focus-target={index === 0 ? 'cluster' : undefined}
              aria-label={`${node.id}: ${word}, term ${node.term ?? 'unknown'}, commit index ${node.commitIndex ?? 'unknown'}`}
              aria-haspopup="menu"
              aria-expanded={menuFor === node.id}
              onClick={() => {
                store.selectNode(node.id) // the inspector follows the node clicked
                setMenuFor(menuFor === node.id ? null : node.id)
              }}
              onKeyDown={(event) => onNodeKey(event, index)}
            />
          )
        })}
        {menuFor !== null && (
          <NodeMenu
            node={nodes.find((node) => node.id === menuFor) ?? null}
            at={layout.positions.get(menuFor) ?? null}
            radius={layout.radius}
            box={size}
            onChoose={choose}
            onClose={() => {
              const node = menuFor
              setMenuFor(null)
              nodeButtons.current.get(node)?.focus()
            }}
          />
        )}
      </div>
      <p className="cluster-summary" aria-live="polite">
        {summary}
        {skipped > 0 && (
          <span className="skipped">
            {' '}
            {skipped} events were left out to keep up (counted, not drawn).
          </span>
        )}
      </p>
      <Legend />
    </section>
  )
}

/** About the menu's height (four items), to keep it inside the view. */
const menuHeightPx = 4 * 34 + 10

function NodeMenu(props: {
  node: NodeView | null
  at: { x: number; y: number } | null
  radius: number
  box: { width: number; height: number }
  onChoose: (node: NodeId, command: Action['command']) => void
  onClose: () => void
}) {
  const { node, at, radius, box, onChoose, onClose } = props
  const menuRef = useRef<HTMLDivElement>(null)
  useEffect(() => {
    menuRef.current?.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus()
  }, [])
  if (node === null || at === null) return null
  const onKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.key === 'Escape') {
      event.preventDefault()
      onClose()
      return
    }
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
    event.preventDefault()
    const items = [
      ...(menuRef.current?.querySelectorAll<HTMLButtonElement>('button:not([disabled])') ?? []),
    ]
    const at = items.indexOf(document.activeElement as HTMLButtonElement)
    const step = event.key === 'ArrowDown' ? 1 : -1
    items[(at + step + items.length) % items.length]?.focus()
  }
  return (
    <div
      ref={menuRef}
      className="node-menu"
      role="menu"
      aria-label={`Actions for ${node.id}`}
      style={{
        // Beside the node, on the side towards the middle, so it stays inside the view.
        ...(at.x > box.width / 2
          ? { right: box.width - (at.x - radius - 8) }
          : { left: at.x + radius + 8 }),
        top: Math.max(4, Math.min(at.y - radius, box.height - menuHeightPx - 4)),
      }}
      onKeyDown={onKey}
      onBlur={(event) => {
        // Focus or a click going anywhere else closes the menu.
        if (!menuRef.current?.contains(event.relatedTarget)) onClose()
      }}
    >
      {actions.map((action) => (
        <button
          key={action.command}
          type="button"
          role="menuitem"
          disabled={!action.allowed(node)}
          onClick={() => onChoose(node.id, action.command)}
        >
          {action.label} {node.id}
        </button>
      ))}
    </div>
  )
}

function Legend() {
  const items: [string, string][] = [
    ['leader', 'var(--leader)'],
    ['candidate', 'var(--candidate)'],
    ['follower', 'var(--follower)'],
    ['paused', 'var(--paused)'],
    ['dead', 'var(--dead)'],
  ]
  return (
    <ul className="legend" aria-label="Legend">
      {items.map(([name, colour]) => (
        <li key={name}>
          <span className="swatch" style={{ background: colour }} aria-hidden="true" />
          {name}
        </li>
      ))}
      <li>
        <span className="swatch message" aria-hidden="true" />
        message
      </li>
      <li>
        <span className="dash" aria-hidden="true" />
        cut link
      </li>
    </ul>
  )
}
