// Vite bundles a module imported with `?worker` as a worker of its own and
// gives its constructor (the editor's workers: src/renderer/editor/monaco-setup.ts).
declare module '*?worker' {
  const WorkerConstructor: new () => Worker
  export default WorkerConstructor
}
