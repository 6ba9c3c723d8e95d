// The cluster view: the canvas (cluster-drawing.ts) and, over it, one button
// per node, so that every node can be reached by keyboard (Tab, arrows) and
// read by a screen reader, and tests can read the view's state without
// looking at pixels (data-leader on the view, data-role on each node).
// Clicking a node, or Enter on it, opens its menu: kill, restart, pause,
// resume, isolate, each run as a command through the terminal, which echoes
// it. Dragging across or around nodes draws a partition (cluster-pointer.ts);
// hovering a message or a link says what travels there (flight-hover.ts).

import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react'
import type { NodeId } from '../shared/envelope'
import {
  drawScene,
  layoutNodes,
  nodeWord,
  nodeWordIn,
  type DrawnFlights,
  type Layout,
} from './cluster-drawing'
import { useClusterPointer } from './cluster-pointer'
import { describeAt } from './flight-hover'
import { useWords, type Words } from './i18n'
import { partitionCommand } from './partition-gesture'
import { useAppState, type AppStore, type NodeView } from './store'
import { onThemeChange, readPalette } from './theme'

interface Action {
  label: keyof Words['cluster']['actions']
  allowed: (node: NodeView, all: readonly NodeView[]) => boolean
  /** The command line it runs. */
  line: (node: NodeId, all: readonly NodeView[]) => string
}

const lifecycle = (command: string) => (node: NodeId) => `${command} ${node}`

const actions: Action[] = [
  { label: 'kill', allowed: (node) => node.status !== 'dead', line: lifecycle('kill') },
  { label: 'restart', allowed: (node) => node.status === 'dead', line: lifecycle('restart') },
  { label: 'pause', allowed: (node) => node.status === 'up', line: lifecycle('pause') },
  { label: 'resume', allowed: (node) => node.status === 'paused', line: lifecycle('resume') },
  {
    label: 'isolate',
    allowed: (_node, all) => all.length > 1,
    line: (node, all) =>
      partitionCommand(
        [node],
        all.filter((other) => other.id !== node).map((other) => other.id),
      ),
  },
]

