// The checkers' verdicts, run from here: the algorithm's invariants (each
// broken one with its sentence and the events that broke it) and the
// clients' history (linearizable or not; a violation drawn as per-client
// timelines). Every event and operation is a link to its moment: the
// timeline, the cluster view and the inspector all move there.

import { useState } from 'react'
import type { CheckResult, HistoryVerdict, ViolationView } from '../../shared/inspection'
import type { Words } from '../i18n'
import type { AppStore } from '../store'

type Checked =
  | { state: 'idle' }
  | { state: 'running' }
  | { state: 'done'; result: CheckResult }
  | { state: 'failed'; error: string }

type CheckWords = Words['checks']

export function ChecksView({ store, words }: { store: AppStore; words: CheckWords }) {
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
          {checked.state === 'done' ? words.runAgain : words.run}
        </button>
        <span className="insp-hint" role="status">
          {checked.state === 'running'
            ? words.checking
            : checked.state === 'done'
              ? words.checked(
                  checked.result.events.toLocaleString('en-US'),
                  checked.result.algorithm,
                )
              : words.about}
        </span>
      </div>
      {checked.state === 'failed' && (
        <p className="insp-error" role="alert">
          {checked.error}
        </p>
      )}
      {checked.state === 'done' && <Verdicts result={checked.result} store={store} words={words} />}
    </div>
  )
}

function Verdicts(props: { result: CheckResult; store: AppStore; words: CheckWords }) {
  const { result, store, words } = props
  const { violations, violationCount, checkers } = result
  return (
    <>
      <section className="insp-verdict" aria-label={words.invariants}>
        <h3 className={violationCount === 0 ? 'insp-pass' : 'insp-fail'}>
          {checkers.length === 0
            ? words.noInvariantChecks
            : violationCount === 0
              ? words.noneBroken(checkers.join(', '))
              : words.broken(violationCount, violations.length)}
        </h3>
        {violations.length > 0 && (
          <ol className="insp-violations">
            {violations.map((violation) => (
              <Violation key={violation.seq} violation={violation} store={store} words={words} />
            ))}
          </ol>
        )}
      </section>
      <History history={result.history} store={store} words={words} />
    </>
  )
}

function Violation(props: { violation: ViolationView; store: AppStore; words: CheckWords }) {
  const { violation, store, words } = props
  return (
    <li className="insp-violation" data-rule={violation.rule}>
      <p>
        <strong>{violation.rule}</strong>: {violation.message}{' '}
        <MomentLink
          store={store}
          t={violation.t}
          label={words.seenAt(ms(violation.t))}
          words={words}
        />
      </p>
      {violation.nodes.length > 0 && (
        <p className="insp-nodes">
          {words.nodes}{' '}
          {violation.nodes.map((node) => (
            <button
              key={node}
              type="button"
              className="insp-link"
              onClick={() => store.selectNode(node)}
              aria-label={words.inspect(node)}
            >
              {node}
            </button>
          ))}
        </p>
      )}
      {violation.events.length > 0 && (
        <ul className="insp-events" aria-label={words.eventsThatBroke(violation.rule)}>
          {violation.events.map((event) => (
            <li key={event.seq}>
              {event.t === null ? (
                <code>{event.line}</code>
              ) : (
                <MomentLink
                  store={store}
                  t={event.t}
                  node={event.node}
                  label={event.line}
                  code
                  words={words}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </li>
  )
}

function History(props: { history: HistoryVerdict | null; store: AppStore; words: CheckWords }) {
  const { history, store, words } = props
  if (history === null) {
    return (
      <section className="insp-verdict" aria-label={words.linearizability}>
        <h3>{words.noOperations}</h3>
      </section>
    )
  }
  const bad = history.result === 'not linearizable'
  return (
    <section
      className="insp-verdict"
      aria-label={words.linearizability}
      data-result={history.result}
    >
      <h3 className={bad ? 'insp-fail' : history.result === 'linearizable' ? 'insp-pass' : ''}>
        {words.verdict(history.result, history.operations, history.model)}
      </h3>
      <p>{history.sentence}</p>
      {history.timeline.length > 0 && (
        <pre className="insp-timeline" aria-label={words.smallestSlice}>
          {history.timeline.join('\n')}
        </pre>
      )}
      {history.slice.length > 0 && (
        <ul className="insp-events" aria-label={words.sliceOperations}>
          {history.slice.map((op, i) => (
            <li key={i} className={op.conflict ? 'insp-conflict-op' : undefined}>
              <span>
                {op.client} {op.label}
                {op.conflict ? words.cannotBePlaced : ''}:{' '}
              </span>
              <MomentLink
                store={store}
                t={op.call}
                label={words.calledAt(ms(op.call))}
                words={words}
              />
              {op.ret !== null && (
                <>
                  {', '}
                  <MomentLink
                    store={store}
                    t={op.ret}
                    label={words.returnedAt(ms(op.ret))}
                    words={words}
                  />
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
  words: CheckWords
}) {
  const { store, t, label, node, code, words } = props
  return (
    <button
      type="button"
      className={`insp-link${code === true ? ' insp-code' : ''}`}
      data-moment={t}
      onClick={() => {
        if (node !== undefined && /^n\d+$/.test(node)) store.selectNode(node)
        store.showMoment(Math.max(0, t))
      }}
      title={words.showRunAt(ms(t))}
    >
      {label}
    </button>
  )
}

function ms(t: number): string {
  return `${(Math.round(t * 10) / 10).toLocaleString('en-US')} ms`
}
