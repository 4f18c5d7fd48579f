import type { DatabaseSync, StatementSync } from 'node:sqlite'

export type Outcome =
  | 'created'
  | 'updated'
  | 'deactivated'
  | 'reactivated'
  | 'deleted'
  | 'membership_changed'
  | 'read'
  | 'lookup_empty'
  | 'rejected'

export type EventResourceType = 'User' | 'Group' | 'Discovery' | 'Unknown'

export interface EventError {
  status: string
  scimType?: string
  detail: string
}

export interface EventInput {
  tenantId: string | null
  timeMs: number
  method: string
  path: string
  status: number
  durationMs: number
  resourceType: EventResourceType
  resourceId: string | null
  userName: string | null
  outcome: Outcome
  error: EventError | null
  tokenHashPrefix: string | null
  /** Already redacted and capped by the caller (see `capBody`). */
  requestBody: unknown
  responseBody: unknown
  membersAdded?: string[]
  membersRemoved?: string[]
}

/** A stored event as served: what was recorded, numbered, with the time as ISO 8601. */
export interface ProvisioningEvent extends Omit<EventInput, 'timeMs'> {
  seq: number
  time: string
}

export interface EventQuery {
  tenantId: string
  /** Events with seq strictly below this (newest-first paging). */
  beforeSeq?: number
  limit: number
  /** Events naming any of these userNames (case-insensitive) or touching any of these resource ids. */
  user?: { userNames: string[]; resourceIds: string[] }
  statusClass?: '2xx' | '3xx' | '4xx' | '5xx'
  method?: string
  resourceType?: string
  outcome?: string
  sinceMs?: number
  untilMs?: number
}

interface EventRow {
  seq: number
  tenant_id: string | null
  time_ms: number
  method: string
  path: string
  status: number
  duration_ms: number
  resource_type: EventResourceType
  resource_id: string | null
  user_name: string | null
  outcome: Outcome
  error_json: string | null
  token_prefix: string | null
  request_body: string | null
  response_body: string | null
  members_json: string | null
}

export const BODY_CAP_BYTES = 16 * 1024

/** Caps an already-redacted body so one huge request cannot bloat the event log. */
export function capBody(body: unknown): unknown {
  if (body === undefined || body === null) return null
  const text = typeof body === 'string' ? body : JSON.stringify(body)
  if (text.length <= BODY_CAP_BYTES) return body
  return `${text.slice(0, BODY_CAP_BYTES)}…[truncated]`
}

function parseJson(text: string | null): unknown {
  if (text === null) return null
  try {
    return JSON.parse(text) as unknown
  } catch {
    return text
  }
}

function toEvent(r: EventRow): ProvisioningEvent {
  const e: ProvisioningEvent = {
    seq: r.seq,
    tenantId: r.tenant_id,
    time: new Date(r.time_ms).toISOString(),
    method: r.method,
    path: r.path,
    status: r.status,
    durationMs: r.duration_ms,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    userName: r.user_name,
    outcome: r.outcome,
    error: r.error_json === null ? null : (JSON.parse(r.error_json) as EventError),
    tokenHashPrefix: r.token_prefix,
    requestBody: parseJson(r.request_body),
    responseBody: parseJson(r.response_body),
  }
  if (r.members_json !== null) {
    const m = JSON.parse(r.members_json) as { added: string[]; removed: string[] }
    e.membersAdded = m.added
    e.membersRemoved = m.removed
  }
  return e
}

/**
 * The provisioning event log. `seq` is per tenant: 1, 2, 3, ... without gaps, so a client can see
 * a missing event as a jump. It is assigned in memory at record time, continued from the stored
 * maximum after a restart (retention removes the oldest events, never the newest, so the maximum
 * survives pruning). Events of requests attributed to no tenant have a numbering of their own.
 *
 * Appends are group-committed: an event gets its seq at once (and is published live at once), and
 * the rows are written in one transaction a few milliseconds later. One commit per SCIM request
 * halved throughput; the cost is that a crash can lose the last few milliseconds of events.
 * Every read flushes first, so readers never miss a pending event.
 */
export class EventStore {
  private readonly db: DatabaseSync
  private readonly insert: StatementSync
  private readonly insertMember: StatementSync
  private readonly after: StatementSync
  private readonly cache = new Map<string, StatementSync>()
  /** Events stored per tenant, known once counted. */
  private readonly counts = new Map<string | null, number>()
  /** The last seq given out per tenant, read from the store the first time a tenant records. */
  private readonly lastSeqs = new Map<string | null, number>()
  private readonly maxSeq: StatementSync
  private readonly maxSeqUnattributed: StatementSync
  private pending: unknown[][] = []
  private timer: NodeJS.Timeout | undefined
  readonly retention: number
  readonly flushDelayMs: number
  onFlushError: (err: unknown) => void = () => {}

