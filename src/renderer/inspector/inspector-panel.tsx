// The Inspector tab: one node (chosen here, or by clicking it in the cluster
// view), live or at the moment the timeline shows. Its facts (role, term,
// commit index) stay on top; below, in tabs of their own: its state as a tree,
// its log, its log beside another node's, and the checkers' verdicts.

import { useEffect, useMemo, useRef, useState, type RefObject } from 'react'
import type { NodeId } from '../../shared/envelope'
import type { InspectResult } from '../../shared/inspection'
import { PanelTabs } from '../panel-tabs'
import { useAppState, type AppStore } from '../store'
import { ChecksView } from './checks-view'
import { LogDiffView } from './log-diff-view'
import { LogTable } from './log-table'
import { StateTreeView } from './state-tree-view'
import { inspectionKey, useInspection, type Inspection } from './use-inspection'

/** Summary facts shown first, in this order; others follow as the node gives them. */
const factsFirst = ['role', 'term', 'commitIndex', 'leader', 'logLength']
const factWords: Record<string, string> = { commitIndex: 'commit index', logLength: 'log length' }

export function InspectorPanel({ store }: { store: AppStore }) {
  const nodes = useAppState(store, (state) => state.nodes)
  const leader = useAppState(store, (state) => state.leader)
  const selected = useAppState(store, (state) => state.selectedNode)
  const shownAt = useAppState(store, (state) => state.shownAt)
  const lastAnswer = useAppState(store, (state) => state.lastAnswer)
  const [compareWith, setCompareWith] = useState<NodeId | null>(null)
  const box = useRef<HTMLDivElement>(null)
  const visible = useVisible(box)

  const ids = nodes.map((node) => node.id)
  const node = selected !== null && ids.includes(selected) ? selected : (leader ?? ids[0] ?? null)
  const other =
    compareWith !== null && compareWith !== node && ids.includes(compareWith)
      ? compareWith
      : (ids.find((id) => id !== node && id === leader) ?? ids.find((id) => id !== node) ?? null)

  // Live, ask again as the cluster changes (each batch of states) and after each command.
  const version = useMemo(() => ({ nodes, lastAnswer }), [nodes, lastAnswer])
  const main = useInspection(store.client, node, shownAt, version, visible)
  const compared = useInspection(store.client, other, shownAt, version, visible)
  const current = node === null ? null : fresh(main, inspectionKey(node, shownAt))
  const comparedNow = other === null ? null : fresh(compared, inspectionKey(other, shownAt))
  const moment = shownAt === null ? 'live' : String(shownAt)

  return (
    <section
      ref={box}
      className="insp"
      aria-label="Inspector"
      data-node={node ?? ''}
      data-moment={moment}
      data-source={current?.result?.source ?? ''}
    >
      <div className="insp-bar">
        <label className="insp-field">
          <span>Node</span>
          <select
            value={node ?? ''}
            onChange={(event) => store.selectNode(event.target.value)}
            disabled={ids.length === 0}
            aria-label="Node to inspect"
          >
            {nodes.map((view) => (
              <option key={view.id} value={view.id}>
                {view.id}
                {/* Its role now; at a past moment the facts below say what it was then. */}
                {view.role === null || shownAt !== null
                  ? ''
                  : ` (${view.status === 'dead' ? 'down' : view.role})`}
              </option>
            ))}
          </select>
        </label>
        <span className="insp-moment" role="status" data-testid="inspector-moment">
          {shownAt === null ? 'Live' : `At ${formatMs(shownAt)} into the run`}
        </span>
        {shownAt !== null && (
          <button type="button" className="insp-button" onClick={() => store.showMoment(null)}>
            Back to live
          </button>
        )}
      </div>
      {node === null ? (
        <p className="insp-empty">No cluster is running. Type start raft 5 in the terminal.</p>
      ) : (
        <>
          <Facts inspection={current} node={node} />
          <PanelTabs
            label="Inspector sections"
            panels={[
              {
                id: 'inspector-state',
                title: 'State',
                render: () => {
                  const result = current?.result ?? null
                  if (result === null) return null
                  return <StateTreeView state={result.state} label={`${node}'s state`} />
                },
              },
              {
                id: 'inspector-log',
                title: 'Log',
                render: () => {
                  const result = current?.result ?? null
                  if (result === null) return null
                  if (result.log === null)
                    return (
                      <p className="insp-empty">
                        {node}&apos;s algorithm keeps no log; its state is in the State tab.
                      </p>
                    )
                  return <LogTable node={node} log={result.log} moment={moment} />
                },
              },
              {
                id: 'inspector-compare',
                title: 'Compare logs',
                render: () => (
                  <CompareLogs
                    node={node}
                    other={other}
                    ids={ids}
                    onChoose={setCompareWith}
                    mine={current?.result ?? null}
                    theirs={comparedNow}
                  />
                ),
              },
              {
                id: 'inspector-checks',
                title: 'Checks',
                render: () => <ChecksView store={store} />,
              },
            ]}
          />
        </>
      )}
    </section>
  )
}

