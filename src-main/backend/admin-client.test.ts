import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { startServer, type RunningServer } from '../../src-server/server.ts'
import { sha256Hex } from '../secrets/generate-token.ts'
import { createAdminClient, normalizeAdminBaseUrl, type AdminClient } from './admin-client.ts'
import { hasOpenssl, makeTestCertificate } from '../../test/support/tls-test-cert.ts'

const ADMIN_KEY = 'admin-key-for-admin-client-tests-0123456789'
const DEMO_TOKEN = 'scimc_demo-token-for-admin-client-tests-0123'
const metadataXml = readFileSync(
  new URL('../../test/fixtures/idp-metadata/okta-app-trial-org.xml', import.meta.url),
  'utf8',
)

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return `127.0.0.1:${(server.address() as AddressInfo).port}`
}

async function stop(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise<void>((resolve) => server.close(() => resolve()))
}

async function failure(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => new Error('expected the call to fail'),
    (e: unknown) => e,
  )
  expect(err).toBeInstanceOf(AppError)
  return err as AppError
}

describe('admin client against the reference backend', () => {
  let dataDir: string
  let backend: RunningServer
  let client: AdminClient

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'scim-console-admin-client-'))
    backend = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      adminKey: ADMIN_KEY,
      demoToken: DEMO_TOKEN,
    })
    client = createAdminClient({ baseUrl: backend.adminBaseUrl, adminKey: ADMIN_KEY })
  })

  afterAll(async () => {
    await backend?.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('checks health and lists, creates and gets tenants', async () => {
    expect((await client.health()).ok).toBe(true)
    const before = await client.listTenants()
    expect(before.map((t) => t.id)).toContain(backend.demoTenantId)
    const created = await client.createTenant({ name: 'Acme EU' })
    expect(created.name).toBe('Acme EU')
    expect(created.scimBaseUrl).toBe(backend.scimBaseUrl)
    expect((await client.getTenant(created.id)).name).toBe('Acme EU')
    expect((await client.listTenants()).length).toBe(before.length + 1)
  })

  it('reads SP values, pushes IdP metadata and reads it back', async () => {
    const tenant = await client.createTenant({ name: 'SSO tenant' })
    const before = await client.getSso(tenant.id)
    expect(before.idp).toBeNull()
    expect(before.sp.acsUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//)
    const after = await client.putSso(tenant.id, metadataXml)
    expect(after.idp?.entityId).toBe('http://www.okta.com/exkdoocxa1VmjpXmX697')
    expect((await client.getSso(tenant.id)).idp?.entityId).toBe(after.idp?.entityId)
  })

  it('refuses metadata the backend finds unusable and keeps the old configuration', async () => {
    const tenant = await client.createTenant({ name: 'Bad SSO tenant' })
    await client.putSso(tenant.id, metadataXml)
    const err = await failure(client.putSso(tenant.id, '<html><body>login</body></html>'))
    expect(err.code).toBe('backend.http_error')
    expect(err.details).toMatchObject({ status: 422, operation: 'putSso' })
    expect((await client.getSso(tenant.id)).idp?.entityId).toBe(
      'http://www.okta.com/exkdoocxa1VmjpXmX697',
    )
  })

  it('reads SCIM info, registers a token by hash and revokes it', async () => {
    const tenant = await client.createTenant({ name: 'Token tenant' })
    const scim = await client.getScim(tenant.id)
    expect(scim.baseUrl).toBe(backend.scimBaseUrl)
    const sha256 = sha256Hex('scimc_not-a-real-token-but-hashed-like-one')
    const token = await client.registerScimToken(tenant.id, { label: 'Okta', sha256 })
    expect(token).toMatchObject({ label: 'Okta', hashPrefix: sha256.slice(0, 8), lastUsedAt: null })
    expect((await client.getScim(tenant.id)).tokens.map((t) => t.id)).toContain(token.id)
    await client.revokeScimToken(tenant.id, token.id)
    expect((await client.getScim(tenant.id)).tokens.map((t) => t.id)).not.toContain(token.id)
    const again = await failure(client.revokeScimToken(tenant.id, token.id))
    expect(again.code).toBe('backend.http_error')
    expect(again.details).toMatchObject({ status: 404 })
  })

  it('lists users, groups, departments and events written through SCIM', async () => {
    const tenantId = backend.demoTenantId
    const scim = (path: string, init: RequestInit = {}) =>
      fetch(`${backend.scimBaseUrl}${path}`, {
        ...init,
        headers: { Authorization: `Bearer ${DEMO_TOKEN}`, 'Content-Type': 'application/scim+json' },
      })
    const created = await scim('/Users', {
      method: 'POST',
      body: JSON.stringify({
        schemas: [
          'urn:ietf:params:scim:schemas:core:2.0:User',
          'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
        ],
        userName: 'ada@example.com',
        name: { givenName: 'Ada', familyName: 'Lovelace' },
        emails: [{ value: 'ada@example.com', primary: true }],
        active: true,
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'Research' },
      }),
    })
    expect(created.status).toBe(201)
    const group = await scim('/Groups', {
      method: 'POST',
      body: JSON.stringify({
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'Engineering',
      }),
    })
    expect(group.status).toBe(201)

    const users = await client.listUsers(tenantId, { q: 'ada', limit: 10 })
    expect(users.items.map((u) => u.userName)).toEqual(['ada@example.com'])
    expect(users.items[0]?.department).toBe('Research')
    const groups = await client.listGroups(tenantId, { limit: 10 })
    expect(groups.items.map((g) => g.displayName)).toContain('Engineering')
    const departments = await client.listDepartments(tenantId)
    expect(departments.map((d) => d.name)).toEqual(
      expect.arrayContaining(['Engineering', 'Research']),
    )
    const events = await client.listEvents(tenantId, { method: 'POST', limit: 10 })
    expect(events.items.length).toBeGreaterThanOrEqual(2)
    expect(events.items.every((e) => e.method === 'POST')).toBe(true)
    const page = await client.listEvents(tenantId, { limit: 1 })
    expect(page.items).toHaveLength(1)
    expect(page.nextCursor).not.toBeNull()
    const next = await client.listEvents(tenantId, { limit: 1, cursor: page.nextCursor ?? '' })
    expect(next.items[0]?.seq).toBeLessThan(page.items[0]?.seq ?? 0)
  })

  it('answers a wrong admin key with backend.unauthorized and a hint, without echoing the key', async () => {
    const wrong = createAdminClient({
      baseUrl: backend.adminBaseUrl,
      adminKey: 'wrong-admin-key-xyz',
    })
    const err = await failure(wrong.listTenants())
    expect(err.code).toBe('backend.unauthorized')
    expect(err.hint).toMatch(/admin key/)
    expect(JSON.stringify(err.toData())).not.toContain('wrong-admin-key-xyz')
  })

  it('turns an unknown tenant into backend.http_error with the backend’s message', async () => {
    const err = await failure(client.getTenant('no-such-tenant'))
    expect(err.code).toBe('backend.http_error')
    expect(err.details).toMatchObject({ status: 404, backendCode: 'admin.not_found' })
  })
})

