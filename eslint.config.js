// Lint rules hold the layers (see STYLE.md): the renderer never reaches Node or
// Electron, the pure core never leaves the core, and algorithm modules (what
// learners read and edit) cannot reach clocks, timers or randomness except
// through ctx: that is what makes the simulator deterministic.

import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
]
const noNodeOrElectron = [
  {
    group: ['node:*'],
    message: 'This layer runs without Node: keep I/O at the edges (src/main/cluster, store, cli).',
  },
  {
    regex: `^(${nodeBuiltins.join('|').replace('/', '\\/')})$`,
    message: 'This layer runs without Node: keep I/O at the edges (src/main/cluster, store, cli).',
  },
  { group: ['electron'], message: 'Only src/main/index.ts and src/preload may use Electron.' },
]

export default tseslint.config(
  { ignores: ['node_modules', 'out', 'dist', '.bench', 'test-results'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    // The renderer: the DOM and React, never Node or Electron or the core's insides.
    files: ['src/renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNodeOrElectron,
            {
              group: ['**/main/**', '**/workers/**'],
              message: 'The renderer talks to the core only through the typed API in src/shared.',
            },
          ],
        },
      ],
    },
  },
  {
    // The pure core: no Node, no Electron, no DOM, no packages but zod.
    files: [
      'src/shared/**',
      'src/workers/algorithms/**',
      'src/workers/runtime/**',
      'src/main/sim/**',
      'src/main/check/**',
      'src/main/client/**',
      'src/main/commands/**',
      'src/main/lessons/**',
      'src/main/trace/**',
      'src/main/explore/**',
      'src/main/jobs/jobs.ts',
    ],
    languageOptions: { globals: {} },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNodeOrElectron,
            {
              group: ['react', 'react-*', '@xterm/*', 'monaco-editor', 'better-sqlite3'],
              message: 'The pure core uses no UI or storage packages.',
            },
          ],
        },
      ],
    },
  },
  {
    // src/shared is the bottom layer: it imports only itself.
    files: ['src/shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...noNodeOrElectron,
            {
              group: ['../main/**', '../workers/**', '../renderer/**', '../../*'],
              message: 'src/shared imports only src/shared (and zod).',
            },
          ],
        },
      ],
    },
  },
  {
    // Algorithm modules: what learners read and edit. Do not relax these rules:
    // the simulator's exact replays depend on every clock, timer and random
    // number coming through ctx.
    files: ['src/workers/algorithms/**'],
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'Date', message: 'Use ctx.now() instead of Date: the simulator controls time.' },
        {
          name: 'setTimeout',
          message: "Use ctx.setTimer('name', ms): timers must run in virtual time too.",
        },
        {
          name: 'setInterval',
          message: "Use ctx.setTimer('name', ms) and set it again when it fires.",
        },
        {
          name: 'setImmediate',
          message: 'A node does its work inside its handlers; use ctx.setTimer to act later.',
        },
        {
          name: 'queueMicrotask',
          message: 'A node does its work inside its handlers; use ctx.setTimer to act later.',
        },
        { name: 'performance', message: 'Use ctx.now(): the simulator controls time.' },
        {
          name: 'console',
          message: 'Use ctx.log(...): it goes to the trace, where the timeline shows it.',
        },
        {
          name: 'process',
          message: 'A node cannot reach the process: everything it may do goes through ctx.',
        },
        { name: 'require', message: 'A node module imports only the node API (src/shared).' },
        { name: 'globalThis', message: 'A node keeps everything in its state object.' },
        { name: 'window', message: 'A node keeps everything in its state object.' },
        { name: 'fetch', message: 'Nodes talk only by messages: ctx.send(dest, body).' },
        { name: 'eval', message: 'eval is not allowed in a node module.' },
        {
          name: 'Function',
          message: 'Building functions from strings is not allowed in a node module.',
        },
      ],
      'no-restricted-properties': [
        'error',
        {
          object: 'Math',
          property: 'random',
          message: 'Use ctx.random(): the simulator seeds all randomness so runs can be replayed.',
        },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'FunctionDeclaration[async=true], FunctionExpression[async=true], ArrowFunctionExpression[async=true]',
          message:
            'Handlers run to completion: no async. Send a message or set a timer to continue later.',
        },
        {
          selector: 'AwaitExpression',
          message:
            'Handlers run to completion: no await. Send a message or set a timer to continue later.',
        },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(?!\\.).*',
              message:
                'A node module imports only relative paths: the node API in src/shared and files beside it.',
            },
            ...noNodeOrElectron,
          ],
        },
      ],
    },
  },
  prettier,
)
