import type { DatabaseSync, StatementSync } from 'node:sqlite'

/** Where a user or group came from and when it last changed, as the event log tells it. */
export interface ResourceHistory {
  /** The event that created the resource; null when it is older than the log's retention. */
  created: {
    seq: number
    time: string
    userAgent: string | null
    /** The event's recorded source (`harness`, `idp`...); null on rows from before sources. */
    source: string | null
    sourceIdp: string | null
  } | null
  /** The newest change to the resource (or, for a user, to a group's membership of it). */
  lastChange: { seq: number; time: string; outcome: string } | null
}

const CHANGES = `('created', 'updated', 'deactivated', 'reactivated', 'membership_changed')`

/**
 * Reads the creating and the newest changing event of a page of resources in three indexed
 * queries (ids travel as one JSON array, so each statement is prepared once).
 */
export class ResourceHistories {
  private readonly created: StatementSync
  private readonly changed: StatementSync
  private readonly changedAsMember: StatementSync

  constructor(db: DatabaseSync) {
    // SQLite takes the bare columns of a MIN()/MAX() aggregate from the row that holds the extreme.
    this.created = db.prepare(
      `SELECT resource_id AS id, MIN(seq) AS seq, time_ms, user_agent, source, source_idp FROM events
       WHERE tenant_id = ? AND outcome = 'created' AND resource_id IN (SELECT value FROM json_each(?))
       GROUP BY resource_id`,
    )
    this.changed = db.prepare(
      `SELECT resource_id AS id, MAX(seq) AS seq, time_ms, outcome FROM events
       WHERE tenant_id = ? AND outcome IN ${CHANGES} AND resource_id IN (SELECT value FROM json_each(?))
       GROUP BY resource_id`,
    )
    // From the member's side, a group's create, PATCH or delete that names it changed its groups.
    this.changedAsMember = db.prepare(
      `SELECT m.member_id AS id, MAX(e.seq) AS seq, e.time_ms, 'membership_changed' AS outcome
       FROM event_members m
       JOIN events e ON e.tenant_id = m.tenant_id AND e.seq = m.seq
       WHERE m.tenant_id = ? AND m.member_id IN (SELECT value FROM json_each(?))
       GROUP BY m.member_id`,
    )
  }

  of(tenantId: string, ids: string[]): Map<string, ResourceHistory> {
    const out = new Map<string, ResourceHistory>(
      ids.map((id) => [id, { created: null, lastChange: null }]),
    )
    if (ids.length === 0) return out
    const json = JSON.stringify(ids)
    type Row = {
      id: string
      seq: number
      time_ms: number
      user_agent?: string | null
      source?: string | null
      source_idp?: string | null
      outcome?: string
    }
    for (const r of this.created.all(tenantId, json) as unknown as Row[]) {
      out.get(r.id)!.created = {
        seq: r.seq,
        time: new Date(r.time_ms).toISOString(),
        userAgent: r.user_agent ?? null,
        source: r.source ?? null,
        sourceIdp: r.source_idp ?? null,
      }
    }
    const changes = [
      ...(this.changed.all(tenantId, json) as unknown as Row[]),
      ...(this.changedAsMember.all(tenantId, json) as unknown as Row[]),
    ]
    for (const r of changes) {
      const h = out.get(r.id)!
      if (h.lastChange === null || r.seq > h.lastChange.seq) {
        h.lastChange = {
          seq: r.seq,
          time: new Date(r.time_ms).toISOString(),
          outcome: r.outcome ?? 'updated',
        }
      }
    }
    return out
  }
}
