import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
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

  it('closes its services and stops its embedded backend process on SIGTERM (a real process)', async () => {
    const data = join(dir, 'data-sigterm')
    const child = spawn(
      process.execPath,
      [
        resolve(import.meta.dirname, '../../../bin/scim-console.mjs'),
        'web',
        '--port',
        '0',
        '--renderer-dir',
        dir,
        '--data',
        data,
      ],
      {
        env: { ...process.env, SCIM_CONSOLE_SECRET_STORE: 'memory' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    )
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
    let out = ''
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c))
    child.stderr.resume()
    try {
      while (!out.includes('Open: ')) {
        if (child.exitCode !== null) throw new Error(`web exited early: ${out}`)
        await new Promise((r) => setTimeout(r, 20))
      }
      const url = new URL(/Open: (\S+)/.exec(out)![1]!)
      const list = (await (
        await fetch(`${url.origin}/api/connections.list`, {
          method: 'POST',
          headers: {
            authorization: `Bearer ${url.hash.slice('#token='.length)}`,
            'content-type': 'application/json',
          },
          body: '{}',
        })
      ).json()) as { value: { connections: { name: string; adminBaseUrl: string }[] } }
      const embedded = list.value.connections.find((c) => c.name === 'embedded')!
      expect((await fetch(`${embedded.adminBaseUrl}/health`)).status).toBe(200)
      const backendPids = childrenOf(child.pid!)

      child.kill('SIGTERM')
      expect(await exited).toBe(0)
      await expect(fetch(`${embedded.adminBaseUrl}/health`)).rejects.toThrow()
      // Linux shows the process tree in /proc: the backend child itself is gone, not just its port.
      if (process.platform === 'linux') {
        expect(backendPids.length).toBeGreaterThan(0)
        for (const pid of backendPids) expect(isAlive(pid)).toBe(false)
      }
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL')
    }
  }, 30_000)
})

/** Child process ids of `pid`, from /proc (Linux); empty elsewhere. */
function childrenOf(pid: number): number[] {
  if (process.platform !== 'linux') return []
  const found: number[] = []
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue
    try {
      // The command name is in parentheses and may hold spaces; the parent id follows the state.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8')
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
      if (ppid === pid) found.push(Number(name))
    } catch {
      // The process ended while we looked.
    }
  }
  return found
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
