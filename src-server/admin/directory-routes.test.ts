import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256Hex } from '../store/hash.ts'
import { startTestServer } from '../../test/support/test-server.ts'
import type { TestServer } from '../../test/support/test-server.ts'
import {
  entraCreateUser,
  oktaCreateGroup,
  oktaCreateUser,
  oktaDeactivate,
} from '../../test/support/idp-requests.ts'
import { clientOf } from './directory-source.ts'

const OKTA_UA = { 'User-Agent': 'Okta SCIM Client 1.0.0' }
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'

let t: TestServer

beforeAll(async () => {
  t = await startTestServer()
})
afterAll(async () => {
  await t.stop()
})

async function newTenant(): Promise<{ id: string; token: string }> {
  const r = await t.admin('/tenants', { method: 'POST', body: { name: `D ${randomUUID()}` } })
  const token = `tok-${randomUUID()}`
  await t.admin(`/tenants/${r.body.id}/scim/tokens`, {
    method: 'POST',
    body: { label: 'okta', sha256: sha256Hex(token) },
  })
  return { id: r.body.id, token }
}

describe('clientOf', () => {
  it('tells Okta, Entra ID, the console harness and other clients apart', () => {
    expect(clientOf('Okta SCIM Client 1.0.0')).toBe('okta')
    expect(clientOf('OKTA SCIM Integration')).toBe('okta')
    expect(clientOf('Microsoft.Identity.Provisioning')).toBe('entra')
    expect(clientOf('scim-console (Entra ID profile)')).toBe('console')
    // The harness's Okta profile sends Okta's User-Agent; its resources carry the run prefix.
    expect(clientOf('Okta SCIM Client 1.0.0', 'scimc-1a2b-user@example.test')).toBe('console')
    expect(clientOf('curl/8.5.0')).toBe('other')
    expect(clientOf(null)).toBe('unknown')
  })
})

