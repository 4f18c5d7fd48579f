import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { RunningServer } from '../../../src-server/server.ts'
import { startCliTestBackend, type CliTestBackend } from '../../../test/support/cli-test-backend.ts'
import { runCli } from '../../../test/support/cli-test-io.ts'

const ADMIN_KEY = 'admin-key-for-connection-cli-tests-0123456789'
let appDir: string
let backend: RunningServer
let fixture: CliTestBackend

beforeAll(async () => {
  fixture = await startCliTestBackend('conn-cli', ADMIN_KEY)
  ;({ appDir, backend } = fixture)
})
afterAll(() => fixture?.close())

// The memory store is chosen explicitly here; the keychain path is covered by token-flow.test.ts.
const env = (extra: NodeJS.ProcessEnv = {}) => ({
  SCIM_CONSOLE_DATA_DIR: appDir,
  SCIM_CONSOLE_SECRET_STORE: 'memory',
  ...extra,
})

async function run(args: string[], extraEnv: NodeJS.ProcessEnv = {}, stdin = '') {
  return runCli(args, { env: env(extraEnv), stdin })
}

describe('scim-console connection', () => {
  it('adds a verified connection, lists it and removes it; the key never reaches the file', async () => {
    const added = await run(
      ['connection', 'add', '--name', 'local', '--backend', backend.adminBaseUrl],
      {
        SCIM_CONSOLE_ADMIN_KEY: ADMIN_KEY,
      },
    )
    expect(added.code).toBe(0)
    expect(added.out).toContain('Saved connection local')
    expect(added.out).toContain('verified')
    expect(added.err).toContain('in-memory secret store')
    expect(readFileSync(join(appDir, 'settings.json'), 'utf8')).not.toContain(ADMIN_KEY)

    const listed = await run(['connection', 'list'])
    expect(listed.code).toBe(0)
    expect(listed.out).toContain(
      `local  ${backend.adminBaseUrl}  admin key stored (…${ADMIN_KEY.slice(-4)})`,
    )
    const json = JSON.parse((await run(['connection', 'list', '--json'])).out)
    expect(json).toEqual([
      expect.objectContaining({ name: 'local', adminBaseUrl: backend.adminBaseUrl }),
    ])

    const again = await run(
      ['connection', 'add', '--name', 'local', '--backend', backend.adminBaseUrl],
      {
        SCIM_CONSOLE_ADMIN_KEY: ADMIN_KEY,
      },
    )
    expect(again.code).toBe(2)
    expect(again.err).toContain('connection.exists')

    const removed = await run(['connection', 'remove', '--name', 'local'])
    expect(removed.code).toBe(0)
    expect((await run(['connection', 'list'])).out).toContain('No saved connections')
  })

  it('reads the admin key from stdin and replaces an existing connection', async () => {
    expect(
      (
        await run(
          [
            'connection',
            'add',
            '--name',
            'piped',
            '--backend',
            backend.adminBaseUrl,
            '--admin-key-stdin',
          ],
          {},
          `${ADMIN_KEY}\n`,
        )
      ).code,
    ).toBe(0)
    const replaced = await run(
      [
        'connection',
        'add',
        '--name',
        'piped',
        '--backend',
        backend.adminBaseUrl,
        '--replace',
        '--skip-verify',
      ],
      { SCIM_CONSOLE_ADMIN_KEY: 'another-admin-key-0000' },
    )
    expect(replaced.code).toBe(0)
    expect(replaced.out).toContain('Updated connection piped')
    expect((await run(['connection', 'list'])).out).toContain('(…0000)')
    await run(['connection', 'remove', '--name', 'piped'])
  })

  it('refuses a wrong admin key and saves nothing', async () => {
    const r = await run(
      ['connection', 'add', '--name', 'wrong', '--backend', backend.adminBaseUrl],
      {
        SCIM_CONSOLE_ADMIN_KEY: 'not-the-admin-key',
      },
    )
    expect(r.code).toBe(2)
    expect(r.err).toContain('backend.unauthorized')
    expect(r.err).toContain('hint:')
    expect(r.err).not.toContain('not-the-admin-key')
    expect((await run(['connection', 'list'])).out).not.toContain('wrong')
  })

  it('explains usage errors', async () => {
    const noName = await run(['connection', 'add', '--backend', backend.adminBaseUrl])
    expect(noName.code).toBe(2)
    expect(noName.err).toContain('--name and --backend are required')
    const noKey = await run(['connection', 'add', '--name', 'x', '--backend', backend.adminBaseUrl])
    expect(noKey.code).toBe(2)
    expect(noKey.err).toContain('SCIM_CONSOLE_ADMIN_KEY')
    const unknown = await run(['connection', 'remove', '--name', 'never-saved'])
    expect(unknown.code).toBe(2)
    expect(unknown.err).toContain('connection.not_found')
  })

  it('refuses --backend over plain http to another host, with the fix, and saves nothing', async () => {
    const r = await run(
      ['connection', 'add', '--name', 'clear', '--backend', 'http://example.com/admin/v1'],
      { SCIM_CONSOLE_ADMIN_KEY: ADMIN_KEY },
    )
    expect(r.code).toBe(2)
    expect(r.err).toContain('connection.bad_input')
    expect(r.err).toMatch(/admin key over plain HTTP to example\.com/)
    expect(r.err).toContain('https://example.com/admin/v1')
    expect(r.err).toContain('--allow-insecure-http')
    expect(r.err).not.toContain(ADMIN_KEY)
    expect((await run(['connection', 'list'])).out).not.toContain('clear')
  })

  it('saves plain http on a private network only with --allow-insecure-http, and lists it visibly', async () => {
    const args = [
      'connection',
      'add',
      '--name',
      'lan',
      '--backend',
      'http://192.168.10.20:8787/admin/v1',
      '--skip-verify',
    ]
    expect((await run(args, { SCIM_CONSOLE_ADMIN_KEY: ADMIN_KEY })).code).toBe(2)
    const added = await run([...args, '--allow-insecure-http'], {
      SCIM_CONSOLE_ADMIN_KEY: ADMIN_KEY,
    })
    expect(added.code).toBe(0)
    expect(added.out).toContain('Plain HTTP allowed for this connection')
    const listed = await run(['connection', 'list'])
    expect(listed.out).toMatch(
      /lan {2}http:\/\/192\.168\.10\.20:8787\/admin\/v1 .*PLAIN HTTP ALLOWED \(private network\)/,
    )
    const json = JSON.parse((await run(['connection', 'list', '--json'])).out)
    expect(json).toContainEqual(expect.objectContaining({ name: 'lan', allowInsecureHttp: true }))
    const publicHost = await run(
      [
        'connection',
        'add',
        '--name',
        'wan',
        '--backend',
        'http://8.8.8.8/admin/v1',
        '--allow-insecure-http',
        '--skip-verify',
      ],
      { SCIM_CONSOLE_ADMIN_KEY: ADMIN_KEY },
    )
    expect(publicHost.code).toBe(2)
    expect(publicHost.err).toMatch(/private networks only/)
    await run(['connection', 'remove', '--name', 'lan'])
  })

  it('names the settings file and field when the file is broken, and leaves it alone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scim-console-conn-cli-broken-'))
    const broken = JSON.stringify({ connections: [{ name: 'x', adminBaseUrl: 42 }] })
    writeFileSync(join(dir, 'settings.json'), broken)
    try {
      const r = await run(['connection', 'list'], { SCIM_CONSOLE_DATA_DIR: dir })
      expect(r.code).toBe(2)
      expect(r.err).toContain('settings.invalid')
      expect(r.err).toContain(join(dir, 'settings.json'))
      expect(r.err).toContain('connections[0].adminBaseUrl')
      expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(broken)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
