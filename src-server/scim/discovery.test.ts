import { describe, expect, it } from 'vitest'
import { MAX_RESULTS, resourceTypes, schemas, serviceProviderConfig } from './discovery.ts'
import { parseFilter, evaluateFilter } from './filter.ts'
import { lookupAttribute } from './schema-definitions.ts'

const BASE = 'https://scim.example.com/scim/v2'
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

interface Attribute {
  name: string
  type: string
  multiValued: boolean
  required: boolean
  caseExact: boolean
  mutability: string
  returned: string
  uniqueness: string
  subAttributes?: Attribute[]
}

describe('serviceProviderConfig', () => {
  const spc = serviceProviderConfig(BASE) as Record<string, Record<string, unknown>>

  it('has every sub-attribute RFC 7643 §5 requires and the Okta 2016 suite checks', () => {
    expect(spc.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'])
    for (const key of ['patch', 'bulk', 'filter', 'changePassword', 'sort', 'etag']) {
      expect(typeof spc[key]?.supported).toBe('boolean')
    }
    expect(spc.bulk).toEqual({ supported: false, maxOperations: 0, maxPayloadSize: 0 })
    expect(spc.filter).toEqual({ supported: true, maxResults: MAX_RESULTS })
    expect(MAX_RESULTS).toBe(200)
    const schemes = spc.authenticationSchemes as unknown as Record<string, unknown>[]
    expect(schemes[0]).toMatchObject({
      type: 'oauthbearertoken',
      name: expect.any(String),
      description: expect.any(String),
    })
  })

  it('declares what the server supports', () => {
    expect(spc.patch?.supported).toBe(true)
    expect(spc.changePassword?.supported).toBe(false)
    expect(spc.sort?.supported).toBe(true)
    expect(spc.etag?.supported).toBe(true)
  })

  it('carries meta with its location, without a doubled slash', () => {
    expect(spc.meta).toEqual({
      resourceType: 'ServiceProviderConfig',
      location: `${BASE}/ServiceProviderConfig`,
    })
    expect(
      (serviceProviderConfig(`${BASE}/`) as { meta: { location: string } }).meta.location,
    ).toBe(`${BASE}/ServiceProviderConfig`)
  })
})

describe('resourceTypes', () => {
  const types = resourceTypes(BASE)

  it('lists User (with the enterprise extension) and Group, with the required fields', () => {
    expect(types.map((t) => t.name)).toEqual(['User', 'Group'])
    expect(types[0]).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ResourceType'],
      id: 'User',
      endpoint: '/Users',
      schema: USER,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
      meta: { resourceType: 'ResourceType', location: `${BASE}/ResourceTypes/User` },
    })
    expect(types[1]).toMatchObject({ endpoint: '/Groups', schema: GROUP })
  })

  it('names only schemas that /Schemas serves (RFC 7643 §6)', () => {
    const ids = new Set(schemas(BASE).map((s) => s.id))
    for (const t of types) {
      expect(ids.has(t.schema as string)).toBe(true)
      for (const ext of t.schemaExtensions as { schema: string }[])
        expect(ids.has(ext.schema)).toBe(true)
    }
  })
})

describe('schemas', () => {
  const all = schemas(BASE)
  const byId = new Map(all.map((s) => [s.id as string, s]))
  const attributesOf = (id: string) => (byId.get(id)?.attributes ?? []) as Attribute[]

  it('serves User, Group and the enterprise extension with meta', () => {
    expect([...byId.keys()]).toEqual([USER, GROUP, ENTERPRISE])
    for (const s of all) {
      expect(s.schemas).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema'])
      expect(s.meta).toEqual({
        resourceType: 'Schema',
        location: `${BASE}/Schemas/${s.id as string}`,
      })
    }
  })

  it('describes every attribute with all the characteristics RFC 7643 §7 lists', () => {
    const check = (a: Attribute) => {
      expect(a).toMatchObject({
        name: expect.any(String),
        type: expect.any(String),
        multiValued: expect.any(Boolean),
        required: expect.any(Boolean),
        caseExact: expect.any(Boolean),
        mutability: expect.stringMatching(/^(readOnly|readWrite|immutable|writeOnly)$/),
        returned: expect.stringMatching(/^(always|never|default|request)$/),
        uniqueness: expect.stringMatching(/^(none|server|global)$/),
      })
      if (a.type === 'complex') expect(a.subAttributes?.length).toBeGreaterThan(0)
      a.subAttributes?.forEach(check)
    }
    for (const s of all) (s.attributes as Attribute[]).forEach(check)
  })

  it('matches the rules the filter applies: userName caseExact false and unique, externalId caseExact', () => {
    const userName = attributesOf(USER).find((a) => a.name === 'userName')
    expect(userName).toMatchObject({ caseExact: false, uniqueness: 'server', required: true })
    const externalId = attributesOf(USER).find((a) => a.name === 'externalId')
    expect(externalId?.caseExact).toBe(true)
    const user = { userName: 'Alice', externalId: 'AbC' }
    expect(evaluateFilter(parseFilter('userName eq "ALICE"'), user, 'User')).toBe(
      !userName?.caseExact,
    )
    expect(evaluateFilter(parseFilter('externalId eq "abc"'), user, 'User')).toBe(
      !externalId?.caseExact,
    )
  })

  it('lists the attributes the IdPs map, so Entra schema discovery finds them (case-insensitive)', () => {
    const flattened = new Set<string>()
    for (const s of all) {
      const prefix = s.id === ENTERPRISE ? `${ENTERPRISE}:` : ''
      for (const a of s.attributes as Attribute[]) {
        flattened.add((prefix + a.name).toLowerCase())
        for (const sub of a.subAttributes ?? [])
          flattened.add(`${prefix}${a.name}.${sub.name}`.toLowerCase())
      }
    }
    for (const mapped of [
      'userName',
      'externalId',
      'active',
      'displayName',
      'emails.value',
      'emails.type',
      'name.givenName',
      'name.familyName',
      'name.formatted',
      'title',
      'preferredLanguage',
      'addresses.streetAddress',
      'phoneNumbers.value',
      'members.value',
      `${ENTERPRISE}:employeeNumber`,
      `${ENTERPRISE}:department`,
      `${ENTERPRISE}:manager.value`,
    ]) {
      expect(flattened.has(mapped.toLowerCase()), mapped).toBe(true)
    }
  })

  it('every attribute it declares resolves through lookupAttribute', () => {
    for (const [id, kind] of [
      [USER, 'User'],
      [GROUP, 'Group'],
      [ENTERPRISE, 'User'],
    ] as const) {
      for (const a of attributesOf(id)) {
        const path = id === ENTERPRISE ? `${ENTERPRISE}:${a.name}` : a.name
        expect(lookupAttribute(kind, path)?.attribute.name).toBe(a.name)
      }
    }
  })

  it('returns fresh copies, so a caller cannot corrupt the definitions', () => {
    ;(attributesOf(USER)[0] as { name: string }).name = 'corrupted'
    expect((schemas(BASE)[0]?.attributes as Attribute[]).some((a) => a.name === 'corrupted')).toBe(
      false,
    )
  })
})
