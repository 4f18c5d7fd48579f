import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { httpRequest, startBackendProcess } from './backend-process.ts'
import type { BackendProcess } from './backend-process.ts'
import { checkInvariants } from './crash-invariants.ts'
import type { TenantModel } from './crash-invariants.ts'
import { EventFollower } from './event-follower.ts'

/**
 * Test support: the crash harness. Runs a real backend process under concurrent SCIM load from
 * several tenants, kills it with SIGKILL at a seeded random moment, restarts it on the same data
 * folder and port, and checks the invariants of crash-invariants.ts after every kill. The seed
 * fixes the operations and the kill delays; the operating system's scheduling still varies, so a
 * replay repeats the run's shape, not every interleaving.
 */

export interface CrashRunOptions {
  seed: number
  kills: number
  tenants?: number
  /** Concurrent clients per tenant. */
  workers?: number
  /** Load runs this long (a seeded random value in the range) before the kill. */
  minLoadMs?: number
  maxLoadMs?: number
  /** Progress lines (one per kill). */
  progress?: (line: string) => void
  /** Use the real CLI (bin/scim-console.mjs) rather than the lighter serve entry. */
  cli?: boolean
  /** A bundled build of test/support/backend-serve-process.ts to start instead. */
  entry?: string
  dataDir?: string
}

export interface CrashRunReport {
  seed: number
  kills: number
  requests: { acknowledged: number; unknown: number }
  events: number
  streamed: number
  violations: string[]
  elapsedMs: number
}

/** mulberry32: small, fast, and the same sequence for the same seed everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

async function setUpTenants(
  backend: BackendProcess,
  adminKey: string,
  count: number,
): Promise<TenantModel[]> {
  const out: TenantModel[] = []
  for (let i = 0; i < count; i++) {
    const t = await httpRequest(`${backend.adminBaseUrl}/tenants`, {
      method: 'POST',
      token: adminKey,
      body: { name: `crash tenant ${i}` },
      headers: { 'Content-Type': 'application/json' },
    })
    if (t.status !== 201) throw new Error(`tenant creation answered ${t.status}: ${t.text}`)
    const id = (t.json() as { id: string }).id
    const token = `scimc_scim_${randomBytes(24).toString('base64url')}`
    const sha256 = createHash('sha256').update(token).digest('hex')
    const r = await httpRequest(`${backend.adminBaseUrl}/tenants/${id}/scim/tokens`, {
      method: 'POST',
      token: adminKey,
      body: { label: 'crash harness', sha256 },
      headers: { 'Content-Type': 'application/json' },
    })
    if (r.status !== 201) throw new Error(`token registration answered ${r.status}: ${r.text}`)
    out.push({
      index: i,
      id,
      token,
      follower: new EventFollower(id, adminKey),
      live: [],
      busy: new Set(),
      creates: [],
      deletes: new Map(),
      updates: new Map(),
      conflicts: new Map(),
      dirtyUpdates: new Set(),
      dirtyConflicts: new Set(),
      requests: { acknowledged: 0, unknown: 0 },
      checkedSeq: 0,
      streamChecked: 0,
    })
  }
  return out
}

type Op = 'create' | 'duplicate' | 'replace' | 'delete' | 'read'

function pickOp(rnd: () => number, t: TenantModel): Op {
  const r = rnd()
  const free = t.live.some((id) => !t.busy.has(id))
  if (r < 0.5 || !free) return 'create'
  if (r < 0.6) return 'duplicate'
  if (r < 0.8) return 'replace'
  if (r < 0.9) return 'delete'
  return 'read'
}

/** One client: sends operations until `stop` is set; records what it saw. */
async function worker(
  backend: BackendProcess,
  t: TenantModel,
  rnd: () => number,
  label: string,
  stop: { now: boolean },
): Promise<void> {
  const users = `${backend.scimBaseUrl}/Users`
  for (let n = 0; !stop.now; n++) {
    const op = pickOp(rnd, t)
    let target: string | undefined
    let userName: string | undefined
    if (op === 'replace' || op === 'delete' || op === 'duplicate') {
      // Only users no other client is touching: a duplicate of a user being deleted may be a 201.
      const free = t.live.filter((id) => !t.busy.has(id))
      target = free[Math.floor(rnd() * free.length)]!
      t.busy.add(target)
      if (op === 'delete') t.live.splice(t.live.indexOf(target), 1)
      if (op === 'duplicate') userName = t.creates.find((c) => c.id === target)!.userName
    }
    if (op === 'create') userName = `u-${label}-${n}@crash.test`
    const body =
      op === 'create' || op === 'duplicate'
        ? { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName, active: true }
        : op === 'replace'
          ? {
              schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
              userName: t.creates.find((c) => c.id === target)!.userName,
              displayName: `v${n}`,
            }
          : undefined
    const url =
      op === 'read'
        ? `${users}?filter=${encodeURIComponent('userName eq "nobody@crash.test"')}`
        : target && op !== 'duplicate'
          ? `${users}/${target}`
          : users
    const method =
      op === 'replace' ? 'PUT' : op === 'delete' ? 'DELETE' : op === 'read' ? 'GET' : 'POST'
    const create = op === 'create' ? { userName: userName!, id: null as string | null } : undefined
    if (create) t.creates.push({ ...create, acknowledged: false })
    let status: number | 'unknown'
    let id: string | undefined
    try {
      const reply = await httpRequest(url, { method, token: t.token, body })
      status = reply.status
      if (status === 201) id = (reply.json() as { id: string }).id
    } catch {
      status = 'unknown'
    }
    if (target) t.busy.delete(target)
    if (status === 'unknown') t.requests.unknown++
    else t.requests.acknowledged++
    record(t, op, status, userName, target, id)
    if (status === 'unknown') return
  }
}