describe('admin client failure modes', () => {
  it('reports a stopped backend as network.unreachable', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-console-admin-stopped-'))
    const backend = await startServer({ port: 0, host: '127.0.0.1', dataDir, adminKey: ADMIN_KEY })
    const client = createAdminClient({ baseUrl: backend.adminBaseUrl, adminKey: ADMIN_KEY })
    expect((await client.health()).ok).toBe(true)
    await backend.close()
    rmSync(dataDir, { recursive: true, force: true })
    const err = await failure(client.listTenants())
    expect(err.code).toBe('network.unreachable')
    expect(err.message).toContain(backend.adminBaseUrl)
    expect(err.details).toMatchObject({ code: 'ECONNREFUSED' })
    expect(err.hint).toMatch(/running/)
  })

  it('reports an unknown host name as network.unreachable', async () => {
    const client = createAdminClient({
      baseUrl: 'https://scim-console-test.invalid/admin/v1',
      adminKey: ADMIN_KEY,
    })
    const err = await failure(client.health())
    expect(err.code).toBe('network.unreachable')
  })

  it('reports a 500 from a real HTTP server as backend.unavailable', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(500, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ code: 'internal', message: 'database is locked' }))
    })
    const host = await listen(server)
    try {
      const client = createAdminClient({ baseUrl: `http://${host}/admin/v1`, adminKey: ADMIN_KEY })
      const err = await failure(client.getScim('t1'))
      expect(err.code).toBe('backend.unavailable')
      expect(err.message).toContain('database is locked')
      expect(err.details).toMatchObject({ status: 500, operation: 'getScim' })
    } finally {
      await stop(server)
    }
  })

  it('reports a server that never answers as network.timeout', async () => {
    const server = createServer(() => {
      // Holds every request open: the client's timeout must end the wait.
    })
    const host = await listen(server)
    try {
      const client = createAdminClient({
        baseUrl: `http://${host}/admin/v1`,
        adminKey: ADMIN_KEY,
        timeoutMs: 300,
      })
      const err = await failure(client.listTenants())
      expect(err.code).toBe('network.timeout')
      expect(err.details).toMatchObject({ timeoutMs: 300 })
    } finally {
      await stop(server)
    }
  })

  it('reports a server that stalls in the middle of the body as network.timeout', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Length': '100' })
      res.write('{"tenants":[')
    })
    const host = await listen(server)
    try {
      const client = createAdminClient({
        baseUrl: `http://${host}/admin/v1`,
        adminKey: ADMIN_KEY,
        timeoutMs: 300,
      })
      expect((await failure(client.listTenants())).code).toBe('network.timeout')
    } finally {
      await stop(server)
    }
  })

  it('reports a web page instead of the admin API as backend.http_error naming the URL', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' })
      res.end('<!doctype html><title>Sign in</title>')
    })
    const host = await listen(server)
    try {
      const client = createAdminClient({ baseUrl: `http://${host}`, adminKey: ADMIN_KEY })
      const err = await failure(client.listTenants())
      expect(err.code).toBe('backend.http_error')
      expect(err.hint).toMatch(/\/admin\/v1/)
    } finally {
      await stop(server)
    }
  })

  it('does not follow a redirect, so the admin key never reaches the redirect target', async () => {
    const seen: IncomingHttpHeaders[] = []
    const target = createServer((req, res) => {
      seen.push(req.headers)
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"tenants":[]}')
    })
    const targetHost = await listen(target)
    const redirector = createServer((_req, res) => {
      res.writeHead(302, { Location: `http://${targetHost}/admin/v1/tenants` })
      res.end()
    })
    const host = await listen(redirector)
    try {
      const client = createAdminClient({ baseUrl: `http://${host}/admin/v1`, adminKey: ADMIN_KEY })
      const err = await failure(client.listTenants())
      expect(err.code).toBe('backend.http_error')
      expect(err.message).toContain(targetHost)
      expect(seen).toHaveLength(0)
    } finally {
      await stop(redirector)
      await stop(target)
    }
  })

  if (!hasOpenssl) console.log('TLS failure test skipped: no openssl to make a certificate')

  it.skipIf(!hasOpenssl)('reports an untrusted certificate as network.tls', async () => {
    const server = createHttpsServer(makeTestCertificate(['localhost']), (_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end('{"tenants":[]}')
    })
    const host = await listen(server as unknown as Server)
    try {
      const client = createAdminClient({ baseUrl: `https://${host}/admin/v1`, adminKey: ADMIN_KEY })
      const err = await failure(client.listTenants())
      expect(err.code).toBe('network.tls')
      expect(err.hint).toMatch(/certificate/)
    } finally {
      await stop(server as unknown as Server)
    }
  })
})

