import { afterEach, describe, expect, it } from 'vitest'
import { consoleTrafficHeaders } from '../../src-shared/console-traffic.ts'
import { openDatabase } from '../db.ts'
import { EventFollower } from '../../test/support/event-follower.ts'
import { startTestServer, TEST_ADMIN_KEY } from '../../test/support/test-server.ts'
import type { TestServer } from '../../test/support/test-server.ts'

/**
 * Every event carries who sent it, decided by the backend from the request's headers, and the
 * admin API filters on it (list and stream). Real server, real requests, real sqlite.
 */

const servers: TestServer[] = []
afterEach(async () => {
  for (const s of servers.splice(0)) await s.stop()
})

async function server(dataDir?: string): Promise<TestServer> {
  const s = await startTestServer(dataDir ? { dataDir } : {})
  servers.push(s)
  return s
}

const OKTA = { 'User-Agent': 'Okta SCIM Client 1.0.0' }
const ENTRA = { 'User-Agent': 'Azure AD Provisioning' }
const CURL = { 'User-Agent': 'curl/8.5.0' }
const HARNESS = consoleTrafficHeaders({
  kind: 'harness',
  id: 'run0001',
  version: '0.1.0',
  userAgent: 'Okta SCIM Client 1.0.0',
})
const REPLAY = consoleTrafficHeaders({
  kind: 'replay',
  id: 'rep0001',
  version: '0.1.0',
  userAgent: 'Okta SCIM Client 1.0.0',
})

async function sendMix(t: TestServer): Promise<void> {
  await t.scim('/Users?filter=userName%20eq%20%22jane%40acme.com%22', { headers: OKTA })
  await t.scim('/Users?count=1', { headers: ENTRA })
  await t.scim('/Users/does-not-exist', { headers: HARNESS })
  await t.scim('/Users?count=2', { headers: REPLAY })
  await t.scim('/Users?count=3', { headers: CURL })
}

describe('the source of each provisioning event', () => {
  it('is recorded per request and served in the event JSON', async () => {
    const t = await server()
    await sendMix(t)
    const page = await t.admin(`/tenants/${t.server.demoTenantId}/events?limit=10`)
    const got = page.body.items
      .reverse()
      .map((e: Record<string, unknown>) => [e.source, e.sourceIdp ?? null, e.runId ?? null])
    expect(got).toEqual([
      ['idp', 'okta', null],
      ['idp', 'entra', null],
      ['harness', null, 'run0001'],
      ['replay', null, 'rep0001'],
      ['other', null, null],
    ])
    const harness = page.body.items.find((e: { source: string }) => e.source === 'harness')
    expect(harness.status).toBe(404)
    expect(harness.userAgent).toBe(
      'Okta SCIM Client 1.0.0 scim-console-harness/0.1.0 (run run0001)',
    )
  })

  it('filters the list by source, comma-separated or repeated, and refuses an unknown source', async () => {
    const t = await server()
    await sendMix(t)
    const base = `/tenants/${t.server.demoTenantId}/events?limit=10`
    const sourcesOf = async (q: string) =>
      (await t.admin(`${base}&${q}`)).body.items.map((e: { source: string }) => e.source)
    expect(await sourcesOf('source=idp')).toEqual(['idp', 'idp'])
    expect(await sourcesOf('source=harness,replay')).toEqual(['replay', 'harness'])
    expect(await sourcesOf('source=other&source=harness')).toEqual(['other', 'harness'])
    const bad = await t.admin(`${base}&source=okta`)
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/source: must be a comma-separated list of idp, harness/)
  })

  it('filters the live stream by source (ids then jump over the skipped events)', async () => {
    const t = await server()
    const follower = new EventFollower(t.server.demoTenantId, TEST_ADMIN_KEY, { source: 'idp' })
    await follower.connect(t.server.adminBaseUrl)
    await sendMix(t)
    await t.scim('/Users?count=4', { headers: OKTA })
    await follower.waitFor(6)
    follower.disconnect()
    expect(follower.received.map((e) => [e.seq, e.source])).toEqual([
      [1, 'idp'],
      [2, 'idp'],
      [6, 'idp'],
    ])
  })

  it('serves each live event with the response body it stores (list pages are built lazily)', async () => {
    const t = await server()
    const follower = new EventFollower(t.server.demoTenantId, TEST_ADMIN_KEY)
    await follower.connect(t.server.adminBaseUrl)
    const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
    for (let i = 0; i < 12; i++) {
      const body = { schemas: [USER], userName: `live.${i}@example.test`, title: 'x'.repeat(300) }
      expect((await t.scim('/Users', { method: 'POST', body })).status).toBe(201)
    }
    // A lookup (one resource, kept whole), a page past the list cap (kept as its prefix), an
    // empty page.
    await t.scim('/Users?filter=userName%20eq%20%22live.3%40example.test%22')
    await t.scim('/Users?count=12')
    await t.scim('/Users?filter=userName%20eq%20%22nobody%22')
    await follower.waitFor(15)
    follower.disconnect()
    const served = new Map(follower.received.map((e) => [e.seq, e.responseBody]))
    const stored = (await t.admin(`/tenants/${t.server.demoTenantId}/events?limit=15`)).body
      .items as { seq: number; responseBody: unknown }[]
    expect(stored).toHaveLength(15)
    for (const e of stored) expect(served.get(e.seq), `event ${e.seq}`).toEqual(e.responseBody)
    const [empty, page, lookup] = stored
    expect(empty!.responseBody).toMatchObject({ totalResults: 0, Resources: [] })
    expect(typeof page!.responseBody).toBe('string')
    expect(page!.responseBody as string).toMatch(
      /^\{"schemas":.*"totalResults":12,.*…\[truncated\]$/,
    )
    expect(lookup!.responseBody).toMatchObject({
      totalResults: 1,
      Resources: [{ userName: 'live.3@example.test' }],
    })
  })

  it('events stored before sources existed read as "unknown" after the upgrade, and match source=unknown', async () => {
    const first = await server()
    await first.scim('/Users?count=1', { headers: OKTA })
    const dataDir = first.dataDir
    await first.stop(true)
    servers.splice(servers.indexOf(first), 1)
    // Take the data folder back to what an older backend wrote: no source columns (and so no
    // index on them).
    const db = openDatabase(dataDir)
    db.exec('DROP INDEX events_tenant_source')
    for (const c of ['source', 'source_idp', 'run_id', 'user_agent'])
      db.exec(`ALTER TABLE events DROP COLUMN ${c}`)
    db.close()

    const t = await server(dataDir)
    await t.scim('/Users?count=2', { headers: OKTA })
    const base = `/tenants/${t.server.demoTenantId}/events?limit=10`
    const items = (await t.admin(base)).body.items
    expect(items.map((e: Record<string, unknown>) => [e.path, e.source])).toEqual([
      ['/Users?count=2', 'idp'],
      ['/Users?count=1', 'unknown'],
    ])
    expect(items[1].userAgent).toBeUndefined()
    const unknown = (await t.admin(`${base}&source=unknown`)).body.items
    expect(unknown.map((e: { path: string }) => e.path)).toEqual(['/Users?count=1'])
    const either = (await t.admin(`${base}&source=idp,unknown`)).body.items
    expect(either).toHaveLength(2)
  })
})
