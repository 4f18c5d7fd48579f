import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { EventFollower } from './event-follower.ts'

/** What the crash harness's clients saw for one tenant, checked against the store after a kill. */
export interface TenantModel {
  index: number
  id: string
  token: string
  follower: EventFollower
  /** Ids of users whose create was acknowledged and that no delete was sent for. */
  live: string[]
  /** Ids with a request in flight, so two clients never race on one user. */
  busy: Set<string>
  /** Every create sent, in order; `id` once a 201 was read. */
  creates: { userName: string; id: string | null; acknowledged: boolean }[]
  deletes: Map<string, 'acknowledged' | 'unknown'>
  updates: Map<string, { acknowledged: number; unknown: number }>
  /** Creates of an existing userName (409 expected), per userName. */
  conflicts: Map<string, { acknowledged: number; unknown: number }>
  /** Requests answered (acknowledged) and requests cut off by the kill (unknown). */
  requests: { acknowledged: number; unknown: number }
  unexpected?: string[]
  /** The stored seq up to which events were checked, and the streamed events checked so far. */
  checkedSeq: number
  streamChecked: number
  checkedCreates?: number
  /** Users and userNames whose counters changed since the last check. */
  dirtyUpdates: Set<string>
  dirtyConflicts: Set<string>
}

interface EventRow {
  seq: number
  method: string
  status: number
  outcome: string
  resource_id: string | null
  user_name: string | null
}

/**
 * The invariants of issue #16, checked on the data folder of a killed backend (opened here, in
 * this process, exactly as a restart would open it):
 * - the database passes PRAGMA integrity_check;
 * - per tenant, seq runs 1..n without a gap or a repeat;
 * - every acknowledged request has exactly one event, and no event exists without its request
 *   (the event count lies between the acknowledged requests and those plus the cut-off ones);
 * - every acknowledged create is stored with exactly one `created` event; a cut-off create is
 *   either stored with one event or absent with none; likewise deletes and updates (a user's
 *   version counts its `updated` events exactly);
 * - no event without its write: every `created` event's user exists unless a `deleted` event
 *   follows, and the user count is created minus deleted;
 * - the live stream delivered seq 1, 2, 3, ... exactly once across restarts, and every event it
 *   delivered is stored as delivered; at the end it delivered everything stored.
 */
export function checkInvariants(dataDir: string, tenants: TenantModel[], final: boolean): string[] {
  const db = new DatabaseSync(join(dataDir, 'scim-backend.sqlite'))
  const v: string[] = []
  try {
    const integrity = db.prepare('PRAGMA integrity_check').all() as { integrity_check: string }[]
    if (integrity.length !== 1 || integrity[0]!.integrity_check !== 'ok') {
      v.push(`integrity_check: ${integrity.map((r) => r.integrity_check).join('; ')}`)
    }
    for (const t of tenants)
      v.push(...checkTenant(db, t, final).map((m) => `tenant ${t.index}: ${m}`))
  } finally {
    db.close()
  }
  return v
}

