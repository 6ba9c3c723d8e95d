// Monaco, bundled with the app (never from a CDN: the app is offline) and
// loaded only with the Code tab: its workers come from node_modules through
// Vite, and its TypeScript service knows the node API under the name a
// learner imports it by ('consensus-lab'), so completion and type errors work.
// The module runs nothing a learner writes: it only edits text.

import * as monaco from 'monaco-editor'
import EditorWorker from 'monaco-editor/editor/editor.worker.js?worker'
import TypeScriptWorker from 'monaco-editor/language/typescript/ts.worker.js?worker'
import type { CodeProblem } from '../../shared/code-api'
import { isDark, onThemeChange } from '../theme'

export { monaco }

/** The owners of the markers this editor sets: compile problems from the core, a node's crash. */
export const markerOwners = {
  compile: 'consensus-lab-compile',
  crash: 'consensus-lab-crash',
} as const

let configured = false

/** Sets up workers, the TypeScript service and the theme, once per page. */
export function configureMonaco(): void {
  if (configured) return
  configured = true
  self.MonacoEnvironment = {
    getWorker: (_workerId: string, label: string) =>
      label === 'typescript' || label === 'javascript'
        ? new TypeScriptWorker()
        : new EditorWorker(),
  }
  monaco.typescript.typescriptDefaults.setCompilerOptions({
    target: monaco.typescript.ScriptTarget.ES2020,
    module: monaco.typescript.ModuleKind.ESNext,
    moduleResolution: monaco.typescript.ModuleResolutionKind.NodeJs,
    // A node runs no DOM: only the language's own library.
    lib: ['es2022'],
    strict: true,
    noEmit: true,
    allowNonTsExtensions: true,
  })
  monaco.typescript.typescriptDefaults.setEagerModelSync(true)
  followTheme()
  onThemeChange(followTheme)
}

function followTheme(): void {
  monaco.editor.setTheme(isDark() ? 'vs-dark' : 'vs')
}

let libraries: monaco.IDisposable[] = []

/** Gives the TypeScript service the files a module imports (`consensus-lab/index.ts`, ...). */
export function setLibraries(files: readonly { path: string; text: string }[]): void {
  for (const library of libraries) library.dispose()
  libraries = files.map((file) =>
    monaco.typescript.typescriptDefaults.addExtraLib(file.text, libraryUri(file.path)),
  )
}

/** Where the TypeScript service finds a library: as a package in node_modules. */
function libraryUri(path: string): string {
  return `file:///node_modules/${path}`
}

/** The learner's file, e.g. file:///raft.ts. */
export function moduleUri(fileName: string): monaco.Uri {
  return monaco.Uri.parse(`file:///${fileName}`)
}

/** Marks the core's compile problems on the model (none: clears them). */
export function markProblems(
  model: monaco.editor.ITextModel,
  problems: readonly CodeProblem[],
): void {
  monaco.editor.setModelMarkers(
    model,
    markerOwners.compile,
    problems.map((problem) => ({
      severity: monaco.MarkerSeverity.Error,
      message: problem.text,
      startLineNumber: problem.line,
      startColumn: problem.column,
      endLineNumber: problem.line,
      endColumn: problem.column + problem.length,
    })),
  )
}

/** Marks the line a node crashed at, with its error, and shows it. */
export function markCrash(
  editor: monaco.editor.ICodeEditor,
  model: monaco.editor.ITextModel,
  crash: { line: number; column: number; message: string },
): void {
  const line = Math.min(Math.max(1, crash.line), model.getLineCount())
  monaco.editor.setModelMarkers(model, markerOwners.crash, [
    {
      severity: monaco.MarkerSeverity.Error,
      message: crash.message,
      startLineNumber: line,
      startColumn: model.getLineFirstNonWhitespaceColumn(line) || 1,
      endLineNumber: line,
      endColumn: model.getLineMaxColumn(line),
    },
  ])
  editor.revealLineInCenter(line)
  editor.setPosition({ lineNumber: line, column: Math.max(1, crash.column) })
}
