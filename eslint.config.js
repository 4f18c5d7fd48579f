import js from '@eslint/js'
import globals from 'globals'
import regexpPlugin from 'eslint-plugin-regexp'
import tseslint from 'typescript-eslint'

const reactBan = {
  group: ['react', 'react-dom', 'react-dom/*', '@tanstack/react-*', 'zustand'],
  message: 'Only the renderer uses React.',
}
/** Test files: they may import across layers and from test/. */
const testFiles = ['**/*.test.ts', '**/*.test.tsx']
const testSupportBan = {
  group: ['**/test/support/**', '**/test/fixtures/**', '**/e2e/**'],
  message: 'Production code never imports test support or fixtures (they live in test/).',
}
/** devDependencies that must never reach a bundle: test servers are built on them. */
const devOnlyBans = ['express', 'scimmy', 'scimmy-routers', '@playwright/test', 'vitest'].map(
  (name) => ({ name, message: `${name} is a devDependency for tests only (test/support).` }),
)
const serverBanOutsideLauncher = {
  regex: '(^|/)src-server/(?!launcher/)',
  message:
    'The console starts the reference backend only through src-server/launcher/; it never imports the server itself.',
}
const electronBan = {
  name: 'electron',
  message: 'Only src-main/electron/ and the preload import Electron; services stay plain Node.',
}

/**
 * A production layer's fence: never Electron, React, test support or test-only devDependencies,
 * plus what the layer itself may not import. Its tests are exempt.
 */
function productionFence(files, patterns, ignores = []) {
  return {
    files,
    ignores: [...ignores, ...testFiles],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan, ...devOnlyBans],
          patterns: [reactBan, testSupportBan, ...patterns],
        },
      ],
    },
  }
}

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      '.tools/**',
      'out/**',
      'dist/**',
      'test-results/**',
      'playwright-report/**',
      'e2e/artifacts/**',
      'bench/results/**',
      'src-main/backend/admin-api.d.ts',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  // Every regular expression that can see input from outside must run in linear time (issue #12:
  // one quadratic pattern in the redactor froze the backend for every tenant).
  regexpPlugin.configs['flat/recommended'],
  {
    rules: {
      'regexp/no-super-linear-backtracking': ['error', { report: 'potential' }],
      'regexp/no-super-linear-move': ['error', { report: 'potential', ignorePartial: false }],
      // Style only, with dozens of hits in files other sessions own: off, to keep merges clean.
      'regexp/no-unused-capturing-group': 'off',
      'regexp/prefer-w': 'off',
      'regexp/use-ignore-case': 'off',
      'regexp/control-character-escape': 'off',
    },
  },
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  // The fence (STYLE.md, ARCHITECTURE.md): each layer names what it may not import. Tests are
  // exempt (they wire layers together on purpose); production code never imports test support.
  productionFence(
    ['src-shared/**/*.ts'],
    [
      {
        group: ['node:*', 'fs', 'path', 'http', 'https', 'crypto'],
        message: 'src-shared is pure: no Node APIs.',
      },
      {
        group: [
          '**/src-main/**',
          '**/src-renderer/**',
          '**/src-server/**',
          '**/src-preload/**',
          '**/src-domain/**',
        ],
        message: 'src-shared depends on nothing else in the project.',
      },
    ],
  ),
  productionFence(
    ['src-domain/**/*.ts'],
    [
      {
        group: ['**/src-main/**', '**/src-server/**', '**/src-renderer/**', '**/src-preload/**'],
        message:
          'src-domain is the library both the console and the server use: it imports only src-shared.',
      },
    ],
  ),
  productionFence(
    ['src-server/**/*.ts'],
    [
      {
        group: ['**/src-main/**', '**/src-renderer/**', '**/src-preload/**'],
        message:
          'The reference backend is a program of its own: it imports src-shared and src-domain, never the console.',
      },
    ],
  ),
  productionFence(
    ['src-main/**/*.ts'],
    [
      {
        group: ['**/src-renderer/**', '**/src-preload/**'],
        message: 'Main-side code never imports the renderer or the preload.',
      },
      serverBanOutsideLauncher,
    ],
    ['src-main/electron/**'],
  ),
  {
    files: ['bench/**/*.ts', 'bin/**/*.mjs'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBan], patterns: [reactBan] }],
    },
  },
  {
    files: ['src-main/electron/**/*.ts'],
    ignores: ['src-main/electron/ipc-registrar.ts', ...testFiles],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcMain']",
          message: 'Only src-main/electron/ipc-registrar.ts imports ipcMain.',
        },
      ],
      'no-restricted-imports': [
        'error',
        { paths: devOnlyBans, patterns: [reactBan, testSupportBan, serverBanOutsideLauncher] },
      ],
    },
  },
  {
    files: ['src-preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            reactBan,
            {
              group: ['**/src-main/**', '**/src-server/**', 'node:*'],
              message: 'The preload sees only the contract.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**/*.ts', 'src-renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            {
              group: ['node:*', '**/src-main/**', '**/src-server/**', '**/src-preload/**'],
              message:
                'The renderer talks only to the contract (src-shared) through its api module.',
            },
          ],
        },
      ],
    },
  },
)
