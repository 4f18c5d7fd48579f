import { randomUUID } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import type { ClientRequest, IncomingMessage } from 'node:http'
import { resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256Hex } from '../store/hash.ts'
import { startTestServer, TEST_ADMIN_KEY } from '../../test/support/test-server.ts'
import type { ScimReply, TestServer } from '../../test/support/test-server.ts'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

let t: TestServer

beforeAll(async () => {
  t = await startTestServer({ heartbeatMs: 100 })
})
afterAll(async () => {
  await t.stop()
})

async function newTenant(): Promise<{ id: string; token: string }> {
  const r = await t.admin('/tenants', {
    method: 'POST',
    body: { name: `T ${randomUUID().slice(0, 4)}` },
  })
  expect(r.status).toBe(201)
  const token = `tok-${randomUUID()}`
  const reg = await t.admin(`/tenants/${r.body.id}/scim/tokens`, {
    method: 'POST',
    body: { label: 'main', sha256: sha256Hex(token) },
  })
  expect(reg.status).toBe(201)
  return { id: r.body.id, token }
}

function expectApiError(r: Pick<ScimReply, 'status' | 'body'>, status: number, code: string) {
  expect(r.status).toBe(status)
  expect(r.body.code).toBe(code)
  expect(typeof r.body.message).toBe('string')
}

describe('admin API auth and validation', () => {
  it('health needs no key; everything else needs the admin key', async () => {
    expect((await t.admin('/health', { token: null })).body).toMatchObject({ ok: true })
    expectApiError(await t.admin('/tenants', { token: null }), 401, 'admin.unauthorized')
    expectApiError(
      await t.admin('/tenants', { token: 'wrong-key-wrong-key' }),
      401,
      'admin.unauthorized',
    )
    const r = await t.admin('/tenants', {
      token: null,
      headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
    })
    expect(r.status).toBe(200)
    expect(r.body.tenants[0].id).toBe(t.server.demoTenantId)
  })

  it('validates bodies and queries against the OpenAPI shapes with { code, message, hint }', async () => {
    let r = await t.admin('/tenants', { method: 'POST', body: { name: '' } })
    expectApiError(r, 400, 'admin.bad_request')
    expect(r.body.message).toContain('name')
    expect(r.body.hint).toBeDefined()
    expectApiError(
      await t.admin('/tenants', { method: 'POST', body: { name: 'x', extra: 1 } }),
      400,
      'admin.bad_request',
    )
    expectApiError(
      await t.admin('/tenants', { method: 'POST', body: '{oops', raw: true }),
      400,
      'admin.bad_request',
    )
    expectApiError(
      await t.admin('/tenants', {
        method: 'POST',
        body: { name: 'x' },
        headers: { 'Content-Type': 'text/plain' },
      }),
      415,
      'admin.unsupported_media_type',
    )
    r = await t.admin(`/tenants/${t.server.demoTenantId}/scim/tokens`, {
      method: 'POST',
      body: { label: 'x', sha256: 'abc' },
    })
    expectApiError(r, 400, 'admin.bad_request')
    expect(r.body.message).toContain('sha256')
    expectApiError(
      await t.admin(`/tenants/${t.server.demoTenantId}/events?limit=0`),
      400,
      'admin.bad_request',
    )
    expectApiError(
      await t.admin(`/tenants/${t.server.demoTenantId}/events?statusClass=9xx`),
      400,
      'admin.bad_request',
    )
    expectApiError(
      await t.admin(`/tenants/${t.server.demoTenantId}/events?since=yesterday`),
      400,
      'admin.bad_request',
    )
    expectApiError(await t.admin('/tenants/nope'), 404, 'admin.not_found')
    expectApiError(await t.admin('/nothing'), 404, 'admin.not_found')
    expectApiError(await t.admin('/tenants', { method: 'DELETE' }), 405, 'admin.method_not_allowed')
  })
})

