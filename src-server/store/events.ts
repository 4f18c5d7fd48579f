import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { preparedStatement } from '../db.ts'
import { eventOf, membersJson, toEvent } from './event-rows.ts'
import { ResourceHistories } from './resource-history.ts'
import type { EventInput, EventRow, ProvisioningEvent } from './event-rows.ts'

export { BODY_CAP_BYTES, capBody, cappedJson, eventOf, membersJson } from './event-rows.ts'
export type {
  EventError,
  EventInput,
  EventResourceType,
  Outcome,
  ProvisioningEvent,
} from './event-rows.ts'

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
  /** Any of these sources; `unknown` matches rows stored before sources were recorded. */
  source?: string[]
  sinceMs?: number
  untilMs?: number
}

/**
 * The provisioning event log. `seq` is per tenant: 1, 2, 3, ... without gaps, so a client can see
 * a missing event as a jump. Events of requests attributed to no tenant have a numbering of their
 * own.
 *
 * `append` writes the row at once, inside the caller's transaction: the request's resource write
 * and its event commit together or not at all (see EventFeed.commit). The next seq per tenant is
 * kept in memory after one index lookup; when the caller's transaction rolls back it calls
 * `forgetUncommitted`, and the next append reads the stored maximum again, so a rolled-back seq is
 * given out again rather than leaving a gap.
 */
export class EventStore {
  private readonly db: DatabaseSync
  private readonly insert: StatementSync
  private readonly insertMember: StatementSync
  private readonly after: StatementSync
  /** Events stored per tenant, known once counted. */
  private readonly counts = new Map<string | null, number>()
  /** The last seq given out per tenant, read from the store the first time a tenant records. */
  private readonly lastSeqs = new Map<string | null, number>()
  private readonly maxSeq: StatementSync
  private readonly maxSeqUnattributed: StatementSync
  readonly retention: number
  /** Creating and latest events per resource, for the directory's source and last change. */
  readonly histories: ResourceHistories

  /** Most events one write prunes (pruneSlice below). */
  private readonly pruneSlice: number

