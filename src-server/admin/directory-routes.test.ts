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
