// English or Chinese, for the lessons and the whole page: a pair of toggle
// buttons that run `lang en` or `lang zh` in the terminal, as a learner could
// type it. Each language is named in its own script, so a reader of either
// finds theirs.

import { lessonLanguages, type LessonLanguage } from '../../shared/lesson-view'
import type { Words } from '../i18n'

const names: Record<LessonLanguage, string> = { en: 'English', zh: '中文' }

export function LanguageSwitch({
  language,
  words,
  run,
}: {
  language: LessonLanguage
  words: Words
  run: (line: string) => void
}) {
  return (
    <div className="language-switch" role="group" aria-label={words.language}>
      {lessonLanguages.map((option) => (
        <button
          key={option}
          type="button"
          lang={option === 'zh' ? 'zh-CN' : 'en'}
          aria-pressed={option === language}
          data-language={option}
          onClick={() => {
            if (option !== language) run(`lang ${option}`)
          }}
        >
          {names[option]}
        </button>
      ))}
    </div>
  )
}