function checkTenant(db: DatabaseSync, t: TenantModel, final: boolean): string[] {
  const v: string[] = []
  for (const u of t.unexpected ?? []) v.push(u)
  t.unexpected = []
  const q = (sql: string, ...args: (string | number)[]) =>
    db.prepare(sql).get(...args) as Record<string, number | string | null>
  const span = q(
    'SELECT COUNT(*) AS n, MIN(seq) AS lo, MAX(seq) AS hi FROM events WHERE tenant_id = ?',
    t.id,
  )
  const n = Number(span.n)
  if (n > 0 && (span.lo !== 1 || span.hi !== n)) {
    v.push(`seq not contiguous: ${n} events, seq ${span.lo}..${span.hi}`)
  }
  if (n < t.requests.acknowledged || n > t.requests.acknowledged + t.requests.unknown) {
    v.push(
      `${n} events for ${t.requests.acknowledged} acknowledged and ${t.requests.unknown} cut-off requests`,
    )
  }
  const createdBy = (col: 'resource_id' | 'user_name_lower', value: string) =>
    Number(
      q(
        `SELECT COUNT(*) AS n FROM events WHERE tenant_id = ? AND ${col} = ? AND outcome = 'created'`,
        t.id,
        value,
      ).n,
    )
  const eventsFor = (id: string, outcome: string) =>
    Number(
      q(
        'SELECT COUNT(*) AS n FROM events WHERE tenant_id = ? AND resource_id = ? AND outcome = ?',
        t.id,
        id,
        outcome,
      ).n,
    )
  const userById = (id: string) =>
    db.prepare('SELECT version FROM users WHERE tenant_id = ? AND id = ?').get(t.id, id) as
      { version: number } | undefined

  for (const c of t.creates.slice(t.checkedCreates ?? 0)) {
    const byName = createdBy('user_name_lower', c.userName.toLowerCase())
    const row = db
      .prepare('SELECT id FROM users WHERE tenant_id = ? AND user_name_lower = ?')
      .get(t.id, c.userName.toLowerCase()) as { id: string } | undefined
    if (c.acknowledged) {
      if (byName !== 1) v.push(`acknowledged create of ${c.userName} has ${byName} created events`)
      if (c.id && !t.deletes.has(c.id) && row?.id !== c.id)
        v.push(`acknowledged create of ${c.userName} (${c.id}) is not stored`)
    } else if (byName !== (row ? 1 : 0)) {
      v.push(`cut-off create of ${c.userName}: stored=${!!row}, ${byName} created events`)
    }
  }
  t.checkedCreates = t.creates.length

  for (const [id, state] of t.deletes) {
    const row = userById(id)
    const deleted = eventsFor(id, 'deleted')
    if (state === 'acknowledged' && (row || deleted !== 1)) {
      v.push(`acknowledged delete of ${id}: stored=${!!row}, ${deleted} deleted events`)
    } else if (state === 'unknown' && (deleted > 1 || !!row === (deleted === 1))) {
      v.push(`cut-off delete of ${id}: stored=${!!row}, ${deleted} deleted events`)
    }
  }
  for (const id of t.dirtyUpdates) {
    const u = t.updates.get(id)!
    const updated = eventsFor(id, 'updated')
    if (updated < u.acknowledged || updated > u.acknowledged + u.unknown) {
      v.push(`${id}: ${updated} updated events for ${u.acknowledged}+${u.unknown}? updates`)
    }
    const row = userById(id)
    if (row && row.version !== updated + 1) {
      v.push(`${id}: version ${row.version} but ${updated} updated events`)
    }
  }
  for (const userName of t.dirtyConflicts) {
    const c = t.conflicts.get(userName)!
    const rejected = Number(
      q(
        "SELECT COUNT(*) AS n FROM events WHERE tenant_id = ? AND user_name_lower = ? AND status = 409 AND outcome = 'rejected'",
        t.id,
        userName.toLowerCase(),
      ).n,
    )
    if (rejected < c.acknowledged || rejected > c.acknowledged + c.unknown) {
      v.push(`${userName}: ${rejected} 409 events for ${c.acknowledged}+${c.unknown}? duplicates`)
    }
  }
  // Settled: the next check looks only at what changes from here on.
  t.deletes.clear()
  t.dirtyUpdates.clear()
  t.dirtyConflicts.clear()

  const created = Number(
    q("SELECT COUNT(*) AS n FROM events WHERE tenant_id = ? AND outcome = 'created'", t.id).n,
  )
  const deleted = Number(
    q("SELECT COUNT(*) AS n FROM events WHERE tenant_id = ? AND outcome = 'deleted'", t.id).n,
  )
  const users = Number(q('SELECT COUNT(*) AS n FROM users WHERE tenant_id = ?', t.id).n)
  if (users !== created - deleted) {
    v.push(`${users} users stored, but ${created} created and ${deleted} deleted events`)
  }
  const fresh = db
    .prepare(
      "SELECT seq, resource_id FROM events WHERE tenant_id = ? AND seq > ? AND outcome = 'created'",
    )
    .all(t.id, t.checkedSeq) as { seq: number; resource_id: string }[]
  for (const e of fresh) {
    if (!userById(e.resource_id) && eventsFor(e.resource_id, 'deleted') !== 1) {
      v.push(`event ${e.seq} created ${e.resource_id}, which is not stored`)
    }
  }
  t.checkedSeq = n

  const byseq = db.prepare(
    'SELECT seq, method, status, outcome, resource_id, user_name FROM events WHERE tenant_id = ? AND seq = ?',
  )
  const got = t.follower.received
  for (let i = t.streamChecked; i < got.length; i++) {
    const e = got[i]!
    if (e.seq !== i + 1) {
      v.push(`stream delivered seq ${e.seq} as its event #${i + 1} (repeat or gap)`)
      break
    }
    const row = byseq.get(t.id, e.seq) as EventRow | undefined
    if (
      !row ||
      row.outcome !== e.outcome ||
      row.status !== e.status ||
      row.resource_id !== e.resourceId ||
      row.method !== e.method
    ) {
      v.push(
        `stream delivered seq ${e.seq} (${e.method} ${e.status} ${e.outcome}) but stored: ${
          row ? `${row.method} ${row.status} ${row.outcome}` : 'nothing'
        }`,
      )
    }
  }
  t.streamChecked = got.length
  if (final && got.length !== n) v.push(`stream delivered ${got.length} of ${n} stored events`)
  return v
}
