import { randomUUID } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sha256Hex } from './store/hash.ts'
import { startTestServer, TEST_TOKEN } from '../test/support/test-server.ts'
import type { ScimReply, TestServer } from '../test/support/test-server.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse'
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error'

let t: TestServer

beforeAll(async () => {
  t = await startTestServer()
})
afterAll(async () => {
  await t.stop()
})

const q = (filter: string) => encodeURIComponent(filter)

function oktaUser(userName: string, extra: Record<string, unknown> = {}) {
  return {
    schemas: [USER],
    userName,
    name: { givenName: 'Test', familyName: 'User' },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: 'Test User',
    locale: 'en-US',
    externalId: `00u${randomUUID().slice(0, 8)}`,
    groups: [],
    password: '1mz050nq',
    active: true,
    ...extra,
  }
}

async function createUser(userName: string, extra: Record<string, unknown> = {}): Promise<string> {
  const r = await t.scim('/Users', { method: 'POST', body: oktaUser(userName, extra) })
  expect(r.status).toBe(201)
  return r.body.id as string
}

async function userCount(): Promise<number> {
  return (await t.scim('/Users?count=0')).body.totalResults as number
}

function expectScimError(
  r: Pick<ScimReply, 'status' | 'body' | 'headers'>,
  status: number,
  scimType?: string,
) {
  expect(r.status).toBe(status)
  expect(r.headers.get('content-type')).toBe('application/scim+json; charset=utf-8')
  expect(r.body.schemas).toEqual([ERROR])
  expect(r.body.status).toBe(String(status))
  expect(typeof r.body.detail).toBe('string')
  if (scimType) expect(r.body.scimType).toBe(scimType)
}

