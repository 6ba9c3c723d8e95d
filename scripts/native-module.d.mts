// Types for what src/ imports from native-module.mjs (browser mode checks the
// native module in its own process instead of in an npm pre-script).

/**
 * Makes better-sqlite3's active build fit `runtime`. Returns one line saying
 * what was done, or null when nothing was needed; throws an Error whose
 * message says what went wrong and what to do.
 */
export function ensureNativeModule(runtime: 'node' | 'electron'): string | null
