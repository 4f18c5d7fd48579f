import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase, schemaVersion } from './db.ts'
import { parsePublicUrl, startServer } from './server.ts'
import { EventStore } from './store/events.ts'
import { startTestServer, TEST_ADMIN_KEY, TEST_TOKEN } from '../test/support/test-server.ts'
import type { TestServer } from '../test/support/test-server.ts'

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const running: TestServer[] = []
afterEach(async () => {
  for (const s of running.splice(0)) await s.stop()
})

describe('storage', () => {
  it('survives a restart on the same folder: users, groups, tokens, SSO and a continuing event sequence', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-restart-'))
    const a = await startTestServer({ dataDir })
    const u = await a.scim('/Users', {
      method: 'POST',
      body: { schemas: [USER], userName: 'durable@x.org' },
    })
    expect(u.status).toBe(201)
    await a.scim('/Groups', {
      method: 'POST',
      body: {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        displayName: 'D',
        members: [{ value: u.body.id }],
      },
    })
    const lastSeq = (await a.admin(`/tenants/${a.server.demoTenantId}/events?limit=1`)).body
      .items[0].seq
    const tenantId = a.server.demoTenantId
    await a.stop(true)

    const b = await startTestServer({ dataDir })
    running.push(b)
    expect(b.server.demoTenantId).toBe(tenantId)
    expect(b.server.createdStore).toBe(false)
    const again = await b.scim(`/Users/${u.body.id}`)
    expect(again.status).toBe(200)
    expect(again.body.userName).toBe('durable@x.org')
    expect(again.body.groups[0].display).toBe('D')
    expect(again.body.meta.created).toBe(u.body.meta.created)
    const dup = await b.scim('/Users', {
      method: 'POST',
      body: { schemas: [USER], userName: 'DURABLE@x.org' },
    })
    expect(dup.status).toBe(409)
    const events = (await b.admin(`/tenants/${tenantId}/events?limit=100`)).body.items
    // the sequence continues where it stopped: the GET and the refused POST after the restart
    expect(events.slice(0, 3).map((e: { seq: number; path: string }) => [e.seq, e.path])).toEqual([
      [lastSeq + 2, '/Users'],
      [lastSeq + 1, `/Users/${u.body.id}`],
      [lastSeq, '/Groups'],
    ])
    expect(events.map((e: { seq: number }) => e.seq)).toEqual(
      Array.from({ length: lastSeq + 2 }, (_, i) => lastSeq + 2 - i),
    )
  })

  it('upgrading from schema 2 renumbers the events per tenant in their order, keeps membership lookups, and continues each sequence', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-seq-upgrade-'))
    const old = openDatabase(dataDir, 2)
    const insert = old.prepare(
      `INSERT INTO events (seq, tenant_id, time_ms, method, path, status, duration_ms, resource_type, outcome, resource_id, members_json)
       VALUES (?, ?, 0, 'GET', ?, 200, 1, 'User', 'read', ?, ?)`,
    )
    // one global counter with gaps, as schema 2 wrote it: tenants interleaved, unattributed 401s
    const rows: Array<[number, string | null, string, string | null, string | null]> = [
      [3, 'ta', '/a1', null, null],
      [4, 'tb', '/b1', null, null],
      [7, null, '/n1', null, null],
      [9, 'ta', '/a2', 'g1', JSON.stringify({ added: ['u1'], removed: [] })],
      [12, 'tb', '/b2', null, null],
      [15, 'ta', '/a3', null, null],
    ]
    for (const r of rows) insert.run(...r)
    old
      .prepare('INSERT INTO event_members (seq, tenant_id, member_id) VALUES (9, ?, ?)')
      .run('ta', 'u1')
    old.close()

    const db = openDatabase(dataDir)
    const after = db
      .prepare('SELECT tenant_id AS t, seq, path FROM events ORDER BY id')
      .all() as Array<{ t: string | null; seq: number; path: string }>
    expect(after.map((r) => [r.t, r.seq, r.path])).toEqual([
      ['ta', 1, '/a1'],
      ['tb', 1, '/b1'],
      [null, 1, '/n1'],
      ['ta', 2, '/a2'],
      ['tb', 2, '/b2'],
      ['ta', 3, '/a3'],
    ])
    const store = new EventStore(db, 1000)
    const story = store.query({
      tenantId: 'ta',
      limit: 10,
      user: { userNames: [], resourceIds: ['u1'] },
    })
    expect(story.map((e) => [e.seq, e.path])).toEqual([[2, '/a2']])
    const base = {
      timeMs: 0,
      method: 'GET',
      status: 200,
      durationMs: 1,
      resourceType: 'User' as const,
      resourceId: null,
      userName: null,
      outcome: 'read' as const,
      error: null,
      tokenHashPrefix: null,
      requestBody: null,
      responseBody: null,
    }
    expect(store.append({ ...base, tenantId: 'ta', path: '/a4' }).seq).toBe(4)
    expect(store.append({ ...base, tenantId: 'tb', path: '/b3' }).seq).toBe(3)
    expect(store.append({ ...base, tenantId: null, path: '/n2' }).seq).toBe(2)
    expect(store.append({ ...base, tenantId: 'new', path: '/x1' }).seq).toBe(1)
    expect(store.eventsAfter('ta', 2, 10).map((e) => e.seq)).toEqual([3, 4])
    db.close()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('records the schema version and refuses a folder written by a newer version', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-version-'))
    const a = await startTestServer({ dataDir })
    await a.stop(true)
    const db = new DatabaseSync(join(dataDir, 'scim-backend.sqlite'))
    expect((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version).toBe(
      schemaVersion,
    )
    expect((db.prepare('PRAGMA journal_mode').get() as { journal_mode: string }).journal_mode).toBe(
      'wal',
    )
    db.exec(`PRAGMA user_version = ${schemaVersion + 1}`)
    db.close()
    await expect(startServer({ port: 0, dataDir })).rejects.toThrow(/newer scim-console/)
    rmSync(dataDir, { recursive: true, force: true })
  })

  it('upgrades a folder written with an older schema in place, keeping its data', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-upgrade-'))
    const a = await startTestServer({ dataDir })
    await a.scim('/Users', { method: 'POST', body: { schemas: [USER], userName: 'old@x.org' } })
    await a.stop(true)
    // Roll the folder back to schema 1 (before event_members existed).
    const db = new DatabaseSync(join(dataDir, 'scim-backend.sqlite'))
    db.exec('DROP TABLE event_members; DROP TABLE IF EXISTS sso_events; PRAGMA user_version = 1')
    db.close()
    const b = await startTestServer({ dataDir })
    running.push(b)
    const found = await b.scim(`/Users?filter=${encodeURIComponent('userName eq "old@x.org"')}`)
    expect(found.body.totalResults).toBe(1)
    const check = new DatabaseSync(join(dataDir, 'scim-backend.sqlite'))
    const version = (check.prepare('PRAGMA user_version').get() as { user_version: number })
      .user_version
    const table = check
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'event_members'")
      .get()
    check.close()
    expect(version).toBe(schemaVersion)
    expect(table).toBeDefined()
  })

  it('a first start generates the admin key and demo token once and stores only their SHA-256', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'scim-first-'))
    const first = await startServer({ port: 0, dataDir })
    expect(first.createdStore).toBe(true)
    const { adminKey, demoToken } = first.generated
    expect(adminKey).toMatch(/^scimc_admin_/)
    expect(demoToken).toMatch(/^scimc_scim_/)
    const res = await fetch(`${first.scimBaseUrl}/Users?count=1`, {
      headers: { Authorization: `Bearer ${demoToken}` },
    })
    expect(res.status).toBe(200)
    await first.close()
    const second = await startServer({ port: 0, dataDir })
    expect(second.generated).toEqual({})
    const admin = await fetch(`${second.adminBaseUrl}/tenants`, {
      headers: { Authorization: `Bearer ${adminKey}` },
    })
    expect(admin.status).toBe(200)
    await second.close()
    const db = new DatabaseSync(join(dataDir, 'scim-backend.sqlite'))
    const dump = JSON.stringify([
      db.prepare('SELECT * FROM settings').all(),
      db.prepare('SELECT * FROM scim_tokens').all(),
      db.prepare('SELECT * FROM events').all(),
    ])
    db.close()
    expect(dump).not.toContain(adminKey!)
    expect(dump).not.toContain(demoToken!)
    rmSync(dataDir, { recursive: true, force: true })
  })
})