describe('Okta provisioning traffic (SCIM-REFERENCE §3) end to end', () => {
  it('answers Test API Credentials (GET /Users?startIndex=1&count=2 and /Groups?startIndex=1&count=100) with integer ListResponses', async () => {
    for (const path of ['/Users?startIndex=1&count=2', '/Groups?startIndex=1&count=100']) {
      const r = await t.scim(path, {
        headers: { Accept: 'application/scim+json', 'User-Agent': 'Okta SCIM Client 1.0.0' },
      })
      expect(r.status).toBe(200)
      expect(r.headers.get('content-type')).toBe('application/scim+json; charset=utf-8')
      expect(r.body.schemas).toEqual([LIST])
      expect(Number.isInteger(r.body.totalResults)).toBe(true)
      expect(Number.isInteger(r.body.startIndex)).toBe(true)
      expect(Number.isInteger(r.body.itemsPerPage)).toBe(true)
    }
  })

  it('creates, matches, updates by PUT, deactivates and reactivates a user keeping its id', async () => {
    const userName = `okta.${randomUUID().slice(0, 6)}@okta.local`
    // 1. match first: nothing there yet
    let r = await t.scim(`/Users?filter=${q(`userName eq "${userName}"`)}&startIndex=1&count=100`)
    expect(r.status).toBe(200)
    expect(r.body.totalResults).toBe(0)
    expect(r.body.Resources).toEqual([])
    // 2. create with Okta's exact body (placeholder password, empty groups)
    r = await t.scim('/Users', {
      method: 'POST',
      headers: { 'Content-Type': 'application/scim+json; charset=utf-8' },
      body: oktaUser(userName),
    })
    expect(r.status).toBe(201)
    const id = r.body.id as string
    expect(id).toMatch(/^[0-9a-f-]{36}$/)
    expect(r.headers.get('location')).toBe(`${t.server.scimBaseUrl}/Users/${id}`)
    expect(r.body.meta).toMatchObject({
      resourceType: 'User',
      location: `${t.server.scimBaseUrl}/Users/${id}`,
      version: 'W/"1"',
    })
    expect(r.headers.get('etag')).toBe('W/"1"')
    expect(r.body.meta.created).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/)
    expect(r.body.userName).toBe(userName)
    expect(r.body.password).toBeUndefined()
    // a second create is a 409 uniqueness, whatever the case
    const dup = await t.scim('/Users', { method: 'POST', body: oktaUser(userName.toUpperCase()) })
    expectScimError(dup, 409, 'uniqueness')
    // the upper-case filter finds it (caseExact false)
    r = await t.scim(
      `/Users?filter=${q(`userName eq "${userName.toUpperCase()}"`)}&startIndex=1&count=100`,
    )
    expect(r.body.totalResults).toBe(1)
    expect(r.body.Resources[0].id).toBe(id)
    // 3. PUT flow: GET, modify, PUT the whole object back (id, meta and groups included)
    const got = (await t.scim(`/Users/${id}`)).body
    expect(got.schemas).toEqual([USER])
    got.name.familyName = 'Renamed'
    r = await t.scim(`/Users/${id}`, { method: 'PUT', body: got })
    expect(r.status).toBe(200)
    expect(r.body.id).toBe(id)
    expect(r.body.name.familyName).toBe('Renamed')
    expect(r.body.active).toBe(true)
    expect(r.body.meta.created).toBe(got.meta.created)
    expect(r.body.meta.version).toBe('W/"2"')
    // 4. deactivate: Okta's no-path PATCH
    r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] },
    })
    expect(r.status).toBe(200)
    expect(r.body.active).toBe(false)
    // soft: still readable and filterable
    expect((await t.scim(`/Users/${id}`)).body.active).toBe(false)
    r = await t.scim(`/Users?filter=${q(`userName eq "${userName}"`)}`)
    expect(r.body.totalResults).toBe(1)
    // 5. reactivate keeps the id
    r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: true } }] },
    })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ id, active: true, userName })
    // AIW-style PUT with active:false deactivates too
    const again = (await t.scim(`/Users/${id}`)).body
    r = await t.scim(`/Users/${id}`, { method: 'PUT', body: { ...again, active: false } })
    expect(r.body.active).toBe(false)
  })

  it('imports with stable, non-overlapping pages of 100 (startIndex=1, 101, ...)', async () => {
    const before = await userCount()
    for (let i = 0; i < 130 - before; i++)
      await createUser(`import.${i}.${randomUUID().slice(0, 4)}@okta.local`)
    const total = await userCount()
    expect(total).toBeGreaterThanOrEqual(130)
    const seen: string[] = []
    for (let start = 1; start <= total; start += 100) {
      const r = await t.scim(`/Users?startIndex=${start}&count=100`)
      expect(r.body.startIndex).toBe(start)
      expect(r.body.totalResults).toBe(total)
      expect(r.body.itemsPerPage).toBe(r.body.Resources.length)
      seen.push(...r.body.Resources.map((u: { id: string }) => u.id))
    }
    expect(seen.length).toBe(total)
    expect(new Set(seen).size).toBe(total)
    // a different page size walks the same order
    const small = await t.scim('/Users?startIndex=3&count=5')
    expect(small.body.Resources.map((u: { id: string }) => u.id)).toEqual(seen.slice(2, 7))
  })

  it('pushes a group: create, find by displayName, rename carrying id, membership PATCH, full replace, PUT and delete', async () => {
    const alice = await createUser(`alice.${randomUUID().slice(0, 6)}@okta.local`)
    const bob = await createUser(`bob.${randomUUID().slice(0, 6)}@okta.local`)
    const name = `Test SCIMv2 ${randomUUID().slice(0, 4)}`
    let r = await t.scim('/Groups', {
      method: 'POST',
      body: { schemas: [GROUP], displayName: name, members: [] },
    })
    expect(r.status).toBe(201)
    const gid = r.body.id as string
    r = await t.scim(`/Groups?filter=${q(`displayName eq "${name}"`)}&startIndex=1&count=100`)
    expect(r.body.totalResults).toBe(1)
    expect(r.body.Resources[0].id).toBe(gid)
    // rename, Okta style: id inside value
    r = await t.scim(`/Groups/${gid}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [{ op: 'replace', value: { id: gid, displayName: `${name} renamed` } }],
      },
    })
    expect(r.status).toBe(200)
    expect(r.body.displayName).toBe(`${name} renamed`)
    // add alice and bob
    r = await t.scim(`/Groups/${gid}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [
          {
            op: 'add',
            path: 'members',
            value: [{ value: alice, display: 'alice' }, { value: bob }],
          },
        ],
      },
    })
    expect(r.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [alice, bob].sort(),
    )
    // the user's read-only groups attribute follows
    let u = (await t.scim(`/Users/${alice}`)).body
    expect(u.groups).toEqual([expect.objectContaining({ value: gid, display: `${name} renamed` })])
    // Okta's remove by value filter + add in one PATCH
    const carol = await createUser(`carol.${randomUUID().slice(0, 6)}@okta.local`)
    r = await t.scim(`/Groups/${gid}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [
          { op: 'remove', path: `members[value eq "${alice}"]` },
          { op: 'add', path: 'members', value: [{ value: carol, display: 'carol' }] },
        ],
      },
    })
    expect(r.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [bob, carol].sort(),
    )
    u = (await t.scim(`/Users/${alice}`)).body
    expect(u.groups).toBeUndefined()
    // full replace of members
    r = await t.scim(`/Groups/${gid}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [{ op: 'replace', path: 'members', value: [{ value: alice }] }],
      },
    })
    expect(r.body.members.map((m: { value: string }) => m.value)).toEqual([alice])
    // AIW PUT with the full group
    r = await t.scim(`/Groups/${gid}`, {
      method: 'PUT',
      body: { schemas: [GROUP], displayName: name, members: [{ value: bob }, { value: carol }] },
    })
    expect(r.status).toBe(200)
    expect(r.body.displayName).toBe(name)
    expect(r.body.members.map((m: { value: string }) => m.value).sort()).toEqual(
      [bob, carol].sort(),
    )
    // unknown member ids are refused and change nothing
    r = await t.scim(`/Groups/${gid}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [{ op: 'add', path: 'members', value: [{ value: 'no-such-user' }] }],
      },
    })
    expectScimError(r, 400, 'invalidValue')
    expect((await t.scim(`/Groups/${gid}`)).body.members).toHaveLength(2)
    // delete
    r = await t.scim(`/Groups/${gid}`, { method: 'DELETE' })
    expect(r.status).toBe(204)
    expect(r.text).toBe('')
    expectScimError(await t.scim(`/Groups/${gid}`), 404)
    expect((await t.scim(`/Users/${bob}`)).body.groups).toBeUndefined()
  })
})

describe('Microsoft Entra ID traffic (SCIM-REFERENCE §4) end to end', () => {
  it('Test Connection: a filter on a random GUID is 200 with an empty ListResponse', async () => {
    const r = await t.scim(`/Users?filter=${q(`userName eq "${randomUUID()}"`)}`)
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({ schemas: [LIST], totalResults: 0, Resources: [], startIndex: 1 })
  })

  it('creates with the enterprise extension and explicit nulls, queries by unquoted externalId and by emails[type eq "work"].value', async () => {
    const userName = `Test_User_${randomUUID().slice(0, 8)}`
    const externalId = `ext${randomUUID().slice(0, 8)}`
    let r = await t.scim('/Users', {
      method: 'POST',
      headers: { 'Content-Type': 'application/scim+json' },
      body: {
        schemas: [USER, ENTERPRISE],
        externalId,
        userName,
        active: true,
        addresses: null,
        phoneNumbers: null,
        title: null,
        emails: [{ primary: true, type: 'work', value: `${userName}@testuser.com` }],
        meta: { resourceType: 'User' },
        name: {
          formatted: 'givenName familyName',
          familyName: 'familyName',
          givenName: 'givenName',
        },
        roles: [],
        [ENTERPRISE]: { department: 'Sales', employeeNumber: '42', manager: null },
      },
    })
    expect(r.status).toBe(201)
    const id = r.body.id
    expect(r.body[ENTERPRISE]).toMatchObject({ department: 'Sales', employeeNumber: '42' })
    expect(r.body.title).toBeUndefined()
    r = await t.scim(`/Users?filter=${q(`externalId eq ${externalId}`)}`)
    expect(r.body.totalResults).toBe(1)
    expect(r.body.Resources[0].id).toBe(id)
    r = await t.scim(
      `/Users?filter=${q(`emails[type eq "work"].value eq "${userName.toLowerCase()}@TESTUSER.com"`)}`,
    )
    expect(r.body.totalResults).toBe(1)
    // Entra's combined filter with `and`
    r = await t.scim(
      `/Users?filter=${q(`userName eq "${userName}" and externalId eq "${externalId}"`)}`,
    )
    expect(r.body.totalResults).toBe(1)
  })

  it('PATCH with capitalised ops, value paths, string booleans ("False") and the manager Add', async () => {
    const id = await createUser(`entra.${randomUUID().slice(0, 6)}@contoso.com`)
    const manager = await createUser(`boss.${randomUUID().slice(0, 6)}@contoso.com`)
    let r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [
          {
            op: 'Replace',
            path: 'emails[type eq "work"].value',
            value: 'updatedEmail@microsoft.com',
          },
          { op: 'Replace', path: 'name.familyName', value: 'updatedFamilyName' },
          {
            op: 'Add',
            path: 'manager',
            value: [{ $ref: `${t.server.scimBaseUrl}/Users/${manager}`, value: manager }],
          },
        ],
      },
    })
    expect(r.status).toBe(200)
    expect(r.body.emails[0].value).toBe('updatedEmail@microsoft.com')
    expect(r.body.name.familyName).toBe('updatedFamilyName')
    expect(r.body[ENTERPRISE].manager.value).toBe(manager)
    r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] },
    })
    expect(r.status).toBe(200)
    expect((await t.scim(`/Users/${id}`)).body.active).toBe(false)
    // the compliant flag's form
    r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: true }] },
    })
    expect(r.body.active).toBe(true)
    // the updated email is found by the emails filter (index rewritten on update)
    r = await t.scim(`/Users?filter=${q('emails.value eq "updatedemail@microsoft.com"')}`)
    expect(r.body.Resources.map((u: { id: string }) => u.id)).toContain(id)
  })

  it('the compatibility-flag forms: Add nickName, URN-pathed employeeNumber, no-path replace with dotted keys, Replace userName', async () => {
    const id = await createUser(`flag.${randomUUID().slice(0, 6)}@contoso.com`)
    let r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [
          { op: 'Add', path: 'nickName', value: 'Babs' },
          { op: 'Replace', path: `${ENTERPRISE}:employeeNumber`, value: '1234' },
        ],
      },
    })
    expect(r.status).toBe(200)
    expect(r.body.nickName).toBe('Babs')
    expect(r.body[ENTERPRISE].employeeNumber).toBe('1234')
    r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [
          { op: 'replace', path: 'emails[type eq "work"].value', value: 'new.work@contoso.com' },
          {
            op: 'replace',
            value: {
              displayName: 'Barbara Jensen',
              'name.givenName': 'Barbara',
              'name.familyName': 'Jensen',
              [`${ENTERPRISE}:employeeNumber`]: '5678',
            },
          },
        ],
      },
    })
    expect(r.status).toBe(200)
    expect(r.body).toMatchObject({
      displayName: 'Barbara Jensen',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [expect.objectContaining({ value: 'new.work@contoso.com' })],
    })
    expect(r.body[ENTERPRISE].employeeNumber).toBe('5678')
    const newName = `renamed.${randomUUID().slice(0, 6)}@contoso.com`
    r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: { schemas: [PATCH], Operations: [{ op: 'Replace', path: 'userName', value: newName }] },
    })
    expect(r.body.userName).toBe(newName)
    r = await t.scim(`/Users?filter=${q(`userName eq "${newName}"`)}`)
    expect(r.body.Resources.map((u: { id: string }) => u.id)).toEqual([id])
    // renaming onto another user's userName is a 409 and changes nothing
    const other = await createUser(`taken.${randomUUID().slice(0, 6)}@contoso.com`)
    const taken = (await t.scim(`/Users/${other}`)).body.userName
    r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [{ op: 'Replace', path: 'userName', value: taken.toUpperCase() }],
      },
    })
    expectScimError(r, 409, 'uniqueness')
    expect((await t.scim(`/Users/${id}`)).body.userName).toBe(newName)
  })

  it('groups: ADSCIM schema, excludedAttributes=members, rename, Add members, legacy Remove with a value array, delete', async () => {
    const u1 = await createUser(`g1.${randomUUID().slice(0, 6)}@contoso.com`)
    const u2 = await createUser(`g2.${randomUUID().slice(0, 6)}@contoso.com`)
    const name = `Entra ${randomUUID().slice(0, 6)}`
    let r = await t.scim('/Groups', {
      method: 'POST',
      body: {
        schemas: [
          GROUP,
          'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group',
        ],
        externalId: randomUUID(),
        displayName: name,
        meta: { resourceType: 'Group' },
      },
    })
    expect(r.status).toBe(201)
    const gid = r.body.id
    r = await t.scim(`/Groups/${gid}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [
          {
            op: 'Add',
            path: 'members',
            value: [
              { $ref: null, value: u1 },
              { $ref: null, value: u2 },
            ],
          },
        ],
      },
    })
    expect([200, 204]).toContain(r.status)
    r = await t.scim(`/Groups/${gid}?excludedAttributes=members`)
    expect(r.body.members).toBeUndefined()
    expect(r.body.displayName).toBe(name)
    r = await t.scim(`/Groups?excludedAttributes=members&filter=${q(`displayName eq "${name}"`)}`)
    expect(r.body.totalResults).toBe(1)
    expect(r.body.Resources[0].members).toBeUndefined()
    r = await t.scim(`/Groups/${gid}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [{ op: 'Replace', path: 'displayName', value: `${name}-2` }],
      },
    })
    expect(r.body.displayName).toBe(`${name}-2`)
    r = await t.scim(`/Groups/${gid}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [{ op: 'Remove', path: 'members', value: [{ value: u1 }] }],
      },
    })
    expect(
      (await t.scim(`/Groups/${gid}`)).body.members.map((m: { value: string }) => m.value),
    ).toEqual([u2])
    r = await t.scim(`/Users/${u2}`, { method: 'DELETE' })
    expect(r.status).toBe(204)
    expectScimError(await t.scim(`/Users/${u2}`), 404)
    expect((await t.scim(`/Groups/${gid}`)).body.members ?? []).toEqual([])
    expect((await t.scim(`/Groups/${gid}`, { method: 'DELETE' })).status).toBe(204)
  })

  it('a PATCH is atomic: a valid op followed by an invalid one applies nothing', async () => {
    const id = await createUser(`atomic.${randomUUID().slice(0, 6)}@contoso.com`)
    const before = (await t.scim(`/Users/${id}`)).body
    const r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: {
        schemas: [PATCH],
        Operations: [
          { op: 'replace', path: 'displayName', value: 'Changed' },
          { op: 'bogus', path: 'title', value: 'x' },
        ],
      },
    })
    expect(r.status).toBe(400)
    const after = (await t.scim(`/Users/${id}`)).body
    expect(after).toEqual(before)
  })
})

