// The cluster view's pointer: a press that moves draws a partition
// (partition-gesture.ts), shown on the canvas until release, when its command
// runs through the terminal; Escape or leaving the window cancels it. Without
// a press, the pointer's place is kept for the canvas to say what is under it.

import { useEffect, useRef, useState, type PointerEvent } from 'react'
import type { NodeId } from '../shared/envelope'
import type { DrawnProposal, Layout, Point } from './cluster-drawing'
import type { Words } from './i18n'
import {
  dragThresholdPx,
  extendGesture,
  proposePartition,
  selectedNodes,
  startGesture,
  type Gesture,
} from './partition-gesture'

interface Press {
  start: Point
  gesture: Gesture | null
}

export interface ClusterPointer {
  handlers: {
    onPointerDown: (event: PointerEvent<HTMLElement>) => void
    onPointerMove: (event: PointerEvent<HTMLElement>) => void
    onPointerUp: (event: PointerEvent<HTMLElement>) => void
    onPointerCancel: () => void
    onPointerLeave: () => void
  }
  /** The partition being drawn, for the canvas; null when none. */
  proposal: { current: DrawnProposal | null }
  /** Where the pointer hovers (box coordinates), for the canvas; null when outside or pressing. */
  hover: { current: Point | null }
  /** What releasing will do, while a partition is drawn. */
  hint: string | null
  /** True once, right after a drag ended: the click that follows it is not a click. */
  takeDragEnd: () => boolean
}

export function useClusterPointer(options: {
  layout: Layout
  nodeIds: readonly NodeId[]
  /** False while the view shows the past: nothing can be changed there. */
  enabled: boolean
  run: (line: string) => void
  /** Called when the canvas should draw again. */
  changed: () => void
  /** The hint's words, in the page's language. */
  words: Words['cluster']['partition']
}): ClusterPointer {
  const press = useRef<Press | null>(null)
  const proposal = useRef<DrawnProposal | null>(null)
  const hover = useRef<Point | null>(null)
  const dragEnded = useRef(false)
  const [hint, setHint] = useState<string | null>(null)
  const latest = useRef(options)
  latest.current = options

  const cancel = (): void => {
    press.current = null
    if (proposal.current !== null) {
      proposal.current = null
      setHint(null)
      latest.current.changed()
    }
  }

  // Escape cancels a partition being drawn.
  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      if (event.key === 'Escape' && proposal.current !== null) {
        event.preventDefault()
        dragEnded.current = true
        cancel()
      }
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const pointOf = (event: PointerEvent<HTMLElement>): Point => {
    const box = event.currentTarget.getBoundingClientRect()
    return { x: event.clientX - box.left, y: event.clientY - box.top }
  }

  const update = (gesture: Gesture): void => {
    const { layout, nodeIds, words } = latest.current
    const chosen = proposePartition(selectedNodes(gesture, layout), nodeIds, words)
    proposal.current = {
      path: gesture.path,
      lasso: gesture.kind === 'lasso',
      selected: chosen.selected,
      groups: chosen.groups,
    }
    setHint(chosen.sentence)
    latest.current.changed()
  }

  return {
    proposal,
    hover,
    hint,
    takeDragEnd: () => {
      const ended = dragEnded.current
      dragEnded.current = false
      return ended
    },
    handlers: {
      onPointerDown: (event) => {
        if (event.button !== 0 || !latest.current.enabled) return
        // A press on the node menu is the menu's.
        if ((event.target as HTMLElement).closest('[role="menu"]') !== null) return
        press.current = { start: pointOf(event), gesture: null }
        dragEnded.current = false
      },
      onPointerMove: (event) => {
        const point = pointOf(event)
        const pressed = press.current
        if (pressed === null) {
          hover.current = point
          return
        }
        hover.current = null
        if (pressed.gesture === null) {
          const moved = Math.hypot(point.x - pressed.start.x, point.y - pressed.start.y)
          if (moved < dragThresholdPx) return
          pressed.gesture = startGesture(latest.current.layout, pressed.start)
          event.currentTarget.setPointerCapture(event.pointerId)
        }
        pressed.gesture = extendGesture(pressed.gesture, point)
        update(pressed.gesture)
      },
      onPointerUp: (event) => {
        const pressed = press.current
        press.current = null
        if (pressed === null || pressed.gesture === null) return
        dragEnded.current = true
        if (event.currentTarget.hasPointerCapture(event.pointerId)) {
          event.currentTarget.releasePointerCapture(event.pointerId)
        }
        const { layout, nodeIds, run } = latest.current
        const chosen = proposePartition(selectedNodes(pressed.gesture, layout), nodeIds)
        proposal.current = null
        setHint(null)
        latest.current.changed()
        if (chosen.command !== null) run(chosen.command)
      },
      onPointerCancel: cancel,
      onPointerLeave: () => {
        hover.current = null
      },
    },
  }
}
