import { randomUUID } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { createKeytarSecretStore } from '../secrets/keytar-secret-store.ts'
import { createMemorySecretStore } from '../secrets/memory-secret-store.ts'
import { adminKeyAccount, type SecretStore } from '../secrets/secret-store.ts'
import { createConnectionService, resolveTarget } from './connection-service.ts'
import { settingsPath } from './settings-file.ts'

let dataDir: string
let store: SecretStore
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'scim-console-connections-'))
  store = createMemorySecretStore()
})
afterEach(() => rmSync(dataDir, { recursive: true, force: true }))

async function failure(promise: Promise<unknown>, code: string): Promise<AppError> {
  const err = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe(code)
  return err as AppError
}

describe('connection service', () => {
  it('adds a connection: URL to the settings file, admin key to the secret store only', async () => {
    const connections = createConnectionService({ dataDir, store })
    await connections.add({
      name: 'prod',
      adminBaseUrl: 'https://scim.example.com/admin/v1/',
      adminKey: 'admin-key-prod-123456',
    })
    const file = readFileSync(settingsPath(dataDir), 'utf8')
    expect(file).toContain('https://scim.example.com/admin/v1')
    expect(file).not.toContain('admin-key-prod-123456')
    expect(await store.get(adminKeyAccount('prod'))).toBe('admin-key-prod-123456')
    expect(await connections.list()).toEqual([
      {
        name: 'prod',
        adminBaseUrl: 'https://scim.example.com/admin/v1',
        adminKey: expect.objectContaining({ present: true, last4: '3456' }),
      },
    ])
    expect(await connections.resolve('prod')).toEqual({
      name: 'prod',
      adminBaseUrl: 'https://scim.example.com/admin/v1',
      adminKey: 'admin-key-prod-123456',
    })
  })

  it('edits the URL and the key independently', async () => {
    const connections = createConnectionService({ dataDir, store })
    await connections.add({
      name: 'a',
      adminBaseUrl: 'https://one.example/admin/v1',
      adminKey: 'key-one-1111',
    })
    await connections.edit('a', { adminBaseUrl: 'https://two.example/admin/v1' })
    expect((await connections.resolve('a')).adminKey).toBe('key-one-1111')
    await connections.edit('a', { adminKey: 'key-two-2222' })
    expect(await connections.resolve('a')).toMatchObject({
      adminBaseUrl: 'https://two.example/admin/v1',
      adminKey: 'key-two-2222',
    })
  })

  it('removes the settings entry and the admin key', async () => {
    const connections = createConnectionService({ dataDir, store })
    await connections.add({
      name: 'gone',
      adminBaseUrl: 'https://x.example/admin/v1',
      adminKey: 'key-gone-9999',
    })
    await connections.remove('gone')
    expect(await connections.list()).toEqual([])
    expect(await store.get(adminKeyAccount('gone'))).toBeUndefined()
    await failure(connections.remove('gone'), 'connection.not_found')
  })

  it('refuses bad names, URLs, keys and duplicates without changing anything', async () => {
    const connections = createConnectionService({ dataDir, store })
    await connections.add({
      name: 'prod',
      adminBaseUrl: 'https://x.example/admin/v1',
      adminKey: 'key-prod-1',
    })
    const before = readFileSync(settingsPath(dataDir), 'utf8')
    await failure(
      connections.add({ name: '../etc', adminBaseUrl: 'https://x.example', adminKey: 'k1' }),
      'connection.bad_input',
    )
    await failure(
      connections.add({ name: 'b', adminBaseUrl: 'x.example', adminKey: 'k1' }),
      'connection.bad_input',
    )
    await failure(
      connections.add({ name: 'c', adminBaseUrl: 'https://x.example', adminKey: '  ' }),
      'connection.bad_input',
    )
    await failure(
      connections.add({ name: 'prod', adminBaseUrl: 'https://y.example', adminKey: 'key-2' }),
      'connection.exists',
    )
    expect(readFileSync(settingsPath(dataDir), 'utf8')).toBe(before)
    expect(await store.list('admin-key:')).toEqual([adminKeyAccount('prod')])
  })

  it('writes nothing when the keychain is unavailable', async () => {
    const broken = createKeytarSecretStore({
      load: () => {
        throw new Error('keychain unavailable for this test')
      },
    })
    const connections = createConnectionService({ dataDir, store: broken })
    await failure(
      connections.add({
        name: 'p',
        adminBaseUrl: 'https://x.example/admin/v1',
        adminKey: 'k-123456',
      }),
      'secrets.keychain_unavailable',
    )
    expect(() => readFileSync(settingsPath(dataDir))).toThrow()
  })

  it('says how to fix a connection whose admin key is missing from the store', async () => {
    writeFileSync(
      settingsPath(dataDir),
      JSON.stringify({
        connections: [{ name: 'orphan', adminBaseUrl: 'https://x.example/admin/v1' }],
      }),
    )
    const err = await failure(
      createConnectionService({ dataDir, store }).resolve('orphan'),
      'secrets.not_found',
    )
    expect(err.hint).toContain('--backend https://x.example/admin/v1')
  })
})