describe('read-only attributes and computed groups', () => {
  it('ignores a client-sent id, meta and groups on POST and PUT; memberships only change through the group', async () => {
    const r = await t.scim('/Users', {
      method: 'POST',
      body: oktaUser(`ro.${randomUUID().slice(0, 6)}@x.org`, {
        id: 'client-chosen',
        meta: { created: '1999-01-01T00:00:00Z', version: 'W/"77"' },
      }),
    })
    expect(r.status).toBe(201)
    expect(r.body.id).not.toBe('client-chosen')
    expect(r.body.meta.created).not.toContain('1999')
    expect(r.body.meta.version).toBe('W/"1"')
    const uid = r.body.id
    const g = await t.scim('/Groups', {
      method: 'POST',
      body: { schemas: [GROUP], displayName: `ro ${randomUUID()}`, members: [{ value: uid }] },
    })
    const user = (await t.scim(`/Users/${uid}`)).body
    expect(user.groups.map((x: { value: string }) => x.value)).toEqual([g.body.id])
    // Okta PUTs the user back with `groups` as read; an emptied list must not drop the membership
    const put = await t.scim(`/Users/${uid}`, {
      method: 'PUT',
      body: { ...user, groups: [], id: 'other' },
    })
    expect(put.status).toBe(200)
    expect(put.body.id).toBe(uid)
    expect(put.body.groups.map((x: { value: string }) => x.value)).toEqual([g.body.id])
    // HEAD answers like GET without a body
    const head = await fetch(`${t.server.scimBaseUrl}/Users/${uid}`, {
      method: 'HEAD',
      headers: { Authorization: `Bearer ${TEST_TOKEN}` },
    })
    expect(head.status).toBe(200)
    expect(await head.text()).toBe('')
  })
})

