// The Inspector tab: one node (chosen here, or by clicking it in the cluster
// view), live or at the moment the timeline shows. Its facts (role, term,
// commit index) stay on top; below, in tabs of their own: its state as a tree,
// its log, its log beside another node's, and the checkers' verdicts.

import { useEffect, useMemo, useRef, useState, type RefObject } from 'react'
import type { NodeId } from '../../shared/envelope'
import type { InspectResult } from '../../shared/inspection'
import { useWords, type Words } from '../i18n'
import { PanelTabs } from '../panel-tabs'
import { useAppState, type AppStore } from '../store'
import { ChecksView } from './checks-view'
import { LogDiffView } from './log-diff-view'
import { LogTable } from './log-table'
import { StateTreeView } from './state-tree-view'
import { inspectionKey, useInspection, type Inspection } from './use-inspection'

/** Summary facts shown first, in this order; others follow as the node gives them. */
const factsFirst = ['role', 'term', 'commitIndex', 'leader', 'logLength']

export function InspectorPanel({ store }: { store: AppStore }) {
  const words = useWords(store)
  const inspector = words.inspector
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
      aria-label={inspector.label}
      data-node={node ?? ''}
      data-moment={moment}
      data-source={current?.result?.source ?? ''}
    >
      <div className="insp-bar">
        <label className="insp-field">
          <span>{inspector.node}</span>
          <select
            value={node ?? ''}
            onChange={(event) => store.selectNode(event.target.value)}
            disabled={ids.length === 0}
            aria-label={inspector.nodeToInspect}
          >
            {nodes.map((view) => (
              <option key={view.id} value={view.id}>
                {view.id}
                {/* Its role now; at a past moment the facts below say what it was then. */}
                {view.role === null || shownAt !== null
                  ? ''
                  : ` (${view.status === 'dead' ? inspector.down : words.cluster.role(view.role)})`}
              </option>
            ))}
          </select>
        </label>
        <span className="insp-moment" role="status" data-testid="inspector-moment">
          {shownAt === null ? inspector.live : inspector.atMoment(formatMs(shownAt))}
        </span>
        {shownAt !== null && (
          <button type="button" className="insp-button" onClick={() => store.showMoment(null)}>
            {words.cluster.backToLive}
          </button>
        )}
      </div>
      {node === null ? (
        <p className="insp-empty">{words.cluster.noCluster}</p>
      ) : (
        <>
          <Facts inspection={current} node={node} words={inspector} role={words.cluster.role} />
          <PanelTabs
            label={inspector.sections}
            panels={[
              {
                id: 'inspector-state',
                title: inspector.state,
                render: () => {
                  const result = current?.result ?? null
                  if (result === null) return null
                  return (
                    <StateTreeView
                      state={result.state}
                      label={inspector.stateOf(node)}
                      empty={inspector.emptyState}
                    />
                  )
                },
              },
              {
                id: 'inspector-log',
                title: inspector.log,
                render: () => {
                  const result = current?.result ?? null
                  if (result === null) return null
                  if (result.log === null)
                    return <p className="insp-empty">{inspector.noLog(node)}</p>
                  return <LogTable node={node} log={result.log} moment={moment} words={inspector} />
                },
              },
              {
                id: 'inspector-compare',
                title: inspector.compareLogs,
                render: () => (
                  <CompareLogs
                    node={node}
                    other={other}
                    ids={ids}
                    onChoose={setCompareWith}
                    mine={current?.result ?? null}
                    theirs={comparedNow}
                    words={inspector}
                  />
                ),
              },
              {
                id: 'inspector-checks',
                title: inspector.checks,
                render: () => <ChecksView store={store} words={words.checks} />,
              },
            ]}
          />
        </>
      )}
    </section>
  )
}

/** The role, term, commit index... of the node, and notes on what is shown. */
function Facts(props: {
  inspection: Inspection | null
  node: NodeId
  words: Words['inspector']
  /** A role's name in the page's language (the other facts' values are the core's data). */
  role: (role: string) => string
}) {
  const { inspection, node, words, role } = props
  if (inspection === null) return <p className="insp-facts insp-hint">{words.reading(node)}</p>
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
  return (
    <div className="insp-facts-box">
      <dl className="insp-facts" data-testid="inspector-facts">
        <div>
          <dt>{words.statusLabel}</dt>
          <dd className={`insp-status-${result.status}`}>{words.status(result.status)}</dd>
        </div>
        {keys.map((key) => (
          <div key={key}>
            <dt>{words.fact(key)}</dt>
            <dd data-fact={key}>{factValue(key, result.summary[key], role)}</dd>
          </div>
        ))}
        <div>
          <dt>{words.shown}</dt>
          <dd>{words.sources[result.source]}</dd>
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

function factValue(
  key: string,
  value: InspectResult['summary'][string] | undefined,
  role: (role: string) => string,
): string {
  if (key === 'role' && typeof value === 'string') return role(value)
  return String(value ?? '–')
}

function CompareLogs(props: {
  node: NodeId
  other: NodeId | null
  ids: NodeId[]
  onChoose: (id: NodeId) => void
  mine: InspectResult | null
  theirs: Inspection | null
  words: Words['inspector']
}) {
  const { node, other, ids, onChoose, mine, theirs, words } = props
  const theirResult = theirs?.result ?? null
  const theirError = theirs?.error ?? null
  return (
    <div className="insp-compare">
      <label className="insp-field">
        <span>{words.compareWith(node)}</span>
        <select
          value={other ?? ''}
          onChange={(event) => onChoose(event.target.value)}
          aria-label={words.compareWithLabel(node)}
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
        <p className="insp-empty">{words.noOther}</p>
      ) : mine === null || theirResult === null ? (
        theirError === null && <p className="insp-hint">{words.readingLogs}</p>
      ) : mine.log === null || theirResult.log === null ? (
        <p className="insp-empty">{words.noLogToCompare}</p>
      ) : (
        <LogDiffView aName={node} a={mine.log} bName={other} b={theirResult.log} words={words} />
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
