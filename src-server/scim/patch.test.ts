import { describe, expect, it } from 'vitest'
import { applyPatch, parsePatchPath } from './patch.ts'
import { ScimError } from './scim-error.ts'
import {
  entraAddMemberAsString,
  entraAddMembers,
  entraAddNickName,
  entraDisableCompliant,
  entraDisableDefault,
  entraDisableDocumented,
  entraGroupRename,
  entraManagerAdd,
  entraManagerAddByUrn,
  entraRemoveMemberCompliant,
  entraRemoveMembersDefault,
  entraRemoveMembersLegacyWithRef,
  entraReplaceSeveralCompliant,
  entraReplaceSeveralDefault,
  entraReplaceUserName,
  entraUpdateMultiValued,
  oktaDeactivate,
  oktaGroupRename,
  oktaMembership,
  oktaReactivate,
} from '../../test/support/idp-requests.ts'

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp'
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

type Json = Record<string, unknown>

function user(extra: Json = {}): Json {
  return {
    schemas: [USER],
    id: 'u-1',
    userName: 'test.user@okta.local',
    name: { givenName: 'Test', familyName: 'User' },
    displayName: 'Test User',
    active: true,
    emails: [{ primary: true, value: 'test.user@okta.local', type: 'work' }],
    meta: {
      resourceType: 'User',
      created: '2024-01-01T00:00:00Z',
      lastModified: '2024-01-01T00:00:00Z',
    },
    ...extra,
  }
}

function group(members: string[] = []): Json {
  const g: Json = {
    schemas: [GROUP],
    id: 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b',
    displayName: 'Test SCIMv2',
    meta: { resourceType: 'Group' },
  }
  if (members.length > 0) g.members = members.map((value) => ({ value }))
  return g
}

function ops(...operations: Json[]): Json {
  return { schemas: [PATCH_OP], Operations: operations }
}

function patchError(resource: Json, body: unknown, kind: 'User' | 'Group' = 'User'): ScimError {
  const before = structuredClone(resource)
  try {
    applyPatch(resource, body, kind)
  } catch (error) {
    expect(error).toBeInstanceOf(ScimError)
    expect(resource).toEqual(before)
    return error as ScimError
  }
  throw new Error('expected the PATCH to fail')
}

describe('Okta PATCH forms (SCIM-REFERENCE.md §3.5, §3.7)', () => {
  it('deactivates with a no-path replace and reactivates with the same id', () => {
    const off = applyPatch(user(), oktaDeactivate, 'User')
    expect(off.changed).toBe(true)
    expect(off.resource.active).toBe(false)
    expect(off.resource.id).toBe('u-1')
    const on = applyPatch(off.resource, oktaReactivate, 'User')
    expect(on.resource.active).toBe(true)
    expect(on.resource.id).toBe('u-1')
    expect(on.resource.userName).toBe('test.user@okta.local')
  })

  it('renames a group, ignoring the id carried in the value', () => {
    const renamed = applyPatch({ ...group(), displayName: 'Old name' }, oktaGroupRename, 'Group')
    expect(renamed.resource.displayName).toBe('Test SCIMv2')
    expect(renamed.resource.id).toBe('abf4dd94-a4c0-4f67-89c9-76b03340cb9b')
  })

  it('reports an unchanged rename as not changed', () => {
    expect(applyPatch(group(), oktaGroupRename, 'Group').changed).toBe(false)
  })

  it('removes one member by filter and adds another in one request', () => {
    const result = applyPatch(
      group(['89bb1940-b905-4575-9e7f-6f887cfb368e', 'keep-me']),
      oktaMembership,
      'Group',
    )
    expect(result.resource.members).toEqual([
      { value: 'keep-me' },
      { value: '23a35c27-23d3-4c03-b4c5-6443c09e7173', display: 'test.user@okta.local' },
    ])
    expect(result.membersAdded).toEqual(['23a35c27-23d3-4c03-b4c5-6443c09e7173'])
    expect(result.membersRemoved).toEqual(['89bb1940-b905-4575-9e7f-6f887cfb368e'])
  })

  it('replaces all members with a pathed replace', () => {
    const result = applyPatch(
      group(['a', 'b']),
      ops({ op: 'replace', path: 'members', value: [{ value: 'b' }, { value: 'c' }] }),
      'Group',
    )
    expect(result.resource.members).toEqual([{ value: 'b' }, { value: 'c' }])
    expect(result.membersAdded).toEqual(['c'])
    expect(result.membersRemoved).toEqual(['a'])
  })

  it('accepts a password sync without storing the password', () => {
    const result = applyPatch(
      user(),
      ops({ op: 'replace', value: { password: 'n3w-Secret' } }),
      'User',
    )
    expect(result.changed).toBe(false)
    expect(JSON.stringify(result.resource)).not.toContain('n3w-Secret')
    const pathed = applyPatch(user(), ops({ op: 'replace', path: 'password', value: 'x' }), 'User')
    expect(pathed.resource.password).toBeUndefined()
  })
})