describe('query semantics', () => {
  it('startIndex below 1 is 1, count is capped at 200, count=0 gives only totalResults', async () => {
    let r = await t.scim('/Users?startIndex=0&count=1')
    expect(r.body.startIndex).toBe(1)
    expect(r.body.Resources).toHaveLength(1)
    r = await t.scim('/Users?startIndex=-5&count=1000')
    expect(r.body.itemsPerPage).toBeLessThanOrEqual(200)
    r = await t.scim('/Users?count=0')
    expect(r.body.totalResults).toBeGreaterThan(0)
    expect(r.body.Resources).toBeUndefined()
    expect(r.body.itemsPerPage).toBe(0)
    r = await t.scim('/Users?count=-3')
    expect(r.body.itemsPerPage).toBe(0)
    expectScimError(await t.scim('/Users?count=abc'), 400, 'invalidValue')
    // unknown parameters are ignored
    expect((await t.scim('/Users?count=1&foo=bar')).status).toBe(200)
  })

  it('attributes and excludedAttributes shape the representation', async () => {
    const id = await createUser(`proj.${randomUUID().slice(0, 6)}@okta.local`)
    let r = await t.scim(`/Users/${id}?attributes=userName`)
    expect(Object.keys(r.body).sort()).toEqual(expect.arrayContaining(['id', 'userName']))
    expect(r.body.emails).toBeUndefined()
    expect(r.body.name).toBeUndefined()
    r = await t.scim(`/Users?filter=${q(`id eq "${id}"`)}&attributes=userName,emails`)
    expect(r.body.Resources[0].emails).toBeDefined()
    expect(r.body.Resources[0].name).toBeUndefined()
    r = await t.scim(`/Users/${id}?excludedAttributes=emails,name`)
    expect(r.body.emails).toBeUndefined()
    expect(r.body.userName).toBeDefined()
  })

  it('sorts by userName descending when asked, and rejects an unknown sortBy', async () => {
    const r = await t.scim('/Users?sortBy=userName&sortOrder=descending&count=200')
    const names = r.body.Resources.map((u: { userName: string }) => u.userName.toLowerCase())
    expect(names).toEqual([...names].sort().reverse())
    expectScimError(await t.scim('/Users?sortBy=nope'), 400)
  })

  it('filters with co/sw/pr/not/or and grouping; unknown operator is 400 invalidFilter', async () => {
    const tag = randomUUID().slice(0, 6)
    await createUser(`zed.${tag}@x.org`, { title: 'Boss' })
    await createUser(`amy.${tag}@x.org`)
    let r = await t.scim(
      `/Users?filter=${q(`userName co "${tag}" and (title pr or userName sw "amy")`)}`,
    )
    expect(r.body.totalResults).toBe(2)
    r = await t.scim(`/Users?filter=${q(`userName co "${tag}" and not (title pr)`)}`)
    expect(r.body.totalResults).toBe(1)
    expect(r.body.Resources[0].userName).toBe(`amy.${tag}@x.org`)
    expectScimError(await t.scim(`/Users?filter=${q('userName xx "a"')}`), 400, 'invalidFilter')
    expectScimError(await t.scim(`/Users?filter=${q('userName eq "a" and')}`), 400, 'invalidFilter')
  })

  it('a filter on an unknown attribute is 400 invalidFilter even in a tenant with no users or groups', async () => {
    // A fresh tenant: no candidate rows, so only validating against the schema can refuse it.
    const tenant = await t.admin('/tenants', { method: 'POST', body: { name: 'Empty Co' } })
    const token = `empty-${randomUUID()}`
    await t.admin(`/tenants/${tenant.body.id}/scim/tokens`, {
      method: 'POST',
      body: { label: 'main', sha256: sha256Hex(token) },
    })
    expect((await t.scim('/Users?count=0', { token })).body.totalResults).toBe(0)
    for (const path of [
      `/Users?filter=${q('favoriteColor eq "blue"')}`,
      `/Users?filter=${q('userName eq "a" or nickName2 pr')}`,
      `/Groups?filter=${q('userName eq "a"')}`,
    ]) {
      const r = await t.scim(path, { token })
      expectScimError(r, 400, 'invalidFilter')
      expect(r.body.detail, path).toMatch(/favoriteColor|nickName2|userName/)
    }
    const search = await t.scim('/Users/.search', {
      method: 'POST',
      token,
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: 'favoriteColor eq "blue"',
      },
    })
    expectScimError(search, 400, 'invalidFilter')
    // the same filter on a known attribute is fine: an empty list
    const ok = await t.scim(`/Users?filter=${q('nickName eq "blue"')}`, { token })
    expect(ok.status).toBe(200)
    expect(ok.body.totalResults).toBe(0)
  })

  it('POST /.search runs the same query', async () => {
    const userName = `search.${randomUUID().slice(0, 6)}@okta.local`
    await createUser(userName)
    const r = await t.scim('/Users/.search', {
      method: 'POST',
      body: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
        filter: `userName eq "${userName}"`,
        attributes: ['userName'],
      },
    })
    expect(r.status).toBe(200)
    expect(r.body.totalResults).toBe(1)
    expect(r.body.Resources[0].emails).toBeUndefined()
  })

  it('ETags: If-Match mismatch is 412 and changes nothing; If-None-Match on the current version is 304', async () => {
    const id = await createUser(`etag.${randomUUID().slice(0, 6)}@okta.local`)
    let r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      headers: { 'If-Match': 'W/"99"' },
      body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'X' }] },
    })
    expectScimError(r, 412)
    expect((await t.scim(`/Users/${id}`)).body.displayName).toBe('Test User')
    r = await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      headers: { 'If-Match': 'W/"1"' },
      body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'X' }] },
    })
    expect(r.status).toBe(200)
    expect(r.headers.get('etag')).toBe('W/"2"')
    r = await t.scim(`/Users/${id}`, { headers: { 'If-None-Match': 'W/"2"' } })
    expect(r.status).toBe(304)
    expectScimError(
      await t.scim(`/Users/${id}`, { method: 'DELETE', headers: { 'If-Match': 'W/"1"' } }),
      412,
    )
  })

  it('discovery endpoints are consistent with what the server does', async () => {
    const spc = (await t.scim('/ServiceProviderConfig')).body
    expect(spc.patch.supported).toBe(true)
    expect(spc.filter).toMatchObject({ supported: true, maxResults: 200 })
    expect(spc.etag.supported).toBe(true)
    expect(spc.sort.supported).toBe(true)
    expect(spc.bulk.supported).toBe(false)
    const rt = (await t.scim('/ResourceTypes')).body
    expect(rt.schemas).toEqual([LIST])
    expect(rt.Resources.map((x: { name: string }) => x.name).sort()).toEqual(['Group', 'User'])
    expect((await t.scim('/ResourceTypes/User')).body.endpoint).toBe('/Users')
    const sc = (await t.scim('/Schemas')).body
    const ids = sc.Resources.map((x: { id: string }) => x.id)
    expect(ids).toEqual(expect.arrayContaining([USER, GROUP, ENTERPRISE]))
    expect((await t.scim(`/Schemas/${USER}`)).body.id).toBe(USER)
    expectScimError(await t.scim('/Schemas/urn:nope'), 404)
  })
})

