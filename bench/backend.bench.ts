// Reference backend throughput on loopback: the server runs as its own process (as the console
// launches it), the load comes from this one over keep-alive connections.
//   node bench/backend.bench.ts            (≈1 min; SCIM_BENCH_SECONDS=5 per phase by default)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { openDatabase } from '../src-server/db.ts'
import { EventStore } from '../src-server/store/events.ts'
import { sha256Hex } from '../src-server/store/hash.ts'
import { ResourceStore } from '../src-server/store/resources.ts'
import { TenantStore } from '../src-server/store/tenants.ts'
import { launchBackendProcess } from '../src-server/launcher/launch-process.ts'

const SEED_USERS = Number(process.env.SCIM_BENCH_USERS ?? 100_000)
const SEED_EVENTS = Number(process.env.SCIM_BENCH_EVENTS ?? 1_000_000)
const PHASE_SECONDS = Number(process.env.SCIM_BENCH_SECONDS ?? 5)
const CONCURRENCY = 16
const TOKEN = 'bench-token-0123456789abcdef'
const ADMIN = 'bench-admin-0123456789abcdef'
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'

const dataDir = mkdtempSync(join(tmpdir(), 'scim-bench-'))
const KEEP = process.env.SCIM_BENCH_KEEP === '1'

function seed(): { tenantId: string } {
  const t0 = performance.now()
  const db = openDatabase(dataDir)
  const tenants = new TenantStore(db)
  const resources = new ResourceStore(db)
  const events = new EventStore(db, SEED_EVENTS * 3)
  const tenant = tenants.createTenant('Bench')
  tenants.setSetting('demo_tenant_id', tenant.id)
  tenants.setSetting('admin_key_sha256', sha256Hex(ADMIN))
  tenants.registerToken(tenant.id, 'bench', sha256Hex(TOKEN))
  db.exec('BEGIN')
  for (let i = 0; i < SEED_USERS; i++) {
    if (i % 10_000 === 9_999) {
      db.exec('COMMIT')
      db.exec('BEGIN')
    }
    resources.createUser(tenant.id, {
      schemas: [USER],
      userName: `seed.${i}@bench.example`,
      externalId: `ext-${i}`,
      displayName: `Seed ${i}`,
      emails: [{ value: `seed.${i}@bench.example`, type: 'work', primary: true }],
      active: true,
    })
  }
  db.exec('COMMIT')
  const t1 = performance.now()
  // Events are seeded straight into the store: going through HTTP would take ~10 minutes.
  const outcomes = ['read', 'updated', 'lookup_empty', 'created', 'rejected'] as const
  db.exec('BEGIN')
  for (let i = 0; i < SEED_EVENTS; i++) {
    const u = i % SEED_USERS
    const outcome = outcomes[i % outcomes.length]!
    events.append({
      tenantId: tenant.id,
      timeMs: Date.now() - (SEED_EVENTS - i) * 10,
      method: outcome === 'read' ? 'GET' : 'PATCH',
      path: `/Users?filter=userName%20eq%20%22seed.${u}%40bench.example%22`,
      status: outcome === 'rejected' ? 400 : 200,
      durationMs: 1.2,
      resourceType: 'User',
      resourceId: null,
      userName: `seed.${u}@bench.example`,
      outcome,
      error: null,
      tokenHashPrefix: null,
      requestBody: null,
      responseBody: {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
        totalResults: 1,
      },
    })
    if (i % 50_000 === 49_999) {
      db.exec('COMMIT')
      db.exec('BEGIN')
    }
  }
  db.exec('COMMIT')
  const t2 = performance.now()
  // The direct store query, without HTTP, for the record.
  const qt = performance.now()
  const direct = events.query({
    tenantId: tenant.id,
    limit: 50,
    user: { userNames: ['seed.4242@bench.example'], resourceIds: [] },
  })
  const qms = performance.now() - qt
  db.close()
  console.log(
    `seeded ${SEED_USERS} users in ${((t1 - t0) / 1000).toFixed(1)} s, ${SEED_EVENTS} events in ${((t2 - t1) / 1000).toFixed(1)} s`,
  )
  console.log(`event query by user, store only: ${qms.toFixed(2)} ms (${direct.length} events)`)
  return { tenantId: tenant.id }
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY })

function call(
  url: string,
  method: string,
  auth: string,
  body?: string,
): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        agent,
        headers: {
          Authorization: `Bearer ${auth}`,
          ...(body
            ? { 'Content-Type': 'application/scim+json', 'Content-Length': Buffer.byteLength(body) }
            : {}),
        },
      },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (text += c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text }))
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

let serverPid = 0

