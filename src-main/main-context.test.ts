import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startTestServer, TEST_ADMIN_KEY } from '../test/support/test-server.ts'
import { startInProcess } from '../test/support/handler-test-context.ts'
import { openMainContext, type StartEmbedded } from './main-context.ts'

const dirs: string[] = []
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'scim-main-context-'))
  dirs.push(dir)
  return dir
}
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })))

const memoryEnv = { SCIM_CONSOLE_SECRET_STORE: 'memory' }
const base = { platform: process.platform, runtime: { execPath: process.execPath } }

describe('openMainContext', () => {
  it('starts the embedded backend once, lazily, only when no connection is saved', async () => {
    let starts = 0
    const counting: StartEmbedded = async (opts) => {
      starts++
      return startInProcess(opts)
    }
    const dataDir = freshDir()
    const ctx = await openMainContext({ ...base, dataDir, env: memoryEnv, startEmbedded: counting })
    expect(ctx.secretStoreInfo()).toEqual({ kind: 'memory', memoryOnly: true })
    expect(starts).toBe(0)
    const [a, b] = await Promise.all([ctx.access(), ctx.access()])
    expect(a).toBe(b)
    expect(starts).toBe(1)
    const embedded = ctx.embedded()!
    expect(embedded.adminBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/admin\/v1$/)
    expect((await a.tenantOverview('embedded', embedded.tenantId)).tenant.name).toBe('Demo tenant')
    expect(existsSync(join(dataDir, 'embedded-backend'))).toBe(true)
    await ctx.close()
    expect(ctx.embedded()).toBeNull()
    await expect(fetch(`${embedded.adminBaseUrl}/health`)).rejects.toThrow()
    await ctx.close()
  })

  it('does not start the embedded backend when a connection is saved', async () => {
    const server = await startTestServer()
    try {
      let starts = 0
      const dataDir = freshDir()
      const first = await openMainContext({
        ...base,
        dataDir,
        env: memoryEnv,
        startEmbedded: async (o) => (starts++, startInProcess(o)),
      })
      await (
        await first.access()
      ).connections.add({
        name: 'prod',
        adminBaseUrl: server.server.adminBaseUrl,
        adminKey: TEST_ADMIN_KEY,
      })
      await first.close()
      starts = 0
      const second = await openMainContext({
        ...base,
        dataDir,
        env: memoryEnv,
        startEmbedded: async (o) => (starts++, startInProcess(o)),
      })
      const names = (await (await second.access()).listConnections()).map((c) => c.name)
      expect(names).toEqual(['prod'])
      expect(starts).toBe(0)
      await second.close()
    } finally {
      await server.stop()
    }
  })

  it('launches the real backend as a child process by default and stops it on close', async () => {
    const ctx = await openMainContext({ ...base, dataDir: freshDir(), env: memoryEnv })
    const access = await ctx.access()
    const embedded = ctx.embedded()!
    const health = await (await access.client('embedded')).health()
    expect(health.ok).toBe(true)
    await ctx.close()
    await expect(fetch(`${embedded.adminBaseUrl}/health`)).rejects.toThrow()
  }, 30_000)

  it('refuses an unknown SCIM_CONSOLE_SECRET_STORE value with the fix', async () => {
    await expect(
      openMainContext({ ...base, dataDir: freshDir(), env: { SCIM_CONSOLE_SECRET_STORE: 'disk' } }),
    ).rejects.toThrow(/not a secret store scim-console knows/)
  })
})