/** The role, term, commit index... of the node, and notes on what is shown. */
function Facts({ inspection, node }: { inspection: Inspection | null; node: NodeId }) {
  if (inspection === null) return <p className="insp-facts insp-hint">Reading {node}…</p>
  if (inspection.error !== null) {
    return (
      <p className="insp-error" role="alert">
        {inspection.error}
      </p>
    )
  }
  const result = inspection.result as InspectResult
  const keys = [
    ...factsFirst.filter((key) => key in result.summary),
    ...Object.keys(result.summary).filter((key) => !factsFirst.includes(key)),
  ]
  const source = {
    live: 'live state',
    saved: 'saved state (the node is down)',
    trace: 'from the recorded run',
  }
  return (
    <div className="insp-facts-box">
      <dl className="insp-facts" data-testid="inspector-facts">
        <div>
          <dt>status</dt>
          <dd className={`insp-status-${result.status}`}>{result.status}</dd>
        </div>
        {keys.map((key) => (
          <div key={key}>
            <dt>{factWords[key] ?? key}</dt>
            <dd data-fact={key}>{String(result.summary[key] ?? '–')}</dd>
          </div>
        ))}
        <div>
          <dt>shown</dt>
          <dd>{source[result.source]}</dd>
        </div>
      </dl>
      {result.notes.length > 0 && (
        <ul className="insp-notes">
          {result.notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      )}
    </div>
  )
}

function CompareLogs(props: {
  node: NodeId
  other: NodeId | null
  ids: NodeId[]
  onChoose: (id: NodeId) => void
  mine: InspectResult | null
  theirs: Inspection | null
}) {
  const { node, other, ids, onChoose, mine, theirs } = props
  const theirResult = theirs?.result ?? null
  const theirError = theirs?.error ?? null
  return (
    <div className="insp-compare">
      <label className="insp-field">
        <span>Compare {node}&apos;s log with</span>
        <select
          value={other ?? ''}
          onChange={(event) => onChoose(event.target.value)}
          aria-label={`Node to compare ${node}'s log with`}
        >
          {ids
            .filter((id) => id !== node)
            .map((id) => (
              <option key={id} value={id}>
                {id}
              </option>
            ))}
        </select>
      </label>
      {theirError !== null && <p className="insp-error">{theirError}</p>}
      {other === null ? (
        <p className="insp-empty">There is no other node to compare with.</p>
      ) : mine === null || theirResult === null ? (
        theirError === null && <p className="insp-hint">Reading the logs…</p>
      ) : mine.log === null || theirResult.log === null ? (
        <p className="insp-empty">This algorithm keeps no log to compare.</p>
      ) : (
        <LogDiffView aName={node} a={mine.log} bName={other} b={theirResult.log} />
      )}
    </div>
  )
}

/** The answer if it is for what is asked now; null while the new answer is on its way. */
function fresh(inspection: Inspection | null, key: string): Inspection | null {
  return inspection !== null && inspection.key === key ? inspection : null
}

/** True while the element is on screen (its tab open): hidden views ask the core nothing. */
function useVisible(element: RefObject<HTMLElement | null>): boolean {
  const [visible, setVisible] = useState(false)
  useEffect(() => {
    const target = element.current
    if (target === null) return
    const observer = new IntersectionObserver(([entry]) => setVisible(entry.isIntersecting))
    observer.observe(target)
    return () => observer.disconnect()
  }, [element])
  return visible
}

function formatMs(t: number): string {
  return `${(Math.round(t * 10) / 10).toLocaleString('en-US')} ms`
}