describe('bad input gets the right SCIM error and changes nothing', () => {
  it('malformed JSON, non-object bodies, missing userName, wrong content type, huge body', async () => {
    const before = await userCount()
    expectScimError(
      await t.scim('/Users', { method: 'POST', body: '{"userName": ', raw: true }),
      400,
      'invalidSyntax',
    )
    expectScimError(
      await t.scim('/Users', { method: 'POST', body: '[1,2]', raw: true }),
      400,
      'invalidSyntax',
    )
    expectScimError(
      await t.scim('/Users', { method: 'POST', body: 'null', raw: true }),
      400,
      'invalidSyntax',
    )
    expectScimError(
      await t.scim('/Users', {
        method: 'POST',
        body: { schemas: [USER], name: { givenName: 'x' } },
      }),
      400,
    )
    expectScimError(await t.scim('/Users', { method: 'POST' }), 400, 'invalidSyntax')
    expectScimError(
      await t.scim('/Users', {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml' },
        body: oktaUser('xml@x.org'),
      }),
      415,
    )
    const huge = oktaUser('huge@x.org', { displayName: 'x'.repeat(2 * 1024 * 1024) })
    expectScimError(await t.scim('/Users', { method: 'POST', body: huge }), 413)
    expect(await userCount()).toBe(before)
  })

  it('deeply nested JSON is 400 invalidSyntax and an oversized URL is 431, both as SCIM errors', async () => {
    const before = await userCount()
    for (const depth of [100, 100_000]) {
      const nested = `{"userName":"deep@x.org","a":${'['.repeat(depth)}${']'.repeat(depth)}}`
      const r = await t.scim('/Users', { method: 'POST', body: nested, raw: true })
      expectScimError(r, 400, 'invalidSyntax')
      expect(r.body.detail).toContain('nested')
    }
    const long = await t.scim(`/Users?filter=${'x'.repeat(40_000)}`)
    expect(long.status).toBe(431)
    expect(long.body).toMatchObject({ status: '431' })
    expect(await userCount()).toBe(before)
  })

  it('accepts application/json and a missing content type', async () => {
    let r = await t.scim('/Users', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: oktaUser(`json.${randomUUID().slice(0, 6)}@x.org`),
    })
    expect(r.status).toBe(201)
    const res = await fetch(`${t.server.scimBaseUrl}/Users`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TEST_TOKEN}` },
      body: new Blob([JSON.stringify(oktaUser(`nocontent.${randomUUID().slice(0, 6)}@x.org`))]),
    })
    expect(res.status).toBe(201)
    r = await t.scim('/Users?count=1')
    expect(r.status).toBe(200)
  })

  it('unknown routes are 404 and wrong methods 405, as SCIM errors', async () => {
    expectScimError(await t.scim('/Widgets'), 404)
    expectScimError(await t.scim('/Users/a/b'), 404)
    const r = await t.scim('/Users', { method: 'DELETE' })
    expectScimError(r, 405)
    expect(r.headers.get('allow')).toContain('GET')
    expectScimError(await t.scim('/ServiceProviderConfig', { method: 'POST', body: {} }), 405)
  })

  it('a mis-pasted token ("Bearer Bearer <token>", a bare token) is 401, recorded in its tenant\'s log with what to fix', async () => {
    const tenant = await t.admin('/tenants', { method: 'POST', body: { name: 'Pasted Co' } })
    const id = tenant.body.id as string
    const live = `pasted-${randomUUID()}`
    const old = `pasted-old-${randomUUID()}`
    const register = (label: string, secret: string) =>
      t.admin(`/tenants/${id}/scim/tokens`, {
        method: 'POST',
        body: { label, sha256: sha256Hex(secret) },
      })
    await register('live', live)
    const oldId = (await register('old', old)).body.id as string
    const revoke = await t.admin(`/tenants/${id}/scim/tokens/${oldId}`, { method: 'DELETE' })
    expect(revoke.status).toBe(204)
    const before = await t.scim('/Users?count=0', { token: live })
    const send = (authorization: string) =>
      t.scim(`/Users?filter=${q('userName eq "p@x.org"')}`, {
        token: null,
        headers: { Authorization: authorization },
      })
    const doubled = await send(`Bearer Bearer ${live}`)
    expectScimError(doubled, 401)
    expect(doubled.body.detail).toMatch(
      /sent as "Bearer Bearer …": remove the "Bearer " you pasted/,
    )
    expectScimError(await send(`bearer  bearer ${old}`), 401)
    expectScimError(await send(live), 401)
    // an unregistered token mis-pasted the same way belongs to nobody: not in this tenant's log
    expectScimError(await send(`Bearer Bearer not-registered-${randomUUID()}`), 401)
    const events = (await t.admin(`/tenants/${id}/events?limit=10`)).body.items
    expect(
      events.map((e: { status: number; tokenHashPrefix: string }) => [e.status, e.tokenHashPrefix]),
    ).toEqual([
      [401, sha256Hex(live).slice(0, 8)],
      [401, sha256Hex(old).slice(0, 8)],
      [401, sha256Hex(live).slice(0, 8)],
      [200, sha256Hex(live).slice(0, 8)],
    ])
    expect(events[0].error.detail).toMatch(/without the "Bearer " scheme/)
    expect(events[1].error.detail).toMatch(/"Bearer Bearer …" and it is revoked/)
    expect(events[2].error.detail).toBe(doubled.body.detail)
    expect(events[2]).toMatchObject({
      outcome: 'rejected',
      path: expect.stringContaining('/Users?filter='),
    })
    // the secret itself is nowhere in the log
    expect(JSON.stringify(events)).not.toContain(live)
    expect(before.status).toBe(200)
  })

  it('bad tokens are 401 SCIM errors: missing, wrong scheme, unknown, revoked', async () => {
    const before = await userCount()
    expectScimError(await t.scim('/Users', { token: null }), 401)
    expectScimError(
      await t.scim('/Users', { token: null, headers: { Authorization: `Basic ${TEST_TOKEN}` } }),
      401,
    )
    const noScheme = await t.scim('/Users', { token: null, headers: { Authorization: TEST_TOKEN } })
    expectScimError(noScheme, 401)
    expect(noScheme.body.detail).toContain('token is right')
    expect(noScheme.body.detail).toContain('without the "Bearer " scheme')
    expectScimError(
      await t.scim('/Users', {
        method: 'POST',
        token: 'not-a-registered-token',
        body: oktaUser('u401@x.org'),
      }),
      401,
    )
    const secret = `rotate-${randomUUID()}`
    const reg = await t.admin(`/tenants/${t.server.demoTenantId}/scim/tokens`, {
      method: 'POST',
      body: { label: 'rotating', sha256: sha256Hex(secret) },
    })
    expect(reg.status).toBe(201)
    expect((await t.scim('/Users?count=1', { token: secret })).status).toBe(200)
    expect(
      (
        await t.admin(`/tenants/${t.server.demoTenantId}/scim/tokens/${reg.body.id}`, {
          method: 'DELETE',
        })
      ).status,
    ).toBe(204)
    expectScimError(
      await t.scim('/Users', { method: 'POST', token: secret, body: oktaUser('revoked@x.org') }),
      401,
    )
    expect(await userCount()).toBe(before)
  })

  it('no request in a fuzz list of bad inputs makes the server answer 500', async () => {
    const id = await createUser(`fuzz.${randomUUID().slice(0, 6)}@x.org`)
    const gid = (
      await t.scim('/Groups', {
        method: 'POST',
        body: { schemas: [GROUP], displayName: `fuzz ${randomUUID()}` },
      })
    ).body.id
    const bodies: unknown[] = [
      {},
      { schemas: 'nope' },
      { userName: 42 },
      { userName: '' },
      { userName: null },
      { userName: 'a', emails: 'not-an-array' },
      { userName: 'a', emails: [null, 1, 'x'] },
      { userName: 'a', name: 'str' },
      { userName: 'a', active: 'maybe' },
      { userName: 'a', [ENTERPRISE]: 'x' },
      { userName: 'a', __proto__: { polluted: true } },
      { userName: 'b'.repeat(10_000) },
      { displayName: 'g', members: 'x' },
      { displayName: 'g', members: [{ value: 5 }] },
      { Operations: 'x' },
      { Operations: [null] },
      { Operations: [{ op: 'replace', path: 'id', value: 'x' }] },
      { Operations: [{ op: 'remove' }] },
      { Operations: [{ op: 'add', path: 'emails[type eq ', value: 1 }] },
      { Operations: [{ op: 'replace', path: 'members[value eq "x"].display', value: 1 }] },
      { Operations: [{ op: 'add', path: 'groups', value: [{ value: gid }] }] },
      { Operations: [{ op: 'replace', value: 'scalar' }] },
      { Operations: [{ op: 'replace', path: 'userName', value: null }] },
      {
        Operations: Array.from({ length: 2000 }, () => ({
          op: 'add',
          path: 'nickName',
          value: 'x',
        })),
      },
    ]
    const targets: [string, string][] = [
      ['POST', '/Users'],
      ['PUT', `/Users/${id}`],
      ['PATCH', `/Users/${id}`],
      ['POST', '/Groups'],
      ['PUT', `/Groups/${gid}`],
      ['PATCH', `/Groups/${gid}`],
      ['POST', '/Users/.search'],
    ]
    const statuses = new Set<number>()
    for (const [method, path] of targets) {
      for (const body of bodies) {
        const r = await t.scim(path, { method, body })
        statuses.add(r.status)
        expect(r.status, `${method} ${path} ${JSON.stringify(body).slice(0, 80)}`).toBeLessThan(500)
        if (r.status >= 400) expect(r.body.schemas).toEqual([ERROR])
      }
    }
    const paths = [
      '/Users?filter=%22',
      '/Users?filter=userName%20eq%20%22%5C',
      '/Users?filter=' + q('(((((((((('),
      '/Users?filter=' + q('emails[type eq "work"'),
      '/Users?filter=' + q('meta.created gt "not-a-date"'),
      '/Users?filter=' + q('nosuchattr eq "x"'),
      '/Users?sortBy=emails&sortOrder=sideways',
      '/Users?attributes=' + q('emails[type eq'),
      '/Users/%E0%A4%A',
      '/Users/' + 'x'.repeat(5000),
      '/Groups?filter=' + q('members[value eq "x"]'),
      '/Users?startIndex=1e400&count=9999999999999999999',
      '/Users?startIndex=99999999999999999999',
      '/Groups?startIndex=99999999999999999999&sortBy=displayName',
      '/Schemas/%00',
    ]
    for (const p of paths) {
      const r = await t.scim(p)
      expect(r.status, p).toBeLessThan(500)
      expect(r.headers.get('content-type')).toBe('application/scim+json; charset=utf-8')
    }
    // the user is unchanged by all of it
    const u = (await t.scim(`/Users/${id}`)).body
    expect(u.userName).toMatch(/^fuzz\./)
    expect(statuses.has(500)).toBe(false)
  })
})

describe('tenant isolation', () => {
  it("one tenant's token never sees or changes another tenant's data", async () => {
    const other = await t.admin('/tenants', { method: 'POST', body: { name: 'Other Co' } })
    expect(other.status).toBe(201)
    const otherToken = `other-${randomUUID()}`
    await t.admin(`/tenants/${other.body.id}/scim/tokens`, {
      method: 'POST',
      body: { label: 'x', sha256: sha256Hex(otherToken) },
    })
    const userName = `shared.${randomUUID().slice(0, 6)}@x.org`
    const mine = await createUser(userName)
    // same userName is free in the other tenant
    const r = await t.scim('/Users', {
      method: 'POST',
      token: otherToken,
      body: oktaUser(userName),
    })
    expect(r.status).toBe(201)
    expect(r.body.id).not.toBe(mine)
    expect((await t.scim(`/Users?count=0`, { token: otherToken })).body.totalResults).toBe(1)
    expectScimError(await t.scim(`/Users/${mine}`, { token: otherToken }), 404)
    expectScimError(await t.scim(`/Users/${mine}`, { method: 'DELETE', token: otherToken }), 404)
    expectScimError(
      await t.scim(`/Users/${mine}`, {
        method: 'PATCH',
        token: otherToken,
        body: { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] },
      }),
      404,
    )
    // a group in the other tenant cannot take my user as a member
    const g = await t.scim('/Groups', {
      method: 'POST',
      token: otherToken,
      body: { schemas: [GROUP], displayName: 'g', members: [{ value: mine }] },
    })
    expectScimError(g, 400, 'invalidValue')
    expect((await t.scim(`/Users/${mine}`)).body.active).toBe(true)
    const lookup = await t.scim(`/Users?filter=${q(`userName eq "${userName}"`)}`)
    expect(lookup.body.Resources.map((u: { id: string }) => u.id)).toEqual([mine])
  })
})

describe('provisioning events for SCIM requests', () => {
  it('records outcome, user, ids, redacted bodies, and auth failures with a hash prefix only', async () => {
    const userName = `events.${randomUUID().slice(0, 6)}@okta.local`
    await t.scim(`/Users?filter=${q(`userName eq "${userName}"`)}`)
    const id = await createUser(userName)
    await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: false } }] },
    })
    await t.scim(`/Users/${id}`, {
      method: 'PATCH',
      body: { schemas: [PATCH], Operations: [{ op: 'replace', value: { active: true } }] },
    })
    await t.scim('/Users', { method: 'POST', body: oktaUser(userName) })
    const r = await t.admin(
      `/tenants/${t.server.demoTenantId}/events?user=${encodeURIComponent(userName.toUpperCase())}&limit=50`,
    )
    expect(r.status).toBe(200)
    const outcomes = r.body.items.map((e: { outcome: string }) => e.outcome).reverse()
    expect(outcomes).toEqual(['lookup_empty', 'created', 'deactivated', 'reactivated', 'rejected'])
    const created = r.body.items.find((e: { outcome: string }) => e.outcome === 'created')
    expect(created).toMatchObject({
      method: 'POST',
      path: '/Users',
      status: 201,
      resourceType: 'User',
      resourceId: id,
      userName,
    })
    expect(created.requestBody.password).toBe('[REDACTED]')
    expect(JSON.stringify(r.body)).not.toContain('1mz050nq')
    expect(JSON.stringify(r.body)).not.toContain(TEST_TOKEN)
    const rejected = r.body.items[0]
    expect(rejected.error).toMatchObject({ status: '409', scimType: 'uniqueness' })
    // by id too
    const byId = await t.admin(`/tenants/${t.server.demoTenantId}/events?user=${id}&method=PATCH`)
    expect(byId.body.items.map((e: { outcome: string }) => e.outcome)).toEqual([
      'reactivated',
      'deactivated',
    ])
    // a revoked token's failures are attributed to its tenant with the hash prefix, never the token
    const secret = `audit-${randomUUID()}`
    const reg = await t.admin(`/tenants/${t.server.demoTenantId}/scim/tokens`, {
      method: 'POST',
      body: { label: 'audit', sha256: sha256Hex(secret) },
    })
    await t.admin(`/tenants/${t.server.demoTenantId}/scim/tokens/${reg.body.id}`, {
      method: 'DELETE',
    })
    await t.scim('/Users?count=1', { token: secret })
    const rej = await t.admin(`/tenants/${t.server.demoTenantId}/events?statusClass=4xx&limit=1`)
    expect(rej.body.items[0]).toMatchObject({
      status: 401,
      outcome: 'rejected',
      tokenHashPrefix: sha256Hex(secret).slice(0, 8),
    })
    expect(JSON.stringify(rej.body)).not.toContain(secret)
  })

  it('a malformed JSON body is recorded as text without its password or the query token', async () => {
    const userName = `malformed.${randomUUID().slice(0, 6)}@okta.local`
    const body = `{"userName":"${userName}","password":"pw-in-bad-json-42",}`
    const r = await t.scim('/Users?access_token=query-token-in-path-42', {
      method: 'POST',
      body,
      raw: true,
    })
    expect(r.status).toBe(400)
    const events = await t.admin(`/tenants/${t.server.demoTenantId}/events?statusClass=4xx&limit=5`)
    const recorded = events.body.items.find(
      (e: { requestBody: unknown }) =>
        typeof e.requestBody === 'string' && e.requestBody.includes(userName),
    )
    expect(recorded.requestBody).toBe(`{"userName":"${userName}","password":"[REDACTED]",}`)
    expect(recorded.path).toContain('access_token=[REDACTED]')
    expect(JSON.stringify(events.body)).not.toContain('pw-in-bad-json-42')
    expect(JSON.stringify(events.body)).not.toContain('query-token-in-path-42')
  })
})
