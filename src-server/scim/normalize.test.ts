import { describe, expect, it } from 'vitest'
import { normalizeIncoming, normalizeIncomingDetailed } from './normalize.ts'
import { applyPatch } from './patch.ts'
import { ScimError } from './scim-error.ts'
import {
  entraCreateGroup,
  entraCreateUser,
  entraCreateUserWithNulls,
  entraReplaceSeveralCompliant,
  oktaCreateGroup,
  oktaCreateUser,
  oktaSpecCreateUser,
} from '../../test/support/idp-requests.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

function rejection(
  body: unknown,
  kind: 'User' | 'Group' = 'User',
  mode: 'create' | 'replace' = 'create',
): ScimError {
  try {
    normalizeIncoming(body, kind, mode)
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError)
    return error as ScimError
  }
  throw new Error('expected the body to be rejected')
}

describe('normalizeIncoming: Okta bodies', () => {
  it('accepts the Okta create body, dropping password and the empty groups', () => {
    const { resource, ignoredAttributes } = normalizeIncomingDetailed(
      oktaCreateUser,
      'User',
      'create',
    )
    expect(resource).toEqual({
      schemas: [USER],
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: '00ujl29u0le5T6Aj10h7',
      active: true,
    })
    expect(ignoredAttributes).toEqual([])
    expect(JSON.stringify(resource)).not.toContain('1mz050nq')
  })

  it('accepts the SPEC test create body unchanged', () => {
    expect(normalizeIncoming(oktaSpecCreateUser, 'User', 'create')).toEqual(oktaSpecCreateUser)
  })

  it("accepts Okta's PUT of what it read back, ignoring id, meta and groups", () => {
    const readBack = {
      ...normalizeIncoming(oktaCreateUser, 'User', 'create'),
      id: 'srv-1',
      meta: {
        resourceType: 'User',
        created: '2024-01-01T00:00:00Z',
        location: 'https://x/Users/srv-1',
      },
      groups: [{ value: 'g1', display: 'Everyone' }],
      active: false,
    }
    const stored = normalizeIncoming(readBack, 'User', 'replace')
    expect(stored.id).toBeUndefined()
    expect(stored.meta).toBeUndefined()
    expect(stored.groups).toBeUndefined()
    expect(stored.active).toBe(false)
  })

  it('accepts the Okta group create body with empty members', () => {
    expect(normalizeIncoming(oktaCreateGroup, 'Group', 'create')).toEqual({
      schemas: [GROUP],
      displayName: 'Test SCIMv2',
    })
  })

  it('accepts a group PUT with members', () => {
    const body = { ...oktaCreateGroup, members: [{ value: 'u1', display: 'a@b' }, { value: 'u2' }] }
    expect(normalizeIncoming(body, 'Group', 'replace').members).toEqual([
      { value: 'u1', display: 'a@b' },
      { value: 'u2' },
    ])
  })
})

describe('normalizeIncoming: Entra bodies', () => {
  it('accepts the Entra create body, dropping meta and empty roles and the unused enterprise URN', () => {
    const resource = normalizeIncoming(entraCreateUser, 'User', 'create')
    expect(resource).toEqual({
      schemas: [USER],
      externalId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
      userName: 'Test_User_ab6490ee-1e48-479e-a20b-2d77186b5dd1',
      active: true,
      emails: [
        {
          primary: true,
          type: 'work',
          value: 'Test_User_fd0ea19b-0777-472c-9f96-4f70d2226f2e@testuser.com',
        },
      ],
      name: { formatted: 'givenName familyName', familyName: 'familyName', givenName: 'givenName' },
    })
  })

  it('treats explicit nulls as unassigned', () => {
    const { resource, ignoredAttributes } = normalizeIncomingDetailed(
      entraCreateUserWithNulls,
      'User',
      'create',
    )
    for (const key of ['addresses', 'phoneNumbers', 'title', 'manager'])
      expect(resource).not.toHaveProperty(key)
    expect(ignoredAttributes).toEqual([])
  })

  it('accepts the Entra group create body with the ADSCIM schema URN', () => {
    expect(normalizeIncoming(entraCreateGroup, 'Group', 'create')).toEqual({
      schemas: [GROUP],
      externalId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159',
      displayName: 'displayName',
    })
  })

  it('coerces string booleans ("True") from the reference collection', () => {
    const resource = normalizeIncoming(
      { ...oktaSpecCreateUser, active: 'True', emails: [{ value: 'a@b', primary: 'false' }] },
      'User',
      'create',
    )
    expect(resource.active).toBe(true)
    expect(resource.emails).toEqual([{ value: 'a@b', primary: false }])
  })

  it('drops a misspelled attribute and reports it (reference collection: PUT → 200 without it)', () => {
    const { resource, ignoredAttributes } = normalizeIncomingDetailed(
      { ...oktaSpecCreateUser, dispalyName: 'typo' },
      'User',
      'replace',
    )
    expect(resource).not.toHaveProperty('dispalyName')
    expect(ignoredAttributes).toEqual(['dispalyName'])
  })

  it('accepts the output of a PATCH (the server re-normalises it)', () => {
    const created = normalizeIncoming(entraCreateUser, 'User', 'create')
    const patched = applyPatch(created, entraReplaceSeveralCompliant, 'User').resource
    expect(normalizeIncoming(patched, 'User', 'replace')).toEqual(patched)
  })
})

