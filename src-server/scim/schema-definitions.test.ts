import { describe, expect, it } from 'vitest'
import {
  ENTERPRISE_USER_SCHEMA,
  lookupAttribute,
  matchExtensionUrn,
  resolveAttributePath,
} from './schema-definitions.ts'

const E = ENTERPRISE_USER_SCHEMA

describe('lookupAttribute', () => {
  it.each([
    ['User', 'userName', 'userName', undefined],
    ['User', 'USERNAME', 'userName', undefined],
    ['User', 'name.givenName', 'name.givenName', undefined],
    ['User', 'NAME.GIVENNAME', 'name.givenName', undefined],
    ['User', 'emails.value', 'emails.value', undefined],
    ['User', 'id', 'id', undefined],
    ['User', 'meta.lastModified', 'meta.lastModified', undefined],
    ['User', 'urn:ietf:params:scim:schemas:core:2.0:User:userName', 'userName', undefined],
    ['User', `${E}:employeeNumber`, `${E}:employeeNumber`, E],
    ['User', `${E}:manager.value`, `${E}:manager.value`, E],
    ['User', `${E.toUpperCase()}:MANAGER.DISPLAYNAME`, `${E}:manager.displayName`, E],
    ['Group', 'displayName', 'displayName', undefined],
    ['Group', 'members.value', 'members.value', undefined],
    ['Group', 'urn:ietf:params:scim:schemas:core:2.0:Group:members', 'members', undefined],
  ] as const)('%s %s → %s', (kind, path, canonical, extension) => {
    const resolved = lookupAttribute(kind, path)
    expect(resolved?.canonical).toBe(canonical)
    expect(resolved?.extension).toBe(extension)
  })

  it('describes the leaf the path ends at', () => {
    expect(lookupAttribute('User', 'userName')?.leaf).toMatchObject({
      caseExact: false,
      uniqueness: 'server',
    })
    expect(lookupAttribute('User', 'externalId')?.leaf.caseExact).toBe(true)
    expect(lookupAttribute('User', 'emails.primary')?.leaf.type).toBe('boolean')
    expect(lookupAttribute('User', 'groups')?.leaf.mutability).toBe('readOnly')
  })

  it.each([
    ['User', 'employeeNumber'],
    ['User', 'manager'],
    ['User', 'department'],
    ['User', 'members'],
    ['User', 'name.nope'],
    ['User', 'name.givenName.extra'],
    ['User', 'urn:ietf:params:scim:schemas:core:2.0:Group:displayName'],
    ['User', `${E}:userName`],
    ['User', 'urn:example:unknown:userName'],
    ['Group', 'userName'],
    ['Group', `${E}:department`],
    ['User', ''],
  ] as const)('%s %s is unknown', (kind, path) => {
    expect(lookupAttribute(kind, path)).toBeUndefined()
  })
})

describe('resolveAttributePath', () => {
  it('also accepts the short enterprise names for Users only', () => {
    expect(resolveAttributePath('User', 'manager')?.canonical).toBe(`${E}:manager`)
    expect(resolveAttributePath('User', 'department')?.extension).toBe(E)
    expect(resolveAttributePath('Group', 'department')).toBeUndefined()
    expect(resolveAttributePath('User', 'userName')?.extension).toBeUndefined()
  })
})

describe('matchExtensionUrn', () => {
  it('matches the whole enterprise URN case-insensitively, for Users', () => {
    expect(matchExtensionUrn('User', E.toLowerCase())).toBe(E)
    expect(matchExtensionUrn('Group', E)).toBeUndefined()
    expect(matchExtensionUrn('User', `${E}:department`)).toBeUndefined()
  })
})