describe('admin client transport policy', () => {
  it('refuses to send the admin key over plain http to another host, before any request', () => {
    let fetched = false
    let caught: unknown
    try {
      createAdminClient({
        baseUrl: 'http://example.com/admin/v1',
        adminKey: ADMIN_KEY,
        fetch: async () => {
          fetched = true
          return new Response('{}')
        },
      })
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('network.forbidden_url')
    expect((caught as AppError).message).toMatch(/admin key over plain HTTP to example\.com/)
    expect((caught as AppError).hint).toMatch(
      /https:\/\/example\.com\/admin\/v1.*--allow-insecure-http/,
    )
    expect(fetched).toBe(false)
  })

  it('with the opt-in, checks on every call that the name still resolves to a private address', async () => {
    // Fake DNS and a recording fetch (no host named admin.test exists here): the test is about
    // what the client decides to send, not about reaching a LAN.
    let answer = ['10.0.0.5']
    const sent: string[] = []
    const client = createAdminClient({
      baseUrl: 'http://admin.test:8787/admin/v1',
      adminKey: ADMIN_KEY,
      allowInsecureHttp: true,
      lookup: async () => answer.map((address) => ({ address, family: 4 as const })),
      fetch: async (request) => {
        sent.push(request.url)
        return new Response('{"tenants":[]}', { headers: { 'Content-Type': 'application/json' } })
      },
    })
    expect(await client.listTenants()).toEqual([])
    answer = ['10.0.0.5', '93.184.216.34']
    const err = await failure(client.listTenants())
    expect(err.code).toBe('network.forbidden_url')
    expect(err.message).toMatch(
      /93\.184\.216\.34 \(admin\.test resolves to it\).*private networks only/,
    )
    expect(sent).toHaveLength(1)
  })

  it('keeps http to this machine working without any opt-in', () => {
    expect(() =>
      createAdminClient({ baseUrl: 'http://127.0.0.1:8787/admin/v1', adminKey: ADMIN_KEY }),
    ).not.toThrow()
    expect(() =>
      createAdminClient({ baseUrl: 'http://localhost:8787/admin/v1', adminKey: ADMIN_KEY }),
    ).not.toThrow()
  })
})

describe('normalizeAdminBaseUrl', () => {
  it('keeps scheme, host and path and drops a trailing slash', () => {
    expect(normalizeAdminBaseUrl(' https://scim.example.com/admin/v1/ ')).toBe(
      'https://scim.example.com/admin/v1',
    )
  })

  it.each([
    ['scim.example.com/admin/v1', /not a URL/],
    ['ftp://scim.example.com/admin', /not an http/],
    ['https://user:pw@scim.example.com/admin/v1', /credentials/],
  ])('refuses %s with a clear error', (raw, message) => {
    let caught: unknown
    try {
      normalizeAdminBaseUrl(raw)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('connection.bad_input')
    expect((caught as AppError).message).toMatch(message)
  })
})