describe('tenants and SCIM tokens', () => {
  it('creates and gets tenants; registers several live tokens, lists them without secrets, revokes one', async () => {
    const { id, token } = await newTenant()
    expect((await t.admin(`/tenants/${id}`)).body).toMatchObject({
      id,
      scimBaseUrl: t.server.scimBaseUrl,
    })
    const second = `second-${randomUUID()}`
    const reg = await t.admin(`/tenants/${id}/scim/tokens`, {
      method: 'POST',
      body: { label: 'rotation', sha256: sha256Hex(second).toUpperCase() },
    })
    expect(reg.body).toMatchObject({
      label: 'rotation',
      hashPrefix: sha256Hex(second).slice(0, 8),
      lastUsedAt: null,
    })
    expectApiError(
      await t.admin(`/tenants/${id}/scim/tokens`, {
        method: 'POST',
        body: { label: 'dup', sha256: sha256Hex(second) },
      }),
      409,
      'admin.conflict',
    )
    // both work at once: rotation without downtime
    expect((await t.scim('/Users?count=1', { token })).status).toBe(200)
    expect((await t.scim('/Users?count=1', { token: second })).status).toBe(200)
    let scim = await t.admin(`/tenants/${id}/scim`)
    expect(scim.body.baseUrl).toBe(t.server.scimBaseUrl)
    expect(scim.body.tokens).toHaveLength(2)
    expect(
      scim.body.tokens.every((x: { lastUsedAt: string | null }) => x.lastUsedAt !== null),
    ).toBe(true)
    const text = JSON.stringify(scim.body)
    expect(text).not.toContain(sha256Hex(second))
    expect(text).not.toContain(second)
    expect(
      (await t.admin(`/tenants/${id}/scim/tokens/${reg.body.id}`, { method: 'DELETE' })).status,
    ).toBe(204)
    expectApiError(
      await t.admin(`/tenants/${id}/scim/tokens/${reg.body.id}`, { method: 'DELETE' }),
      404,
      'admin.not_found',
    )
    scim = await t.admin(`/tenants/${id}/scim`)
    expect(scim.body.tokens.map((x: { label: string }) => x.label)).toEqual(['main'])
    expect((await t.scim('/Users?count=1', { token: second })).status).toBe(401)
    expect((await t.scim('/Users?count=1', { token })).status).toBe(200)
    // a token of one tenant cannot be revoked through another tenant
    const other = await newTenant()
    const tokId = scim.body.tokens[0].id
    expectApiError(
      await t.admin(`/tenants/${other.id}/scim/tokens/${tokId}`, { method: 'DELETE' }),
      404,
      'admin.not_found',
    )
  })
})

describe('SSO configuration', () => {
  it('shows the SP values, stores valid IdP metadata, and refuses unusable metadata with findings (422) changing nothing', async () => {
    const { id } = await newTenant()
    let r = await t.admin(`/tenants/${id}/sso`)
    expect(r.body.idp).toBeNull()
    expect(r.body.sp.acsUrl).toBe(`${t.server.url}/sso/${id}/saml/acs`)
    expect(r.body.sp.entityId).toContain(id)
    expect(r.body.sp.nameIdFormat).toContain('emailAddress')
    const okta = readFileSync(resolve(IDP_METADATA_DIR, 'okta-app-trial-org.xml'), 'utf8')
    r = await t.admin(`/tenants/${id}/sso`, { method: 'PUT', body: { metadataXml: okta } })
    expect(r.status).toBe(200)
    expect(r.body.idp.entityId).toBe('http://www.okta.com/exkdoocxa1VmjpXmX697')
    expect(r.body.idp.ssoUrl).toBe(
      'https://trial-1022863.okta.com/app/trial-1022863_oktalocalhostbis_1/exkdoocxa1VmjpXmX697/sso/saml',
    )
    expect(r.body.idp.signingCertificates).toHaveLength(1)
    for (const bad of ['sp-salesforce-not-idp.xml', 'edge-billion-laughs-doctype-response.xml']) {
      const xml = readFileSync(resolve(IDP_METADATA_DIR, bad), 'utf8')
      const put = await t.admin(`/tenants/${id}/sso`, { method: 'PUT', body: { metadataXml: xml } })
      expectApiError(put, 422, 'admin.metadata_invalid')
      expect(
        put.body.details.findings.some((f: { severity: string }) => f.severity === 'error'),
      ).toBe(true)
    }
    r = await t.admin(`/tenants/${id}/sso`)
    expect(r.body.idp.entityId).toBe('http://www.okta.com/exkdoocxa1VmjpXmX697')
  })
})

