// The page's own words in each language the lessons are written in. The
// language follows the lessons' (`lang en|zh`, kept with the progress in the
// core) and is remembered in this browser too, so the first paint, before the
// core answers, is already in the learner's language. Components take their
// words from useWords(store); a word missing in one language is a compile
// error, since `zh` must have the shape of `en`.

import { useEffect } from 'react'
import { lessonLanguages, type LessonLanguage } from '../shared/lesson-view'
import { useAppState, type AppStore } from './store'

export type UiLanguage = LessonLanguage

const en = {
  connected: 'connected',
  connecting: 'connecting…',
  disconnected: 'disconnected',
  theme: 'Theme',
  themeChoices: { system: 'System', light: 'Light', dark: 'Dark' },
  viewsLabel: 'Views of the cluster',
  tabs: { cluster: 'Cluster', inspector: 'Inspector', code: 'Code', metrics: 'Metrics' },

  language: 'Language',
  lessonPane: 'Lesson',
  courseMap: 'Course map',
  backToStep: 'Back to the step',
  hidePane: 'Hide',
  showPane: 'Show',
  lessonHeading: (number: number, title: string) => `Lesson ${number}: ${title}`,
  stepOf: (step: number, steps: number) => `Step ${step} of ${steps}`,
  stepState: (step: number, state: 'done' | 'here' | 'todo') =>
    `Step ${step}: ${state === 'done' ? 'done' : state === 'here' ? 'you are here' : 'not done yet'}`,
  hint: 'Hint',
  next: 'Next',
  back: 'Back',
  buttonsType: 'The buttons type hint, back and next into the terminal for you.',
  hintNumber: (n: number) => `Hint ${n}`,
  stepConfirmed: (step: number) => `✓ Step ${step} done. On to step ${step + 1}.`,
  lessonFinished: (title: string) =>
    `★ You finished “${title}”. Go on to the next lesson, or pick one from the course map.`,
  stepAlreadyDone: 'You did this step before: type its command again, or press Next.',
  courseIntro:
    'Pick a lesson to start it. Each step says what to type in the terminal on the left, and this pane ticks it off when it is done.',
  columnLesson: 'Lesson',
  columnSteps: 'Steps done',
  columnTime: 'Time spent',
  columnWhere: 'Where you left off',
  notStarted: 'not started',
  finished: 'done',
  atStep: (step: number) => `at step ${step}`,
  youAreHere: 'you are here',
  openLesson: (number: number, title: string, state: 'start' | 'continue' | 'again') =>
    `${state === 'start' ? 'Start' : state === 'continue' ? 'Continue' : 'Do again'} lesson ${number}: ${title}`,
  minutes: (ms: number) => {
    if (ms <= 0) return '–'
    if (ms < 60_000) return '< 1 min'
    const total = Math.round(ms / 60_000)
    return total < 60 ? `${total} min` : `${Math.floor(total / 60)} h ${total % 60} min`
  },
}

export type Words = typeof en

const zh: Words = {
  connected: '已连接',
  connecting: '正在连接…',
  disconnected: '已断开',
  theme: '主题',
  themeChoices: { system: '跟随系统', light: '浅色', dark: '深色' },
  viewsLabel: '集群视图',
  tabs: { cluster: '集群', inspector: '检查器', code: '代码', metrics: '指标' },

  language: '语言',
  lessonPane: '课程',
  courseMap: '课程地图',
  backToStep: '回到当前步骤',
  hidePane: '收起',
  showPane: '展开',
  lessonHeading: (number, title) => `第 ${number} 课：${title}`,
  stepOf: (step, steps) => `第 ${step} 步，共 ${steps} 步`,
  stepState: (step, state) =>
    `第 ${step} 步：${state === 'done' ? '已完成' : state === 'here' ? '你在这里' : '还没完成'}`,
  hint: '提示',
  next: '下一步',
  back: '上一步',
  buttonsType: '这些按钮会替你在终端里输入 hint、back 和 next。',
  hintNumber: (n) => `提示 ${n}`,
  stepConfirmed: (step) => `✓ 第 ${step} 步完成，进入第 ${step + 1} 步。`,
  lessonFinished: (title) => `★ 你学完了「${title}」。继续学下一课，或者在课程地图里另选一课。`,
  stepAlreadyDone: '这一步你以前做过了：再输入一次它的命令，或者点“下一步”。',
  courseIntro: '选一课开始。每一步都会告诉你在左边的终端里输入什么，做到了这里就会打上勾。',
  columnLesson: '课程',
  columnSteps: '完成的步骤',
  columnTime: '用时',
  columnWhere: '上次学到',
  notStarted: '未开始',
  finished: '已学完',
  atStep: (step) => `第 ${step} 步`,
  youAreHere: '你在这里',
  openLesson: (number, title, state) =>
    `${state === 'start' ? '开始' : state === 'continue' ? '继续' : '重学'}第 ${number} 课：${title}`,
  minutes: (ms) => {
    if (ms <= 0) return '–'
    if (ms < 60_000) return '不到 1 分钟'
    const total = Math.round(ms / 60_000)
    return total < 60 ? `${total} 分钟` : `${Math.floor(total / 60)} 小时 ${total % 60} 分钟`
  },
}

const dictionary: Record<UiLanguage, Words> = { en, zh }

export function wordsFor(language: UiLanguage): Words {
  return dictionary[language]
}

const storageKey = 'consensus-lab.language'

export function isUiLanguage(word: unknown): word is UiLanguage {
  return typeof word === 'string' && (lessonLanguages as readonly string[]).includes(word)
}

/** The language this browser last showed, or English. */
export function rememberedLanguage(): UiLanguage {
  try {
    const kept = window.localStorage.getItem(storageKey)
    return isUiLanguage(kept) ? kept : 'en'
  } catch {
    return 'en' // storage refused (a locked-down profile): English for this page
  }
}

/** Remembers the language for the next page, and tells the browser (fonts, screen readers). */
export function rememberLanguage(language: UiLanguage): void {
  document.documentElement.lang = language === 'zh' ? 'zh-CN' : 'en'
  try {
    window.localStorage.setItem(storageKey, language)
  } catch {
    // Not remembered: the core still keeps the lessons' language with the progress.
  }
}

/** The page's language now: the lessons' once the core has said, else the one remembered. */
export function useUiLanguage(store: AppStore): UiLanguage {
  const language = useAppState(store, (state) => state.lesson?.language ?? null)
  const shown = language ?? rememberedLanguage()
  useEffect(() => rememberLanguage(shown), [shown])
  return shown
}

/** The words to show, in the page's language. */
export function useWords(store: AppStore): Words {
  return wordsFor(useUiLanguage(store))
}