describe('Entra PATCH forms (SCIM-REFERENCE.md §4.2, §4.3)', () => {
  it('replaces the work email value and the family name', () => {
    const result = applyPatch(user(), entraUpdateMultiValued, 'User')
    expect(result.resource.emails).toEqual([
      { primary: true, value: 'updatedEmail@microsoft.com', type: 'work' },
    ])
    expect(result.resource.name).toEqual({ givenName: 'Test', familyName: 'updatedFamilyName' })
  })

  it('creates the work email when the user has none yet', () => {
    const result = applyPatch(user({ emails: undefined }), entraUpdateMultiValued, 'User')
    expect(result.resource.emails).toEqual([{ type: 'work', value: 'updatedEmail@microsoft.com' }])
  })

  it('replaces userName', () => {
    expect(applyPatch(user(), entraReplaceUserName, 'User').resource.userName).toBe(
      '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com',
    )
  })

  it.each([
    ['documented boolean', entraDisableDocumented],
    ['default string "False"', entraDisableDefault],
    ['aadOptscim062020 lower-case op', entraDisableCompliant],
  ])('disables with the %s form', (_label, body) => {
    const result = applyPatch(user(), body, 'User')
    expect(result.resource.active).toBe(false)
    expect(result.changed).toBe(true)
  })

  it('accepts "True" to reactivate', () => {
    const result = applyPatch(
      user({ active: false }),
      ops({ op: 'Replace', path: 'active', value: 'True' }),
      'User',
    )
    expect(result.resource.active).toBe(true)
  })

  it('adds a single-valued string', () => {
    expect(applyPatch(user(), entraAddNickName, 'User').resource.nickName).toBe('Babs')
  })

  it('replaces several attributes, one op per path, including the enterprise URN', () => {
    const result = applyPatch(user(), entraReplaceSeveralDefault, 'User')
    expect(result.resource).toMatchObject({
      displayName: 'Babs Jensen',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      [ENTERPRISE]: { employeeNumber: '701984' },
    })
    expect(result.resource.schemas).toEqual([USER, ENTERPRISE])
  })

  it('replaces several attributes with a no-path value of dotted and URN keys', () => {
    const result = applyPatch(user(), entraReplaceSeveralCompliant, 'User')
    expect(result.resource).toMatchObject({
      displayName: 'Babs Jensen',
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [{ value: 'babs@example.com', type: 'work', primary: true }],
      [ENTERPRISE]: { employeeNumber: '701984' },
    })
  })

  it('sets the manager from the documented short path with an array value', () => {
    const result = applyPatch(user(), entraManagerAdd, 'User')
    expect(result.resource[ENTERPRISE]).toEqual({
      manager: {
        value: '2819c223-7f76-453a-919d-413861904646',
        $ref: 'http://example.com/scim/Users/2819c223-7f76-453a-919d-413861904646',
      },
    })
    expect(result.resource.schemas).toContain(ENTERPRISE)
  })

  it('sets the manager from the URN path with a bare id', () => {
    const result = applyPatch(user(), entraManagerAddByUrn, 'User')
    expect(result.resource[ENTERPRISE]).toEqual({
      manager: { value: '2819c223-7f76-453a-919d-413861904646' },
    })
  })

  it('changes and clears the manager (validator: Add/Replace/Replace-empty)', () => {
    const withManager = applyPatch(user(), entraManagerAddByUrn, 'User').resource
    const changed = applyPatch(
      withManager,
      ops({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: 'other-id' } }),
      'User',
    ).resource
    expect(changed[ENTERPRISE]).toEqual({ manager: { value: 'other-id' } })
    const cleared = applyPatch(
      changed,
      ops({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: '' }),
      'User',
    )
    expect(cleared.resource[ENTERPRISE]).toBeUndefined()
    expect(cleared.resource.schemas).toEqual([USER])
    const clearedByObject = applyPatch(
      changed,
      ops({ op: 'Replace', path: `${ENTERPRISE}:manager`, value: { value: '' } }),
      'User',
    )
    expect(clearedByObject.resource[ENTERPRISE]).toBeUndefined()
  })

  it('sets manager.value through a dotted URN path', () => {
    const result = applyPatch(
      user(),
      ops({ op: 'add', path: `${ENTERPRISE}:manager.value`, value: 'm-1' }),
      'User',
    )
    expect(result.resource[ENTERPRISE]).toEqual({ manager: { value: 'm-1' } })
  })

  it('renames a group with a capitalised Replace', () => {
    const result = applyPatch(group(), entraGroupRename, 'Group')
    expect(result.resource.displayName).toBe(
      '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName',
    )
  })

  it('adds members with $ref null, idempotently', () => {
    const first = applyPatch(group(), entraAddMembers, 'Group')
    expect(first.resource.members).toEqual([{ value: 'f648f8d5ea4e4cd38e9c' }])
    expect(first.membersAdded).toEqual(['f648f8d5ea4e4cd38e9c'])
    const again = applyPatch(first.resource, entraAddMembers, 'Group')
    expect(again.changed).toBe(false)
    expect(again.membersAdded).toEqual([])
    expect(again.resource.members).toHaveLength(1)
  })

  it('adds a member given as a bare string (reference collection)', () => {
    const result = applyPatch(group(), entraAddMemberAsString, 'Group')
    expect(result.resource.members).toEqual([{ value: 'f648f8d5ea4e4cd38e9c' }])
  })

  it('removes only the listed members with the legacy value-array remove', () => {
    const result = applyPatch(
      group(['u1091', 'u2000', 'f648f8d5ea4e4cd38e9c']),
      entraRemoveMembersDefault,
      'Group',
    )
    expect(result.resource.members).toEqual([{ value: 'u2000' }, { value: 'f648f8d5ea4e4cd38e9c' }])
    expect(result.membersRemoved).toEqual(['u1091'])
    const withRef = applyPatch(result.resource, entraRemoveMembersLegacyWithRef, 'Group')
    expect(withRef.resource.members).toEqual([{ value: 'u2000' }])
  })

  it('removes a member with the compliant filter form', () => {
    const result = applyPatch(
      group(['7f4bc1a3-285e-48ae-8202-5accb43efb0e', 'x']),
      entraRemoveMemberCompliant,
      'Group',
    )
    expect(result.resource.members).toEqual([{ value: 'x' }])
    expect(result.membersRemoved).toEqual(['7f4bc1a3-285e-48ae-8202-5accb43efb0e'])
  })

  it('treats removing the last member as unassigning members', () => {
    const result = applyPatch(group(['u1091']), entraRemoveMembersDefault, 'Group')
    expect(result.resource.members).toBeUndefined()
  })

  it('adds several members in one operation and across operations', () => {
    const result = applyPatch(
      group(['a']),
      ops(
        { op: 'Add', path: 'members', value: [{ value: 'b' }, { value: 'c' }, { value: 'a' }] },
        { op: 'Add', path: 'members', value: [{ value: 'd' }] },
      ),
      'Group',
    )
    expect((result.resource.members as Json[]).map((m) => m.value)).toEqual(['a', 'b', 'c', 'd'])
    expect(result.membersAdded).toEqual(['b', 'c', 'd'])
  })

  it('null-update validator: "" then null empty an attribute', () => {
    const withTitle = user({ title: 'Engineer' })
    expect(
      applyPatch(withTitle, ops({ op: 'replace', path: 'title', value: '' }), 'User').resource
        .title,
    ).toBeUndefined()
    expect(
      applyPatch(withTitle, ops({ op: 'replace', path: 'title', value: null }), 'User').resource
        .title,
    ).toBeUndefined()
    expect(
      applyPatch(withTitle, ops({ op: 'replace', value: { title: null } }), 'User').resource.title,
    ).toBeUndefined()
  })
})

