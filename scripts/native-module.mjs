// Makes sure better-sqlite3's native module is built for the runtime about to
// start: Node for the tests, the REPL and the benchmarks, Electron for the app.
// The two need different builds of the same file
// (node_modules/better-sqlite3/build/Release/better_sqlite3.node), so every
// build this script sees is kept in a cache beside it, and switching runtime
// is then a copy, not a compile.
//
//   node scripts/native-module.mjs node       (npm pretest, prerepl, prebench)
//   node scripts/native-module.mjs electron   (npm prestart, predev)
//
// Which runtime a build is for is read from the build itself: a module built
// against V8's C++ API exports `node_register_module_v<ABI>`, and the ABI
// number tells Node 20 (115) from Electron 45 (150). No stamp file can go stale
// when npm rebuilds or reinstalls the package behind our back. For Node the
// build is also loaded first, which catches a broken or foreign-architecture
// file, and a build that loads needs no reading at all.
//
// When nothing needs doing for Node, this costs a process start, one dlopen
// and a few stat calls, and prints nothing.

import { spawnSync } from 'node:child_process'
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const moduleFile = join('build', 'Release', 'better_sqlite3.node')

/**
 * What to do, from what is known. Pure, so that the table of cases is tested
 * directly.
 *
 * @param {{
 *   wantAbi: string,
 *   activeAbi: string | null,
 *   loads: boolean | null,
 *   cachedAbis: readonly string[],
 * }} state
 *   wantAbi: the ABI of the runtime about to start. activeAbi: the ABI read
 *   from the active build ('napi' for a build that works in any runtime; null
 *   when there is no build). loads: whether the active build loads in this
 *   Node (null when not tried: an Electron check cannot try). cachedAbis: the
 *   builds in the cache, by ABI.
 * @returns {{ stash: boolean, action: 'none' | 'restore' | 'build' }}
 *   stash: copy the active build into the cache first (it is a good build
 *   the cache lacks). action: keep the active build, copy the wanted one
 *   from the cache, or build it.
 */
export function decideNativeAction({ wantAbi, activeAbi, loads, cachedAbis }) {
  // A build that this Node should load but does not is broken: never keep or cache it.
  const activeIsGood = activeAbi !== null && loads !== false
  const activeFits = activeIsGood && (activeAbi === wantAbi || activeAbi === 'napi')
  const stash = activeIsGood && !cachedAbis.includes(activeAbi)
  if (activeFits) return { stash, action: 'none' }
  return { stash, action: cachedAbis.includes(wantAbi) ? 'restore' : 'build' }
}

/** The ABI a native module was built for, read from its exported symbols; null if none is found. */
export function readModuleAbi(bytes) {
  // Buffer.indexOf, not a regular expression over the file as text: 0.2 ms, not 35.
  const at = bytes.indexOf('node_register_module_v', 0, 'latin1')
  if (at !== -1) {
    let end = at + 'node_register_module_v'.length
    const start = end
    while (end < bytes.length && bytes[end] >= 0x30 && bytes[end] <= 0x39) end++
    if (end > start) return bytes.toString('latin1', start, end)
  }
  return bytes.indexOf('napi_register_module_v1', 0, 'latin1') !== -1 ? 'napi' : null
}

/** Does this Node load the module at `path`? One that does is built for this Node's ABI (or Node-API). */
function loadsInThisNode(path) {
  try {
    process.dlopen({ exports: {} }, path)
    return true
  } catch {
    return false
  }
}

function readPackageVersion(dir, name) {
  const path = join(dir, 'package.json')
  if (!existsSync(path)) return null
  const version = JSON.parse(readFileSync(path, 'utf8')).version
  if (typeof version !== 'string') throw new Error(`${name}'s package.json names no version.`)
  return version
}

