import { afterEach, describe, expect, it } from 'vitest'
import type { ProvisioningEvent } from '../backend/admin-client.ts'
import { runHarness } from '../harness/runner.ts'
import { oktaAssign, startBackend, type Backend } from '../../test/support/log-test-support.ts'
import { firstArrivals, isHarnessEvent } from './first-arrivals.ts'

const backends: Backend[] = []
afterEach(async () => {
  for (const b of backends.splice(0)) await b.dispose()
})

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

describe('go-live reasons over the IdP’s traffic only', () => {
  it('events the backend marks as harness, replay or another client never arrive, prefix or not', () => {
    const created = { method: 'POST', status: 201, outcome: 'created' as const }
    const { arrivals, firstUser } = firstArrivals([
      event(1, { ...created, userName: 'jane@acme.com', source: 'harness', runId: 'r1' }),
      event(2, { ...created, userName: 'bob@acme.com', source: 'replay' }),
      event(3, { ...created, userName: 'eve@acme.com', source: 'other' }),
      event(4, { status: 409, userName: 'x@acme.com', source: 'harness', outcome: 'rejected' }),
    ])
    expect(arrivals).toEqual([])
    expect(firstUser).toBeNull()
    // Okta's own create does arrive; an event from a backend that records no source still does.
    const okta = firstArrivals([
      event(1, { ...created, userName: 'scimc-ab-1', source: 'harness' }),
      event(2, { ...created, userName: 'amy@acme.com', source: 'idp', sourceIdp: 'okta' }),
      event(3, { ...created, userName: 'ben@acme.com' }),
    ])
    expect(okta.firstUser?.userName).toBe('amy@acme.com')
    expect(okta.arrivals.map((a) => a.seq)).toEqual([2, 3])
  })

  it('a real pre-go-live test against the reference backend is no arrival; Okta’s first create is', async () => {
    const b = await startBackend()
    backends.push(b)
    const report = await runHarness({
      baseUrl: b.server.scimBaseUrl,
      token: b.demoToken,
      profile: 'okta',
      importSize: 3,
    })
    expect(report.outcome).toBe('passed')
    const read = async () =>
      (await b.admin(`/tenants/${b.server.demoTenantId}/events?limit=500`)).body
        .items as ProvisioningEvent[]
    const afterTest = await read()
    expect(afterTest.some((e) => e.method === 'POST' && e.status === 201)).toBe(true)
    expect(firstArrivals(afterTest)).toEqual({ arrivals: [], firstUser: null })

    await oktaAssign(b.scim, 'first.user@acme.com')
    const found = firstArrivals(await read())
    expect(found.firstUser?.userName).toBe('first.user@acme.com')
    expect(found.arrivals.map((a) => a.method)).toEqual(['GET', 'POST'])
  })
})
