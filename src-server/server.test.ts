import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import { afterEach, describe, expect, it } from 'vitest'
import { schemaVersion } from './db.ts'
import { startServer } from './server.ts'
import { startTestServer } from './test-server.ts'
import type { TestServer } from './test-server.ts'

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
    const events = (await b.admin(`/tenants/${tenantId}/events?limit=3`)).body.items
    expect(events[0].seq).toBeGreaterThan(lastSeq)
    expect(events.some((e: { seq: number }) => e.seq === lastSeq)).toBe(true)
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