if (!process.env.DBUS_SESSION_BUS_ADDRESS) {
  console.log(
    'keychain variant of the missing-admin-key test skipped: DBUS_SESSION_BUS_ADDRESS is unset',
  )
}
it.skipIf(!process.env.DBUS_SESSION_BUS_ADDRESS)(
  'with the real keychain, a missing admin key is fixed by storing it again',
  async () => {
    writeFileSync(
      settingsPath(dataDir),
      JSON.stringify({
        connections: [{ name: 'orphan', adminBaseUrl: 'https://x.example/admin/v1' }],
      }),
    )
    const keychain = createKeytarSecretStore({ service: `scim-console-test-${randomUUID()}` })
    const err = await failure(
      createConnectionService({ dataDir, store: keychain }).resolve('orphan'),
      'secrets.not_found',
    )
    expect(err.message).toContain('OS keychain')
    expect(err.hint).toContain('connection add --name orphan')
  },
)

describe('plain http for the admin key', () => {
  it('refuses http to another host, says how to fix it, and saves nothing', async () => {
    const connections = createConnectionService({ dataDir, store })
    const err = await failure(
      connections.add({
        name: 'public',
        adminBaseUrl: 'http://example.com/admin/v1',
        adminKey: 'admin-key-public-1234',
      }),
      'connection.bad_input',
    )
    expect(err.message).toMatch(/Refusing to send the admin key over plain HTTP to example\.com/)
    expect(err.hint).toContain('https://example.com/admin/v1')
    expect(err.hint).toContain('--allow-insecure-http')
    expect(await connections.list()).toEqual([])
    expect(await store.get(adminKeyAccount('public'))).toBeUndefined()
  })

  it('takes http on a private network with the opt-in, stores it and shows it', async () => {
    const connections = createConnectionService({ dataDir, store })
    const saved = await connections.add({
      name: 'lan',
      adminBaseUrl: 'http://10.0.0.5:8787/admin/v1',
      adminKey: 'admin-key-lan-12345',
      allowInsecureHttp: true,
    })
    expect(saved).toEqual({
      name: 'lan',
      adminBaseUrl: 'http://10.0.0.5:8787/admin/v1',
      allowInsecureHttp: true,
    })
    expect(JSON.parse(readFileSync(settingsPath(dataDir), 'utf8')).connections[0]).toEqual(saved)
    expect((await connections.list())[0]).toMatchObject({ allowInsecureHttp: true })
    expect(await connections.resolve('lan')).toMatchObject({ allowInsecureHttp: true })
    // Dropping the opt-in while the URL is still plain http is refused and changes nothing.
    await failure(connections.edit('lan', { allowInsecureHttp: false }), 'connection.bad_input')
    expect((await connections.get('lan')).allowInsecureHttp).toBe(true)
  })

  it('keeps the opt-in to private networks: a public address is refused even with it', async () => {
    const connections = createConnectionService({ dataDir, store })
    const err = await failure(
      connections.add({
        name: 'wan',
        adminBaseUrl: 'http://8.8.8.8/admin/v1',
        adminKey: 'admin-key-wan-12345',
        allowInsecureHttp: true,
      }),
      'connection.bad_input',
    )
    expect(err.message).toMatch(/covers private networks only.*public address/)
  })

  it('needs no opt-in for https or for this machine, and stores none', async () => {
    const connections = createConnectionService({ dataDir, store })
    for (const [name, url] of [
      ['tls', 'https://scim.example.com/admin/v1'],
      ['loop', 'http://127.0.0.1:8787/admin/v1'],
      ['local', 'http://localhost:8787/admin/v1'],
    ] as const) {
      expect(
        await connections.add({ name, adminBaseUrl: url, adminKey: 'admin-key-123456' }),
      ).toEqual({ name, adminBaseUrl: url })
    }
  })

  it('applies the same rule to a settings file edited by hand', async () => {
    writeFileSync(
      settingsPath(dataDir),
      JSON.stringify({ connections: [{ name: 'hand', adminBaseUrl: 'http://example.com/admin' }] }),
    )
    await store.set(adminKeyAccount('hand'), 'admin-key-hand-1234')
    const connections = createConnectionService({ dataDir, store })
    await failure(connections.resolve('hand'), 'connection.bad_input')
  })

  it('refuses an ad-hoc --backend over plain http to another host', async () => {
    const err = await failure(
      resolveTarget({
        backend: 'http://example.com/admin/v1',
        env: { SCIM_CONSOLE_ADMIN_KEY: 'env-admin-key' },
        connections: () => createConnectionService({ dataDir, store }),
      }),
      'connection.bad_input',
    )
    expect(err.hint).toMatch(/--allow-insecure-http.*--connection NAME/)
  })
})

describe('resolveTarget', () => {
  const connections = () => createConnectionService({ dataDir, store })

  it('takes --backend with the key from SCIM_CONSOLE_ADMIN_KEY', async () => {
    expect(
      await resolveTarget({
        backend: 'http://127.0.0.1:8787/admin/v1/',
        env: { SCIM_CONSOLE_ADMIN_KEY: 'env-admin-key' },
        connections,
      }),
    ).toEqual({
      name: undefined,
      adminBaseUrl: 'http://127.0.0.1:8787/admin/v1',
      adminKey: 'env-admin-key',
    })
  })

  it('needs exactly one of --connection and --backend, and the key with --backend', async () => {
    await failure(resolveTarget({ env: {}, connections }), 'cli.usage')
    await failure(
      resolveTarget({ backend: 'http://a.example', connection: 'x', env: {}, connections }),
      'cli.usage',
    )
    const err = await failure(
      resolveTarget({ backend: 'http://a.example', env: {}, connections }),
      'cli.usage',
    )
    expect(err.message).toContain('SCIM_CONSOLE_ADMIN_KEY')
    await failure(
      resolveTarget({ connection: 'nope', env: {}, connections }),
      'connection.not_found',
    )
  })
})