function record(
  t: TenantModel,
  op: Op,
  status: number | 'unknown',
  userName: string | undefined,
  target: string | undefined,
  id: string | undefined,
): void {
  const acked = status !== 'unknown'
  const expected = { create: 201, duplicate: 409, replace: 200, delete: 204, read: 200 }[op]
  if (acked && status !== expected) {
    t.unexpected ??= []
    t.unexpected.push(`${op} answered ${status} (expected ${expected})`)
  }
  if (op === 'create') {
    const c = t.creates.findLast((x) => x.userName === userName)!
    if (acked) {
      c.acknowledged = true
      c.id = id ?? null
      if (id) t.live.push(id)
    }
  } else if (op === 'delete') {
    t.deletes.set(target!, acked ? 'acknowledged' : 'unknown')
  } else if (op === 'replace') {
    const u = t.updates.get(target!) ?? { acknowledged: 0, unknown: 0 }
    if (acked) u.acknowledged++
    else u.unknown++
    t.updates.set(target!, u)
    t.dirtyUpdates.add(target!)
  } else if (op === 'duplicate') {
    const u = t.conflicts.get(userName!) ?? { acknowledged: 0, unknown: 0 }
    if (acked) u.acknowledged++
    else u.unknown++
    t.conflicts.set(userName!, u)
    t.dirtyConflicts.add(userName!)
  }
}

/** Resolves when any tenant's request count moves. */
function firstAnswer(tenants: TenantModel[]): Promise<void> {
  const before = tenants.map((t) => t.requests.acknowledged)
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (tenants.some((t, i) => t.requests.acknowledged !== before[i])) {
        clearInterval(timer)
        resolve()
      }
    }, 5)
  })
}

/** Runs the harness; the report lists every invariant violation found (none is the pass). */
export async function runCrashHarness(opts: CrashRunOptions): Promise<CrashRunReport> {
  const started = performance.now()
  const rnd = seededRandom(opts.seed)
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'scim-crash-'))
  const adminKey = `scimc_admin_${randomBytes(24).toString('base64url')}`
  const violations: string[] = []
  const minLoad = opts.minLoadMs ?? 0
  const maxLoad = opts.maxLoadMs ?? 200
  let backend = await startBackendProcess({ dataDir, adminKey, cli: opts.cli, entry: opts.entry })
  const port = backend.port
  const tenants = await setUpTenants(backend, adminKey, opts.tenants ?? 3)
  try {
    for (let kill = 1; kill <= opts.kills + 1; kill++) {
      const last = kill > opts.kills
      for (const t of tenants) await t.follower.connect(backend.adminBaseUrl)
      if (last) {
        // The final start: no kill. The stream must catch up to everything stored.
        for (const t of tenants) {
          const r = await httpRequest(`${backend.adminBaseUrl}/tenants/${t.id}/events?limit=1`, {
            token: adminKey,
          })
          const newest = (r.json() as { items: { seq: number }[] }).items[0]?.seq ?? 0
          await t.follower.waitFor(newest)
        }
        for (const t of tenants) t.follower.disconnect()
        backend.child.kill('SIGTERM')
        await backend.exited
      } else {
        const stop = { now: false }
        const running = tenants.flatMap((t) =>
          Array.from({ length: opts.workers ?? 3 }, (_, w) =>
            worker(backend, t, seededRandom(Math.floor(rnd() * 2 ** 32)), `${kill}-${w}`, stop),
          ),
        )
        // The kill comes a random time after the first answer, so it always lands under load
        // (a cold start on a busy machine can take longer than the whole window).
        const delay = minLoad + rnd() * (maxLoad - minLoad)
        await Promise.race([firstAnswer(tenants), new Promise((r) => setTimeout(r, 5000))])
        await new Promise((r) => setTimeout(r, delay))
        backend.child.kill('SIGKILL')
        await backend.exited
        stop.now = true
        await Promise.all(running)
        for (const t of tenants) t.follower.disconnect()
      }
      const found = checkInvariants(dataDir, tenants, last)
      for (const v of found) violations.push(`kill ${kill}: ${v}`)
      opts.progress?.(
        `${last ? 'final' : `kill ${kill}/${opts.kills}`}: ${found.length} violation(s); ${tenants
          .map((t) => `${t.requests.acknowledged}+${t.requests.unknown}?`)
          .join(' ')}`,
      )
      if (found.length > 0 || last) break
      backend = await startBackendProcess({
        dataDir,
        adminKey,
        port,
        cli: opts.cli,
        entry: opts.entry,
      })
    }
  } finally {
    for (const t of tenants) t.follower.disconnect()
    if (backend.child.exitCode === null && backend.child.signalCode === null) {
      backend.child.kill('SIGKILL')
      await backend.exited
    }
    if (opts.dataDir === undefined && violations.length === 0) {
      rmSync(dataDir, { recursive: true, force: true })
    }
  }
  return {
    seed: opts.seed,
    kills: opts.kills,
    requests: {
      acknowledged: tenants.reduce((n, t) => n + t.requests.acknowledged, 0),
      unknown: tenants.reduce((n, t) => n + t.requests.unknown, 0),
    },
    events: tenants.reduce((n, t) => n + t.checkedSeq, 0),
    streamed: tenants.reduce((n, t) => n + t.follower.received.length, 0),
    violations: violations.length > 0 ? [...violations, `data folder kept: ${dataDir}`] : [],
    elapsedMs: Math.round(performance.now() - started),
  }
}