describe('read views', () => {
  it('users, groups and departments (enterprise department ∪ group names, with user counts)', async () => {
    const { id, token } = await newTenant()
    const mk = async (userName: string, department?: string) => {
      const body: Record<string, unknown> = { schemas: [USER, ENTERPRISE], userName }
      if (department) body[ENTERPRISE] = { department }
      const r = await t.scim('/Users', { method: 'POST', token, body })
      return r.body.id as string
    }
    const a = await mk('a@x.org', 'Sales')
    const b = await mk('b@x.org', 'Sales')
    const c = await mk('c@x.org', 'Engineering')
    await mk('d@x.org')
    const g = await t.scim('/Groups', {
      method: 'POST',
      token,
      body: { schemas: [GROUP], displayName: 'Engineering', members: [{ value: a }, { value: c }] },
    })
    await t.scim('/Groups', {
      method: 'POST',
      token,
      body: { schemas: [GROUP], displayName: 'Support', members: [{ value: b }] },
    })
    await t.scim(`/Users/${b}`, {
      method: 'PATCH',
      token,
      body: { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] },
    })

    let r = await t.admin(`/tenants/${id}/users?limit=3`)
    expect(r.body.total).toBe(4)
    expect(r.body.items.map((u: { userName: string }) => u.userName)).toEqual([
      'a@x.org',
      'b@x.org',
      'c@x.org',
    ])
    expect(r.body.items[0]).toMatchObject({
      department: 'Sales',
      groups: ['Engineering'],
      active: true,
    })
    expect(r.body.items[1].active).toBe(false)
    r = await t.admin(`/tenants/${id}/users?limit=3&cursor=${r.body.nextCursor}`)
    expect(r.body.items.map((u: { userName: string }) => u.userName)).toEqual(['d@x.org'])
    expect(r.body.nextCursor).toBeNull()
    r = await t.admin(`/tenants/${id}/users?q=C@X`)
    expect(r.body.items.map((u: { userName: string }) => u.userName)).toEqual(['c@x.org'])
    r = await t.admin(`/tenants/${id}/groups`)
    expect(
      r.body.items.map((x: { displayName: string; memberCount: number }) => [
        x.displayName,
        x.memberCount,
      ]),
    ).toEqual([
      ['Engineering', 2],
      ['Support', 1],
    ])
    r = await t.admin(`/tenants/${id}/departments`)
    expect(r.body.items).toEqual([
      { name: 'Engineering', sources: ['attribute', 'group'], userCount: 2, groupId: g.body.id },
      { name: 'Sales', sources: ['attribute'], userCount: 2, groupId: null },
      { name: 'Support', sources: ['group'], userCount: 1, groupId: expect.any(String) },
    ])
    // another tenant sees none of it
    expect(
      (await t.admin(`/tenants/${t.server.demoTenantId}/departments`)).body.items.map(
        (d: { name: string }) => d.name,
      ),
    ).not.toContain('Support')
  })
})

describe('provisioning event queries', () => {
  it('paginates newest first by cursor and filters by user, status class, method, resource type and time', async () => {
    const { id, token } = await newTenant()
    const start = new Date().toISOString()
    const u = await t.scim('/Users', {
      method: 'POST',
      token,
      body: {
        schemas: [USER],
        userName: 'ev@x.org',
        externalId: 'EXT-1',
        emails: [{ value: 'ev.mail@x.org' }],
      },
    })
    for (let i = 0; i < 5; i++) await t.scim(`/Users/${u.body.id}`, { token })
    await t.scim('/Users/missing', { token })
    const g = await t.scim('/Groups', {
      method: 'POST',
      token,
      body: { schemas: [GROUP], displayName: 'G' },
    })
    // the group's membership change belongs to the member's story too
    await t.scim(`/Groups/${g.body.id}`, {
      method: 'PATCH',
      token,
      body: {
        schemas: [PATCH],
        Operations: [{ op: 'add', path: 'members', value: [{ value: u.body.id }] }],
      },
    })
    let r = await t.admin(`/tenants/${id}/events?limit=3`)
    expect(r.body.items).toHaveLength(3)
    const seqs: number[] = r.body.items.map((e: { seq: number }) => e.seq)
    expect(seqs).toEqual([...seqs].sort((x, y) => y - x))
    const all: number[] = [...seqs]
    while (r.body.nextCursor) {
      r = await t.admin(`/tenants/${id}/events?limit=3&cursor=${r.body.nextCursor}`)
      all.push(...r.body.items.map((e: { seq: number }) => e.seq))
    }
    expect(all).toHaveLength(9)
    // seq is the tenant's own: 1..9 however much other tenants did meanwhile
    expect(all).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1])
    r = await t.admin(`/tenants/${id}/events?statusClass=4xx`)
    expect(r.body.items.map((e: { path: string; status: number }) => [e.path, e.status])).toEqual([
      ['/Users/missing', 404],
    ])
    r = await t.admin(`/tenants/${id}/events?method=POST&resourceType=Group`)
    expect(r.body.items).toHaveLength(1)
    expect(r.body.items[0].outcome).toBe('created')
    for (const who of ['EV@x.org', 'EXT-1', 'ev.mail@x.org', u.body.id]) {
      r = await t.admin(`/tenants/${id}/events?user=${encodeURIComponent(who)}`)
      expect(r.body.items, who).toHaveLength(7)
      expect(r.body.items[0]).toMatchObject({
        outcome: 'membership_changed',
        resourceId: g.body.id,
        membersAdded: [u.body.id],
      })
    }
    r = await t.admin(`/tenants/${id}/events?until=${encodeURIComponent(start)}`)
    expect(r.body.items).toHaveLength(0)
    r = await t.admin(`/tenants/${id}/events?since=${encodeURIComponent(start)}&outcome=read`)
    expect(r.body.items).toHaveLength(5)
    // other tenants' events are not there
    r = await t.admin(`/tenants/${t.server.demoTenantId}/events?user=ev@x.org`)
    expect(r.body.items).toHaveLength(0)
  })
})

