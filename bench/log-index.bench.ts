// Provisioning log index: ingest 1,000,000 synthetic events with realistic bodies (Okta's create
// body and the user resource a backend answers with, SCIM-REFERENCE.md §3.3), then time the
// lookups the log screen and the user story make, and report heap with the index's body budget.
// Targets from issue 6: ingest >= 50,000 events/s; a user lookup over 1,000,000 events < 50 ms.
// Exit code 1 if a target is missed.
//
//   node bench/log-index.bench.ts [events] [--budget MB|unbounded]   (default: the index's budget)
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import {
  provisioningEventSchema,
  type ProvisioningEvent,
} from '../src-shared/provisioning-event.ts'
import { parseArgs } from 'node:util'
import { DEFAULT_BODY_BUDGET, EventIndex } from '../src-main/provisioning-log/event-index.ts'
import { collectUserEvents } from '../src-main/provisioning-log/user-story.ts'

const gc = (globalThis as { gc?: () => void }).gc
if (!gc) {
  // Heap figures need a collection before each reading; re-run with the flag.
  const r = spawnSync(
    process.execPath,
    ['--expose-gc', fileURLToPath(import.meta.url), ...process.argv.slice(2)],
    { stdio: 'inherit' },
  )
  process.exit(r.status ?? 1)
}

const args = parseArgs({
  allowPositionals: true,
  options: { budget: { type: 'string' } },
})
const N = Number(args.positionals[0] ?? 1_000_000)
const budgetArg = args.values.budget
const BODY_BUDGET =
  budgetArg === undefined
    ? DEFAULT_BODY_BUDGET
    : budgetArg === 'unbounded'
      ? Infinity
      : Number(budgetArg) * 1024 * 1024
if (!Number.isInteger(N) || N < 1 || Number.isNaN(BODY_BUDGET) || BODY_BUDGET < 0) {
  console.error('usage: node bench/log-index.bench.ts [events] [--budget MB|unbounded]')
  process.exit(2)
}
const USERS = 100_000
const T0 = Date.UTC(2026, 0, 1)

/** Okta's create body (SCIM-REFERENCE.md §3.3), password already redacted by the backend. */
function oktaCreateBody(u: number, userName: string): Record<string, unknown> {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    userName,
    name: { givenName: 'Test', familyName: `User${u}` },
    emails: [{ primary: true, value: userName, type: 'work' }],
    displayName: `Test User${u}`,
    locale: 'en-US',
    externalId: `00ujl29u0le5T6A${u.toString(36).padStart(5, '0')}`,
    groups: [],
    password: '[REDACTED]',
    active: true,
  }
}

/** The user resource the backend answers with: the create body plus id, meta and the extension. */
function userResource(u: number, userName: string, id: string, active = true): unknown {
  const { password: _password, ...body } = oktaCreateBody(u, userName)
  return {
    ...body,
    schemas: [
      'urn:ietf:params:scim:schemas:core:2.0:User',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
    ],
    id,
    active,
    'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': {
      employeeNumber: String(100_000 + u),
      department: 'Engineering',
      costCenter: `CC-${u % 97}`,
      manager: { value: `6f1c${((u + 1) % USERS).toString(16).padStart(8, '0')}` },
    },
    meta: {
      resourceType: 'User',
      created: '2026-01-01T00:00:00.000Z',
      lastModified: '2026-01-01T00:00:00.000Z',
      location: `https://scim.acme.example/scim/v2/Users/${id}`,
      version: `W/"${u.toString(16)}"`,
    },
  }
}