describe('limits', () => {
  it('rate limit per tenant: 429 with an integer Retry-After, recorded as rejected', async () => {
    const s = await startTestServer({ rateLimit: 3 })
    running.push(s)
    const statuses: number[] = []
    let retryAfter: string | null = null
    for (let i = 0; i < 8; i++) {
      const r = await s.scim('/Users?count=1')
      statuses.push(r.status)
      if (r.status === 429) {
        retryAfter = r.headers.get('retry-after')
        expect(r.body).toMatchObject({ status: '429' })
      }
    }
    expect(statuses.slice(0, 3)).toEqual([200, 200, 200])
    expect(statuses).toContain(429)
    expect(retryAfter).toMatch(/^[1-9]\d*$/)
    const ev = await s.admin(`/tenants/${s.server.demoTenantId}/events?statusClass=4xx&limit=1`)
    expect(ev.body.items[0]).toMatchObject({ status: 429, outcome: 'rejected' })
  })

  it('retention keeps at most N events per tenant, newest kept', async () => {
    const s = await startTestServer({ retention: 10 })
    running.push(s)
    for (let i = 0; i < 300; i++) await s.scim(`/Users?count=0&i=${i}`)
    const ev = await s.admin(`/tenants/${s.server.demoTenantId}/events?limit=500`)
    expect(ev.body.items.length).toBeLessThanOrEqual(10 + 256)
    expect(ev.body.items.length).toBeGreaterThanOrEqual(10)
    expect(ev.body.items[0].path).toBe('/Users?count=0&i=299')
    // pruning removes the oldest only: the sequence stays contiguous up to the newest, 300
    const seqs = ev.body.items.map((e: { seq: number }) => e.seq)
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => 300 - i))
  })

  it('request and response bodies in events are capped at 16 KB', async () => {
    const s = await startTestServer()
    running.push(s)
    const big = { schemas: [USER], userName: 'big@x.org', displayName: 'y'.repeat(40_000) }
    expect((await s.scim('/Users', { method: 'POST', body: big })).status).toBe(201)
    const ev = (await s.admin(`/tenants/${s.server.demoTenantId}/events?limit=1`)).body.items[0]
    expect(typeof ev.requestBody).toBe('string')
    expect(ev.requestBody.length).toBeLessThan(17 * 1024)
    expect(ev.requestBody.endsWith('…[truncated]')).toBe(true)
    expect(ev.userName).toBe('big@x.org')
  })
})