  /**
   * `pruneSlice`: at most this many of the oldest events go per write, so a log far over the
   * limit (a restart with a lower `--retention`) shrinks over the next writes instead of stalling
   * one request for seconds (900,000 events with their bodies took ~6 s in one go).
   */
  constructor(db: DatabaseSync, retention: number, pruneSlice = 1_000) {
    this.db = db
    this.retention = retention
    this.pruneSlice = pruneSlice
    this.insert = db.prepare(
      `INSERT INTO events (seq, tenant_id, time_ms, method, path, status, duration_ms, resource_type, resource_id, user_name, user_name_lower, outcome, error_json, token_prefix, request_body, response_body, members_json, source, source_idp, run_id, user_agent)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    this.insertMember = db.prepare(
      'INSERT INTO event_members (seq, tenant_id, member_id) VALUES (?, ?, ?)',
    )
    this.after = db.prepare(
      'SELECT * FROM events WHERE tenant_id = ? AND seq > ? ORDER BY seq LIMIT ?',
    )
    this.maxSeq = db.prepare('SELECT MAX(seq) AS s FROM events WHERE tenant_id = ?')
    this.maxSeqUnattributed = db.prepare('SELECT MAX(seq) AS s FROM events WHERE tenant_id IS NULL')
    this.histories = new ResourceHistories(db)
  }

  /** The seq of the newest event of the tenant recorded so far (0 when none). */
  latestSeq(tenantId: string | null): number {
    let last = this.lastSeqs.get(tenantId)
    if (last === undefined) {
      const row = (
        tenantId === null ? this.maxSeqUnattributed.get() : this.maxSeq.get(tenantId)
      ) as { s: number | null }
      last = row.s ?? 0
      this.lastSeqs.set(tenantId, last)
    }
    return last
  }

  /**
   * Stores one event and returns it as it will be served. Runs inside the caller's transaction
   * when one is open (the SCIM path always opens one); alone, it is its own.
   */
  append(input: EventInput): ProvisioningEvent {
    return eventOf(input, this.insertEvent(input), membersJson(input))
  }

  /**
   * `append` without building the served event: returns the seq. The group commit builds the
   * event (`eventOf`) only when someone is subscribed to the tenant's feed.
   */
  insertEvent(input: EventInput): number {
    const members = membersJson(input)
    const seq = this.latestSeq(input.tenantId) + 1
    this.insert.run(
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
      input.requestJson !== undefined
        ? input.requestJson
        : input.requestBody === null || input.requestBody === undefined
          ? null
          : JSON.stringify(input.requestBody),
      input.responseJson !== undefined
        ? input.responseJson
        : input.responseBody === null || input.responseBody === undefined
          ? null
          : JSON.stringify(input.responseBody),
      members,
      input.source === undefined || input.source === 'unknown' ? null : input.source,
      input.sourceIdp ?? null,
      input.runId ?? null,
      input.source === undefined ? null : (input.userAgent ?? null),
    )
    if (members !== null && input.tenantId !== null) {
      for (const id of new Set([...(input.membersAdded ?? []), ...(input.membersRemoved ?? [])])) {
        this.insertMember.run(seq, input.tenantId, id)
      }
    }
    // Only after the insert succeeded: a failed insert leaves the counter where it was.
    this.lastSeqs.set(input.tenantId, seq)
    this.maybePrune(input.tenantId, 1)
    return seq
  }

  /** The caller's transaction rolled back: what this store counted in memory may be ahead of disk. */
  forgetUncommitted(): void {
    this.lastSeqs.clear()
    this.counts.clear()
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
        this.stmt(`SELECT COUNT(*) AS n FROM events WHERE ${w.sql}`).get(...w.args) as {
          n: number
        }
      ).n
    } else {
      count += added
    }
    this.counts.set(tenantId, count)
    // Pruning waits for ~1 % over the limit, never more than a slice: each prune is then one walk
    // and one delete of at most a slice, however large the limit.
    const margin = Math.min(Math.max(256, Math.floor(this.retention / 100)), this.pruneSlice)
    if (count > this.retention + margin) this.prune(tenantId)
  }

  /**
   * Deletes the tenant's oldest events beyond `retention`, at most `pruneSlice` of them. The cut
   * is found from the old end, a walk over the excess (about 1 % of the log) instead of over the
   * `retention` newest: the count is exact, since only this store adds or deletes events and a
   * rolled-back transaction clears it (forgetUncommitted).
   */
  private prune(tenantId: string | null): void {
    const w = this.where(tenantId)
    const count = this.counts.get(tenantId) ?? this.retention
    const excess = Math.min(count - this.retention, this.pruneSlice)
    const cut =
      excess > 0
        ? (this.stmt(`SELECT seq FROM events WHERE ${w.sql} ORDER BY seq LIMIT 1 OFFSET ?`).get(
            ...w.args,
            excess - 1,
          ) as { seq: number } | undefined)
        : undefined
    if (cut) {
      this.stmt(`DELETE FROM events WHERE ${w.sql} AND seq <= ?`).run(...w.args, cut.seq)
      if (tenantId !== null) {
        this.stmt('DELETE FROM event_members WHERE tenant_id = ? AND seq <= ?').run(
          tenantId,
          cut.seq,
        )
      }
    }
    if (cut) this.counts.set(tenantId, count - excess)
  }

  /** Oldest first, strictly after `afterSeq`: the SSE replay. */
  eventsAfter(tenantId: string, afterSeq: number, limit: number): ProvisioningEvent[] {
    return (this.after.all(tenantId, afterSeq, limit) as unknown as EventRow[]).map(toEvent)
  }

  /**
   * Newest first. A user filter runs as index range scans (by userName, by resource id, by group
   * membership) merged.
   */
  query(q: EventQuery): ProvisioningEvent[] {
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
    if (q.source?.length && q.user === undefined) {
      // One range of the source index per source (NULL: recorded before sources were), newest
      // first, merged: each stops after `limit`, however rare its source is in the log.
      const bySource = (sql: string) =>
        this.stmt(
          `SELECT * FROM events INDEXED BY events_tenant_source WHERE ${conds.join(' AND ')} AND ${sql} ORDER BY seq DESC LIMIT ?`,
        )
      const merged: EventRow[] = []
      for (const source of new Set(q.source)) {
        const rows =
          source === 'unknown'
            ? bySource('source IS NULL').all(...args, q.limit)
            : bySource('source = ?').all(...args, source, q.limit)
        merged.push(...(rows as unknown as EventRow[]))
      }
      return newestFirst(merged, q.limit)
    }
    if (q.source?.length) {
      const named = q.source.filter((s) => s !== 'unknown')
      const parts: string[] = []
      if (named.length > 0) {
        parts.push(`source IN (${named.map(() => '?').join(', ')})`)
        args.push(...named)
      }
      if (q.source.includes('unknown')) parts.push('source IS NULL')
      conds.push(parts.length === 1 ? parts[0]! : `(${parts.join(' OR ')})`)
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
    return newestFirst(merged.values(), q.limit)
  }

  private stmt(sql: string): StatementSync {
    return preparedStatement(this.db, sql)
  }
}

/** Rows read from several index ranges (each newest first), as one list: the newest `limit`. */
function newestFirst(rows: Iterable<EventRow>, limit: number): ProvisioningEvent[] {
  return [...rows]
    .sort((a, b) => b.seq - a.seq)
    .slice(0, limit)
    .map(toEvent)
}
