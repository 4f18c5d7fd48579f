import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { startServer, type RunningServer } from '../../src-server/server.ts'
import { getTenantOverview } from '../backend/tenant-overview.ts'
import { createMemorySecretStore } from '../secrets/memory-secret-store.ts'
import { createBackendAccess, type BackendAccess } from './backend-access.ts'

const ADMIN_KEY = 'admin-key-for-backend-access-tests-0123456789'
const DEMO_TOKEN = 'scimc_demo-token-for-backend-access-tests-0'
const metadataXml = readFileSync(
  new URL('../../test/fixtures/idp-metadata/okta-app-trial-org.xml', import.meta.url),
  'utf8',
)

const DAY = 86_400_000
let serverDir: string
let appDir: string
let backend: RunningServer
let access: BackendAccess

beforeAll(async () => {
  serverDir = mkdtempSync(join(tmpdir(), 'scim-console-access-server-'))
  appDir = mkdtempSync(join(tmpdir(), 'scim-console-access-app-'))
  backend = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir: serverDir,
    adminKey: ADMIN_KEY,
    demoToken: DEMO_TOKEN,
  })
  access = createBackendAccess({
    dataDir: appDir,
    store: createMemorySecretStore(),
    embedded: { name: 'embedded', adminBaseUrl: backend.adminBaseUrl, adminKey: ADMIN_KEY },
  })
})

afterAll(async () => {
  await backend?.close()
  rmSync(serverDir, { recursive: true, force: true })
  rmSync(appDir, { recursive: true, force: true })
})

