// The console's Directory at 100,000 users through the admin API, one request at a time as one
// admin uses it: searches (a substring of userName, displayName or externalId, which no index can
// seek), each's first page and its next ("Load more"); the groups view; and the members of an
// "Everyone" group holding every user, first page and a later one.
//   node bench/directory.bench.ts        (or: npm run bench -- directory)
//   SCIM_BENCH_USERS=100000 SCIM_BENCH_ROUNDS=5 (requests per row, the median is printed)
// Printed, not enforced: issue #15 names no figure for these.
import { mkdtempSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../src-server/db.ts'
import { EventStore } from '../src-server/store/events.ts'
import { ResourceStore } from '../src-server/store/resources.ts'
import { TenantStore } from '../src-server/store/tenants.ts'
import { launchBackendProcess } from '../src-server/launcher/launch-process.ts'

const USERS = Number(process.env.SCIM_BENCH_USERS ?? 100_000)
const ROUNDS = Number(process.env.SCIM_BENCH_ROUNDS ?? 5)
const GROUPS = 500
const ADMIN_KEY = 'bench-admin-key-0123456789abcdef'
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group'
const dataDir = mkdtempSync(join(tmpdir(), 'scim-directory-bench-'))

/** Users as Okta creates them, each with its create event; 500 groups of 20 and "Everyone". */
function seed(): void {
  const t0 = performance.now()
  const db = openDatabase(dataDir)
  const tenants = new TenantStore(db)
  const resources = new ResourceStore(db)
  const events = new EventStore(db, USERS * 3)
  const tenant = tenants.createTenant('Bench')
  tenants.setSetting('demo_tenant_id', tenant.id)
  db.exec('BEGIN')
  const ids: string[] = []
  for (let i = 0; i < USERS; i++) {
    const userName = `seed.${i}@bench.example`
    const stored = resources.createUser(tenant.id, {
      schemas: [USER],
      userName,
      externalId: `ext-${i}`,
      displayName: `Seed ${i}`,
      name: { givenName: `Given${i % 1000}`, familyName: `Family${i % 97}` },
      active: true,
      emails: [{ value: userName, type: 'work', primary: true }],
    })
    ids.push(stored.id)
    events.append({
      tenantId: tenant.id,
      timeMs: Date.now() - (USERS - i) * 1000,
      method: 'POST',
      path: '/Users',
      status: 201,
      durationMs: 3,
      resourceType: 'User',
      resourceId: stored.id,
      userName,
      outcome: 'created',
      error: null,
      tokenHashPrefix: null,
      requestBody: null,
      responseBody: null,
    })
  }
  for (let g = 0; g < GROUPS; g++) {
    const members = ids.slice(g * 20, g * 20 + 20)
    resources.createGroup(tenant.id, { schemas: [GROUP], displayName: `Group ${g}` }, members)
  }
  resources.createGroup(tenant.id, { schemas: [GROUP], displayName: 'Everyone' }, ids)
  db.exec('COMMIT')
  db.close()
  console.log(
    `seeded ${USERS} users, ${GROUPS + 1} groups in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  )
}

seed()
const backend = await launchBackendProcess({ dataDir, rateLimit: 'off', adminKey: ADMIN_KEY })
const headers = { authorization: `Bearer ${ADMIN_KEY}` }
interface Page {
  total: number
  items: { id: string; seq?: number }[]
  nextCursor: string | null
}
/** The median of ROUNDS requests, and the last answer. */
async function timed(path: string): Promise<{ ms: number; body: Page }> {
  const times: number[] = []
  let body: Page | undefined
  for (let i = 0; i < ROUNDS; i++) {
    const t0 = performance.now()
    const res = await fetch(`${backend.adminBaseUrl}${path}`, { headers })
    body = (await res.json()) as Page
    times.push(performance.now() - t0)
    if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`)
  }
  times.sort((a, b) => a - b)
  return { ms: times[Math.floor(times.length / 2)]!, body: body! }
}
/** A search as typed once: its first page the first time (nothing remembered yet). */
async function once(path: string): Promise<{ ms: number; body: Page }> {
  const t0 = performance.now()
  const res = await fetch(`${backend.adminBaseUrl}${path}`, { headers })
  const body = (await res.json()) as Page
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`)
  return { ms: performance.now() - t0, body }
}

try {
  const { tenants } = (await (
    await fetch(`${backend.adminBaseUrl}/tenants`, { headers })
  ).json()) as { tenants: { id: string; name: string }[] }
  const tenant = `/tenants/${tenants.find((t) => t.name === 'Bench')!.id}`
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
  console.log('\n| request | matches | ms |')
  console.log('|---|---|---|')
  const row = (name: string, total: number | string, ms: number) =>
    console.log(`| ${name} | ${total} | ${ms.toFixed(1)} |`)

  const users = await timed(`${tenant}/users?limit=50`)
  row('users, first page', users.body.total, users.ms)
  for (const q of ['seed.4', 'Seed 12', 'ext-5000', 'seed.99999', 'no such user']) {
    const path = `${tenant}/users?limit=50&q=${encodeURIComponent(q)}`
    const first = await once(path)
    row(`search "${q}", first page`, first.body.total, first.ms)
    if (first.body.nextCursor) {
      const next = await timed(`${path}&cursor=${first.body.nextCursor}`)
      row(`search "${q}", next page`, next.body.total, next.ms)
    }
  }
  const groups = await timed(`${tenant}/groups?limit=50`)
  row('groups, first page', groups.body.total, groups.ms)
  const everyone = await once(`${tenant}/groups?limit=50&q=everyone`)
  row('groups, search "everyone"', everyone.body.total, everyone.ms)
  const members = `${tenant}/groups/${everyone.body.items[0]!.id}/members?limit=50`
  const first = await timed(members)
  row(`"Everyone" members, first page`, first.body.total, first.ms)
  let cursor = first.body.nextCursor
  // The page after 1,000 members: each Load more starts from the previous page's last seq.
  for (let page = 1; page < 20 && cursor; page++) {
    cursor = (await once(`${members}&cursor=${cursor}`)).body.nextCursor
  }
  const later = await timed(`${members}&cursor=${cursor}`)
  row(`"Everyone" members, 21st page`, later.body.total, later.ms)
  console.log(
    `load average ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  )
} finally {
  await backend.stop()
  rmSync(dataDir, { recursive: true, force: true })
}
