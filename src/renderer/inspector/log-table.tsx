// One node's log: index, term (or ballot), the command, and whether it is
// committed. Committed entries carry a check mark and a bar; the rest are
// drawn fainter, since a new leader may still replace them. Long logs are
// drawn a screenful at a time; the newest entries are in view first.

import type { LogView } from '../../shared/inspection'
import { VirtualList } from './virtual-list'

export const logRowPx = 24

export function LogTable({ node, log, moment }: { node: string; log: LogView; moment: string }) {
  const cut = log.length - log.entries.length
  const committedWords = log.commitKnown
    ? `${log.committed.toLocaleString('en-US')} committed`
    : 'this log has no commit index'
  return (
    <div className="insp-log">
      <p className="insp-caption">
        {node}&apos;s {log.field === 'log' ? 'log' : `${log.field} slots`}:{' '}
        {log.length.toLocaleString('en-US')} {log.length === 1 ? 'entry' : 'entries'},{' '}
        {committedWords}
        {cut > 0 ? ` (the oldest ${cut.toLocaleString('en-US')} not shown)` : ''}.
      </p>
      {log.entries.length === 0 ? (
        <p className="insp-empty">The log is empty.</p>
      ) : (
        <VirtualList
          label={`${node}'s log`}
          testId="inspector-log"
          count={log.entries.length}
          rowPx={logRowPx}
          reveal={{ index: log.entries.length - 1, key: `${node}@${moment}` }}
          header={
            <>
              <span role="columnheader" className="insp-cell insp-index">
                index
              </span>
              <span role="columnheader" className="insp-cell insp-term">
                {log.termName}
              </span>
              <span role="columnheader" className="insp-cell insp-text">
                command
              </span>
              <span role="columnheader" className="insp-cell insp-mark">
                {log.commitKnown ? 'committed' : ''}
              </span>
            </>
          }
          row={(i) => {
            const entry = log.entries[i]
            return {
              className: entry.committed ? 'insp-committed' : 'insp-uncommitted',
              cells: (
                <>
                  <span role="cell" className="insp-cell insp-index" data-index={entry.index}>
                    {entry.index}
                  </span>
                  <span role="cell" className="insp-cell insp-term">
                    {entry.term ?? '–'}
                  </span>
                  <span role="cell" className="insp-cell insp-text" title={entry.text}>
                    {entry.text}
                  </span>
                  <span
                    role="cell"
                    className="insp-cell insp-mark"
                    data-committed={entry.committed}
                  >
                    {entry.committed ? '✓' : log.commitKnown ? 'not yet' : ''}
                  </span>
                </>
              ),
            }
          }}
        />
      )}
    </div>
  )
}
