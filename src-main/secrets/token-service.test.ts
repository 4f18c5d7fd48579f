import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { startServer, type RunningServer } from '../../src-server/server.ts'
import { createAdminClient } from '../backend/admin-client.ts'
import { TOKEN_PREFIX, sha256Hex } from './generate-token.ts'
import { createKeytarSecretStore } from './keytar-secret-store.ts'
import { createMemorySecretStore } from './memory-secret-store.ts'
import type { SecretStore } from './secret-store.ts'
import { createTokenService, type TokenTarget } from './token-service.ts'

const ADMIN_KEY = 'admin-key-for-token-service-tests-0123456789'
const noBus = !process.env.DBUS_SESSION_BUS_ADDRESS
if (noBus) {
  console.log(
    'token service keychain variant skipped: DBUS_SESSION_BUS_ADDRESS is unset (run under scripts/with-keychain.sh); the memory-store variant still runs.',
  )
}

let dataDir: string
let backend: RunningServer
let target: TokenTarget

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'scim-console-token-service-'))
  backend = await startServer({ port: 0, host: '127.0.0.1', dataDir, adminKey: ADMIN_KEY })
  target = { adminBaseUrl: backend.adminBaseUrl, adminKey: ADMIN_KEY }
})

afterAll(async () => {
  await backend?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

function scimStatus(secret: string): Promise<number> {
  return fetch(`${backend.scimBaseUrl}/Users`, {
    headers: { Authorization: `Bearer ${secret}` },
  }).then(async (r) => {
    await r.arrayBuffer()
    return r.status
  })
}

async function failure(promise: Promise<unknown>, code: string): Promise<AppError> {
  const err = await promise.then(
    () => new Error('expected a failure'),
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  expect((err as AppError).code).toBe(code)
  return err as AppError
}

const variants: Array<[string, boolean, () => SecretStore]> = [
  ['the in-memory store', false, () => createMemorySecretStore()],
  [
    'the real keychain',
    noBus,
    () => createKeytarSecretStore({ service: `scim-console-test-${randomUUID()}` }),
  ],
]

describe.each(variants)('token service with %s', (_name, skip, makeStore) => {
  let store: SecretStore
  let tenantId: string

  beforeAll(async () => {
    if (skip) return
    store = makeStore()
    tenantId = (
      await createAdminClient({ baseUrl: target.adminBaseUrl, adminKey: ADMIN_KEY }).createTenant({
        name: 'Tokens',
      })
    ).id
  })

  afterAll(async () => {
    if (skip) return
    for (const account of await store.list('')) await store.delete(account)
  })

  it.skipIf(skip)(
    'creates a token: keychain holds it, backend knows only its hash, SCIM accepts it',
    async () => {
      const tokens = createTokenService({ store })
      const created = await tokens.createToken({ connection: target, tenantId, label: 'Okta prod' })
      expect(created.secret.startsWith(TOKEN_PREFIX)).toBe(true)
      expect(created.hashPrefix).toBe(sha256Hex(created.secret).slice(0, 8))
      expect(await store.get(created.account)).toBe(created.secret)
      expect(await store.list('scim-token-pending:')).toEqual([])
      expect(
        await tokens.getTokenSecret({
          adminBaseUrl: target.adminBaseUrl,
          tenantId,
          tokenId: created.id,
        }),
      ).toBe(created.secret)
      expect(await scimStatus(created.secret)).toBe(200)

      const list = await tokens.listTokens({ connection: target, tenantId })
      expect(list.scimBaseUrl).toBe(backend.scimBaseUrl)
      const listed = list.tokens.find((t) => t.id === created.id)
      expect(listed).toMatchObject({
        label: 'Okta prod',
        inKeychain: true,
        last4: created.secret.slice(-4),
      })
      expect(listed?.lastUsedAt).not.toBeNull()
      expect(JSON.stringify(list)).not.toContain(created.secret)
    },
  )

  it.skipIf(skip)(
    'lists tokens made elsewhere as not in this keychain, and keychain leftovers as orphans',
    async () => {
      const tokens = createTokenService({ store })
      const admin = createAdminClient({ baseUrl: target.adminBaseUrl, adminKey: ADMIN_KEY })
      const elsewhere = await admin.registerScimToken(tenantId, {
        label: 'other laptop',
        sha256: sha256Hex(`scimc_made-elsewhere-${randomUUID()}`),
      })
      const mine = await tokens.createToken({
        connection: target,
        tenantId,
        label: 'revoked elsewhere',
      })
      await admin.revokeScimToken(tenantId, mine.id)
      const list = await tokens.listTokens({ connection: target, tenantId })
      expect(list.tokens.find((t) => t.id === elsewhere.id)?.inKeychain).toBe(false)
      expect(list.orphanedKeychainEntries).toContain(mine.account)
    },
  )

  it.skipIf(skip)(
    'rotates with both tokens live, then revokes the old one everywhere',
    async () => {
      const tokens = createTokenService({ store })
      const old = await tokens.createToken({ connection: target, tenantId, label: 'Okta' })
      const rotated = await tokens.rotateToken({ connection: target, tenantId, tokenId: old.id })
      expect(rotated.replaces).toBe(old.id)
      expect(rotated.label).toMatch(/^Okta \(rotated \d{4}-\d{2}-\d{2}\)$/)
      expect(rotated.secret).not.toBe(old.secret)
      expect(await scimStatus(old.secret)).toBe(200)
      expect(await scimStatus(rotated.secret)).toBe(200)

      expect(await tokens.revokeToken({ connection: target, tenantId, tokenId: old.id })).toEqual({
        revokedOnBackend: true,
        removedFromKeychain: true,
      })
      expect(await scimStatus(old.secret)).toBe(401)
      expect(await scimStatus(rotated.secret)).toBe(200)
      const err = await failure(
        tokens.getTokenSecret({ adminBaseUrl: target.adminBaseUrl, tenantId, tokenId: old.id }),
        'secrets.not_found',
      )
      expect(err.hint).toMatch(/[Rr]otate/)
      expect(JSON.stringify(err.toData())).not.toContain(old.secret)
    },
  )

  it.skipIf(skip)('refuses to rotate or revoke a token the tenant does not have', async () => {
    const tokens = createTokenService({ store })
    await failure(
      tokens.rotateToken({ connection: target, tenantId, tokenId: 'nope' }),
      'backend.http_error',
    )
    await failure(
      tokens.revokeToken({ connection: target, tenantId, tokenId: 'nope' }),
      'backend.http_error',
    )
  })

  it.skipIf(skip)('leaves nothing behind when the backend refuses the admin key', async () => {
    const tokens = createTokenService({ store })
    const before = await store.list('')
    await failure(
      tokens.createToken({
        connection: { ...target, adminKey: 'wrong-key-123' },
        tenantId,
        label: 'x',
      }),
      'backend.unauthorized',
    )
    expect(await store.list('')).toEqual(before)
  })
})

it('registers nothing on the backend when the keychain is unavailable', async () => {
  const admin = createAdminClient({ baseUrl: target.adminBaseUrl, adminKey: ADMIN_KEY })
  const tenantId = (await admin.createTenant({ name: 'No keychain' })).id
  const broken = createKeytarSecretStore({
    load: () => {
      throw new Error('keychain unavailable for this test')
    },
  })
  const tokens = createTokenService({ store: broken })
  await failure(
    tokens.createToken({ connection: target, tenantId, label: 'x' }),
    'secrets.keychain_unavailable',
  )
  expect((await admin.getScim(tenantId)).tokens).toEqual([])
})
