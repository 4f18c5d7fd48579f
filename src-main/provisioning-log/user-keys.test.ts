import { describe, expect, it } from 'vitest'
import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'
import { filterOfPath, filterTerms, userKeysOf } from './user-keys.ts'

function lookup(path: string): ProvisioningEvent {
  return {
    seq: 1,
    tenantId: 't',
    time: '2026-01-01T00:00:00Z',
    method: 'GET',
    path,
    status: 200,
    durationMs: 1,
    resourceType: 'User',
    resourceId: null,
    userName: null,
    outcome: 'lookup_empty',
    error: null,
    tokenHashPrefix: null,
    requestBody: null,
    responseBody: { totalResults: 0, Resources: [] },
  }
}

describe('user keys', () => {
  it("reads Okta's quoted userName filter, Entra's unquoted externalId and the emails value filter", () => {
    expect(
      userKeysOf(
        lookup('/Users?filter=userName%20eq%20%22Test.User%40okta.local%22&startIndex=1&count=100'),
      ).userNames,
    ).toEqual(['test.user@okta.local'])
    expect(userKeysOf(lookup('/Users?filter=externalId+eq+jyoung')).externalIds).toEqual(['jyoung'])
    const emails = userKeysOf(
      lookup(
        `/Users?filter=${encodeURIComponent('emails[type eq "work"].value eq "Jane@Acme.com"')}`,
      ),
    )
    expect(emails.emails).toEqual(['jane@acme.com'])
    expect(emails.userNames).toEqual([])
  })

  it('takes both sides of an "and" filter and ignores the members of a list answer', () => {
    const k = userKeysOf(
      lookup(`/Users?filter=${encodeURIComponent('userName eq "a@x.org" and externalId eq "E1"')}`),
    )
    expect(k).toMatchObject({ userNames: ['a@x.org'], externalIds: ['e1'] })
    const list = {
      ...lookup('/Users?startIndex=1&count=2'),
      responseBody: { Resources: [{ id: 'x', userName: 'other@x.org' }] },
    }
    expect(userKeysOf(list)).toEqual({ userNames: [], emails: [], externalIds: [], ids: [] })
  })

  it('a Groups lookup by displayName names no user', () => {
    const g = {
      ...lookup(`/Groups?filter=${encodeURIComponent('displayName eq "Test SCIMv2"')}`),
      resourceType: 'Group' as const,
    }
    expect(userKeysOf(g)).toEqual({ userNames: [], emails: [], externalIds: [], ids: [] })
  })

  it('filterOfPath and filterTerms cope with escapes, a parameter named like filter, and bad encoding', () => {
    expect(filterOfPath('/Users?prefilter=x&filter=userName%20eq%20%22a%22')).toBe(
      'userName eq "a"',
    )
    expect(filterOfPath('/Users?filter=%E0%A4%A')).toBe('%E0%A4%A')
    expect(filterOfPath('/Users')).toBeUndefined()
    expect(filterTerms('userName eq "say \\"hi\\""')).toEqual([
      { attribute: 'userName', value: 'say "hi"' },
    ])
  })
})
