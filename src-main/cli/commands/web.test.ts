import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { main } from '../main.ts'
import { captureIo } from '../../../test/support/cli-test-io.ts'

const dir = mkdtempSync(join(tmpdir(), 'web-cmd-'))
writeFileSync(join(dir, 'index.html'), '<!doctype html><title>ui</title>')
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function io(signal?: AbortSignal, env: NodeJS.ProcessEnv = {}) {
  const c = captureIo(env)
  return { ...c, io: { ...c.io, signal: signal ?? new AbortController().signal } }
}

describe('scim-console web', () => {
  it('rejects a bad port with exit 2 and says what is allowed', async () => {
    const t = io()
    expect(await main(['web', '--port', 'abc'], t.io)).toBe(2)
    expect(t.err()).toContain('--port must be an integer from 0 to 65535')
  })

  it('refuses to start without a built renderer and says how to build it', async () => {
    const t = io()
    expect(await main(['web', '--renderer-dir', join(dir, 'nothing')], t.io)).toBe(2)
    expect(t.err()).toContain('electron-vite build')
  })

  it('prints a loopback URL with a token, serves the UI and the API, and stops on abort', async () => {
    const controller = new AbortController()
    const t = io(controller.signal)
    const exit = main(['web', '--renderer-dir', dir], t.io)
    while (!t.out().includes('Open: ')) await new Promise((r) => setTimeout(r, 20))
    const pageUrl = /Open: (\S+)/.exec(t.out())![1]!
    expect(pageUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{40,}$/)
    const url = new URL(pageUrl)
    const token = url.hash.slice('#token='.length)

    expect(await (await fetch(url.origin + '/')).text()).toContain('<title>ui</title>')
    const info = await fetch(`${url.origin}/api/app.info`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: '{}',
    })
    expect(await info.json()).toMatchObject({ ok: true, value: { name: 'scim-console' } })

    controller.abort()
    expect(await exit).toBe(0)
    // The log went to stderr, without the token.
    expect(t.err()).toContain('"channel":"app.info"')
    expect(t.err()).not.toContain(token)
  })

  it('runs the backend services in the --data folder and stops the embedded backend on exit', async () => {
    const data = join(dir, 'data')
    const controller = new AbortController()
    const t = io(controller.signal, { SCIM_CONSOLE_SECRET_STORE: 'memory' })
    const exit = main(['web', '--renderer-dir', dir, '--data', data], t.io)
    while (!t.out().includes('Open: ')) await new Promise((r) => setTimeout(r, 20))
    expect(t.out()).toContain(`Data folder: ${data}`)
    const url = new URL(/Open: (\S+)/.exec(t.out())![1]!)
    const list = await fetch(`${url.origin}/api/connections.list`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${url.hash.slice('#token='.length)}`,
        'content-type': 'application/json',
      },
      body: '{}',
    })
    const body = (await list.json()) as {
      ok: boolean
      value: { connections: { name: string; adminBaseUrl: string }[]; secretStore: unknown }
    }
    expect(body.ok).toBe(true)
    expect(body.value.secretStore).toEqual({ kind: 'memory', memoryOnly: true })
    const embedded = body.value.connections.find((c) => c.name === 'embedded')!
    expect(existsSync(join(data, 'embedded-backend'))).toBe(true)

    controller.abort()
    expect(await exit).toBe(0)
    await expect(fetch(`${embedded.adminBaseUrl}/health`)).rejects.toThrow()
    // A folder named by the person is theirs to keep.
    expect(existsSync(data)).toBe(true)
  }, 30_000)
})