/** CPU seconds the server process has used (Linux /proc; undefined elsewhere). */
function serverCpuSeconds(): number | undefined {
  try {
    const fields = readFileSync(`/proc/${serverPid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    // utime and stime are fields 14 and 15 of the full line, in clock ticks (100 per second).
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}

async function phase(name: string, make: (i: number) => Promise<boolean>): Promise<number> {
  const cpuBefore = serverCpuSeconds()
  let next = 0
  let ok = 0
  let bad = 0
  const deadline = performance.now() + PHASE_SECONDS * 1000
  const started = performance.now()
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        if (await make(next++)) ok++
        else bad++
      }
    }),
  )
  const secs = (performance.now() - started) / 1000
  const rate = ok / secs
  const cpuAfter = serverCpuSeconds()
  // Requests per second of server CPU: what the server would do with a core to itself, a figure
  // that a busy shared machine disturbs far less than the wall-clock rate.
  const perCpu =
    cpuBefore === undefined || cpuAfter === undefined || cpuAfter === cpuBefore
      ? ''
      : `, ${((ok + bad) / (cpuAfter - cpuBefore)).toFixed(0)} per server CPU-second`
  console.log(
    `${name}: ${rate.toFixed(0)} req/s (${ok} ok, ${bad} unexpected, ${secs.toFixed(1)} s, ${CONCURRENCY} concurrent${perCpu})`,
  )
  return rate
}

const { tenantId } = seed()
// Throughput of the server itself: the default per-tenant rate limit would measure the limiter.
const backend = await launchBackendProcess({
  dataDir,
  retention: SEED_EVENTS * 3,
  rateLimit: 'off',
})
serverPid = backend.pid
try {
  const base = backend.scimBaseUrl
  await phase(
    'warm-up GET',
    async (i) => (await call(`${base}/Users?count=1&startIndex=${i}`, 'GET', TOKEN)).status === 200,
  )
  const post = await phase('POST /Users', async (i) => {
    const body = JSON.stringify({
      schemas: [USER],
      userName: `bench.${i}@bench.example`,
      emails: [{ value: `bench.${i}@bench.example`, type: 'work' }],
      active: true,
    })
    return (await call(`${base}/Users`, 'POST', TOKEN, body)).status === 201
  })
  const get = await phase('GET /Users?filter=userName eq', async (i) => {
    const n = (i * 7919) % SEED_USERS
    const r = await call(
      `${base}/Users?filter=${encodeURIComponent(`userName eq "seed.${n}@bench.example"`)}`,
      'GET',
      TOKEN,
    )
    return r.status === 200 && r.text.includes('"totalResults":1')
  })
  const times: number[] = []
  for (let i = 0; i < 50; i++) {
    const who = `seed.${(i * 104729) % SEED_USERS}@bench.example`
    const t0 = performance.now()
    const r = await call(
      `${backend.adminBaseUrl}/tenants/${tenantId}/events?limit=50&user=${encodeURIComponent(who)}`,
      'GET',
      ADMIN,
    )
    times.push(performance.now() - t0)
    if (r.status !== 200) throw new Error(`event query failed: ${r.status} ${r.text}`)
  }
  times.sort((a, b) => a - b)
  const p50 = times[Math.floor(times.length / 2)]!
  const p95 = times[Math.floor(times.length * 0.95)]!
  console.log(`load average during the run: ${loadavg()[0]!.toFixed(1)}`)
  console.log(
    `event query by user over ${SEED_EVENTS} events via the admin API: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
  )
  // The Tokens screen's "Last used by the IdP" reads the IdP's last 100 requests every 5 s, and
  // the log without test traffic asks the same: a source filter. Every seeded event predates
  // sources (`unknown`), so `idp` matches none: the case that walked the whole log.
  for (const source of ['idp', 'idp,unknown']) {
    const took: number[] = []
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now()
      const r = await call(
        `${backend.adminBaseUrl}/tenants/${tenantId}/events?limit=100&source=${source}`,
        'GET',
        ADMIN,
      )
      took.push(performance.now() - t0)
      if (r.status !== 200) throw new Error(`event query failed: ${r.status} ${r.text}`)
    }
    took.sort((a, b) => a - b)
    console.log(
      `event query source=${source} (limit 100) over ${SEED_EVENTS} events via the admin API: p50 ${took[10]!.toFixed(1)} ms, p95 ${took[19]!.toFixed(1)} ms`,
    )
  }
  const pass = post >= 1000 && get >= 3000 && p95 < 50
  console.log(
    pass ? 'targets met (POST ≥1000/s, filter GET ≥3000/s, event query <50 ms)' : 'TARGET MISSED',
  )
  process.exitCode = pass ? 0 : 1
} finally {
  await backend.stop()
  agent.destroy()
  if (KEEP) console.log(`data kept in ${dataDir}`)
  else rmSync(dataDir, { recursive: true, force: true })
}
