// Two logs side by side (log-diff.ts): the shared prefix plain, the first
// conflict marked, and the entries only one side holds shaded on that side;
// the sentences above say the same in words. The first difference is brought
// into view.

import { useMemo } from 'react'
import type { LogEntryView, LogView } from '../../shared/inspection'
import type { Words } from '../i18n'
import { diffLogs } from './log-diff'
import { logRowPx } from './log-table'
import { VirtualList } from './virtual-list'

export function LogDiffView(props: {
  aName: string
  a: LogView
  bName: string
  b: LogView
  words: Words['inspector']
}) {
  const { aName, a, bName, b, words } = props
  const diff = useMemo(() => diffLogs(aName, a, bName, b), [aName, a, bName, b])
  const firstDifference = diff.rows.findIndex((row) => row.kind !== 'same')
  return (
    <div className="insp-diff" data-first-conflict={diff.firstConflict ?? ''}>
      <ul
        className="insp-sentences"
        aria-label={words.howLogsCompare}
        data-testid="inspector-diff-summary"
      >
        {diff.sentences.map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
      {diff.rows.length > 0 && (
        <VirtualList
          label={words.sideBySide(aName, bName)}
          testId="inspector-diff"
          count={diff.rows.length}
          rowPx={logRowPx}
          reveal={
            firstDifference < 0
              ? null
              : {
                  index: firstDifference,
                  key: `${aName}|${bName}|${diff.rows[firstDifference].index}`,
                }
          }
          header={
            <>
              <span role="columnheader" className="insp-cell insp-index">
                {words.index}
              </span>
              <span role="columnheader" className="insp-cell insp-side">
                {aName}
              </span>
              <span role="columnheader" className="insp-cell insp-side">
                {bName}
              </span>
            </>
          }
          row={(i) => {
            const row = diff.rows[i]
            return {
              className: `insp-diff-${row.kind}${row.index === diff.firstConflict ? ' insp-first-conflict' : ''}`,
              cells: (
                <>
                  <span role="cell" className="insp-cell insp-index" data-kind={row.kind}>
                    {row.index}
                    <span className="visually-hidden"> {words.diffKinds[row.kind]}</span>
                  </span>
                  <Side entry={row.a} log={a} words={words} />
                  <Side entry={row.b} log={b} words={words} />
                </>
              ),
            }
          }}
        />
      )}
    </div>
  )
}

function Side(props: { entry: LogEntryView | null; log: LogView; words: Words['inspector'] }) {
  const { entry, log, words } = props
  if (entry === null) {
    return (
      <span role="cell" className="insp-cell insp-side insp-absent">
        —
      </span>
    )
  }
  const term = entry.term === null ? '' : `${log.termName === 'term' ? 't' : 'b'}${entry.term} `
  return (
    <span
      role="cell"
      className="insp-cell insp-side"
      title={`${entry.text}${entry.committed ? words.committedNote : ''}`}
    >
      <span className="insp-side-term">{term}</span>
      {entry.text}
      {entry.committed && (
        <span className="insp-side-mark" aria-label={words.committed}>
          {' '}
          ✓
        </span>
      )}
    </span>
  )
}