describe('backend access', () => {
  it('lists the embedded backend first, without saving its key anywhere', async () => {
    await access.connections.add({
      name: 'saved',
      adminBaseUrl: backend.adminBaseUrl,
      adminKey: ADMIN_KEY,
    })
    const list = await access.listConnections()
    expect(list.map((c) => [c.name, c.embedded])).toEqual([
      ['embedded', true],
      ['saved', false],
    ])
    expect(await access.store.list('admin-key:')).toEqual(['admin-key:saved'])
    expect(readFileSync(join(appDir, 'settings.json'), 'utf8')).not.toContain('embedded')
    expect(access.secretStoreInfo()).toEqual({ kind: 'memory', memoryOnly: true })
  })

  it('shows SSO, certificates with expiry, the SCIM URL and recent activity in one overview', async () => {
    const tenantId = backend.demoTenantId
    const before = await access.tenantOverview('embedded', tenantId)
    expect(before.sso.configured).toBe(false)
    expect(before.scim.baseUrl).toBe(backend.scimBaseUrl)

    await (await access.client('saved')).putSso(tenantId, metadataXml)
    const r = await fetch(`${backend.scimBaseUrl}/Users`, {
      headers: { Authorization: `Bearer ${DEMO_TOKEN}` },
    })
    await r.arrayBuffer()

    const after = await access.tenantOverview('saved', tenantId)
    expect(after.tenant.id).toBe(tenantId)
    expect(after.sso).toMatchObject({
      configured: true,
      entityId: 'http://www.okta.com/exkdoocxa1VmjpXmX697',
    })
    expect(after.sso.certificates).toHaveLength(1)
    const notAfter = Date.parse(after.sso.certificates[0]!.notAfter)
    const client = await access.client('saved')
    const soon = await getTenantOverview(client, tenantId, { now: new Date(notAfter - 10 * DAY) })
    expect(soon.sso.certificates[0]).toMatchObject({ expired: false, daysLeft: 10 })
    const late = await getTenantOverview(client, tenantId, { now: new Date(notAfter + DAY) })
    expect(late.sso.certificates[0]).toMatchObject({ expired: true, daysLeft: -1 })
    expect(after.recentEvents.some((e) => e.method === 'GET' && e.status === 200)).toBe(true)
  })

  it('creates, lists, reveals and revokes tokens by connection name', async () => {
    const tenantId = backend.demoTenantId
    const created = await access.createToken('embedded', tenantId, 'Okta')
    const list = await access.listTokens('embedded', tenantId)
    expect(list.tokens.find((t) => t.id === created.id)?.inKeychain).toBe(true)
    expect(await access.revealTokenSecret('embedded', tenantId, created.id)).toBe(created.secret)
    const rotated = await access.rotateToken('embedded', tenantId, created.id, 'Okta v2')
    expect(rotated).toMatchObject({ label: 'Okta v2', replaces: created.id })
    expect(await access.revokeToken('embedded', tenantId, created.id)).toEqual({
      revokedOnBackend: true,
      removedFromKeychain: true,
    })
    const err = await access.revealTokenSecret('embedded', tenantId, created.id).catch((e) => e)
    expect(err).toBeInstanceOf(AppError)
    expect((err as AppError).code).toBe('secrets.not_found')
  })

  it("reveals a stored token only for its tenant's SCIM base URL", async () => {
    const tenantId = backend.demoTenantId
    const created = await access.createToken('embedded', tenantId, 'Harness')
    expect(await access.revealTokenFor('embedded', tenantId, created.id, backend.scimBaseUrl)).toBe(
      created.secret,
    )
    // Normalised: a trailing slash or an upper-case scheme is the same place.
    const variant = `${backend.scimBaseUrl.replace('http://', 'HTTP://')}/`
    expect(await access.revealTokenFor('embedded', tenantId, created.id, variant)).toBe(
      created.secret,
    )
    const elsewhere = [
      'https://attacker.example/scim/v2',
      backend.scimBaseUrl.replace(/:(\d+)\//, (_m, port: string) => `:${Number(port) + 1}/`),
      `${backend.scimBaseUrl}/Users`,
      `${backend.scimBaseUrl}?x=1`,
      'not a url',
    ]
    for (const destination of elsewhere) {
      const err = await access
        .revealTokenFor('embedded', tenantId, created.id, destination)
        .catch((e: unknown) => e)
      expect(err).toBeInstanceOf(AppError)
      expect((err as AppError).code).toBe('network.forbidden_url')
      expect((err as AppError).message).toContain(`tenant ${tenantId} is sent only to`)
      expect((err as AppError).message).not.toContain(created.secret)
      expect((err as AppError).hint).toContain(backend.scimBaseUrl)
    }
    await access.revokeToken('embedded', tenantId, created.id)
  })

  it('does not send a stored token over plain http to a host that is not this machine', async () => {
    // A real backend whose public URL (what it reports as the tenant's SCIM base URL) is plain
    // http on another host, as behind a misconfigured proxy.
    const dir = mkdtempSync(join(tmpdir(), 'scim-console-access-public-'))
    const proxied = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir: dir,
      adminKey: ADMIN_KEY,
      demoToken: DEMO_TOKEN,
      publicUrl: 'http://scim.example.test',
    })
    const localDir = mkdtempSync(join(tmpdir(), 'scim-console-access-app2-'))
    const local = createBackendAccess({
      dataDir: localDir,
      store: createMemorySecretStore(),
      embedded: { name: 'proxied', adminBaseUrl: proxied.url + '/admin/v1', adminKey: ADMIN_KEY },
    })
    try {
      const created = await local.createToken('proxied', proxied.demoTenantId, 'Harness')
      const err = await local
        .revealTokenFor(
          'proxied',
          proxied.demoTenantId,
          created.id,
          'http://scim.example.test/scim/v2',
        )
        .catch((e: unknown) => e)
      expect((err as AppError).code).toBe('network.forbidden_url')
      expect((err as AppError).message).toMatch(/SCIM token over plain HTTP to scim\.example\.test/)
      expect((err as AppError).hint).toContain('https://scim.example.test/scim/v2')
    } finally {
      await proxied.close()
      rmSync(dir, { recursive: true, force: true })
      rmSync(localDir, { recursive: true, force: true })
    }
  })

  it('names an unknown connection', async () => {
    const err = await access.client('nope').catch((e: unknown) => e)
    expect((err as AppError).code).toBe('connection.not_found')
  })
})
