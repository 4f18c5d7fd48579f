import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { startTestServer, TEST_ADMIN_KEY } from '../test/support/test-server.ts'
import { startInProcess } from '../test/support/handler-test-context.ts'
import { launchBackendProcess } from '../src-server/launcher/launch-process.ts'
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

describe('embedded backend supervision (a real backend process, killed with SIGKILL)', () => {
  const waitFor = async (check: () => boolean): Promise<void> => {
    for (let i = 0; i < 400 && !check(); i++) await new Promise((r) => setTimeout(r, 25))
    expect(check()).toBe(true)
  }

  it('restarts a crashed backend, tells its state, and serves again on the new process', async () => {
    const pids: number[] = []
    const states: string[] = []
    const launching: StartEmbedded = async (opts) => {
      const launched = await launchBackendProcess({
        ...opts,
        execPath: process.execPath,
      })
      pids.push(launched.pid)
      return launched
    }
    const ctx = await openMainContext({
      ...base,
      dataDir: freshDir(),
      env: memoryEnv,
      startEmbedded: launching,
      restartPolicy: { delaysMs: [50], maxFailures: 3, windowMs: 60_000 },
      onEmbeddedState: (s) => states.push(s.state),
    })
    try {
      await ctx.access()
      const first = ctx.embedded()!
      process.kill(pids[0]!, 'SIGKILL')
      await waitFor(() => pids.length === 2 && ctx.embeddedState().state === 'running')
      expect(ctx.embeddedState()).toEqual({ state: 'running', restarts: 1 })
      expect(states).toEqual(['starting', 'running', 'restarting', 'running'])
      const access = await ctx.access()
      const second = ctx.embedded()!
      expect(second.adminBaseUrl).not.toBe(first.adminBaseUrl)
      // The same data folder: the demo tenant survived the crash.
      expect(second.tenantId).toBe(first.tenantId)
      expect((await access.tenantOverview('embedded', second.tenantId)).tenant.name).toBe(
        'Demo tenant',
      )
    } finally {
      await ctx.close()
    }
  })

  it('gives up after repeated crashes and says why, with the fix', async () => {
    const pids: number[] = []
    const ctx = await openMainContext({
      ...base,
      dataDir: freshDir(),
      env: memoryEnv,
      startEmbedded: async (opts) => {
        const launched = await launchBackendProcess({ ...opts, execPath: process.execPath })
        pids.push(launched.pid)
        return launched
      },
      restartPolicy: { delaysMs: [20], maxFailures: 2, windowMs: 60_000 },
    })
    try {
      await ctx.access()
      process.kill(pids[0]!, 'SIGKILL')
      await waitFor(() => pids.length === 2 && ctx.embeddedState().state === 'running')
      process.kill(pids[1]!, 'SIGKILL')
      await waitFor(() => ctx.embeddedState().state === 'failed')
      const failed = ctx.embeddedState()
      expect(failed).toMatchObject({ state: 'failed', restarts: 1 })
      expect(failed.state === 'failed' && failed.reason).toMatch(/exited unexpectedly/)
      await expect(ctx.access()).rejects.toMatchObject({
        code: 'backend.unavailable',
        message: expect.stringMatching(/kept crashing/),
        hint: expect.stringMatching(/Quit and reopen/),
      })
      expect(pids).toHaveLength(2)
    } finally {
      await ctx.close()
    }
  })
})
