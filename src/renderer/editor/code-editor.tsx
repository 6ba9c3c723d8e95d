// The Code tab: the algorithm the cluster runs, in Monaco. Study a broken
// variant (read-only, or as the start of an edit), edit, check (the core
// compiles; its problems are marked inline before anything runs) and apply
// (the cluster's nodes restart on the code). Save and load named versions,
// reset to the reference, and compare with it. A node that crashes on the
// code marks its line. The page only edits text: the code runs in the
// cluster's worker threads.

import { useEffect, useRef, useState } from 'react'
import type { RequestResult } from '../../shared/api'
import { useWords } from '../i18n'
import type { AppStore } from '../store'
import {
  configureMonaco,
  markCrash,
  markerOwners,
  markProblems,
  monaco,
  moduleUri,
  setLibraries,
} from './monaco-setup'

type ModuleSource = RequestResult<'codeSource'>
type Saved = RequestResult<'codeSaved'>

/** Quiet time after typing before the core checks the text. */
const checkDelayMs = 600

/** What the editor holds: the module it came from, and whether it may be edited. */
interface Opened {
  module: ModuleSource
  /** The reference's source, for reset and the diff. */
  reference: string
  readOnly: boolean
}

function sentence(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

export function CodeEditor({ store }: { store: AppStore }) {
  const editorHost = useRef<HTMLDivElement>(null)
  const diffHost = useRef<HTMLDivElement>(null)
  const editor = useRef<monaco.editor.IStandaloneCodeEditor | null>(null)
  const diffEditor = useRef<monaco.editor.IStandaloneDiffEditor | null>(null)
  const referenceModel = useRef<monaco.editor.ITextModel | null>(null)
  const words = useWords(store).code
  // The words now, for answers that arrive after a render (a language switch meanwhile).
  const wordsNow = useRef(words)
  wordsNow.current = words
  const [opened, setOpened] = useState<Opened | null>(null)
  const [status, setStatus] = useState(words.loadingCode)
  const [busy, setBusy] = useState(false)
  const [showDiff, setShowDiff] = useState(false)
  const [saveName, setSaveName] = useState('')
  const [saved, setSaved] = useState<Saved>([])
  const [problemCount, setProblemCount] = useState(0)
  /** The latest apply, for the editor's Ctrl+Enter (bound once). */
  const applyLatest = useRef<() => void>(() => {})

  // The editors: made once, disposed with the panel.
  useEffect(() => {
    configureMonaco()
    const editorElement = editorHost.current
    const diffElement = diffHost.current
    if (editorElement === null || diffElement === null) return
    editor.current = monaco.editor.create(editorElement, {
      automaticLayout: true,
      minimap: { enabled: false },
      fontSize: 13,
      scrollBeyondLastLine: false,
      tabSize: 2,
      ariaLabel: wordsNow.current.editorLabel,
    })
    editor.current.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter, () =>
      applyLatest.current(),
    )
    diffEditor.current = monaco.editor.createDiffEditor(diffElement, {
      automaticLayout: true,
      readOnly: true,
      originalEditable: false,
      renderSideBySide: true,
      minimap: { enabled: false },
    })
    return () => {
      const model = editor.current?.getModel()
      diffEditor.current?.dispose()
      editor.current?.dispose()
      model?.dispose()
      referenceModel.current?.dispose()
      editor.current = null
      diffEditor.current = null
    }
  }, [])

  // A language switch renames the editor for screen readers too.
  useEffect(() => {
    editor.current?.updateOptions({ ariaLabel: words.editorLabel })
  }, [words])

  const open = (module: ModuleSource, reference: string, readOnly: boolean): void => {
    const view = editor.current
    if (view === null) return
    setLibraries(module.libraries)
    // The old models go only once no editor shows them.
    const oldModel = view.getModel()
    const oldReference = referenceModel.current
    diffEditor.current?.setModel(null)
    view.setModel(null)
    oldModel?.dispose()
    oldReference?.dispose()
    const model = monaco.editor.createModel(module.source, 'typescript', moduleUri(module.fileName))
    view.setModel(model)
    view.updateOptions({ readOnly })
    referenceModel.current = monaco.editor.createModel(reference, 'typescript')
    diffEditor.current?.setModel({ original: referenceModel.current, modified: model })
    setOpened({ module, reference, readOnly })
    setProblemCount(0)
  }

  const load = async (args: { algorithm?: string; variant?: string | null }): Promise<void> => {
    const module = await store.client.request('codeSource', args)
    const reference =
      module.variant === null
        ? module.source
        : (await store.client.request('codeSource', { algorithm: module.algorithm, variant: null }))
            .source
    open(module, reference, module.variant !== null)
    setSaved(await store.client.request('codeSaved', { algorithm: module.algorithm }))
    const running = module.running
    setStatus(
      running === null
        ? wordsNow.current.noCluster(module.algorithm)
        : wordsNow.current.runs(running.algorithm, running.variant, running.custom),
    )
  }

  // The module the cluster runs, when the panel first opens.
  useEffect(() => {
    load({}).catch((error: unknown) => setStatus(sentence(error)))
  }, [])

  // The core checks the text a moment after typing stops; its problems are marked inline.
  useEffect(() => {
    const view = editor.current
    if (view === null || opened === null) return
    let timer: number | undefined
    const subscription = view.onDidChangeModelContent(() => {
      window.clearTimeout(timer)
      const model = view.getModel()
      if (model === null) return
      monaco.editor.setModelMarkers(model, markerOwners.crash, [])
      timer = window.setTimeout(() => {
        store.client
          .request('codeCheck', { source: model.getValue(), fileName: opened.module.fileName })
          .then(({ problems }) => {
            if (model.isDisposed()) return
            markProblems(model, problems)
            setProblemCount(problems.length)
          })
          .catch((error: unknown) => setStatus(sentence(error)))
      }, checkDelayMs)
    })
    return () => {
      window.clearTimeout(timer)
      subscription.dispose()
    }
  }, [opened, store])

  // A node that crashes on this code: jump to the line and mark it.
  useEffect(() => {
    if (opened === null) return
    const fileName = opened.module.fileName
    return store.client.on('trace', (batch) => {
      for (const event of batch.events) {
        const location = event.kind === 'crash' ? event.error?.location : undefined
        if (event.kind !== 'crash' || location === undefined) continue
        if (location.file !== fileName && !location.file.endsWith(`/${fileName}`)) continue
        const view = editor.current
        const model = view?.getModel()
        if (view === null || view === undefined || model === null || model === undefined) return
        const message = wordsNow.current.crashedHere(event.node, event.error?.message ?? null)
        markCrash(view, model, { line: location.line, column: location.column, message })
        setShowDiff(false)
        setStatus(`${message} (${fileName}:${location.line}).`)
        return
      }
    })
  }, [opened, store])

  const run = (work: () => Promise<void>): void => {
    setBusy(true)
    work()
      .catch((error: unknown) => setStatus(sentence(error)))
      .finally(() => setBusy(false))
  }

  const current = (): string => editor.current?.getModel()?.getValue() ?? ''

  const apply = (): void =>
    run(async () => {
      if (opened === null) return
      const { module } = opened
      const unchanged = current() === module.source
      setStatus(words.applying)
      // An unedited variant or reference runs as the app's own module; edited text is compiled.
      const result = await store.client.request(
        'codeApply',
        unchanged
          ? { algorithm: module.algorithm, variant: module.variant }
          : {
              algorithm: module.algorithm,
              variant: module.variant,
              source: current(),
              fileName: module.fileName,
            },
      )
      const model = editor.current?.getModel()
      if (model !== null && model !== undefined) markProblems(model, result.problems)
      setProblemCount(result.problems.length)
      setStatus(result.lines.join(' '))
      if (result.applied) setShowDiff(false)
    })

  applyLatest.current = apply

  const chooseVariant = (variant: string | null): void =>
    run(async () => {
      if (opened === null) return
      await load({ algorithm: opened.module.algorithm, variant })
    })

  const editCopy = (): void => {
    if (opened === null) return
    editor.current?.updateOptions({ readOnly: false })
    setOpened({ ...opened, readOnly: false })
    setStatus(words.editingCopy(opened.module.variant ?? opened.module.algorithm))
    editor.current?.focus()
  }

  const reset = (): void => {
    if (opened === null) return
    run(async () => {
      await load({ algorithm: opened.module.algorithm, variant: null })
      setStatus(wordsNow.current.backToReference(opened.module.algorithm))
    })
  }

  const save = (): void =>
    run(async () => {
      if (opened === null) return
      const name = saveName.trim()
      const result = await store.client.request('codeSave', {
        algorithm: opened.module.algorithm,
        name,
        source: current(),
      })
      setSaved(await store.client.request('codeSaved', { algorithm: opened.module.algorithm }))
      setStatus(wordsNow.current.saved(result.name, result.version))
    })

  const loadSaved = (name: string): void =>
    run(async () => {
      if (opened === null || name === '') return
      const result = await store.client.request('codeLoad', {
        algorithm: opened.module.algorithm,
        name,
      })
      const view = editor.current
      view?.updateOptions({ readOnly: false })
      view?.getModel()?.setValue(result.source)
      setOpened({ ...opened, readOnly: false })
      setSaveName(result.name)
      setStatus(wordsNow.current.loaded(result.name, result.version))
    })

  const module = opened?.module
  const variantDescription =
    module?.variant === null || module === undefined
      ? ''
      : (module.variants.find((variant) => variant.name === module.variant)?.description ?? '')

  return (
    <div className="code-editor" data-testid="code-editor">
      <div className="code-toolbar" role="toolbar" aria-label={words.toolbar}>
        <label className="code-field">
          <span>{module?.algorithm ?? words.algorithm}</span>
          <select
            aria-label={words.variantLabel}
            value={module?.variant ?? ''}
            disabled={busy || module === undefined}
            onChange={(event) =>
              chooseVariant(event.target.value === '' ? null : event.target.value)
            }
          >
            <option value="">{words.reference}</option>
            {module?.variants.map((variant) => (
              <option key={variant.name} value={variant.name} title={variant.description}>
                {words.broken(variant.name)}
              </option>
            ))}
          </select>
        </label>
        {opened?.readOnly === true && (
          <button type="button" onClick={editCopy} disabled={busy}>
            {words.editCopy}
          </button>
        )}
        <button
          type="button"
          className="code-apply"
          onClick={apply}
          disabled={busy || opened === null}
          title={words.applyTitle}
        >
          {words.apply}
        </button>
        <button type="button" onClick={reset} disabled={busy || opened === null}>
          {words.reset}
        </button>
        <button
          type="button"
          aria-pressed={showDiff}
          onClick={() => setShowDiff((shown) => !shown)}
          disabled={opened === null}
        >
          {showDiff ? words.backToEditor : words.diff}
        </button>
        <span className="code-spacer" />
        <input
          aria-label={words.nameLabel}
          placeholder={words.namePlaceholder}
          value={saveName}
          maxLength={64}
          onChange={(event) => setSaveName(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && saveName.trim() !== '') save()
          }}
        />
        <button type="button" onClick={save} disabled={busy || saveName.trim() === ''}>
          {words.save}
        </button>
        <select
          aria-label={words.loadLabel}
          value=""
          disabled={busy || saved.length === 0}
          onChange={(event) => loadSaved(event.target.value)}
        >
          <option value="">{saved.length === 0 ? words.nothingSaved : words.loadSaved}</option>
          {saved.map((entry) => (
            <option key={entry.name} value={entry.name}>
              {entry.name} (v{entry.versions})
            </option>
          ))}
        </select>
      </div>
      {variantDescription !== '' && (
        <p className="code-variant-note">
          <strong>{module?.variant}</strong>: {variantDescription}
          {opened?.readOnly === true ? words.readOnly : ''}
        </p>
      )}
      <p
        className="code-status"
        role="status"
        data-testid="code-status"
        data-problems={problemCount}
      >
        {status}
      </p>
      <div className="code-surfaces">
        <div
          ref={editorHost}
          className="code-surface"
          hidden={showDiff}
          data-testid="code-monaco"
        />
        <div ref={diffHost} className="code-surface" hidden={!showDiff} data-testid="code-diff" />
      </div>
    </div>
  )
}