describe('public URL (behind a reverse proxy)', () => {
  it('reports the SCIM base URL, SP values, Location and meta.location under the public URL, not the listen address', async () => {
    const t = await startTestServer({ publicUrl: 'https://SCIM.example.com/saas/' })
    running.push(t)
    const { server } = t
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.publicUrl).toBe('https://scim.example.com/saas')
    expect(server.scimBaseUrl).toBe('https://scim.example.com/saas/scim/v2')
    expect(server.adminBaseUrl).toBe('https://scim.example.com/saas/admin/v1')

    // The proxy strips /saas, so requests arrive at the listen address without it.
    const direct = `${server.url}/scim/v2`
    const headers = {
      Authorization: `Bearer ${TEST_TOKEN}`,
      'Content-Type': 'application/scim+json',
    }
    const created = await fetch(`${direct}/Users`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ schemas: [USER], userName: 'behind@proxy.org' }),
    })
    expect(created.status).toBe(201)
    const user = (await created.json()) as { id: string; meta: { location: string } }
    const location = `https://scim.example.com/saas/scim/v2/Users/${user.id}`
    expect(created.headers.get('location')).toBe(location)
    expect(user.meta.location).toBe(location)
    const read = (await (await fetch(`${direct}/Users/${user.id}`, { headers })).json()) as {
      meta: { location: string }
    }
    expect(read.meta.location).toBe(location)
    const listed = (await (
      await fetch(
        `${direct}/Users?filter=${encodeURIComponent('userName eq "behind@proxy.org"')}`,
        {
          headers,
        },
      )
    ).json()) as { Resources: Array<{ meta: { location: string } }> }
    expect(listed.Resources[0]!.meta.location).toBe(location)

    const admin = (path: string) =>
      fetch(`${server.url}/admin/v1${path}`, {
        headers: { Authorization: `Bearer ${TEST_ADMIN_KEY}` },
      }).then((r) => r.json() as Promise<Record<string, any>>) // eslint-disable-line @typescript-eslint/no-explicit-any -- loose JSON
    const tenant = server.demoTenantId
    expect((await admin(`/tenants/${tenant}/scim`)).baseUrl).toBe(server.scimBaseUrl)
    expect((await admin(`/tenants/${tenant}/sso`)).sp.acsUrl).toBe(
      `https://scim.example.com/saas/sso/${tenant}/saml/acs`,
    )
  })

  it('refuses an unusable public URL with the problem and the fix, before touching the data folder', async () => {
    for (const [value, problem] of [
      ['scim.example.com', /is not a URL/],
      ['ftp://scim.example.com', /scheme is ftp/],
      ['https://user:pw@scim.example.com', /credentials/],
      ['https://scim.example.com/?tenant=1', /query or fragment/],
    ] as const) {
      expect(() => parsePublicUrl(value)).toThrow(problem)
      expect(() => parsePublicUrl(value)).toThrow(/such as https:\/\/scim\.example\.com/)
    }
    const dataDir = join(tmpdir(), `scim-public-${process.pid}-${Date.now()}`)
    await expect(startServer({ port: 0, dataDir, publicUrl: 'ftp://x' })).rejects.toThrow(
      /scheme is ftp/,
    )
    expect(existsSync(dataDir)).toBe(false)
    expect(parsePublicUrl('http://127.0.0.1:9000')).toBe('http://127.0.0.1:9000')
  })
})
