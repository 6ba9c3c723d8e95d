// Two logs side by side (log-diff.ts): the shared prefix plain, the first
// conflict marked, and the entries only one side holds shaded on that side;
// the sentences above say the same in words. The first difference is brought
// into view.

import { useMemo } from 'react'
import type { LogEntryView, LogView } from '../../shared/inspection'
import { diffLogs, type DiffKind } from './log-diff'
import { logRowPx } from './log-table'
import { VirtualList } from './virtual-list'

const kindWords: Record<DiffKind, string> = {
  same: 'same',
  conflict: 'conflict',
  'only-a': 'only left',
  'only-b': 'only right',
}

export function LogDiffView(props: { aName: string; a: LogView; bName: string; b: LogView }) {
  const { aName, a, bName, b } = props
  const diff = useMemo(() => diffLogs(aName, a, bName, b), [aName, a, bName, b])
  const firstDifference = diff.rows.findIndex((row) => row.kind !== 'same')
  return (
    <div className="insp-diff" data-first-conflict={diff.firstConflict ?? ''}>
      <ul
        className="insp-sentences"
        aria-label="How the logs compare"
        data-testid="inspector-diff-summary"
      >
        {diff.sentences.map((sentence) => (
          <li key={sentence}>{sentence}</li>
        ))}
      </ul>
      {diff.rows.length > 0 && (
        <VirtualList
          label={`${aName}'s and ${bName}'s logs side by side`}
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
                index
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
                    <span className="visually-hidden"> {kindWords[row.kind]}</span>
                  </span>
                  <Side entry={row.a} log={a} />
                  <Side entry={row.b} log={b} />
                </>
              ),
            }
          }}
        />
      )}
    </div>
  )
}

function Side({ entry, log }: { entry: LogEntryView | null; log: LogView }) {
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
      title={`${entry.text}${entry.committed ? ' (committed)' : ''}`}
    >
      <span className="insp-side-term">{term}</span>
      {entry.text}
      {entry.committed && (
        <span className="insp-side-mark" aria-label="committed">
          {' '}
          ✓
        </span>
      )}
    </span>
  )
}