// ---------- SSE ----------

interface SseClient {
  events: { id: number; data: ScimReply['body'] }[]
  comments: string[]
  req: ClientRequest
  waitFor(pred: () => boolean): Promise<void>
  close(): void
}

function openStream(tenantId: string, lastEventId?: number, viaQuery = false): Promise<SseClient> {
  return new Promise((resolveClient, reject) => {
    const url = new URL(`${t.server.adminBaseUrl}/tenants/${tenantId}/events/stream`)
    if (viaQuery && lastEventId !== undefined)
      url.searchParams.set('lastEventId', String(lastEventId))
    const headers: Record<string, string> = {
      Authorization: `Bearer ${TEST_ADMIN_KEY}`,
      Accept: 'text/event-stream',
    }
    if (lastEventId !== undefined && !viaQuery) headers['Last-Event-ID'] = String(lastEventId)
    const client: SseClient = {
      events: [],
      comments: [],
      req: undefined as unknown as ClientRequest,
      waitFor: (pred) =>
        new Promise((done, fail) => {
          const timer = setTimeout(() => fail(new Error('SSE wait timed out')), 10_000)
          const tick = () => (pred() ? (clearTimeout(timer), done()) : setTimeout(tick, 5))
          tick()
        }),
      close: () => client.req.destroy(),
    }
    let buffer = ''
    client.req = request(url, { headers }, (res: IncomingMessage) => {
      if (res.statusCode !== 200) return reject(new Error(`status ${res.statusCode}`))
      expect(res.headers['content-type']).toContain('text/event-stream')
      res.setEncoding('utf8')
      res.on('data', (chunk: string) => {
        buffer += chunk
        let idx: number
        while ((idx = buffer.indexOf('\n\n')) >= 0) {
          const frame = buffer.slice(0, idx)
          buffer = buffer.slice(idx + 2)
          let id: number | undefined
          let data = ''
          for (const line of frame.split('\n')) {
            if (line.startsWith(':')) client.comments.push(line)
            else if (line.startsWith('id: ')) id = Number(line.slice(4))
            else if (line.startsWith('data: ')) data += line.slice(6)
          }
          if (id !== undefined) client.events.push({ id, data: JSON.parse(data) })
        }
      })
      res.on('error', () => {})
      resolveClient(client)
    })
    client.req.on('error', () => {})
    client.req.end()
  })
}