  constructor(db: DatabaseSync, retention: number, flushDelayMs = 5) {
    this.db = db
    this.retention = retention
    this.flushDelayMs = flushDelayMs
    this.insert = db.prepare(
      `INSERT INTO events (seq, tenant_id, time_ms, method, path, status, duration_ms, resource_type, resource_id, user_name, user_name_lower, outcome, error_json, token_prefix, request_body, response_body, members_json)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.insertMember = db.prepare(
      'INSERT INTO event_members (seq, tenant_id, member_id) VALUES (?, ?, ?)',
    )
    this.after = db.prepare(
      'SELECT * FROM events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    )
    this.maxSeq = db.prepare('SELECT MAX(seq) AS s FROM events WHERE tenant_id = ?')
    this.maxSeqUnattributed = db.prepare('SELECT MAX(seq) AS s FROM events WHERE tenant_id IS NULL')
  }

  /** The seq of the newest event of the tenant recorded so far (0 when none). */
  latestSeq(tenantId: string | null): number {
    let last = this.lastSeqs.get(tenantId)
    if (last === undefined) {
      // One index lookup per tenant and process; nothing of the tenant is pending yet.
      const row = (
        tenantId === null ? this.maxSeqUnattributed.get() : this.maxSeq.get(tenantId)
      ) as { s: number | null }
      last = row.s ?? 0
      this.lastSeqs.set(tenantId, last)
    }
    return last
  }

  append(input: EventInput): ProvisioningEvent {
    const members =
      input.membersAdded?.length || input.membersRemoved?.length
        ? JSON.stringify({ added: input.membersAdded ?? [], removed: input.membersRemoved ?? [] })
        : null
    const seq = this.latestSeq(input.tenantId) + 1
    this.lastSeqs.set(input.tenantId, seq)
    this.pending.push([
      seq,
      input.tenantId,
      input.timeMs,
      input.method,
      input.path,
      input.status,
      input.durationMs,
      input.resourceType,
      input.resourceId,
      input.userName,
      input.userName === null ? null : input.userName.toLowerCase(),
      input.outcome,
      input.error === null ? null : JSON.stringify(input.error),
      input.tokenHashPrefix,
      input.requestBody === null || input.requestBody === undefined
        ? null
        : JSON.stringify(input.requestBody),
      input.responseBody === null || input.responseBody === undefined
        ? null
        : JSON.stringify(input.responseBody),
      members,
    ])
    if (this.pending.length >= 512) this.flush()
    else
      this.timer ??= setTimeout(() => {
        try {
          this.flush()
        } catch (err) {
          // A failed background write (disk full, I/O error) loses that batch, not the server.
          this.onFlushError(err)
        }
      }, this.flushDelayMs)
    const event: ProvisioningEvent = {
      seq,
      tenantId: input.tenantId,
      time: new Date(input.timeMs).toISOString(),
      method: input.method,
      path: input.path,
      status: input.status,
      durationMs: input.durationMs,
      resourceType: input.resourceType,
      resourceId: input.resourceId,
      userName: input.userName,
      outcome: input.outcome,
      error: input.error,
      tokenHashPrefix: input.tokenHashPrefix,
      requestBody: input.requestBody ?? null,
      responseBody: input.responseBody ?? null,
    }
    if (members !== null) {
      event.membersAdded = input.membersAdded ?? []
      event.membersRemoved = input.membersRemoved ?? []
    }
    return event
  }

  /** Writes pending events in one transaction (or inside the caller's, if one is open). */
  flush(): void {
    if (this.timer) {
      clearTimeout(this.timer)
      this.timer = undefined
    }
    if (this.pending.length === 0) return
    const rows = this.pending
    this.pending = []
    const own = !this.db.isTransaction
    if (own) this.db.exec('BEGIN IMMEDIATE')
    try {
      for (const row of rows) {
        this.insert.run(...(row as (string | number | null)[]))
        const members = row[16] as string | null
        if (members !== null && row[1] !== null) {
          const m = JSON.parse(members) as { added: string[]; removed: string[] }
          for (const id of new Set([...m.added, ...m.removed])) {
            this.insertMember.run(row[0] as number, row[1] as string, id)
          }
        }
      }
      if (own) this.db.exec('COMMIT')
    } catch (err) {
      if (own) this.db.exec('ROLLBACK')
      throw err
    }
    const added = new Map<string | null, number>()
    for (const row of rows) {
      const tenant = row[1] as string | null
      added.set(tenant, (added.get(tenant) ?? 0) + 1)
    }
    for (const [tenant, n] of added) this.maybePrune(tenant, n)
  }

  close(): void {
    this.flush()
  }

  private where(tenantId: string | null): { sql: string; args: string[] } {
    return tenantId === null
      ? { sql: 'tenant_id IS NULL', args: [] }
      : { sql: 'tenant_id = ?', args: [tenantId] }
  }

  /**
   * Keeps a running count per tenant (one COUNT the first time) and prunes only once the count
   * passes the limit by a margin: finding the cut point costs a walk over `retention` index
   * entries, far too much to do on every write of a large log.
   */
  private maybePrune(tenantId: string | null, added: number): void {
    let count = this.counts.get(tenantId)
    if (count === undefined) {
      const w = this.where(tenantId)
      count = (
        this.db.prepare(`SELECT COUNT(*) AS n FROM events WHERE ${w.sql}`).get(...w.args) as {
          n: number
        }
      ).n
    } else {
      count += added
    }
    this.counts.set(tenantId, count)
    if (count > this.retention + Math.max(256, Math.floor(this.retention / 100))) {
      this.prune(tenantId)
    }
  }

  prune(tenantId: string | null): void {
    this.flush()
    const w = this.where(tenantId)
    const cut = this.db
      .prepare(`SELECT seq FROM events WHERE ${w.sql} ORDER BY seq DESC LIMIT 1 OFFSET ?`)
      .get(...w.args, this.retention) as { seq: number } | undefined
    if (cut) {
      this.db.prepare(`DELETE FROM events WHERE ${w.sql} AND seq <= ?`).run(...w.args, cut.seq)
      if (tenantId !== null) {
        this.db
          .prepare('DELETE FROM event_members WHERE tenant_id = ? AND seq <= ?')
          .run(tenantId, cut.seq)
      }
    }
    this.counts.set(tenantId, Math.min(this.counts.get(tenantId) ?? this.retention, this.retention))
  }

  /** Oldest first, strictly after `afterSeq`: the SSE replay. */
  eventsAfter(tenantId: string, afterSeq: number, limit: number): ProvisioningEvent[] {
    this.flush()
    return (this.after.all(tenantId, afterSeq, limit) as unknown as EventRow[]).map(toEvent)
  }

  /**
   * Newest first. A user filter runs as index range scans (by userName, by resource id, by group
   * membership) merged.
   */
  query(q: EventQuery): ProvisioningEvent[] {
    this.flush()
    const conds: string[] = ['tenant_id = ?']
    const args: (string | number)[] = [q.tenantId]
    if (q.beforeSeq !== undefined) {
      conds.push('seq < ?')
      args.push(q.beforeSeq)
    }
    if (q.statusClass) {
      const base = Number(q.statusClass[0]) * 100
      conds.push('status >= ? AND status < ?')
      args.push(base, base + 100)
    }
    if (q.method) {
      conds.push('method = ?')
      args.push(q.method.toUpperCase())
    }
    if (q.resourceType) {
      conds.push('resource_type = ?')
      args.push(q.resourceType)
    }
    if (q.outcome) {
      conds.push('outcome = ?')
      args.push(q.outcome)
    }
    if (q.sinceMs !== undefined) {
      conds.push('time_ms >= ?')
      args.push(q.sinceMs)
    }
    if (q.untilMs !== undefined) {
      conds.push('time_ms < ?')
      args.push(q.untilMs)
    }
    const where = conds.join(' AND ')
    if (q.user === undefined) {
      const rows = this.stmt(`SELECT * FROM events WHERE ${where} ORDER BY seq DESC LIMIT ?`).all(
        ...args,
        q.limit,
      )
      return (rows as unknown as EventRow[]).map(toEvent)
    }
    // INDEXED BY pins the plan: left to itself SQLite may walk the whole tenant backwards by seq.
    const byName = this.stmt(
      `SELECT * FROM events INDEXED BY events_tenant_user WHERE ${where} AND user_name_lower = ? ORDER BY seq DESC LIMIT ?`,
    )
    const byId = this.stmt(
      `SELECT * FROM events INDEXED BY events_tenant_resource WHERE ${where} AND resource_id = ? ORDER BY seq DESC LIMIT ?`,
    )
    const merged = new Map<number, EventRow>()
    for (const name of new Set(q.user.userNames.map((n) => n.toLowerCase()))) {
      for (const r of byName.all(...args, name, q.limit) as unknown as EventRow[])
        merged.set(r.seq, r)
    }
    // Membership changes of groups: the events are the group's, the member ids are indexed apart.
    const eventConds = conds.map((c) => c.replace(/^(\w+)/, 'events.$1')).join(' AND ')
    const asMember = this.stmt(
      `SELECT events.* FROM event_members
       JOIN events ON events.tenant_id = event_members.tenant_id AND events.seq = event_members.seq
       WHERE event_members.tenant_id = ? AND event_members.member_id = ? AND ${eventConds}
       ORDER BY event_members.seq DESC LIMIT ?`,
    )
    for (const id of new Set(q.user.resourceIds)) {
      for (const r of byId.all(...args, id, q.limit) as unknown as EventRow[]) merged.set(r.seq, r)
      for (const r of asMember.all(q.tenantId, id, ...args, q.limit) as unknown as EventRow[])
        merged.set(r.seq, r)
    }
    return [...merged.values()]
      .sort((a, b) => b.seq - a.seq)
      .slice(0, q.limit)
      .map(toEvent)
  }

  private stmt(sql: string): StatementSync {
    let s = this.cache.get(sql)
    if (!s) {
      s = this.db.prepare(sql)
      this.cache.set(sql, s)
    }
    return s
  }
}
