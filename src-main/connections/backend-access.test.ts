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

  it('names an unknown connection', async () => {
    const err = await access.client('nope').catch((e: unknown) => e)
    expect((err as AppError).code).toBe('connection.not_found')
  })
})
