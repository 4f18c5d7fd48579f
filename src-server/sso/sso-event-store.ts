import type { DatabaseSync, StatementSync } from 'node:sqlite'
import type { AssertionView, Evidence } from '../../src-domain/saml-response/index.ts'
import { redact } from '../../src-shared/redact.ts'
import { transaction } from '../db.ts'

/** One sign-in attempt at the ACS, as the admin API serves it. */
export interface SsoEvent {
  seq: number
  time: string
  tenantId: string
  outcome: 'success' | 'failure'
  /** A `saml.*` reason code, or `sso.not_configured`; null on success. */
  reason: string | null
  message: string
  hint: string | null
  evidence: Evidence
  /** Every failure found, first one being `reason`. */
  failures: { code: string; message: string }[]
  flow: 'sp-initiated' | 'idp-initiated' | 'unknown'
  /** The e-mail (or NameID) the assertion names; null when it could not be read. */
  userName: string | null
  /** The SCIM user this sign-in maps to by userName or e-mail, when provisioned. */
  scimUser: { id: string; userName: string; active: boolean } | null
  inResponseTo: string | null
  relayState: string | null
  signature: { signed: string; certificateSha256: string | null }
  /** The decoded assertion (attributes included), redacted; null when it could not be read. */
  assertion: AssertionView | null
  /** True when `assertion` was read from signed, verified XML. */
  verified: boolean
}

export type NewSsoEvent = Omit<SsoEvent, 'seq' | 'time' | 'tenantId'>

/** Attempts kept per tenant; the oldest go first. */
const RETENTION = 10_000

export class SsoEventStore {
  private readonly db: DatabaseSync
  private readonly s: Record<string, StatementSync>

  constructor(db: DatabaseSync) {
    this.db = db
    this.s = {
      nextSeq: db.prepare(
        'SELECT COALESCE(MAX(seq), 0) + 1 AS n FROM sso_events WHERE tenant_id = ?',
      ),
      insert: db.prepare(
        'INSERT INTO sso_events (tenant_id, seq, time_ms, outcome, reason, user_name, user_name_lower, assertion_id, json) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      prune: db.prepare('DELETE FROM sso_events WHERE tenant_id = ? AND seq <= ?'),
      accepted: db.prepare(
        "SELECT time_ms FROM sso_events WHERE tenant_id = ? AND assertion_id = ? AND outcome = 'success' ORDER BY seq LIMIT 1",
      ),
      page: db.prepare(
        'SELECT json FROM sso_events WHERE tenant_id = ? AND seq < ? ORDER BY seq DESC LIMIT ?',
      ),
      pageUser: db.prepare(
        'SELECT json FROM sso_events WHERE tenant_id = ? AND seq < ? AND user_name_lower IN (SELECT value FROM json_each(?)) ORDER BY seq DESC LIMIT ?',
      ),
    }
  }

  record(tenantId: string, e: NewSsoEvent, now = Date.now()): SsoEvent {
    return transaction(this.db, () => {
      const seq = (this.s.nextSeq!.get(tenantId) as { n: number }).n
      const event: SsoEvent = redact({
        seq,
        time: new Date(now).toISOString(),
        tenantId,
        ...e,
      })
      this.s.insert!.run(
        tenantId,
        seq,
        now,
        e.outcome,
        e.reason,
        e.userName,
        e.userName?.toLowerCase() ?? null,
        e.assertion?.id ?? null,
        JSON.stringify(event),
      )
      if (seq % 100 === 0) this.s.prune!.run(tenantId, seq - RETENTION)
      return event
    })
  }

  /** When an assertion with this ID was first accepted, or null: the replay check. */
  acceptedAt(tenantId: string, assertionId: string): string | null {
    const row = this.s.accepted!.get(tenantId, assertionId) as { time_ms: number } | undefined
    return row ? new Date(row.time_ms).toISOString() : null
  }

  /** Newest first; `before` is a sequence number (exclusive). `userNames` match case-insensitively. */
  page(
    tenantId: string,
    opts: { before?: number; limit: number; userNames?: string[] },
  ): { items: SsoEvent[]; nextCursor: string | null } {
    const before = opts.before ?? Number.MAX_SAFE_INTEGER
    const rows = (
      opts.userNames
        ? this.s.pageUser!.all(
            tenantId,
            before,
            JSON.stringify(opts.userNames.map((u) => u.toLowerCase())),
            opts.limit + 1,
          )
        : this.s.page!.all(tenantId, before, opts.limit + 1)
    ) as { json: string }[]
    const items = rows.slice(0, opts.limit).map((r) => JSON.parse(r.json) as SsoEvent)
    const last = items[items.length - 1]
    return { items, nextCursor: rows.length > opts.limit && last ? String(last.seq) : null }
  }
}
