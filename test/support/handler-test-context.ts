import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer } from '../../src-server/server.ts'
import { createLogger } from '../../src-main/logger.ts'
import type { StartEmbedded } from '../../src-main/main-context.ts'
import {
  createAppServices,
  type AppPlatform,
  type AppServices,
} from '../../src-main/app-services.ts'
import { createDispatcher, type Dispatch } from '../../src-main/dispatcher.ts'
import { createHandlers } from '../../src-main/handlers/index.ts'

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
  services: AppServices
  dispatch: Dispatch
  logLines: string[]
  /** What the test clipboard holds (unless the test passed its own clipboard). */
  clipboard: { text: string }
  close(): Promise<void>
}

/**
 * The composition root and a dispatcher over the real services, as a front door builds them: the
 * memory secret store chosen explicitly (as a person would with SCIM_CONSOLE_SECRET_STORE=memory),
 * a fresh data folder, the embedded backend started in-process on first use. `overrides` replace
 * platform parts (a clipboard that throws, harness tuning).
 */
export async function openHandlerTestContext(
  overrides: Partial<Omit<AppPlatform, 'dataDir'>> = {},
): Promise<HandlerTestContext> {
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-handlers-'))
  const clipboard = { text: '' }
  const services = await createAppServices({
    dataDir,
    env: { SCIM_CONSOLE_SECRET_STORE: 'memory' },
    osPlatform: process.platform,
    runtime: 'test',
    execPath: process.execPath,
    startEmbedded: startInProcess,
    clipboard: {
      writeText: async (text) => {
        clipboard.text = text
      },
      clearIfEquals: async (text) => {
        if (clipboard.text !== text) return false
        clipboard.text = ''
        return true
      },
    },
    dialogs: { pickMetadataFile: async () => null },
    ...overrides,
  })
  const logLines: string[] = []
  const logger = createLogger({ write: (l) => logLines.push(l), level: 'debug' })
  const dispatch = createDispatcher({ handlers: createHandlers(services, { logger }), logger })
  return {
    dataDir,
    services,
    dispatch,
    logLines,
    clipboard,
    async close() {
      await services.close()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
