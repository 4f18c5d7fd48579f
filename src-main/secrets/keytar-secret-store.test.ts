import { spawnSync } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { generateToken } from './generate-token.ts'
import { createKeytarSecretStore } from './keytar-secret-store.ts'
import { isMemoryStore } from './secret-store.ts'

const noBus = !process.env.DBUS_SESSION_BUS_ADDRESS
if (noBus) {
  console.log(
    'keytar tests skipped: DBUS_SESSION_BUS_ADDRESS is unset, so there is no Secret Service; run them with `bash scripts/with-keychain.sh npx vitest run src-main/secrets`.',
  )
}
const hasDbusRunSession =
  spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon'], {
    stdio: 'ignore',
  }).status === 0

// A service name of its own, so the test never touches a person's real scim-console entries.
const service = `scim-console-test-${randomUUID()}`

describe('keytar secret store against the real keychain', () => {
  const store = createKeytarSecretStore({ service })

  afterAll(async () => {
    if (noBus) return
    for (const account of await store.list('')) await store.delete(account)
  })

  it.skipIf(noBus)('stores, reads, lists, reports status and deletes tokens', async () => {
    expect(isMemoryStore(store)).toBe(false)
    const tokenA = generateToken()
    const tokenB = generateToken()
    await store.set('scim-token:backend:t1:a', tokenA)
    await store.set('scim-token:backend:t1:b', tokenB)
    await store.set('admin-key:prod', 'admin-key-value-1234')

    expect(await store.get('scim-token:backend:t1:a')).toBe(tokenA)
    expect(await store.list('scim-token:backend:t1:')).toEqual([
      'scim-token:backend:t1:a',
      'scim-token:backend:t1:b',
    ])
    const status = await store.status('scim-token:backend:t1:b')
    expect(status).toMatchObject({ present: true, last4: tokenB.slice(-4) })
    expect(Number.isNaN(Date.parse(status.createdAt ?? ''))).toBe(false)

    // Overwriting replaces, it does not add a second entry.
    await store.set('scim-token:backend:t1:a', tokenB)
    expect(await store.get('scim-token:backend:t1:a')).toBe(tokenB)
    expect(await store.list('scim-token:')).toHaveLength(2)

    expect(await store.delete('scim-token:backend:t1:a')).toBe(true)
    expect(await store.delete('scim-token:backend:t1:a')).toBe(false)
    expect(await store.get('scim-token:backend:t1:a')).toBeUndefined()
    expect(await store.status('scim-token:backend:t1:a')).toEqual({ present: false })
    expect(await store.list('scim-token:')).toEqual(['scim-token:backend:t1:b'])
  })

  it.skipIf(noBus)('a second store on the same service sees the same entries', async () => {
    await store.set('admin-key:shared', 'shared-admin-key')
    const other = createKeytarSecretStore({ service })
    expect(await other.get('admin-key:shared')).toBe('shared-admin-key')
  })
})

describe('keytar secret store without a usable keychain', () => {
  it('turns a keytar module that cannot be loaded into keychain_unavailable', async () => {
    const store = createKeytarSecretStore({
      service,
      platform: 'linux',
      load: () => {
        throw new Error("Cannot find module 'keytar'")
      },
    })
    const err = await store.set('admin-key:x', 'never-stored').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('secrets.keychain_unavailable')
    expect((err as AppError).hint).toMatch(/gnome-keyring|KeePassXC/)
  })

  it('names the fix for each platform', async () => {
    for (const [platform, words] of [
      ['darwin', /Keychain Access/],
      ['win32', /Credential Manager/],
      ['linux', /Secret Service.*gnome-keyring.*KeePassXC/],
    ] as const) {
      const store = createKeytarSecretStore({
        platform,
        load: () => {
          throw new Error('no keychain here')
        },
      })
      const err = (await store.get('a').catch((e: unknown) => e)) as AppError
      expect(err.code).toBe('secrets.keychain_unavailable')
      expect(err.hint).toMatch(words)
    }
  })

  const probe = fileURLToPath(new URL('../../test/support/keychain-probe.mjs', import.meta.url))

  /** Runs the probe in a child with its own empty HOME and returns its answer and that HOME. */
  function runProbe(
    env: NodeJS.ProcessEnv,
    wrap: string[] = [],
  ): { result: Record<string, unknown>; status: number | null; home: string; secret: string } {
    const home = mkdtempSync(join(tmpdir(), 'scim-console-nokeychain-'))
    const secret = generateToken()
    const childEnv: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      XDG_DATA_HOME: join(home, 'data'),
      XDG_CONFIG_HOME: join(home, 'config'),
      XDG_CACHE_HOME: join(home, 'cache'),
      XDG_RUNTIME_DIR: home,
      PROBE_SECRET: secret,
      PROBE_SERVICE: service,
      PROBE_STORE: pathToFileURL(
        fileURLToPath(new URL('./keytar-secret-store.ts', import.meta.url)),
      ).href,
      ...env,
    }
    const cmd = [...wrap, process.execPath, probe]
    const r = spawnSync(cmd[0] as string, cmd.slice(1), {
      env: childEnv,
      cwd: home,
      encoding: 'utf8',
      timeout: 60_000,
    })
    const line = r.stdout.trim().split('\n').pop() ?? ''
    let result: Record<string, unknown> = {}
    try {
      result = JSON.parse(line) as Record<string, unknown>
    } catch {
      result = { unparsed: r.stdout, stderr: r.stderr }
    }
    return { result, status: r.status, home, secret }
  }

  function filesUnder(dir: string): string[] {
    return readdirSync(dir, { recursive: true, encoding: 'utf8' })
      .map((f) => join(dir, f))
      .filter((f) => statSync(f, { throwIfNoEntry: false })?.isFile())
  }

  it.each([
    ['with DBUS_SESSION_BUS_ADDRESS unset', { DBUS_SESSION_BUS_ADDRESS: undefined }],
    [
      'with DBUS_SESSION_BUS_ADDRESS pointing at no socket',
      { DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/scim-console-test-bus' },
    ],
  ])('a child process %s gets keychain_unavailable, no crash and no plaintext', (_, env) => {
    const { result, status, home, secret } = runProbe(env)
    try {
      expect(status).toBe(0)
      expect(result.set).toMatchObject({ code: 'secrets.keychain_unavailable' })
      expect(result.get).toMatchObject({ code: 'secrets.keychain_unavailable' })
      expect(String((result.set as { hint?: string }).hint)).toMatch(/gnome-keyring/)
      for (const file of filesUnder(home)) {
        expect(readFileSync(file, 'latin1')).not.toContain(secret)
      }
    } finally {
      rmSync(home, { recursive: true, force: true })
    }
  })

  it.skipIf(!hasDbusRunSession)(
    'a child process whose Secret Service has no usable keyring gets keychain_unavailable',
    () => {
      // A fresh D-Bus session auto-starts gnome-keyring with no login keyring; creating one
      // needs a prompt, which cannot be shown without a display, so writing must fail cleanly.
      const { result, status, home, secret } = runProbe({}, ['dbus-run-session', '--'])
      try {
        expect(status).toBe(0)
        expect(result.set).toMatchObject({ code: 'secrets.keychain_unavailable' })
        expect(String((result.set as { hint?: string }).hint)).toMatch(/unlock/)
        for (const file of filesUnder(home)) {
          expect(readFileSync(file, 'latin1')).not.toContain(secret)
        }
      } finally {
        rmSync(home, { recursive: true, force: true })
      }
    },
  )
})
