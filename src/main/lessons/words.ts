// What the lesson engine itself says, in each language the lessons are
// written in. The lessons' own text lives in lessons/*/en.md and zh.md.

import type { Language, LessonSetup } from './lesson'

type Said<T> = Record<Language, T>

export const say = {
  stepHeading: {
    en: (lesson: number, title: string, step: number, steps: number) =>
      `── Lesson ${lesson}: ${title} · step ${step} of ${steps} ──`,
    zh: (lesson: number, title: string, step: number, steps: number) =>
      `── 第 ${lesson} 课：${title} · 第 ${step} 步，共 ${steps} 步 ──`,
  },
  opened: {
    en: (number: number, title: string, setup: LessonSetup, step: number, again: boolean) =>
      `Lesson ${number}: ${title}. Set up ${setup.algorithm}${setup.variant === undefined ? '' : ` (variant ${setup.variant})`} with ${setup.nodes} nodes ${setup.runtime === 'sim' ? `in the simulator, seed ${setup.seed}` : 'as threads on this machine'}${again ? '; you finished this lesson before, so it starts again from step 1' : step > 0 ? `; resuming at step ${step + 1}, with the earlier steps replayed` : ''}.`,
    zh: (number: number, title: string, setup: LessonSetup, step: number, again: boolean) =>
      `第 ${number} 课：${title}。已准备好 ${setup.nodes} 个节点的 ${setup.algorithm}${setup.variant === undefined ? '' : `（变体 ${setup.variant}）`}，${setup.runtime === 'sim' ? `运行在模拟器里，种子 ${setup.seed}` : '以线程的形式运行在本机'}${again ? '；你已经学完这一课，现在从第 1 步重新开始' : step > 0 ? `；从第 ${step + 1} 步继续，之前的步骤已经重放` : ''}。`,
  },
  stepDone: {
    en: (step: number, steps: number) => `✓ Step ${step} of ${steps} done.`,
    zh: (step: number, steps: number) => `✓ 第 ${step} 步完成（共 ${steps} 步）。`,
  },
  lessonDone: {
    en: (title: string, time: string, next: number | null) =>
      `🎉 You finished "${title}" (${time}). ${next === null ? 'That was the last lesson.' : `Next: lesson ${next}.`} Type lessons for the course map.`,
    zh: (title: string, time: string, next: number | null) =>
      `🎉 你学完了「${title}」（用时 ${time}）。${next === null ? '这是最后一课。' : `下一课：lesson ${next}。`}输入 lessons 查看课程地图。`,
  },
  stuck: {
    en: 'Stuck? Type hint for a hint, or lesson to see what is still missing.',
    zh: '卡住了？输入 hint 看提示，或输入 lesson 看看还差什么。',
  },
  hintLabel: {
    en: (n: number, of: number) => `Hint ${n}/${of}:`,
    zh: (n: number, of: number) => `提示 ${n}/${of}：`,
  },
  moreHints: { en: '(hint again for more)', zh: '（再输入 hint 看下一条）' },
  solutionEdit: {
    en: 'In the Code tab, change these lines (- before, + after), then Apply:',
    zh: '在代码页（Code）里这样改（- 改前，+ 改后），然后点 Apply：',
  },
  solution: {
    en: 'No more hints. These commands do it:',
    zh: '提示已经用完。下面这些命令可以完成这一步：',
  },
  stillToDo: {
    en: (missing: string) => `Still to do: ${missing}`,
    zh: (missing: string) => `还差：${missing}`,
  },
  alreadyMet: {
    en: 'This step is as good as done: type any command (status, say) to move on.',
    zh: '这一步其实已经达成：输入任意命令（比如 status）就会进入下一步。',
  },
  noLessonOpen: {
    en: 'no lesson is open; type lessons for the course map, or lesson 1 to begin.',
    zh: '还没有打开任何一课；输入 lessons 查看课程地图，或输入 lesson 1 开始。',
  },
  noLessons: {
    en: 'no lessons were found; check the lessons folder.',
    zh: '没有找到课程；请检查 lessons 文件夹。',
  },
  noSuchLesson: {
    en: (n: number, known: number[]) =>
      `there is no lesson ${n}; the lessons are ${known.join(', ')} (lessons shows them).`,
    zh: (n: number, known: number[]) =>
      `没有第 ${n} 课；现有的课是 ${known.join('、')}（输入 lessons 查看）。`,
  },
  firstStep: { en: 'this is the first step already.', zh: '这已经是第一步了。' },
  lastStep: {
    en: 'this is the last step; meet its goal to finish the lesson.',
    zh: '这是最后一步；完成它的目标就学完这一课了。',
  },
  setupFailed: {
    en: (line: string, why: string) => `the lesson could not set up its cluster (${line}): ${why}`,
    zh: (line: string, why: string) => `本课无法准备集群（${line}）：${why}`,
  },
  languageSet: {
    en: 'Lessons are now in English.',
    zh: '课程文字已切换为简体中文。',
  },
  mapColumns: {
    en: {
      lesson: 'lesson',
      steps: 'steps',
      time: 'time',
      where: 'where',
      step: (n: number) => `step ${n}`,
      here: '← you are here',
      done: 'done',
    },
    zh: {
      lesson: '课程',
      steps: '步骤',
      time: '用时',
      where: '进度',
      step: (n: number) => `第 ${n} 步`,
      here: '← 你在这里',
      done: '已完成',
    },
  },
  mapHelp: {
    en: 'lesson N starts or resumes lesson N; lang zh switches to Chinese.',
    zh: 'lesson N 开始或继续第 N 课；lang en 切换到英文。',
  },
} satisfies Record<string, Said<unknown>>