describe('RFC 7644 §3.5.2 semantics', () => {
  it('accepts op names and body keys in any case', () => {
    const result = applyPatch(
      user(),
      {
        SCHEMAS: [PATCH_OP.toUpperCase()],
        operations: [{ OP: 'REPLACE', Path: 'title', Value: 'CTO' }],
      },
      'User',
    )
    expect(result.resource.title).toBe('CTO')
  })

  it('tolerates a missing schemas member but rejects a wrong one', () => {
    expect(
      applyPatch(user(), { Operations: [{ op: 'replace', path: 'title', value: 'x' }] }, 'User')
        .resource.title,
    ).toBe('x')
    const error = patchError(user(), {
      schemas: [USER],
      Operations: [{ op: 'replace', path: 'title', value: 'x' }],
    })
    expect(error).toMatchObject({ status: 400, scimType: 'invalidSyntax' })
    expect(error.message).toContain(PATCH_OP)
  })

  it.each([
    ['a non-object body', 'nope'],
    ['an array body', [{ op: 'add' }]],
    ['no Operations', { schemas: [PATCH_OP] }],
    ['empty Operations', { schemas: [PATCH_OP], Operations: [] }],
    ['an operation that is not an object', { schemas: [PATCH_OP], Operations: ['add'] }],
    [
      'an unknown op',
      { schemas: [PATCH_OP], Operations: [{ op: 'merge', path: 'title', value: 'x' }] },
    ],
    ['a missing op', { schemas: [PATCH_OP], Operations: [{ path: 'title', value: 'x' }] }],
  ])('rejects %s with 400 invalidSyntax', (_label, body) => {
    expect(patchError(user(), body)).toMatchObject({ status: 400, scimType: 'invalidSyntax' })
  })

  it('adds to a multi-valued attribute and demotes the old primary', () => {
    const result = applyPatch(
      user(),
      ops({
        op: 'add',
        path: 'emails',
        value: [{ value: 'home@x.org', type: 'home', primary: true }],
      }),
      'User',
    )
    expect(result.resource.emails).toEqual([
      { primary: false, value: 'test.user@okta.local', type: 'work' },
      { value: 'home@x.org', type: 'home', primary: true },
    ])
  })

  it('adds with no path merges complex attributes and appends multi-valued ones', () => {
    const result = applyPatch(
      user(),
      ops({
        op: 'add',
        value: { name: { middleName: 'J' }, phoneNumbers: [{ value: '555', type: 'work' }] },
      }),
      'User',
    )
    expect(result.resource.name).toEqual({ givenName: 'Test', familyName: 'User', middleName: 'J' })
    expect(result.resource.phoneNumbers).toEqual([{ value: '555', type: 'work' }])
  })

  it('replace on a complex attribute keeps sub-attributes not given', () => {
    const result = applyPatch(
      user(),
      ops({ op: 'replace', path: 'name', value: { givenName: 'Tess' } }),
      'User',
    )
    expect(result.resource.name).toEqual({ givenName: 'Tess', familyName: 'User' })
  })

  it('replace on a multi-valued attribute without a filter replaces all values', () => {
    const result = applyPatch(
      user(),
      ops({ op: 'replace', path: 'emails', value: [{ value: 'only@x.org' }] }),
      'User',
    )
    expect(result.resource.emails).toEqual([{ value: 'only@x.org' }])
  })

  it('replace with a filter updates only the matching values', () => {
    const twoEmails = user({
      emails: [
        { value: 'w@x', type: 'work' },
        { value: 'h@x', type: 'home' },
      ],
    })
    const result = applyPatch(
      twoEmails,
      ops({
        op: 'replace',
        path: 'emails[type eq "home"]',
        value: { value: 'new@x', display: 'Home' },
      }),
      'User',
    )
    expect(result.resource.emails).toEqual([
      { value: 'w@x', type: 'work' },
      { value: 'new@x', type: 'home', display: 'Home' },
    ])
  })

  it('removes a sub-attribute of the values a filter selects', () => {
    const result = applyPatch(
      user(),
      ops({ op: 'remove', path: 'emails[type eq "work"].primary' }),
      'User',
    )
    expect(result.resource.emails).toEqual([{ value: 'test.user@okta.local', type: 'work' }])
  })

  it('removes values selected by a filter, and the attribute when none remain', () => {
    const result = applyPatch(
      user(),
      ops({ op: 'remove', path: 'emails[value ew "@okta.local"]' }),
      'User',
    )
    expect(result.resource.emails).toBeUndefined()
  })

  it('removes single attributes, sub-attributes and whole multi-valued attributes', () => {
    const result = applyPatch(
      user({ title: 'x' }),
      ops(
        { op: 'remove', path: 'title' },
        { op: 'remove', path: 'name.givenName' },
        { op: 'remove', path: 'emails' },
      ),
      'User',
    )
    expect(result.resource.title).toBeUndefined()
    expect(result.resource.name).toEqual({ familyName: 'User' })
    expect(result.resource.emails).toBeUndefined()
  })

  it('removes the whole enterprise extension by its URN', () => {
    const withExt = applyPatch(user(), entraReplaceSeveralDefault, 'User').resource
    const result = applyPatch(withExt, ops({ op: 'remove', path: ENTERPRISE }), 'User')
    expect(result.resource[ENTERPRISE]).toBeUndefined()
    expect(result.resource.schemas).toEqual([USER])
  })

  it('sets enterprise attributes through an extension-keyed no-path value', () => {
    const result = applyPatch(
      user(),
      ops({ op: 'add', value: { [ENTERPRISE]: { department: 'Sales', manager: { value: 'm' } } } }),
      'User',
    )
    expect(result.resource[ENTERPRISE]).toEqual({ department: 'Sales', manager: { value: 'm' } })
  })

  it('applies operations in order', () => {
    const result = applyPatch(
      user(),
      ops(
        { op: 'add', path: 'title', value: 'a' },
        { op: 'replace', path: 'title', value: 'b' },
        { op: 'remove', path: 'title' },
        { op: 'add', path: 'title', value: 'c' },
      ),
      'User',
    )
    expect(result.resource.title).toBe('c')
  })

  it('does not modify the resource it was given', () => {
    const original = user()
    const copy = structuredClone(original)
    applyPatch(original, entraReplaceSeveralCompliant, 'User')
    expect(original).toEqual(copy)
  })
})

