// The reference backend (on disk) side by side with Jackson's directory-sync SCIM server
// (@boxyhq/saml-jackson, in-memory engine), issue #15: both seeded with the same users, both
// in their own process, loaded by this one with the same generator (undici, 16 keep-alive
// connections), measured interleaved (A, B, A, B, ...) so that machine load falls on both alike.
//   node bench/peers.bench.ts       (or: npm run bench -- peers)
//   SCIM_BENCH_USERS=100000 SCIM_BENCH_SECONDS=5 SCIM_BENCH_ROUNDS=3 (the defaults)
//   SCIM_BENCH_CPU_PROF=DIR   the reference backend runs under `node --cpu-prof`, profile in DIR
//   SCIM_BENCH_PEER=off       the reference alone (profiling, quick iterations): no Jackson
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { Agent, request } from 'undici'
import { openDatabase } from '../src-server/db.ts'
import { sha256Hex } from '../src-server/store/hash.ts'
import { ResourceStore } from '../src-server/store/resources.ts'
import { TenantStore } from '../src-server/store/tenants.ts'
import { launchBackendProcess } from '../src-server/launcher/launch-process.ts'

const SEED_USERS = Number(process.env.SCIM_BENCH_USERS ?? 100_000)
const PHASE_SECONDS = Number(process.env.SCIM_BENCH_SECONDS ?? 5)
const ROUNDS = Number(process.env.SCIM_BENCH_ROUNDS ?? 3)
const CONCURRENCY = 16
const CPU_PROF_DIR = process.env.SCIM_BENCH_CPU_PROF
const WITH_PEER = process.env.SCIM_BENCH_PEER !== 'off'
/** Jackson is seeded this many creates at a time, each batch awaited before the next. */
const SEED_BATCH = 1_000
const USER = 'urn:ietf:params:scim:schemas:core:2.0:User'
const seedUser = (i: number) => ({
  schemas: [USER],
  userName: `seed.${i}@bench.example`,
  externalId: `ext-${i}`,
  displayName: `Seed ${i}`,
  emails: [{ value: `seed.${i}@bench.example`, type: 'work', primary: true }],
  active: true,
})

/** The Jackson side, in a child process: start, seed through its controller, report, serve. */
async function jacksonChild(): Promise<void> {
  const { startJacksonScimServer } = await import('../test/support/jackson-scim-server.ts')
  const t0 = performance.now()
  const server = await startJacksonScimServer({ type: 'generic-scim-v2' })
  const t1 = performance.now()
  let refused = 0
  for (let start = 0; start < SEED_USERS; start += SEED_BATCH) {
    const batch = Array.from({ length: Math.min(SEED_BATCH, SEED_USERS - start) }, (_, k) =>
      server.createUserInProcess(seedUser(start + k)),
    )
    for (const status of await Promise.all(batch)) if (status !== 201) refused++
  }
  const t2 = performance.now()
  console.log(
    JSON.stringify({
      baseUrl: server.baseUrl,
      token: server.token,
      startMs: t1 - t0,
      seedMs: t2 - t1,
      refused,
      rssMb: process.memoryUsage().rss / 2 ** 20,
    }),
  )
  // The parent closes stdin when it is done (or dies); Jackson's TTL timer never lets go.
  process.stdin.resume()
  process.stdin.on('end', () => void server.close().finally(() => process.exit(0)))
}

interface Target {
  name: string
  base: string
  token: string
  pid: number
  stop(): Promise<void>
}

async function startReference(dataDir: string): Promise<Target & { seedMs: number }> {
  const token = `bench-token-${Date.now()}-0123456789abcdef`
  const t0 = performance.now()
  // Straight into the store, as backend.bench.ts does: through HTTP it would measure POST twice.
  const db = openDatabase(dataDir)
  const tenants = new TenantStore(db)
  const resources = new ResourceStore(db)
  const tenant = tenants.createTenant('Bench')
  tenants.setSetting('demo_tenant_id', tenant.id)
  tenants.registerToken(tenant.id, 'bench', sha256Hex(token))
  db.exec('BEGIN')
  for (let i = 0; i < SEED_USERS; i++) {
    if (i % 10_000 === 9_999) {
      db.exec('COMMIT')
      db.exec('BEGIN')
    }
    resources.createUser(tenant.id, seedUser(i))
  }
  db.exec('COMMIT')
  db.close()
  const seedMs = performance.now() - t0
  // Throughput of the server itself: the default per-tenant rate limit would measure the limiter.
  const nodeOptions = process.env.NODE_OPTIONS
  // The profile is written when the backend exits on its own (stop() asks it to, by SIGTERM).
  if (CPU_PROF_DIR)
    process.env.NODE_OPTIONS = `${nodeOptions ?? ''} --cpu-prof --cpu-prof-dir=${CPU_PROF_DIR}`
  const backend = await launchBackendProcess({ dataDir, retention: 1_000_000, rateLimit: 'off' })
  if (nodeOptions === undefined) delete process.env.NODE_OPTIONS
  else process.env.NODE_OPTIONS = nodeOptions
  return {
    name: 'reference (disk)',
    base: backend.scimBaseUrl,
    token,
    pid: backend.pid,
    seedMs,
    stop: () => backend.stop(),
  }
}