describe('directory read views', () => {
  it('users carry the creating client and last change; search narrows users and groups, and the total follows', async () => {
    const { id, token } = await newTenant()
    const okta = await t.scim('/Users', {
      method: 'POST',
      token,
      headers: OKTA_UA,
      body: oktaCreateUser,
    })
    await t.scim('/Users', {
      method: 'POST',
      token,
      headers: { 'User-Agent': 'Microsoft Azure AD provisioning' },
      body: entraCreateUser,
    })
    await t.scim(`/Users/${okta.body.id}`, {
      method: 'PATCH',
      token,
      headers: OKTA_UA,
      body: oktaDeactivate,
    })
    const users = await t.admin(`/tenants/${id}/users`)
    expect(users.status).toBe(200)
    expect(users.body.total).toBe(2)
    const [a, b] = users.body.items
    expect(a).toMatchObject({
      userName: 'test.user@okta.local',
      active: false,
      source: { client: 'okta', userAgent: 'Okta SCIM Client 1.0.0', seq: 1 },
      lastChange: { outcome: 'deactivated', seq: 3 },
    })
    expect(b.source.client).toBe('entra')
    expect(b.lastChange).toMatchObject({ outcome: 'created', seq: 2 })

    const searched = await t.admin(`/tenants/${id}/users?q=OKTA.LOCAL`)
    expect(searched.body.items.map((u: { id: string }) => u.id)).toEqual([okta.body.id])
    expect(searched.body.total).toBe(1)

    await t.scim('/Groups', { method: 'POST', token, headers: OKTA_UA, body: oktaCreateGroup })
    await t.scim('/Groups', {
      method: 'POST',
      token,
      headers: OKTA_UA,
      body: { ...oktaCreateGroup, displayName: 'Sales' },
    })
    const groups = await t.admin(`/tenants/${id}/groups?q=sales`)
    expect(groups.body.total).toBe(1)
    expect(groups.body.items[0]).toMatchObject({
      displayName: 'Sales',
      memberCount: 0,
      source: { client: 'okta' },
      lastChange: { outcome: 'created' },
    })
  })

  it("a group's members come paged with each user's state, and a membership change is the user's last change", async () => {
    const { id, token } = await newTenant()
    const ids: string[] = []
    for (const n of ['a', 'b', 'c']) {
      const r = await t.scim('/Users', {
        method: 'POST',
        token,
        headers: OKTA_UA,
        body: { ...oktaCreateUser, userName: `${n}@x.test`, externalId: n },
      })
      ids.push(r.body.id as string)
    }
    await t.scim(`/Users/${ids[1]}`, { method: 'PATCH', token, body: oktaDeactivate })
    const g = await t.scim('/Groups', {
      method: 'POST',
      token,
      headers: OKTA_UA,
      body: { ...oktaCreateGroup, members: [{ value: ids[0] }, { value: ids[1] }] },
    })
    await t.scim(`/Groups/${g.body.id}`, {
      method: 'PATCH',
      token,
      headers: OKTA_UA,
      body: {
        schemas: [PATCH],
        Operations: [{ op: 'add', path: 'members', value: [{ value: ids[2] }] }],
      },
    })
    let r = await t.admin(`/tenants/${id}/groups/${g.body.id}/members?limit=2`)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ displayName: 'Test SCIMv2', total: 3 })
    expect(r.body.items).toEqual([
      { id: ids[0], type: 'User', display: 'a@x.test', active: true },
      { id: ids[1], type: 'User', display: 'b@x.test', active: false },
    ])
    r = await t.admin(
      `/tenants/${id}/groups/${g.body.id}/members?limit=2&cursor=${r.body.nextCursor}`,
    )
    expect(r.body.items.map((m: { display: string }) => m.display)).toEqual(['c@x.test'])
    expect(r.body.nextCursor).toBeNull()

    const users = await t.admin(`/tenants/${id}/users`)
    const c = users.body.items.find((u: { id: string }) => u.id === ids[2])
    expect(c.lastChange.outcome).toBe('membership_changed')
    expect(c.groups).toEqual(['Test SCIMv2'])
  })

  it('a search total holds across pages and follows every write (the count is reused only until the next one)', async () => {
    const { id, token } = await newTenant()
    const ids: string[] = []
    const create = async (userName: string) => {
      const r = await t.scim('/Users', {
        method: 'POST',
        token,
        headers: OKTA_UA,
        body: { ...oktaCreateUser, userName, externalId: userName, displayName: userName },
      })
      ids.push(r.body.id as string)
    }
    for (const n of [1, 2, 3, 4, 5]) await create(`s${n}@search.test`)
    await create('other@x.test')
    const search = (query: string) => t.admin(`/tenants/${id}/users?q=search.test&${query}`)

    // A full first page: the total is counted, and the next page is out of the same total.
    let r = await search('limit=2')
    expect(r.body.items).toHaveLength(2)
    expect(r.body.total).toBe(5)
    const cursor = r.body.nextCursor
    r = await search(`limit=2&cursor=${cursor}`)
    expect(r.body.items.map((u: { userName: string }) => u.userName)).toEqual([
      's3@search.test',
      's4@search.test',
    ])
    expect(r.body.total).toBe(5)

    await create('s6@search.test')
    // A later page asked first after the write counts again (nothing remembered is current).
    expect((await search(`limit=2&cursor=${cursor}`)).body.total).toBe(6)
    expect((await search('limit=2')).body.total).toBe(6)
    // A first page shorter than its limit is the whole result; upper case finds the same.
    r = await t.admin(`/tenants/${id}/users?q=SEARCH.TEST&limit=50`)
    expect(r.body.items).toHaveLength(6)
    expect(r.body.total).toBe(6)
    expect(r.body.nextCursor).toBeNull()

    await t.scim(`/Users/${ids[0]}`, {
      method: 'PATCH',
      token,
      headers: OKTA_UA,
      body: {
        schemas: [PATCH],
        Operations: [
          {
            op: 'replace',
            value: { userName: 'renamed@x.test', displayName: 'renamed', externalId: 'renamed' },
          },
        ],
      },
    })
    expect((await search('limit=2')).body.total).toBe(5)
    await t.scim(`/Users/${ids[1]}`, { method: 'DELETE', token, headers: OKTA_UA })
    expect((await search('limit=2')).body.total).toBe(4)
    expect((await search('limit=50')).body.total).toBe(4)

    // LIKE's wildcards and its escape character are searched for as themselves, on every page.
    await create('percent%_\\@x.test')
    for (const [q, want] of [
      ['%', ['percent%_\\@x.test']],
      ['_', ['percent%_\\@x.test']],
      ['\\', ['percent%_\\@x.test']],
      ['s_@', []],
    ] as const) {
      const first = await t.admin(`/tenants/${id}/users?q=${encodeURIComponent(q)}&limit=1`)
      expect(first.body.items.map((u: { userName: string }) => u.userName)).toEqual(want)
      expect(first.body.total).toBe(want.length)
    }
    // externalId and displayName are searched too, each through its own index.
    await t.scim('/Users', {
      method: 'POST',
      token,
      headers: OKTA_UA,
      body: {
        ...oktaCreateUser,
        userName: 'plain@x.test',
        externalId: 'EXT-ONLY-77',
        displayName: 'Display Only',
      },
    })
    for (const q of ['ext-only', 'DISPLAY ONLY']) {
      const r = await t.admin(`/tenants/${id}/users?q=${encodeURIComponent(q)}`)
      expect(r.body.items.map((u: { userName: string }) => u.userName)).toEqual(['plain@x.test'])
      expect(r.body.total).toBe(1)
    }
  })

  it("another tenant's group is not found, with a hint", async () => {
    const mine = await newTenant()
    const other = await newTenant()
    const g = await t.scim('/Groups', { method: 'POST', token: other.token, body: oktaCreateGroup })
    const r = await t.admin(`/tenants/${mine.id}/groups/${g.body.id}/members`)
    expect(r.status).toBe(404)
    expect(r.body.code).toBe('admin.not_found')
    expect(r.body.hint).toContain('/groups')
  })
})
