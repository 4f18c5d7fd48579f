import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { consoleTrafficHeaders } from '../../src-shared/console-traffic.ts'
import {
  oktaAssign,
  oktaUser,
  startBackend,
  type Backend,
} from '../../test/support/log-test-support.ts'
import { createAdminClient } from '../backend/admin-client.ts'
import { getTenantOverview } from '../backend/tenant-overview.ts'
import { getIdpActivity } from './idp-activity.ts'

let b: Backend

beforeAll(async () => {
  b = await startBackend()
})
afterAll(async () => {
  await b.dispose()
})

/** A request marked as the harness marks its own, with the IdP's token and User-Agent. */
async function harnessPost(userName: string): Promise<number> {
  const res = await fetch(`${b.server.scimBaseUrl}/Users`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${b.demoToken}`,
      'content-type': 'application/scim+json',
      ...consoleTrafficHeaders({
        kind: 'harness',
        id: 'run42',
        version: '0.1.0',
        userAgent: 'Okta SCIM Client 1.0.0',
      }),
    },
    body: JSON.stringify(oktaUser(userName)),
  })
  await res.arrayBuffer()
  return res.status
}

describe('the Connection screen’s IdP facts', () => {
  it('before the IdP sends anything, a harness run leaves no "last request from the IdP"', async () => {
    expect(await harnessPost('scimc-run42-early@acme.com')).toBe(201)
    const client = createAdminClient({ baseUrl: b.server.adminBaseUrl, adminKey: b.adminKey })
    const activity = await getIdpActivity(client, b.server.demoTenantId)
    expect(activity.lastRequest).toBeNull()
    expect(activity.tokenLastUse.size).toBe(0)
    expect(activity.complete).toBe(true)
    const overview = await getTenantOverview(client, b.server.demoTenantId)
    expect(overview.recentEvents).toEqual([])
  })

  it('after Okta’s requests and a later harness run with the same token, they stay Okta’s', async () => {
    await oktaAssign(b.scim, 'ada@acme.com')
    expect(await harnessPost('scimc-run42-a@acme.com')).toBe(201)
    expect(await harnessPost('scimc-run42-a@acme.com')).toBe(409)
    const client = createAdminClient({ baseUrl: b.server.adminBaseUrl, adminKey: b.adminKey })
    const activity = await getIdpActivity(client, b.server.demoTenantId)
    expect(activity.lastRequest).toMatchObject({
      method: 'POST',
      status: 201,
      userName: 'ada@acme.com',
      source: 'idp',
      sourceIdp: 'okta',
    })
    // The token's last IdP use is Okta's create, not the harness's later 409.
    const token = (await client.getScim(b.server.demoTenantId)).tokens[0]!
    expect(activity.tokenLastUse.get(token.hashPrefix)).toBe(activity.lastRequest!.time)
    const newest = (await client.listEvents(b.server.demoTenantId, { limit: 1 })).items[0]!
    expect(newest).toMatchObject({ source: 'harness', runId: 'run42', status: 409 })
    expect(newest.tokenHashPrefix).toBe(token.hashPrefix)
    expect(newest.seq).toBeGreaterThan(activity.lastRequest!.seq)

    const overview = await getTenantOverview(client, b.server.demoTenantId)
    expect(overview.recentEvents.map((e) => [e.method, e.status, e.source])).toEqual([
      ['POST', 201, 'idp'],
      ['GET', 200, 'idp'],
    ])
  })
})