async function startJackson(): Promise<Target & { seedMs: number; rssMb: number }> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url), '--jackson-child'], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env },
  })
  const line = await new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout })
    lines.once('line', resolve)
    child.once('exit', (code) => reject(new Error(`Jackson child exited (${code}) before ready`)))
  })
  const ready = JSON.parse(line) as {
    baseUrl: string
    token: string
    startMs: number
    seedMs: number
    refused: number
    rssMb: number
  }
  if (ready.refused) throw new Error(`Jackson refused ${ready.refused} seed users`)
  return {
    name: 'Jackson (memory)',
    base: ready.baseUrl,
    token: ready.token,
    pid: child.pid!,
    seedMs: ready.seedMs,
    rssMb: ready.rssMb,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve())
        child.stdin.end()
      }),
  }
}

const agent = new Agent({ connections: CONCURRENCY, pipelining: 1 })

async function call(t: Target, method: string, path: string, body?: string) {
  const res = await request(`${t.base}${path}`, {
    method: method as 'GET',
    dispatcher: agent,
    headers: {
      authorization: `Bearer ${t.token}`,
      ...(body ? { 'content-type': 'application/scim+json' } : {}),
    },
    body,
  })
  return { status: res.statusCode, text: await res.body.text() }
}

/** CPU seconds a process has used (Linux /proc; undefined elsewhere). */
function cpuSeconds(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return undefined
  }
}

interface Figures {
  rate: number
  p50: number
  p99: number
  perCpu: number | undefined
  bad: number
}

async function phase(t: Target, make: (i: number) => Promise<boolean>): Promise<Figures> {
  const cpuBefore = cpuSeconds(t.pid)
  const times: number[] = []
  let next = 0
  let bad = 0
  const started = performance.now()
  const deadline = started + PHASE_SECONDS * 1000
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < deadline) {
        const r0 = performance.now()
        const ok = await make(next++)
        if (ok) times.push(performance.now() - r0)
        else bad++
      }
    }),
  )
  const secs = (performance.now() - started) / 1000
  const cpuAfter = cpuSeconds(t.pid)
  times.sort((a, b) => a - b)
  const at = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))] ?? NaN
  return {
    rate: times.length / secs,
    p50: at(0.5),
    p99: at(0.99),
    perCpu:
      cpuBefore === undefined || cpuAfter === undefined || cpuAfter === cpuBefore
        ? undefined
        : (times.length + bad) / (cpuAfter - cpuBefore),
    bad,
  }
}

const postPhase = (t: Target, round: number) =>
  phase(t, async (i) => {
    const name = `bench.${round}.${i}@bench.example`
    const body = JSON.stringify({ schemas: [USER], userName: name, emails: [{ value: name }] })
    return (await call(t, 'POST', '/Users', body)).status === 201
  })

const filterPhase = (t: Target) =>
  phase(t, async (i) => {
    const n = (i * 7919) % SEED_USERS
    const filter = encodeURIComponent(`userName eq "seed.${n}@bench.example"`)
    const r = await call(t, 'GET', `/Users?filter=${filter}`)
    return r.status === 200 && r.text.includes('"totalResults":1')
  })

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b)
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2
}
const fmt = (f: Figures) =>
  `${f.rate.toFixed(0)}/s, p50 ${f.p50.toFixed(1)} ms, p99 ${f.p99.toFixed(1)} ms` +
  (f.perCpu ? `, ${f.perCpu.toFixed(0)} per server CPU-s` : '') +
  (f.bad ? `, ${f.bad} unexpected` : '')

