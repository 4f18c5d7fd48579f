import { resolve } from 'node:path'
import { ESLint } from 'eslint'
import { describe, expect, it } from 'vitest'

/**
 * The import fence (eslint.config.js, ARCHITECTURE.md) is only worth something if each rule
 * fires. Each case lints one line of source as if it lived at the given path in this repository.
 */
const root = resolve(import.meta.dirname, '..')
const eslint = new ESLint({ cwd: root })

async function fenceMessages(path: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(`${source}\nexport {}\n`, {
    filePath: resolve(root, path),
  })
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message)
}

describe('the import fence', () => {
  const refused: Array<[string, string, string, RegExp]> = [
    [
      'production code importing test support',
      'src-main/harness/runner.ts',
      "import { startFaultProxy } from '../../test/support/fault-proxy.ts'",
      /test support/,
    ],
    [
      'the server importing test fixtures',
      'src-server/server.ts',
      "import { IDP_METADATA_DIR } from '../test/fixtures/index.ts'",
      /test support/,
    ],
    [
      'src-server importing src-main',
      'src-server/admin/admin-routes.ts',
      "import { inspectMetadata } from '../../src-main/metadata/inspect-metadata.ts'",
      /never the console/,
    ],
    [
      'src-main importing src-server outside the launcher',
      'src-main/connections/backend-access.ts',
      "import { startServer } from '../../src-server/server.ts'",
      /only through src-server\/launcher/,
    ],
    [
      'Electron glue importing the server outside the launcher',
      'src-main/electron/main.ts',
      "import { startServer } from '../../src-server/server.ts'",
      /only through src-server\/launcher/,
    ],
    [
      'the domain library importing the console',
      'src-domain/saml-metadata/parse-idp-metadata.ts',
      "import { fetchMetadataDocument } from '../../src-main/metadata/fetch-metadata.ts'",
      /imports only src-shared/,
    ],
    [
      'the domain library importing the server',
      'src-domain/saml-metadata/parse-idp-metadata.ts',
      "import { startServer } from '../../src-server/server.ts'",
      /imports only src-shared/,
    ],
    [
      'src-shared importing the domain library',
      'src-shared/metadata.ts',
      "import { parseIdpMetadata } from '../src-domain/saml-metadata/parse-idp-metadata.ts'",
      /depends on nothing else/,
    ],
    [
      'a service importing Electron',
      'src-main/secrets/token-service.ts',
      "import { app } from 'electron'",
      /Electron/,
    ],
    [
      'production code importing a test-only devDependency',
      'src-server/scim-routes.ts',
      "import express from 'express'",
      /devDependency/,
    ],
    [
      'the renderer importing main',
      'src-renderer/src/App.tsx',
      "import { createDispatcher } from '../../src-main/dispatcher.ts'",
      /contract/,
    ],
    [
      'Electron glue other than the registrar importing ipcMain',
      'src-main/electron/create-window.ts',
      "import { ipcMain } from 'electron'",
      /ipc-registrar/,
    ],
  ]

  it.each(refused)('refuses %s', async (_name, path, source, message) => {
    const messages = await fenceMessages(path, source)
    expect(
      messages.some((m) => message.test(m)),
      messages.join('\n') || '(no message)',
    ).toBe(true)
  })

  const allowed: Array<[string, string, string]> = [
    [
      'src-main starting the backend through the launcher',
      'src-main/main-context.ts',
      "import { launchBackendProcess } from '../src-server/launcher/launch-process.ts'",
    ],
    [
      'the server using the domain library',
      'src-server/admin/admin-routes.ts',
      "import { parseIdpMetadata } from '../../src-domain/saml-metadata/parse-idp-metadata.ts'",
    ],
    [
      'a test wiring layers together',
      'src-main/handlers/sso.test.ts',
      "import { startServer } from '../../src-server/server.ts'",
    ],
  ]

  it.each(allowed)('allows %s', async (_name, path, source) => {
    expect(await fenceMessages(path, source)).toEqual([])
  })
})