describe('PATCH errors change nothing', () => {
  it('is atomic: a valid op followed by an invalid one fails as a whole', () => {
    const error = patchError(
      user(),
      ops(
        { op: 'replace', path: 'title', value: 'CTO' },
        { op: 'replace', path: 'active', value: 'perhaps' },
      ),
    )
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' })
    expect(error.message).toContain('Operations[1]')
    expect(error.message).toContain('"active" must be true or false')
  })

  it('rejects removing or emptying userName', () => {
    expect(patchError(user(), ops({ op: 'remove', path: 'userName' }))).toMatchObject({
      status: 400,
      scimType: 'invalidValue',
    })
    expect(
      patchError(user(), ops({ op: 'replace', path: 'userName', value: '' })).message,
    ).toContain('userName')
    expect(
      patchError(group(), ops({ op: 'remove', path: 'displayName' }), 'Group').message,
    ).toContain('displayName')
  })

  it('rejects an explicit path to a readOnly attribute with 400 mutability', () => {
    expect(patchError(user(), ops({ op: 'replace', path: 'id', value: 'new' }))).toMatchObject({
      status: 400,
      scimType: 'mutability',
    })
    expect(
      patchError(
        user(),
        ops({ op: 'replace', path: 'meta.created', value: '2020-01-01T00:00:00Z' }),
      ),
    ).toMatchObject({ scimType: 'mutability' })
    expect(
      patchError(user(), ops({ op: 'add', path: 'groups', value: [{ value: 'g' }] })),
    ).toMatchObject({ scimType: 'mutability' })
  })

  it('ignores readOnly attributes inside a no-path value', () => {
    const result = applyPatch(
      user(),
      ops({
        op: 'replace',
        value: { id: 'evil', meta: { created: 'x' }, groups: [{ value: 'g' }], title: 'ok' },
      }),
      'User',
    )
    expect(result.resource.id).toBe('u-1')
    expect(result.resource.groups).toBeUndefined()
    expect(result.resource.title).toBe('ok')
  })

  it.each([
    ['an unknown attribute', 'favouriteColour'],
    ['an unknown sub-attribute', 'name.nickname'],
    ['an unknown extension attribute', `${ENTERPRISE}:shoeSize`],
    ['an unclosed filter', 'emails[type eq "work"'],
    ['a malformed filter', 'emails[type equals "work"]'],
    ['a filter on a single-valued attribute', 'name[givenName eq "x"]'],
    ['junk after the filter', 'emails[type eq "work"]value'],
    ['an unknown sub-attribute after the filter', 'emails[type eq "work"].colour'],
    ['a sub-attribute of a multi-valued attribute without filter', 'emails.value'],
    ['an empty path', ''],
  ])('rejects %s with 400 invalidPath', (_label, path) => {
    const error = patchError(user(), ops({ op: 'replace', path, value: 'x' }))
    expect(error).toMatchObject({ status: 400, scimType: 'invalidPath' })
  })

  it('rejects a non-string path', () => {
    expect(patchError(user(), ops({ op: 'replace', path: 7, value: 'x' }))).toMatchObject({
      scimType: 'invalidPath',
    })
  })

  it.each([
    ['userName', 42, 'a string'],
    ['active', 'yes', 'true or false'],
    ['emails', [{ value: 7 }], 'a string'],
    ['name', 'Jane', 'an object'],
    ['meta', {}, ''],
  ])('rejects %s = %j', (path, value, expected) => {
    const error = patchError(user(), ops({ op: 'replace', path, value }))
    if (path === 'meta') expect(error.scimType).toBe('mutability')
    else {
      expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' })
      expect(error.message).toContain(expected)
    }
  })

  it('rejects remove without a path with 400 noTarget', () => {
    expect(patchError(user(), ops({ op: 'remove' }))).toMatchObject({
      status: 400,
      scimType: 'noTarget',
    })
  })

  it('rejects a no-path add whose value is not an object', () => {
    expect(patchError(user(), ops({ op: 'add', value: 'x' }))).toMatchObject({
      scimType: 'invalidValue',
    })
  })

  it('rejects a filtered remove that matches nothing with 400 noTarget', () => {
    expect(patchError(user(), ops({ op: 'remove', path: 'emails[type eq "home"]' }))).toMatchObject(
      { status: 400, scimType: 'noTarget' },
    )
  })

  it('rejects a filtered replace that matches nothing and cannot seed a value', () => {
    expect(
      patchError(
        user(),
        ops({ op: 'replace', path: 'emails[value co "nothing"].type', value: 'home' }),
      ),
    ).toMatchObject({ scimType: 'noTarget' })
  })

  it('treats removing a member who is not in the group as done', () => {
    const result = applyPatch(
      group(['a']),
      ops({ op: 'remove', path: 'members[value eq "gone"]' }),
      'Group',
    )
    expect(result.changed).toBe(false)
    expect(result.membersRemoved).toEqual([])
  })
})

