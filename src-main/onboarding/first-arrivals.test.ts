import { describe, expect, it } from 'vitest'
import type { ProvisioningEvent } from '../backend/admin-client.ts'
import { firstArrivals, isHarnessEvent } from './first-arrivals.ts'

function event(seq: number, over: Partial<ProvisioningEvent>): ProvisioningEvent {
  return {
    seq,
    tenantId: 't',
    time: `2026-01-01T00:00:0${seq}Z`,
    method: 'GET',
    path: '/scim/v2/Users',
    status: 200,
    durationMs: 3,
    resourceType: 'User',
    resourceId: null,
    userName: null,
    outcome: 'read',
    error: null,
    tokenHashPrefix: 'abcd1234',
    requestBody: null,
    responseBody: null,
    ...over,
  }
}

describe('the IdP’s first requests', () => {
  it('leaves out the harness: its users and its filters carry the run prefix', () => {
    expect(isHarnessEvent({ userName: 'scimc-1a2b-user-0', path: '/scim/v2/Users' })).toBe(true)
    expect(
      isHarnessEvent({
        userName: null,
        path: '/scim/v2/Users?filter=userName%20eq%20%22scimc-1a2b-x%22',
      }),
    ).toBe(true)
    expect(isHarnessEvent({ userName: 'jane@acme.com', path: '/scim/v2/Users' })).toBe(false)
  })

  it('finds the first created user in sequence order, whatever order the page came in', () => {
    const { arrivals, firstUser } = firstArrivals([
      event(4, { method: 'POST', status: 201, userName: 'bob@acme.com', outcome: 'created' }),
      event(3, { method: 'POST', status: 201, userName: 'scimc-x-1', outcome: 'created' }),
      event(2, { method: 'POST', status: 409, userName: 'jane@acme.com', outcome: 'rejected' }),
      event(1, { path: '/scim/v2/Users?startIndex=1&count=2' }),
    ])
    expect(firstUser).toEqual({ userName: 'bob@acme.com', time: '2026-01-01T00:00:04Z', seq: 4 })
    expect(arrivals.map((a) => a.seq)).toEqual([1, 2, 4])
    expect(arrivals[1]!.meaning).toMatch(/refused \(409\)/)
  })

  it('has no first user while Okta only tested the credentials', () => {
    expect(firstArrivals([event(1, {})]).firstUser).toBeNull()
  })
})
