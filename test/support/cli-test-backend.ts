import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startServer, type RunningServer } from '../../src-server/server.ts'

export interface CliTestBackend {
  backend: RunningServer
  /** The backend's data folder. */
  serverDir: string
  /** An empty console data folder (SCIM_CONSOLE_DATA_DIR) for the CLI under test. */
  appDir: string
  close(): Promise<void>
}

/**
 * Test support for CLI tests that talk to a backend: the real reference backend on a free port
 * with its own data folder, and a fresh console data folder; `close` removes both.
 */
export async function startCliTestBackend(name: string, adminKey: string): Promise<CliTestBackend> {
  const serverDir = mkdtempSync(join(tmpdir(), `scim-console-${name}-server-`))
  const appDir = mkdtempSync(join(tmpdir(), `scim-console-${name}-app-`))
  const backend = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: serverDir,
    adminKey,
  })
  return {
    backend,
    serverDir,
    appDir,
    close: async () => {
      await backend.close()
      rmSync(serverDir, { recursive: true, force: true })
      rmSync(appDir, { recursive: true, force: true })
    },
  }
}
