// The lessons on disk: reads each folder under lessons/ (lesson.yaml, en.md,
// zh.md) and hands the text to the pure reader in src/main/lessons, which
// checks it. The only file I/O the lessons have.

import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { languages, type Course, type LessonFiles } from './lessons/lesson'
import { readCourse } from './lessons/read-lesson'

/** Where the course ships: lessons/ at the top of the project. */
export const lessonsFolder = fileURLToPath(new URL('../../lessons', import.meta.url))

/** Every lesson folder's files, as text. */
export function readLessonFolders(folder: string = lessonsFolder): LessonFiles[] {
  if (!existsSync(folder)) return []
  const shown = relative(process.cwd(), folder) || folder
  return readdirSync(folder, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => {
      const at = join(folder, entry.name)
      const read = (name: string): string | undefined => {
        const file = join(at, name)
        return existsSync(file) ? readFileSync(file, 'utf8') : undefined
      }
      return {
        id: entry.name,
        folder: join(shown, entry.name),
        yaml: read('lesson.yaml'),
        texts: Object.fromEntries(
          languages.map((l) => [l, read(`${l}.md`)]),
        ) as LessonFiles['texts'],
      }
    })
}

/** The course as shipped, checked. */
export function loadCourse(folder: string = lessonsFolder): Course {
  return readCourse(readLessonFolders(folder))
}
