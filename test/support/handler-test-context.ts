import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from '../../src-server/server.ts'
import { createLogger } from '../../src-main/logger.ts'
import {
  openMainContext,
  type MainContext,
  type StartEmbedded,
} from '../../src-main/main-context.ts'
import { createDispatcher, createHandlers, type Dispatch } from '../../src-main/dispatcher.ts'

/** Test support: the embedded reference backend started in-process instead of as a child. */
export const startInProcess: StartEmbedded = async ({ dataDir, adminKey }) => {
  const server = await startServer({ port: 0, host: '127.0.0.1', dataDir, adminKey })
  return {
    adminBaseUrl: server.adminBaseUrl,
    scimBaseUrl: server.scimBaseUrl,
    tenantId: server.demoTenantId,
    stop: () => server.close(),
  }
}

export interface HandlerTestContext {
  dataDir: string
  context: MainContext
  dispatch: Dispatch
  logLines: string[]
  clipboard: { text: string }
  close(): Promise<void>
}

/**
 * A dispatcher over the real services: the memory secret store chosen explicitly (as a person
 * would with SCIM_CONSOLE_SECRET_STORE=memory), a fresh data folder, a real backend.
 */
export async function openHandlerTestContext(): Promise<HandlerTestContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-handlers-'))
  const context = await openMainContext({
    dataDir,
    env: { SCIM_CONSOLE_SECRET_STORE: 'memory' },
    platform: process.platform,
    runtime: { execPath: process.execPath },
    startEmbedded: startInProcess,
  })
  const logLines: string[] = []
  const clipboard = { text: '' }
  const dispatch = createDispatcher({
    handlers: createHandlers({
      runtime: 'test',
      context,
      platform: {
        pickMetadataFile: async () => null,
        writeClipboard: async (text) => {
          clipboard.text = text
        },
        clearClipboardIfEquals: async (text) => {
          if (clipboard.text !== text) return false
          clipboard.text = ''
          return true
        },
      },
    }),
    logger: createLogger({ write: (l) => logLines.push(l), level: 'debug' }),
  })
  return {
    dataDir,
    context,
    dispatch,
    logLines,
    clipboard,
    async close() {
      await context.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