describe('normalizeIncoming: the enterprise extension', () => {
  const withEnterprise = {
    schemas: [USER],
    userName: 'bjensen',
    [ENTERPRISE]: {
      employeeNumber: '701984',
      costCenter: '4130',
      organization: 'Universal Studios',
      division: 'Theme Park',
      department: 'Tour Operations',
      manager: { value: '26118915', $ref: '../Users/26118915', displayName: 'John Smith' },
    },
  }

  it('keeps the extension and adds its URN to schemas when missing', () => {
    const resource = normalizeIncoming(withEnterprise, 'User', 'create')
    expect(resource.schemas).toEqual([USER, ENTERPRISE])
    expect(resource[ENTERPRISE]).toEqual(withEnterprise[ENTERPRISE])
  })

  it('matches the extension key and its attributes case-insensitively', () => {
    const resource = normalizeIncoming(
      { schemas: [USER], userName: 'b', [ENTERPRISE.toLowerCase()]: { Department: 'Sales' } },
      'User',
      'create',
    )
    expect(resource[ENTERPRISE]).toEqual({ department: 'Sales' })
  })

  it('drops an extension that holds only nulls', () => {
    const resource = normalizeIncoming(
      {
        schemas: [USER, ENTERPRISE],
        userName: 'b',
        [ENTERPRISE]: { department: null, manager: { value: null } },
      },
      'User',
      'create',
    )
    expect(resource[ENTERPRISE]).toBeUndefined()
    expect(resource.schemas).toEqual([USER])
  })

  it('moves short enterprise names (legacy Entra job) into the extension', () => {
    const resource = normalizeIncoming(
      { schemas: [USER], userName: 'b', department: 'Sales' },
      'User',
      'create',
    )
    expect(resource[ENTERPRISE]).toEqual({ department: 'Sales' })
  })

  it('rejects an extension that is not an object', () => {
    expect(rejection({ schemas: [USER], userName: 'b', [ENTERPRISE]: 'Sales' })).toMatchObject({
      status: 400,
      scimType: 'invalidValue',
    })
  })

  it('ignores unknown extension URNs and unknown extension attributes', () => {
    const { resource, ignoredAttributes } = normalizeIncomingDetailed(
      {
        schemas: [USER],
        userName: 'b',
        'urn:example:custom:2.0:User': { shoe: 42 },
        [ENTERPRISE]: { shoeSize: 42 },
      },
      'User',
      'create',
    )
    expect(resource).toEqual({ schemas: [USER], userName: 'b' })
    expect(ignoredAttributes).toEqual(['urn:example:custom:2.0:User', `${ENTERPRISE}:shoeSize`])
  })
})

describe('normalizeIncoming: rejections are 400 and name the attribute', () => {
  it.each([
    ['a string body', 'hello', 'invalidSyntax', 'JSON object'],
    ['an array body', [oktaSpecCreateUser], 'invalidSyntax', 'JSON object'],
    ['null', null, 'invalidSyntax', 'JSON object'],
    ['no schemas', { userName: 'a' }, 'invalidSyntax', USER],
    ['schemas not an array', { schemas: USER, userName: 'a' }, 'invalidSyntax', USER],
    ['the Group schema on a User', { schemas: [GROUP], userName: 'a' }, 'invalidSyntax', USER],
    ['no userName', { schemas: [USER], name: { givenName: 'a' } }, 'invalidValue', 'userName'],
    ['an empty userName', { schemas: [USER], userName: '' }, 'invalidValue', 'userName'],
    ['a numeric userName', { schemas: [USER], userName: 42 }, 'invalidValue', 'userName'],
    [
      'emails not an array',
      { schemas: [USER], userName: 'a', emails: { value: 'a@b' } },
      'invalidValue',
      'emails',
    ],
    [
      'an email value that is a number',
      { schemas: [USER], userName: 'a', emails: [{ value: 1 }] },
      'invalidValue',
      'emails.value',
    ],
    [
      'an email that is a string',
      { schemas: [USER], userName: 'a', emails: ['a@b'] },
      'invalidValue',
      'emails',
    ],
    [
      'active as "yes"',
      { schemas: [USER], userName: 'a', active: 'yes' },
      'invalidValue',
      'active',
    ],
    ['name as a string', { schemas: [USER], userName: 'a', name: 'Babs' }, 'invalidValue', 'name'],
    [
      'a bad profileUrl type',
      { schemas: [USER], userName: 'a', profileUrl: true },
      'invalidValue',
      'profileUrl',
    ],
  ])('rejects %s', (_label, body, scimType, mention) => {
    const error = rejection(body)
    expect(error.status).toBe(400)
    expect(error.scimType).toBe(scimType)
    expect(error.message).toContain(mention)
  })

  it('rejects a group without displayName and members that are not objects', () => {
    expect(rejection({ schemas: [GROUP] }, 'Group').message).toContain('displayName')
    expect(
      rejection({ schemas: [GROUP], displayName: 'g', members: [{ value: 5 }] }, 'Group').message,
    ).toContain('members.value')
  })

  it('does not modify the body it was given', () => {
    const body = structuredClone(oktaCreateUser)
    normalizeIncoming(body, 'User', 'create')
    expect(body).toEqual(oktaCreateUser)
  })

  it('canonicalises attribute names written in another case', () => {
    const resource = normalizeIncoming(
      { Schemas: [USER.toUpperCase()], USERNAME: 'a', Name: { GIVENNAME: 'b' } },
      'User',
      'create',
    )
    expect(resource).toEqual({ schemas: [USER], userName: 'a', name: { givenName: 'b' } })
  })
})

describe('normalizeIncoming: group members', () => {
  it('rejects a member without a value', () => {
    expect(
      rejection({ schemas: [GROUP], displayName: 'g', members: [{ display: 'x' }] }, 'Group')
        .message,
    ).toContain('"value"')
  })
})