/** The runtime a check is for: its name, version and ABI. */
export function targetFor(runtime, electronDir = join(root, 'node_modules', 'electron')) {
  if (runtime === 'node') {
    return { runtime, version: process.versions.node, abi: process.versions.modules }
  }
  const version = readPackageVersion(electronDir, 'electron')
  const abiFile = join(electronDir, 'abi_version')
  if (version === null || !existsSync(abiFile)) {
    throw new Error(
      'Electron is not installed in node_modules (run npm install), so better-sqlite3 cannot be built for it.',
    )
  }
  return { runtime, version, abi: readFileSync(abiFile, 'utf8').trim() }
}

/** Where the builds of one version of the package are kept, by ABI. */
function cacheFolder(cacheDir, packageVersion, abi) {
  return join(
    cacheDir,
    `better-sqlite3-${packageVersion}`,
    `abi-${abi}-${process.platform}-${process.arch}`,
  )
}

/** Replaces `to` by a copy of `from` without ever truncating `to` in place: a running app may have it mapped. */
function installCopy(from, to) {
  mkdirSync(dirname(to), { recursive: true })
  const partial = `${to}.${process.pid}.partial`
  copyFileSync(from, partial)
  renameSync(partial, to)
}

function remember(cacheDir, packageVersion, abi, source, how) {
  const folder = cacheFolder(cacheDir, packageVersion, abi)
  installCopy(source, join(folder, 'better_sqlite3.node'))
  const stamp = { abi, packageVersion, platform: process.platform, arch: process.arch, how }
  writeFileSync(join(folder, 'build.json'), JSON.stringify(stamp, null, 2) + '\n')
}

function cachedAbis(cacheDir, packageVersion) {
  const folder = join(cacheDir, `better-sqlite3-${packageVersion}`)
  const suffix = `-${process.platform}-${process.arch}`
  const found = []
  for (const abi of ['napi', ...listAbis(folder, suffix)]) {
    const file = join(cacheFolder(cacheDir, packageVersion, abi), 'better_sqlite3.node')
    if (existsSync(file) && !found.includes(abi)) found.push(abi)
  }
  return found
}

function listAbis(folder, suffix) {
  if (!existsSync(folder)) return []
  return readdirSync(folder)
    .filter((name) => name.startsWith('abi-') && name.endsWith(suffix))
    .map((name) => name.slice('abi-'.length, -suffix.length))
}

/** The node-gyp that ships with npm: under npm scripts npm names it; otherwise it sits beside npm. */
function findNodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    process.env.npm_execpath &&
      join(
        dirname(process.env.npm_execpath),
        '..',
        'node_modules',
        'node-gyp',
        'bin',
        'node-gyp.js',
      ),
    join(
      dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ]
  return candidates.find((path) => typeof path === 'string' && existsSync(path)) ?? null
}

/** Why a build tool failed, in a few words taken from its output. */
function whyFailed(result) {
  if (result.error !== undefined) return result.error.message
  const output = `${result.stdout ?? ''}\n${result.stderr ?? ''}`
  const network = /\b(getaddrinfo|connect|read) E[A-Z_]+\b[^\n]*/.exec(output)
  if (network !== null) return network[0].trim().slice(0, 160)
  const download = /gyp http GET (\S+)/.exec(output)
  if (download !== null && /install got an error/.test(output)) {
    return `could not download ${download[1]}`
  }
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /error|failed/i.test(line))
  return (lines[0] ?? `exit code ${result.status}`).slice(0, 160)
}

/**
 * Builds better-sqlite3 for Electron in a scratch copy of the package, so the
 * active build (the one the tests use) is never touched by a build that fails
 * halfway. First the project's prebuilt binary (prebuild-install, as the
 * package's own install does), then from source with node-gyp and Electron's
 * headers. Returns the path of the new module, or throws one sentence.
 */