async function main(): Promise<void> {
  const loadBefore = loadavg()
  const dataDir = mkdtempSync(join(tmpdir(), 'scim-peers-'))
  const targets: Target[] = []
  try {
    const ref = await startReference(dataDir)
    targets.push(ref)
    console.log(
      `reference: seeded ${SEED_USERS} users in ${(ref.seedMs / 1000).toFixed(1)} s (store)`,
    )
    if (WITH_PEER) {
      const jackson = await startJackson()
      targets.push(jackson)
      console.log(
        `Jackson: seeded ${SEED_USERS} users in ${(jackson.seedMs / 1000).toFixed(1)} s ` +
          `(controller, ${SEED_BATCH} concurrent creates per batch; RSS ${jackson.rssMb.toFixed(0)} MB)`,
      )
    }
    for (const t of targets) await filterPhase(t) // warm-up: JIT, page cache, connections
    const results = new Map<string, { post: Figures[]; get: Figures[] }>(
      targets.map((t) => [t.name, { post: [], get: [] }]),
    )
    for (let round = 1; round <= ROUNDS; round++) {
      for (const t of targets) {
        const post = await postPhase(t, round)
        const get = await filterPhase(t)
        results.get(t.name)!.post.push(post)
        results.get(t.name)!.get.push(get)
        console.log(`round ${round} ${t.name}: POST ${fmt(post)} | filter GET ${fmt(get)}`)
      }
    }
    const loadAfter = loadavg()
    const loads = () =>
      `load average (1/5/15 min) before: ${loadBefore.map((l) => l.toFixed(1)).join(' ')}, ` +
      `after: ${loadAfter.map((l) => l.toFixed(1)).join(' ')}`
    if (!WITH_PEER) {
      const r = results.get(ref.name)!
      const m = (fs: Figures[], k: keyof Figures) => median(fs.map((f) => Number(f[k] ?? NaN)))
      console.log(
        `\nreference alone, medians of ${ROUNDS} rounds: POST ${m(r.post, 'rate').toFixed(0)}/s ` +
          `p99 ${m(r.post, 'p99').toFixed(1)} ms ${m(r.post, 'perCpu').toFixed(0)} per CPU-s | ` +
          `GET ${m(r.get, 'rate').toFixed(0)}/s p99 ${m(r.get, 'p99').toFixed(1)} ms ` +
          `${m(r.get, 'perCpu').toFixed(0)} per CPU-s\n${loads()}`,
      )
      return
    }
    const jackson = targets[1]!
    console.log(
      `\nmedians of ${ROUNDS} interleaved rounds, ${SEED_USERS} seeded users, ` +
        `${CONCURRENCY} keep-alive connections, ${PHASE_SECONDS} s per phase:`,
    )
    console.log('| measure | reference (disk) | Jackson (memory) | reference / Jackson |')
    console.log('|---|---|---|---|')
    const [a, b] = [results.get(ref.name)!, results.get(jackson.name)!]
    const rows: [string, (r: typeof a) => number, number][] = [
      ['POST /Users req/s', (r) => median(r.post.map((f) => f.rate)), 0],
      ['POST p50 ms', (r) => median(r.post.map((f) => f.p50)), 1],
      ['POST p99 ms', (r) => median(r.post.map((f) => f.p99)), 1],
      ['POST per server CPU-s', (r) => median(r.post.map((f) => f.perCpu ?? NaN)), 0],
      ['filter GET req/s', (r) => median(r.get.map((f) => f.rate)), 0],
      ['filter GET p50 ms', (r) => median(r.get.map((f) => f.p50)), 1],
      ['filter GET p99 ms', (r) => median(r.get.map((f) => f.p99)), 1],
      ['filter GET per server CPU-s', (r) => median(r.get.map((f) => f.perCpu ?? NaN)), 0],
    ]
    const values = new Map<string, [number, number]>()
    for (const [label, get, digits] of rows) {
      const [x, y] = [get(a), get(b)]
      values.set(label, [x, y])
      console.log(
        `| ${label} | ${x.toFixed(digits)} | ${y.toFixed(digits)} | ${(x / y).toFixed(2)}x |`,
      )
    }
    console.log(loads())
    // Issue #15: on disk at least as fast as Jackson in memory, p99 no worse.
    const v = (k: string) => values.get(k)!
    const met =
      v('POST /Users req/s')[0] >= v('POST /Users req/s')[1] &&
      v('POST p99 ms')[0] <= v('POST p99 ms')[1] &&
      v('filter GET req/s')[0] >= v('filter GET req/s')[1] &&
      v('filter GET p99 ms')[0] <= v('filter GET p99 ms')[1]
    console.log(
      met
        ? 'target met: reference ≥ Jackson on POST and filter GET rates, p99 no worse'
        : 'TARGET MISSED (issue #15: reference ≥ Jackson on rates, p99 no worse)',
    )
    process.exitCode = met ? 0 : 1
  } finally {
    for (const t of targets) await t.stop()
    await agent.close()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

if (process.argv[2] === '--jackson-child') await jacksonChild()
else await main()