describe('per-tenant event sequence', () => {
  it('numbers each tenant 1, 2, 3, ... without gaps while two tenants interleave; cursors and ids use it', async () => {
    const a = await newTenant()
    const b = await newTenant()
    for (let i = 0; i < 6; i++) {
      await t.scim(`/Users?count=${i}`, { token: a.token })
      if (i % 2 === 0) await t.scim(`/Users?count=${i}`, { token: b.token })
    }
    // a token that matches nothing is recorded under no tenant and does not consume a number
    await t.scim('/Users', { token: 'not-a-registered-token-000' })
    await t.scim('/Users?count=99', { token: a.token })
    const seqsOf = async (id: string): Promise<number[]> =>
      (await t.admin(`/tenants/${id}/events?limit=100`)).body.items.map(
        (e: { seq: number }) => e.seq,
      )
    expect(await seqsOf(a.id)).toEqual([7, 6, 5, 4, 3, 2, 1])
    expect(await seqsOf(b.id)).toEqual([3, 2, 1])
    const page = await t.admin(`/tenants/${a.id}/events?limit=2&cursor=5`)
    expect(page.body.items.map((e: { seq: number }) => e.seq)).toEqual([4, 3])
    expect(page.body.nextCursor).toBe('3')
    const filtered = await t.admin(`/tenants/${a.id}/events?limit=100&cursor=7&statusClass=2xx`)
    expect(filtered.body.items.map((e: { path: string }) => e.path)).toEqual([
      '/Users?count=5',
      '/Users?count=4',
      '/Users?count=3',
      '/Users?count=2',
      '/Users?count=1',
      '/Users?count=0',
    ])
    const s = await openStream(b.id, 1)
    await s.waitFor(() => s.events.length === 2)
    expect(s.events.map((e) => [e.id, e.data.seq])).toEqual([
      [2, 2],
      [3, 3],
    ])
    await t.scim('/Users?count=7', { token: b.token })
    await s.waitFor(() => s.events.length === 3)
    expect(s.events[2]).toMatchObject({ id: 4, data: { seq: 4, tenantId: b.id } })
    s.close()
  })
})

describe('event stream (SSE)', () => {
  it('streams live events with id = seq and heartbeats', async () => {
    const { id, token } = await newTenant()
    const s = await openStream(id)
    await t.scim('/Users?count=1', { token })
    await s.waitFor(() => s.events.length === 1)
    expect(s.events[0]!.data).toMatchObject({
      tenantId: id,
      method: 'GET',
      path: '/Users?count=1',
      status: 200,
    })
    expect(s.events[0]!.id).toBe(s.events[0]!.data.seq)
    await s.waitFor(() => s.comments.some((c) => c.includes('heartbeat')))
    s.close()
  })

  it('resumes from ?lastEventId= too (EventSource cannot set headers on the first connect)', async () => {
    const { id, token } = await newTenant()
    for (let i = 0; i < 3; i++) await t.scim(`/Users?count=${i}`, { token })
    const page = await t.admin(`/tenants/${id}/events?limit=3`)
    const oldest = page.body.items[2].seq
    const s = await openStream(id, oldest, true)
    await s.waitFor(() => s.events.length === 2)
    expect(s.events.map((e) => e.id)).toEqual([page.body.items[1].seq, page.body.items[0].seq])
    s.close()
  })

  it('a client cut off mid-stream resumes with Last-Event-ID without losing or repeating an event', async () => {
    const { id, token } = await newTenant()
    const first = await openStream(id)
    // Requests keep flowing the whole time: while connected, while disconnected, while resuming.
    let writing = true
    const writer = (async () => {
      let i = 0
      while (writing)
        await t.scim(`/Users?filter=${encodeURIComponent(`userName eq "n${i++}"`)}`, { token })
    })()
    await first.waitFor(() => first.events.length >= 20)
    first.close()
    const seen = first.events.map((e) => e.id)
    const lastId = seen[seen.length - 1]!
    await new Promise((r) => setTimeout(r, 50))
    const second = await openStream(id, lastId)
    await second.waitFor(() => second.events.length >= 40)
    writing = false
    await writer
    const finalSeq = (await t.admin(`/tenants/${id}/events?limit=1`)).body.items[0].seq
    await second.waitFor(() => second.events[second.events.length - 1]!.id === finalSeq)
    second.close()
    const got = [...seen, ...second.events.map((e) => e.id)]
    expect(new Set(got).size).toBe(got.length)
    // every stored event of the tenant from the first one seen up to the last, in order
    const stored: number[] = []
    let page = await t.admin(`/tenants/${id}/events?limit=500`)
    stored.push(...page.body.items.map((e: { seq: number }) => e.seq))
    while (page.body.nextCursor) {
      page = await t.admin(`/tenants/${id}/events?limit=500&cursor=${page.body.nextCursor}`)
      stored.push(...page.body.items.map((e: { seq: number }) => e.seq))
    }
    const expected = stored.filter((s) => s >= got[0]!).sort((a, b) => a - b)
    expect(got).toEqual(expected)
    // and contiguous: nothing of the tenant is missing between the first and the last
    expect(got).toEqual(Array.from({ length: got.length }, (_, i) => got[0]! + i))
  })
})
