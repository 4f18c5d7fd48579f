import js from '@eslint/js'
import globals from 'globals'
import tseslint from 'typescript-eslint'

const reactBan = {
  group: ['react', 'react-dom', 'react-dom/*', '@tanstack/react-*', 'zustand'],
  message: 'Only the renderer uses React.',
}
const electronBan = {
  name: 'electron',
  message: 'Only src-main/electron/ and the preload import Electron; services stay plain Node.',
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
  // The fence (STYLE.md): shared is pure; services do not import Electron or React; only the
  // registrar touches ipcMain and only the preload touches ipcRenderer.
  {
    files: ['src-shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            reactBan,
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
              ],
              message: 'src-shared depends on nothing else in the project.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/**/*.ts', 'src-server/**/*.ts', 'bench/**/*.ts', 'bin/**/*.mjs'],
    ignores: ['src-main/electron/**', 'src-main/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            reactBan,
            {
              group: ['**/src-renderer/**', '**/src-preload/**'],
              message: 'Main-side code never imports the renderer or the preload.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-main/electron/**/*.ts', 'src-main/index.ts'],
    ignores: ['src-main/electron/ipc-registrar.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "ImportSpecifier[imported.name='ipcMain']",
          message: 'Only src-main/electron/ipc-registrar.ts imports ipcMain.',
        },
      ],
      'no-restricted-imports': ['error', { patterns: [reactBan] }],
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