function buildForElectron({ packageDir, cacheDir, packageVersion, target }) {
  console.log(`better-sqlite3: building for Electron ${target.version} (ABI ${target.abi}), once.`)
  const scratch = join(cacheDir, `scratch-${process.pid}`)
  rmSync(scratch, { recursive: true, force: true })
  cpSync(packageDir, scratch, {
    recursive: true,
    filter: (source) => !source.startsWith(join(packageDir, 'build')),
  })
  // npm passes its settings to scripts as npm_config_*; Node's header folder
  // (nodedir) there would make node-gyp build for Node under Electron's name.
  const env = { ...process.env }
  for (const key of Object.keys(env)) {
    if (/^npm_config_(nodedir|runtime|target|disturl|dist_url|arch)$/i.test(key)) delete env[key]
  }
  const run = (command, args, timeoutMs) =>
    spawnSync(command, args, { cwd: scratch, env, encoding: 'utf8', timeout: timeoutMs })
  try {
    const require = createRequire(join(packageDir, 'package.json'))
    const prebuild = run(
      process.execPath,
      [
        require.resolve('prebuild-install/bin.js'),
        '--runtime=electron',
        `--target=${target.version}`,
        `--arch=${process.arch}`,
        `--platform=${process.platform}`,
      ],
      120_000,
    )
    const built = join(scratch, moduleFile)
    let how = 'prebuild-install'
    let failures = `no prebuilt binary could be had (${whyFailed(prebuild)})`
    if (prebuild.status !== 0 || !existsSync(built)) {
      const nodeGyp = findNodeGyp()
      if (nodeGyp === null) {
        throw new Error(
          `${failures}, and node-gyp (which comes with npm) was not found to build from source`,
        )
      }
      const gyp = run(
        process.execPath,
        [
          nodeGyp,
          'rebuild',
          '--release',
          '--runtime=electron',
          `--target=${target.version}`,
          '--dist-url=https://electronjs.org/headers',
        ],
        15 * 60_000,
      )
      how = 'node-gyp'
      if (gyp.status !== 0 || !existsSync(built)) {
        failures += ` and building from source with node-gyp failed (${whyFailed(gyp)})`
        throw new Error(failures)
      }
    }
    const abi = readModuleAbi(readFileSync(built))
    if (abi !== target.abi && abi !== 'napi') {
      throw new Error(`the build came out for ABI ${abi}, not Electron's ${target.abi}`)
    }
    remember(cacheDir, packageVersion, target.abi, built, how)
    return how
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** Builds for this Node the way npm install does: the package's own install script. */
function buildForNode({ target }) {
  console.log(
    `better-sqlite3: building for Node ${target.version} (ABI ${target.abi}); this takes a few minutes, once.`,
  )
  const npm = process.env.npm_execpath
  const result =
    npm !== undefined && existsSync(npm)
      ? spawnSync(process.execPath, [npm, 'rebuild', 'better-sqlite3'], {
          cwd: root,
          encoding: 'utf8',
        })
      : spawnSync('npm', ['rebuild', 'better-sqlite3'], { cwd: root, encoding: 'utf8' })
  if (result.status !== 0)
    throw new Error(`npm rebuild better-sqlite3 failed (${whyFailed(result)})`)
}

/**
 * Makes the active build fit `runtime`. Returns one line saying what was done,
 * or null when nothing was needed. Throws an Error whose message is one
 * sentence saying what went wrong and what to do.
 *
 * Options exist for the tests: a package folder, a cache folder, the Electron
 * package, and the builders (so a test never compiles or downloads).
 */
export function ensureNativeModule(runtime, options = {}) {
  const packageDir = options.packageDir ?? join(root, 'node_modules', 'better-sqlite3')
  const cacheDir =
    options.cacheDir ?? join(root, 'node_modules', '.cache', 'consensus-lab', 'native')
  const build = options.build ?? { node: buildForNode, electron: buildForElectron }
  if (runtime !== 'node' && runtime !== 'electron') {
    throw new Error(
      `Say which runtime to build better-sqlite3 for: node or electron, not ${String(runtime)}.`,
    )
  }
  const packageVersion = readPackageVersion(packageDir, 'better-sqlite3')
  if (packageVersion === null) {
    throw new Error('better-sqlite3 is not installed in node_modules: run npm install first.')
  }
  const target = targetFor(runtime, options.electronDir)
  const active = join(packageDir, moduleFile)
  const inspect = () => {
    if (!existsSync(active)) return { abi: null, loads: null }
    // The fast path before every npm test: a module this Node loads is built
    // for this Node's ABI, so the file need not even be read.
    if (loadsInThisNode(active)) {
      const abi =
        runtime === 'node' ? process.versions.modules : readModuleAbi(readFileSync(active))
      return { abi, loads: true }
    }
    const abi = readModuleAbi(readFileSync(active))
    const shouldLoad = abi === process.versions.modules || abi === 'napi'
    return { abi, loads: shouldLoad ? false : null }
  }
  const before = inspect()
  const decision = decideNativeAction({
    wantAbi: target.abi,
    activeAbi: before.abi,
    loads: before.loads,
    cachedAbis: cachedAbis(cacheDir, packageVersion),
  })
  const name = runtime === 'node' ? `Node ${target.version}` : `Electron ${target.version}`
  if (decision.stash && before.abi !== null) {
    remember(cacheDir, packageVersion, before.abi, active, 'kept from node_modules')
  }
  if (decision.action === 'none') return null
  const cached = join(cacheFolder(cacheDir, packageVersion, target.abi), 'better_sqlite3.node')
  if (decision.action === 'restore') {
    installCopy(cached, active)
  } else if (runtime === 'node') {
    try {
      build.node({ packageDir, cacheDir, packageVersion, target })
    } catch (error) {
      throw new Error(
        `Could not build better-sqlite3 for ${name}: ${error.message}; the tests need it, so fix the build tools (python3, make, a C++ compiler) and run npm rebuild better-sqlite3.`,
        { cause: error },
      )
    }
    const after = inspect()
    if (after.abi === null || after.loads !== true) {
      throw new Error(
        `better-sqlite3 was rebuilt for ${name} but still does not load; run npm rebuild better-sqlite3 and read its output.`,
      )
    }
    remember(cacheDir, packageVersion, after.abi, active, 'npm rebuild')
  } else {
    try {
      build.electron({ packageDir, cacheDir, packageVersion, target })
    } catch (error) {
      throw new Error(
        `Could not build better-sqlite3 for ${name} (ABI ${target.abi}): ${error.message}; run npm start once on a machine that can reach github.com or electronjs.org (the build is then kept in ${cacheDir.startsWith(root) ? relative(root, cacheDir) : cacheDir} and reused), and npm test is not affected.`,
        { cause: error },
      )
    }
    installCopy(cached, active)
  }
  const after = readModuleAbi(readFileSync(active))
  if (after !== target.abi && after !== 'napi') {
    throw new Error(
      `better-sqlite3 should now be built for ${name} (ABI ${target.abi}), but the module in node_modules is for ABI ${after}.`,
    )
  }
  return decision.action === 'restore'
    ? `better-sqlite3: switched to the build for ${name} (ABI ${target.abi}) kept in the cache.`
    : `better-sqlite3: built for ${name} (ABI ${target.abi}) and kept in the cache.`
}

/** `node|electron [--package-dir DIR] [--cache-dir DIR] [--electron-dir DIR]`; the folders are for tests. */
function parseArguments(args) {
  const flags = {
    '--package-dir': 'packageDir',
    '--cache-dir': 'cacheDir',
    '--electron-dir': 'electronDir',
  }
  const options = {}
  for (let i = 1; i < args.length; i += 2) {
    const name = flags[args[i]]
    if (name === undefined || args[i + 1] === undefined) {
      throw new Error(
        `Unknown option ${args[i]}: the options are ${Object.keys(flags).join(', ')}, each with a folder.`,
      )
    }
    options[name] = args[i + 1]
  }
  return { runtime: args[0], options }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { runtime, options } = parseArguments(process.argv.slice(2))
    const done = ensureNativeModule(runtime, options)
    if (done !== null) console.log(done)
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error))
    process.exit(1)
  }
}
