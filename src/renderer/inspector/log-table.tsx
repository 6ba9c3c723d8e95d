// One node's log: index, term (or ballot), the command, and whether it is
// committed. Committed entries carry a check mark and a bar; the rest are
// drawn fainter, since a new leader may still replace them. Long logs are
// drawn a screenful at a time; the newest entries are in view first.

import type { LogView } from '../../shared/inspection'
import type { Words } from '../i18n'
import { VirtualList } from './virtual-list'

export const logRowPx = 24

export function LogTable(props: {
  node: string
  log: LogView
  moment: string
  words: Words['inspector']
}) {
  const { node, log, moment, words } = props
  const cut = log.length - log.entries.length
  const committedWords = log.commitKnown
    ? words.committedCount(log.committed.toLocaleString('en-US'))
    : words.noCommitIndex
  return (
    <div className="insp-log">
      <p className="insp-caption">
        {words.logCaption(
          node,
          log.field,
          log.length.toLocaleString('en-US'),
          log.length === 1,
          committedWords,
          cut > 0 ? cut.toLocaleString('en-US') : null,
        )}
      </p>
      {log.entries.length === 0 ? (
        <p className="insp-empty">{words.emptyLog}</p>
      ) : (
        <VirtualList
          label={words.logOf(node)}
          testId="inspector-log"
          count={log.entries.length}
          rowPx={logRowPx}
          reveal={{ index: log.entries.length - 1, key: `${node}@${moment}` }}
          header={
            <>
              <span role="columnheader" className="insp-cell insp-index">
                {words.index}
              </span>
              <span role="columnheader" className="insp-cell insp-term">
                {words.termName(log.termName)}
              </span>
              <span role="columnheader" className="insp-cell insp-text">
                {words.command}
              </span>
              <span role="columnheader" className="insp-cell insp-mark">
                {log.commitKnown ? words.committed : ''}
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
                    {entry.committed ? '✓' : log.commitKnown ? words.notYet : ''}
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