describe('parsePatchPath', () => {
  it('resolves attribute, sub-attribute, filter and URN forms', () => {
    expect(parsePatchPath('User', 'name.givenName').resolved?.canonical).toBe('name.givenName')
    expect(parsePatchPath('User', 'EMAILS[type eq "work"].VALUE')).toMatchObject({
      resolved: { canonical: 'emails' },
      subAttribute: { name: 'value' },
      filter: { type: 'compare', path: 'type' },
    })
    expect(parsePatchPath('User', ENTERPRISE)).toMatchObject({ extension: ENTERPRISE })
    expect(parsePatchPath('Group', 'members[value eq "a]b"]').filter).toMatchObject({
      value: 'a]b',
    })
  })
})

describe('group members need ids', () => {
  it('rejects a member without a value', () => {
    const error = patchError(
      group(),
      ops({ op: 'add', path: 'members', value: [{ display: 'nobody' }] }),
      'Group',
    )
    expect(error).toMatchObject({ status: 400, scimType: 'invalidValue' })
    expect(error.message).toContain('"value"')
  })
})

describe('no-path values with path-like keys', () => {
  it('applies a value-filter key instead of ignoring it', () => {
    const result = applyPatch(
      user(),
      ops({ op: 'replace', value: { 'emails[type eq "work"].value': 'new@x.org' } }),
      'User',
    )
    expect(result.resource.emails).toEqual([{ primary: true, value: 'new@x.org', type: 'work' }])
  })

  it('ignores unknown keys but still applies the known ones', () => {
    const result = applyPatch(
      user(),
      ops({ op: 'replace', value: { favouriteColour: 'blue', title: 'CTO' } }),
      'User',
    )
    expect(result.resource.favouriteColour).toBeUndefined()
    expect(result.resource.title).toBe('CTO')
  })
})