export function ClusterView({ store }: { store: AppStore }) {
  const words = useWords(store).cluster
  const liveNodes = useAppState(store, (state) => state.nodes)
  const liveGroups = useAppState(store, (state) => state.groups)
  const liveLeader = useAppState(store, (state) => state.leader)
  // A moment of the past, chosen on the timeline: the view shows the cluster as it was then.
  const moment = useAppState(store, (state) => state.moment)
  const nodes = moment?.nodes ?? liveNodes
  const groups = moment === null ? liveGroups : moment.groups
  const leader = moment === null ? liveLeader : moment.leader
  const run = useAppState(store, (state) => state.run)
  const skipped = useAppState(store, (state) => state.skipped)
  const [size, setSize] = useState({ width: 0, height: 0 })
  const [menuFor, setMenuFor] = useState<NodeId | null>(null)
  const boxRef = useRef<HTMLDivElement>(null)
  const canvasRef = useRef<HTMLCanvasElement>(null)
  const nodeButtons = useRef(new Map<NodeId, HTMLButtonElement>())
  const tooltipRef = useRef<HTMLDivElement>(null)
  const noteRef = useRef<HTMLParagraphElement>(null)

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

  const dirty = useRef(true)
  dirty.current = true
  const pointer = useClusterPointer({
    layout,
    nodeIds: nodes.map((node) => node.id),
    enabled: moment === null,
    run: (line) => store.runCommand(line),
    changed: () => (dirty.current = true),
    words: words.partition,
  })

  // A node name clicked in the terminal opens that node's menu here.
  const menuRequest = useAppState(store, (state) => state.nodeMenuRequest)
  useEffect(() => {
    if (menuRequest !== null) setMenuFor(menuRequest.node)
  }, [menuRequest])

  // What the drawing loop reads each frame, without restarting it on each change.
  const current = { nodes, groups, layout, selected: menuFor, past: moment !== null, words }
  const scene = useRef(current)
  scene.current = current

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
    let drawn: DrawnFlights = { dots: [], aggregated: false, inFlight: 0 }
    let noteShown = ''
    const draw = (): void => {
      frame = requestAnimationFrame(draw)
      const nowMs = performance.now()
      const flights = scene.current.past ? [] : store.flights.live(nowMs)
      showHover(flights)
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
      drawn = drawScene(context, {
        ...scene.current,
        flights,
        nowMs,
        palette,
        proposal: pointer.proposal.current,
      })
      // Say so when the dots stand for more messages than the eye can follow.
      const note = drawn.aggregated ? scene.current.words.flightNote(drawn.inFlight) : ''
      if (note !== noteShown && noteRef.current !== null) {
        noteRef.current.textContent = note
        noteRef.current.hidden = note === ''
        noteShown = note
      }
    }
    /** The tooltip follows the pointer and what moves under it, frame by frame. */
    const showHover = (flights: ReturnType<typeof store.flights.live>): void => {
      const tooltip = tooltipRef.current
      if (tooltip === null) return
      const at = pointer.hover.current
      const text =
        at === null
          ? null
          : describeAt(at, drawn.dots, scene.current.layout, flights, scene.current.words)
      if (text === null || at === null) {
        if (!tooltip.hidden) tooltip.hidden = true
        return
      }
      if (tooltip.textContent !== text) tooltip.textContent = text
      tooltip.style.left = `${at.x + 14}px`
      tooltip.style.top = `${at.y + 14}px`
      tooltip.hidden = false
    }
    frame = requestAnimationFrame(draw)
    return () => {
      cancelAnimationFrame(frame)
      unsubscribeTheme()
    }
  }, [store])

  const choose = (node: NodeId, action: Action): void => {
    setMenuFor(null)
    store.runCommand(action.line(node, nodes))
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
      ? words.noCluster
      : leaderView === undefined
        ? words.noLeader
        : words.leader(leaderView.id, String(leaderView.term ?? '-'))

  return (
    <section
      className="cluster-view"
      aria-label={words.view}
      data-leader={leader ?? ''}
      data-run={run}
      data-groups={groups === null ? '' : groups.map((group) => group.join(',')).join('|')}
      data-nodes={nodes.map((node) => `${node.id}:${nodeWord(node)}`).join(' ')}
      data-shown-at={moment?.at ?? ''}
    >
      <div className="cluster-box" ref={boxRef} {...pointer.handlers}>
        <canvas ref={canvasRef} className="cluster-canvas" aria-hidden="true" />
        <div ref={tooltipRef} className="cv-tooltip" data-testid="flight-tooltip" hidden />
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
              aria-label={words.nodeLabel(
                node.id,
                nodeWordIn(words, node),
                String(node.term ?? words.unknown),
                String(node.commitIndex ?? words.unknown),
              )}
              aria-haspopup="menu"
              aria-expanded={menuFor === node.id}
              onClick={() => {
                if (pointer.takeDragEnd()) return // the end of a drag, not a click
                store.selectNode(node.id) // the inspector follows the node clicked
                setMenuFor(menuFor === node.id ? null : node.id)
              }}
              onKeyDown={(event) => onNodeKey(event, index)}
            />
          )
        })}
        {menuFor !== null && (
          <NodeMenu
            key={menuFor}
            words={words}
            node={nodes.find((node) => node.id === menuFor) ?? null}
            all={nodes}
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
      {pointer.hint !== null && (
        <p className="cv-hint" role="status" data-testid="partition-hint">
          {pointer.hint}
        </p>
      )}
      <p ref={noteRef} className="cv-flight-note" data-testid="flight-note" hidden />
      {moment !== null && (
        <PastBanner at={moment.at} words={words} onLive={() => store.showMoment(null)} />
      )}
      <p className="cluster-summary" aria-live="polite">
        {summary}
        {skipped > 0 && <span className="skipped"> {words.skipped(skipped)}</span>}
      </p>
      <Legend words={words} />
    </section>
  )
}

/** About the menu's height, to keep it inside the view. */
const menuHeightPx = actions.length * 34 + 10

function NodeMenu(props: {
  node: NodeView | null
  all: readonly NodeView[]
  at: { x: number; y: number } | null
  radius: number
  box: { width: number; height: number }
  onChoose: (node: NodeId, action: Action) => void
  onClose: () => void
  words: Words['cluster']
}) {
  const { node, all, at, radius, box, onChoose, onClose, words } = props
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
      aria-label={words.actionsFor(node.id)}
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
          key={action.label}
          type="button"
          role="menuitem"
          disabled={!action.allowed(node, all)}
          onClick={() => onChoose(node.id, action)}
        >
          {words.actions[action.label]} {node.id}
        </button>
      ))}
    </div>
  )
}

function Legend({ words }: { words: Words['cluster'] }) {
  const items: [string, string][] = [
    [words.role('leader'), 'var(--leader)'],
    [words.role('candidate'), 'var(--candidate)'],
    [words.role('follower'), 'var(--follower)'],
    [words.paused(null), 'var(--paused)'],
    [words.dead, 'var(--dead)'],
  ]
  return (
    <ul className="legend" aria-label={words.legend}>
      {items.map(([name, colour]) => (
        <li key={name}>
          <span className="swatch" style={{ background: colour }} aria-hidden="true" />
          {name}
        </li>
      ))}
      <li>
        <span className="swatch message" aria-hidden="true" />
        {words.message}
      </li>
      <li>
        <span className="dash" aria-hidden="true" />
        {words.cutLink}
      </li>
    </ul>
  )
}

/** Says the view shows the past, and goes back to the live run in one click. */
function PastBanner(props: { at: number; words: Words['cluster']; onLive: () => void }) {
  const { at, words, onLive } = props
  return (
    <p className="cv-past" role="status">
      <span>{words.showingPast((at / 1000).toFixed(3))}</span>
      <button type="button" className="cv-live-button" onClick={onLive}>
        {words.backToLive}
      </button>
    </p>
  )
}
