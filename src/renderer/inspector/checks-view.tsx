// The checkers' verdicts, run from here: the algorithm's invariants (each
// broken one with its sentence and the events that broke it) and the
// clients' history (linearizable or not; a violation drawn as per-client
// timelines). Every event and operation is a link to its moment: the
// timeline, the cluster view and the inspector all move there.

import { useState } from 'react'
import type { CheckResult, HistoryVerdict, ViolationView } from '../../shared/inspection'
import type { AppStore } from '../store'

type Checked =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; result: CheckResult }
  | { state: 'failed'; error: string }

export function ChecksView({ store }: { store: AppStore }) {
  const [checked, setChecked] = useState<Checked>({ state: 'idle' })
  const run = (): void => {
    setChecked({ state: 'running' })
    store.client.request('check', {}).then(
      (result) => setChecked({ state: 'done', result }),
      (error: unknown) =>
        setChecked({
          state: 'failed',
          error: error instanceof Error ? error.message : String(error),
        }),
    )
  }
  return (
    <div className="insp-checks" data-testid="inspector-checks" data-state={checked.state}>
      <div className="insp-toolbar">
        <button
          type="button"
          className="insp-button"
          onClick={run}
          disabled={checked.state === 'running'}
        >
          {checked.state === 'done' ? 'Run the checks again' : 'Run the checks'}
        </button>
        <span className="insp-hint" role="status">
          {checked.state === 'running'
            ? 'Checking…'
            : checked.state === 'done'
              ? `Checked ${checked.result.events.toLocaleString('en-US')} events of this ${checked.result.algorithm} run.`
              : 'Invariants of the algorithm, and linearizability of what the clients saw.'}
        </span>
      </div>
      {checked.state === 'failed' && (
        <p className="insp-error" role="alert">
          {checked.error}
        </p>
      )}
      {checked.state === 'done' && <Verdicts result={checked.result} store={store} />}
    </div>
  )
}

function Verdicts({ result, store }: { result: CheckResult; store: AppStore }) {
  const { violations, violationCount, checkers } = result
  return (
    <>
      <section className="insp-verdict" aria-label="Invariants">
        <h3 className={violationCount === 0 ? 'insp-pass' : 'insp-fail'}>
          {checkers.length === 0
            ? 'Invariants: this algorithm has no invariant checks.'
            : violationCount === 0
              ? `Invariants: none broken (${checkers.join(', ')}).`
              : `Invariants: ${violationCount} broken${violationCount > violations.length ? ` (the first ${violations.length} shown)` : ''}.`}
        </h3>
        {violations.length > 0 && (
          <ol className="insp-violations">
            {violations.map((violation) => (
              <Violation key={violation.seq} violation={violation} store={store} />
            ))}
          </ol>
        )}
      </section>
      <History history={result.history} store={store} />
    </>
  )
}

function Violation({ violation, store }: { violation: ViolationView; store: AppStore }) {
  return (
    <li className="insp-violation" data-rule={violation.rule}>
      <p>
        <strong>{violation.rule}</strong>: {violation.message}{' '}
        <MomentLink store={store} t={violation.t} label={`seen at ${ms(violation.t)}`} />
      </p>
      {violation.nodes.length > 0 && (
        <p className="insp-nodes">
          Nodes:{' '}
          {violation.nodes.map((node) => (
            <button
              key={node}
              type="button"
              className="insp-link"
              onClick={() => store.selectNode(node)}
              aria-label={`Inspect ${node}`}
            >
              {node}
            </button>
          ))}
        </p>
      )}
      {violation.events.length > 0 && (
        <ul className="insp-events" aria-label={`Events that broke ${violation.rule}`}>
          {violation.events.map((event) => (
            <li key={event.seq}>
              {event.t === null ? (
                <code>{event.line}</code>
              ) : (
                <MomentLink store={store} t={event.t} node={event.node} label={event.line} code />
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}

function History({ history, store }: { history: HistoryVerdict | null; store: AppStore }) {
  if (history === null) {
    return (
      <section className="insp-verdict" aria-label="Linearizability">
        <h3>Linearizability: no client operations yet to check.</h3>
      </section>
    )
  }
  const bad = history.result === 'not linearizable'
  return (
    <section className="insp-verdict" aria-label="Linearizability" data-result={history.result}>
      <h3 className={bad ? 'insp-fail' : history.result === 'linearizable' ? 'insp-pass' : ''}>
        Linearizability: {history.result} ({history.operations} operations, {history.model} model).
      </h3>
      <p>{history.sentence}</p>
      {history.timeline.length > 0 && (
        <pre
          className="insp-timeline"
          aria-label="The smallest slice that cannot be linearized, per client"
        >
          {history.timeline.join('\n')}
        </pre>
      )}
      {history.slice.length > 0 && (
        <ul className="insp-events" aria-label="The operations of the slice">
          {history.slice.map((op, i) => (
            <li key={i} className={op.conflict ? 'insp-conflict-op' : undefined}>
              <span>
                {op.client} {op.label}
                {op.conflict ? ' (cannot be placed)' : ''}:{' '}
              </span>
              <MomentLink store={store} t={op.call} label={`called at ${ms(op.call)}`} />
              {op.ret !== null && (
                <>
                  {', '}
                  <MomentLink store={store} t={op.ret} label={`returned at ${ms(op.ret)}`} />
                </>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** Moves every view to the moment `t`; an event's link inspects the node it happened at. */
function MomentLink(props: {
  store: AppStore
  t: number
  label: string
  node?: string
  code?: boolean
}) {
  const { store, t, label, node, code } = props
  return (
    <button
      type="button"
      className={`insp-link${code === true ? ' insp-code' : ''}`}
      data-moment={t}
      onClick={() => {
        if (node !== undefined && /^n\d+$/.test(node)) store.selectNode(node)
        store.showMoment(Math.max(0, t))
      }}
      title={`Show the run at ${ms(t)}`}
    >
      {label}
    </button>
  )
}

function ms(t: number): string {
  return `${(Math.round(t * 10) / 10).toLocaleString('en-US')} ms`
}
