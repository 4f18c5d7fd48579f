import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { createInterface } from 'node:readline'
import { describe, expect, it } from 'vitest'
import { launchBackendProcess } from './launch-process.ts'

const BIN = resolve(import.meta.dirname, '../../bin/scim-console.mjs')

function run(args: string[], env: Record<string, string> = {}) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c))
  const rl = createInterface({ input: child.stdout })
  rl.on('line', (l) => lines.push(l))
  const exit = new Promise<number | null>((r) => child.once('exit', (code) => r(code)))
  const waitLines = (n: number) =>
    new Promise<void>((done, fail) => {
      const timer = setTimeout(() => fail(new Error(`no output; stderr: ${stderr}`)), 20_000)
      const tick = () => (lines.length >= n ? (clearTimeout(timer), done()) : setTimeout(tick, 10))
      tick()
    })
  return { child, lines, exit, waitLines, stderr: () => stderr }
}

describe('scim-console backend serve', () => {
  it('with --port 0 prints a JSON line first, serves SCIM with the env demo token, and stops on SIGTERM', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-cli-'))
    const p = run(['backend', 'serve', '--port', '0', '--data', dataDir], {
      SCIM_CONSOLE_ADMIN_KEY: 'cli-admin-key-0123456789',
      SCIM_CONSOLE_DEMO_TOKEN: 'cli-demo-token-0123456789',
    })
    await p.waitLines(2)
    const info = JSON.parse(p.lines[0]!)
    expect(info).toEqual({
      scimBaseUrl: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/),
      adminBaseUrl: expect.stringMatching(/\/admin\/v1$/),
      tenantId: expect.any(String),
    })
    const r = await fetch(`${info.scimBaseUrl}/Users?count=1`, {
      headers: { Authorization: 'Bearer cli-demo-token-0123456789' },
    })
    expect(r.status).toBe(200)
    const a = await fetch(`${info.adminBaseUrl}/tenants/${info.tenantId}`, {
      headers: { Authorization: 'Bearer cli-admin-key-0123456789' },
    })
    expect(a.status).toBe(200)
    // secrets given by the caller are not echoed
    await p.waitLines(6)
    expect(p.lines.join('\n')).not.toContain('cli-demo-token-0123456789')
    p.child.kill('SIGTERM')
    expect(await p.exit).toBe(0)
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('without --data uses a temporary folder, says so, prints generated secrets once, and deletes the folder on exit', async () => {
    const p = run(['backend', 'serve', '--port', '0'])
    // Through "Press Ctrl-C to stop.": the secrets are lines 11 and 12, and a loaded machine can
    // deliver them in a later chunk than line 10.
    await p.waitLines(13)
    const out = p.lines.join('\n')
    const folder = /Data folder:\s+(\S+)\s+\(temporary/.exec(out)?.[1]
    expect(folder).toBeDefined()
    expect(existsSync(folder!)).toBe(true)
    expect(out).toMatch(/Admin API key:\s+scimc_admin_/)
    expect(out).toMatch(/Demo SCIM token:\s+scimc_scim_/)
    p.child.kill('SIGTERM')
    expect(await p.exit).toBe(0)
    expect(existsSync(folder!)).toBe(false)
  })

  it('is ready before loading the admin API (its zod schemas) or the SAML libraries; the first admin request loads it', async () => {
    // Every module the process loads, on stderr (a preloaded hook), from the sources.
    const hook = [
      "import { registerHooks } from 'node:module'",
      'registerHooks({ load(url, context, next) { process._rawDebug(`@@load ${url}`); return next(url, context) } })',
    ].join('\n')
    const p = run(['backend', 'serve', '--port', '0'], {
      SCIM_CONSOLE_CLI: 'source',
      SCIM_CONSOLE_ADMIN_KEY: 'lazy-admin-key-0123456789',
      NODE_OPTIONS: `--import=data:text/javascript,${encodeURIComponent(hook)}`,
    })
    await p.waitLines(1)
    const info = JSON.parse(p.lines[0]!) as { adminBaseUrl: string }
    const loadedAtReady = p.stderr()
    expect(loadedAtReady).toContain('/src-server/server.ts')
    // zod itself comes with src-shared/errors.ts from the sources; the built CLI drops it (unused).
    for (const lazy of [
      'xml-crypto',
      'xmldom',
      '/admin/admin-routes.ts',
      '/admin/admin-schemas.ts',
    ]) {
      expect(loadedAtReady).not.toContain(lazy)
    }
    const a = await fetch(`${info.adminBaseUrl}/tenants`, {
      headers: { Authorization: 'Bearer lazy-admin-key-0123456789' },
    })
    expect(a.status).toBe(200)
    expect(p.stderr()).toContain('/admin/admin-routes.ts')
    p.child.kill('SIGTERM')
    expect(await p.exit).toBe(0)
  })

  it('bad options exit 2 with a message naming the option', async () => {
    for (const args of [
      ['--port', 'abc'],
      ['--rate-limit', 'fast'],
      ['--unauth-rate-limit', 'lots'],
      ['--bogus'],
      ['--admin-key', 'short'],
      ['--public-url', 'ftp://scim.example.com'],
    ]) {
      const p = run(['backend', 'serve', ...args])
      expect(await p.exit).toBe(2)
      expect(p.stderr()).toMatch(/cli\.usage/)
    }
  })
})

describe('launchBackendProcess', () => {
  it('starts the backend as a child on a free loopback port and stops it', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-launch-'))
    const b = await launchBackendProcess({ dataDir, demoToken: 'launch-token-0123456789' })
    expect(b.scimBaseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/)
    const r = await fetch(`${b.scimBaseUrl}/Users?count=1`, {
      headers: { Authorization: 'Bearer launch-token-0123456789' },
    })
    expect(r.status).toBe(200)
    await b.stop()
    await expect(fetch(`${b.scimBaseUrl}/Users`)).rejects.toThrow()
    rmSync(dataDir, { recursive: true, force: true })
  })
})