/** A day of Okta traffic for 100,000 users: lookups, creates, updates, deactivations, group pushes, failures. */
function synthetic(seq: number): ProvisioningEvent {
  const u = (seq * 7919) % USERS
  const userName = `user${u}@acme.example`
  const id = `6f1c${u.toString(16).padStart(8, '0')}-7c1e-4a8e-9a55-1d2f3c4b5a69`
  const kind = seq % 20
  const base = {
    seq,
    tenantId: '9b2f6a54-tenant',
    time: new Date(T0 + seq * 50).toISOString(),
    durationMs: 2 + (seq % 37),
    tokenHashPrefix: '3fa4c21b',
    error: null,
  }
  if (kind >= 3 && kind < 6) {
    // A lookup that matches: Okta then updates what it found.
    return {
      ...base,
      method: 'GET',
      path: `/Users?filter=userName%20eq%20%22${encodeURIComponent(userName)}%22&startIndex=1&count=100`,
      status: 200,
      resourceType: 'User',
      resourceId: null,
      userName,
      outcome: 'read',
      requestBody: null,
      responseBody: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 1,
        Resources: [userResource(u, userName, id)],
        startIndex: 1,
        itemsPerPage: 1,
      },
    }
  }
  if (kind < 3) {
    return {
      ...base,
      method: 'GET',
      path: `/Users?filter=userName%20eq%20%22${encodeURIComponent(userName)}%22&startIndex=1&count=100`,
      status: 200,
      resourceType: 'User',
      resourceId: null,
      userName,
      outcome: 'lookup_empty',
      requestBody: null,
      responseBody: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 0,
        Resources: [],
        startIndex: 1,
        itemsPerPage: 0,
      },
    }
  }
  if (kind < 9) {
    return {
      ...base,
      method: 'POST',
      path: '/Users',
      status: 201,
      resourceType: 'User',
      resourceId: id,
      userName,
      outcome: 'created',
      requestBody: oktaCreateBody(u, userName),
      responseBody: userResource(u, userName, id),
    }
  }
  if (kind >= 11 && kind < 14) {
    // Okta's PUT flow (§3.4): the whole user read back, changed, and sent again.
    return {
      ...base,
      method: 'PUT',
      path: `/Users/${id}`,
      status: 200,
      resourceType: 'User',
      resourceId: id,
      userName,
      outcome: 'updated',
      requestBody: userResource(u, userName, id),
      responseBody: userResource(u, userName, id),
    }
  }
  if (kind < 14) {
    return {
      ...base,
      method: 'GET',
      path: `/Users/${id}`,
      status: 200,
      resourceType: 'User',
      resourceId: id,
      userName,
      outcome: 'read',
      requestBody: null,
      responseBody: userResource(u, userName, id),
    }
  }
  if (kind < 16) {
    return {
      ...base,
      method: 'PATCH',
      path: `/Users/${id}`,
      status: 200,
      resourceType: 'User',
      resourceId: id,
      userName,
      outcome: 'deactivated',
      requestBody: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
        Operations: [{ op: 'replace', value: { active: false } }],
      },
      responseBody: userResource(u, userName, id, false),
    }
  }
  if (kind === 16) {
    return {
      ...base,
      method: 'PATCH',
      path: `/Groups/g${u % 50}`,
      status: 200,
      resourceType: 'Group',
      resourceId: `g${u % 50}`,
      userName: null,
      outcome: 'membership_changed',
      requestBody: { Operations: [{ op: 'add', path: 'members', value: [{ value: id }] }] },
      responseBody: null,
      membersAdded: [id],
      membersRemoved: [],
    }
  }
  if (kind === 17) {
    return {
      ...base,
      method: 'POST',
      path: '/Users',
      status: 409,
      resourceType: 'User',
      resourceId: null,
      userName,
      outcome: 'rejected',
      error: {
        status: '409',
        scimType: 'uniqueness',
        detail: `A user with userName "${userName}" already exists in this tenant.`,
      },
      requestBody: oktaCreateBody(u, userName),
      responseBody: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '409',
        scimType: 'uniqueness',
        detail: `A user with userName "${userName}" already exists in this tenant.`,
      },
    }
  }
  if (kind === 18) {
    return {
      ...base,
      method: 'GET',
      path: `/Users?filter=userName%20eq%20%22${encodeURIComponent(userName)}%22`,
      status: 401,
      resourceType: 'User',
      resourceId: null,
      userName: null,
      outcome: 'rejected',
      error: { status: '401', detail: 'This SCIM token was revoked.' },
      requestBody: null,
      responseBody: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
        status: '401',
        detail: 'This SCIM token was revoked.',
      },
    }
  }
  return {
    ...base,
    method: 'PUT',
    path: `/Users/${id}`,
    status: 429,
    resourceType: 'User',
    resourceId: id,
    userName,
    outcome: 'rejected',
    error: { status: '429', detail: 'Rate limit of this tenant exceeded. Retry after 1 s.' },
    requestBody: userResource(u, userName, id),
    responseBody: {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '429',
      detail: 'Rate limit of this tenant exceeded. Retry after 1 s.',
    },
  }
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MB`
}

function time<T>(fn: () => T): { ms: number; value: T } {
  const t = performance.now()
  const value = fn()
  return { ms: performance.now() - t, value }
}

function stats(samples: number[]): string {
  const s = [...samples].sort((a, b) => a - b)
  const mean = s.reduce((a, b) => a + b, 0) / s.length
  const p95 = s[Math.min(s.length - 1, Math.floor(s.length * 0.95))]!
  return `mean ${mean.toFixed(2)} ms, p95 ${p95.toFixed(2)} ms, max ${s[s.length - 1]!.toFixed(2)} ms`
}

gc()
const heap0 = process.memoryUsage().heapUsed
const rss0 = process.memoryUsage().rss
const index = new EventIndex({ capacity: N, bodyBudget: BODY_BUDGET })

// Events arrive as the stream delivers them: parsed objects in batches.
const BATCH = 500
let insertMs = 0
let insertCpuUs = 0
for (let start = 1; start <= N; start += BATCH) {
  const batch: ProvisioningEvent[] = []
  for (let s = start; s < start + BATCH && s <= N; s++) batch.push(synthetic(s))
  const t = performance.now()
  const cpu = process.cpuUsage()
  index.insertMany(batch)
  const used = process.cpuUsage(cpu)
  insertCpuUs += used.user + used.system
  insertMs += performance.now() - t
}
const rate = N / (insertMs / 1000)
const cpuRate = N / (insertCpuUs / 1e6)
gc()
const mem = process.memoryUsage()
console.log(
  `ingest: ${N.toLocaleString('en')} events in ${insertMs.toFixed(0)} ms wall = ${Math.round(rate).toLocaleString('en')} events/s (CPU time ${(insertCpuUs / 1000).toFixed(0)} ms = ${Math.round(cpuRate).toLocaleString('en')} events/s per core)`,
)
{
  let bodyChars = 0
  for (let s = 1; s <= Math.min(N, 20_000); s++) {
    const e = synthetic(s)
    bodyChars += JSON.stringify([e.requestBody, e.responseBody]).length
  }
  const st = index.stats()
  const heldFrom = st.bodiesHeldFromSeq
  console.log(
    `bodies: ${(bodyChars / Math.min(N, 20_000)).toFixed(0)} bytes/event of JSON on average; budget ${Number.isFinite(BODY_BUDGET) ? mb(BODY_BUDGET) : 'unbounded'}, held ${mb(st.bodyBytes)} for ${heldFrom === null ? 0 : (N - heldFrom + 1).toLocaleString('en')} newest events`,
  )
}
console.log(
  `memory: heap +${mb(mem.heapUsed - heap0)} (${((mem.heapUsed - heap0) / N).toFixed(0)} bytes/event), rss ${mb(mem.rss)} (+${mb(mem.rss - rss0)}), external+arrayBuffers ${mb(mem.arrayBuffers)}`,
)

// What the stream adds per event before the index: JSON.parse of the SSE data and zod validation.
{
  const M = Math.min(N, 200_000)
  const texts: string[] = []
  for (let s = 1; s <= M; s++) texts.push(JSON.stringify(synthetic(s)))
  const fresh = new EventIndex({ capacity: M, bodyBudget: BODY_BUDGET })
  const t = performance.now()
  const cpu = process.cpuUsage()
  for (const text of texts) {
    const parsed = provisioningEventSchema.safeParse(JSON.parse(text))
    if (parsed.success) fresh.insert(parsed.data)
  }
  const used = process.cpuUsage(cpu)
  const ms = performance.now() - t
  console.log(
    `stream path (JSON.parse + zod + insert), ${M.toLocaleString('en')} events: ${Math.round(M / (ms / 1000)).toLocaleString('en')} events/s wall, ${Math.round(M / ((used.user + used.system) / 1e6)).toLocaleString('en')} events/s CPU`,
  )
}

// One user's events (each user has ~10 over the million): chain walk + parse of their rows.
const lookups: number[] = []
const ordOnly: number[] = []
for (let i = 0; i < 200; i++) {
  const u = (i * 4871) % USERS
  ordOnly.push(time(() => index.ordinalsForUserKeys([`user${u}@acme.example`])).ms)
  lookups.push(time(() => index.eventsForUserKeys([`USER${u}@acme.example`])).ms)
}
console.log(`user lookup (ordinals): ${stats(ordOnly)}`)
console.log(`user lookup (events parsed): ${stats(lookups)}`)

const stories: number[] = []
for (let i = 0; i < 50; i++)
  stories.push(time(() => collectUserEvents(index, `user${(i * 7577) % USERS}@acme.example`)).ms)
console.log(`user story events (identity expansion + big-group scan): ${stats(stories)}`)

// The table: a new filter scans the whole index once; scrolling the same filter is a slice.
const filters: Array<[string, Parameters<EventIndex['query']>[0]]> = [
  ['status 4xx', { filter: { statusClass: ['4xx'] }, limit: 100 }],
  [
    'method PATCH + resource Group',
    { filter: { method: ['PATCH'], resourceType: ['Group'] }, limit: 100 },
  ],
  [
    'time range (1 hour)',
    {
      filter: {
        since: new Date(T0 + 3_600_000 * 5).toISOString(),
        until: new Date(T0 + 3_600_000 * 6).toISOString(),
      },
      limit: 100,
    },
  ],
  ['user + 4xx', { filter: { user: 'user4242@acme.example', statusClass: ['4xx'] }, limit: 100 }],
  ['free text "revoked"', { filter: { text: 'revoked' }, limit: 100 }],
]
for (const [name, q] of filters) {
  const cold = time(() => index.query({ ...q, offset: 0 }))
  const warm: number[] = []
  for (let i = 0; i < 50; i++)
    warm.push(
      time(() => index.query({ ...q, offset: (i * 997) % Math.max(1, cold.value.total) })).ms,
    )
  console.log(
    `filter ${name}: ${cold.value.total.toLocaleString('en')} matches, first page ${cold.ms.toFixed(1)} ms, next pages ${stats(warm)}`,
  )
}
const scroll: number[] = []
for (let i = 0; i < 200; i++)
  scroll.push(time(() => index.query({ offset: (i * 4999) % N, limit: 60 })).ms)
console.log(`unfiltered page of 60 rows anywhere: ${stats(scroll)}`)

const p95Lookup = [...lookups].sort((a, b) => a - b)[Math.floor(lookups.length * 0.95)]!
const ok = rate >= 50_000 && p95Lookup < 50
console.log(ok ? 'targets met (ingest >= 50,000/s, user lookup p95 < 50 ms)' : 'TARGET MISSED')
process.exit(ok ? 0 : 1)
