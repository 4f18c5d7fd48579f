import { describe, expect, it } from 'vitest'
import { projectAttributes } from './projection.ts'
import { ScimError } from './scim-error.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

const user = {
  schemas: [USER, ENTERPRISE],
  id: 'u1',
  externalId: 'ext',
  userName: 'bjensen',
  name: { givenName: 'Barbara', familyName: 'Jensen' },
  active: true,
  emails: [
    { value: 'work@x', type: 'work', primary: true },
    { value: 'home@x', type: 'home' },
  ],
  groups: [{ value: 'g1', display: 'Everyone' }],
  meta: { resourceType: 'User', location: 'https://x/Users/u1' },
  [ENTERPRISE]: { department: 'Sales', manager: { value: 'm1', displayName: 'Boss' } },
}

const group = {
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
  id: 'g1',
  displayName: 'Everyone',
  members: [{ value: 'u1' }, { value: 'u2' }],
  meta: { resourceType: 'Group' },
}

describe('projectAttributes', () => {
  it('returns everything (minus never-returned attributes) without parameters', () => {
    expect(projectAttributes({ ...user, password: 'secret' }, {}, 'User')).toEqual(user)
  })

  it('returns only the requested attributes plus id and schemas', () => {
    expect(projectAttributes(user, { attributes: 'userName,emails' }, 'User')).toEqual({
      schemas: user.schemas,
      id: 'u1',
      userName: 'bjensen',
      emails: user.emails,
    })
  })

  it('accepts sub-attributes, any case and spaces', () => {
    expect(
      projectAttributes(
        user,
        { attributes: ' Name.GivenName , emails.value, emails.type' },
        'User',
      ),
    ).toEqual({
      schemas: user.schemas,
      id: 'u1',
      name: { givenName: 'Barbara' },
      emails: [
        { value: 'work@x', type: 'work' },
        { value: 'home@x', type: 'home' },
      ],
    })
  })

  it('accepts URN-qualified names and whole extensions', () => {
    expect(
      projectAttributes(user, { attributes: `${ENTERPRISE}:manager.value` }, 'User'),
    ).toMatchObject({
      [ENTERPRISE]: { manager: { value: 'm1' } },
    })
    expect(projectAttributes(user, { attributes: ENTERPRISE }, 'User')[ENTERPRISE]).toEqual(
      user[ENTERPRISE],
    )
    expect(projectAttributes(user, { attributes: `${USER}:userName` }, 'User')).toEqual({
      schemas: user.schemas,
      id: 'u1',
      userName: 'bjensen',
    })
  })

  it('filters values with a bracket filter (reference collection: emails[type eq "work"])', () => {
    expect(
      projectAttributes(user, { attributes: 'emails[type eq "work"]' }, 'User').emails,
    ).toEqual([user.emails[0]])
  })

  it('rejects a malformed bracket filter with 400 invalidFilter', () => {
    expect(() => projectAttributes(user, { attributes: 'emails[type eq]' }, 'User')).toThrow(
      ScimError,
    )
  })

  it('excludes members from groups (Entra excludedAttributes=members)', () => {
    expect(projectAttributes(group, { excludedAttributes: 'members' }, 'Group')).toEqual({
      schemas: group.schemas,
      id: 'g1',
      displayName: 'Everyone',
      meta: group.meta,
    })
  })

  it('never excludes id or schemas', () => {
    const out = projectAttributes(user, { excludedAttributes: 'id,schemas,userName' }, 'User')
    expect(out.id).toBe('u1')
    expect(out.schemas).toEqual(user.schemas)
    expect(out.userName).toBeUndefined()
  })

  it('excludes sub-attributes and enterprise attributes, dropping an emptied extension', () => {
    const out = projectAttributes(
      user,
      { excludedAttributes: `emails.primary,${ENTERPRISE}:department,${ENTERPRISE}:manager` },
      'User',
    )
    expect(out.emails).toEqual([
      { value: 'work@x', type: 'work' },
      { value: 'home@x', type: 'home' },
    ])
    expect(out[ENTERPRISE]).toBeUndefined()
  })

  it('ignores unknown names', () => {
    expect(projectAttributes(user, { attributes: 'userName,shoeSize' }, 'User')).toEqual({
      schemas: user.schemas,
      id: 'u1',
      userName: 'bjensen',
    })
    expect(projectAttributes(user, { excludedAttributes: 'shoeSize' }, 'User')).toEqual(user)
  })

  it('never returns the password, even when asked for', () => {
    expect(
      projectAttributes({ ...user, password: 'x' }, { attributes: 'password' }, 'User'),
    ).toEqual({ schemas: user.schemas, id: 'u1' })
  })

  it('accepts arrays of parameter values and does not modify the resource', () => {
    const copy = structuredClone(user)
    const out = projectAttributes(user, { attributes: ['userName', 'active'] }, 'User')
    expect(out).toEqual({ schemas: user.schemas, id: 'u1', userName: 'bjensen', active: true })
    ;(out as { schemas: string[] }).schemas.push('x')
    projectAttributes(user, { excludedAttributes: 'name.givenName' }, 'User')
    expect(user).toEqual(copy)
  })
})
