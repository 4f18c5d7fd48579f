import type { DatabaseSync, StatementSync } from 'node:sqlite'
import { ScimError } from '../scim/scim-error.ts'

/** What the users and groups stores share: the stored shape, row mapping and running counts. */

export const ENTERPRISE_USER = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'

export type Kind = 'User' | 'Group'
export type Json = Record<string, unknown>

/** A stored resource: its SCIM body (no id/meta/groups/members) plus what the server owns. */
export interface Stored {
  kind: Kind
  id: string
  tenantId: string
  version: number
  createdAt: string
  lastModified: string
  body: Json
}

export interface Member {
  value: string
  type: 'User' | 'Group'
  display: string | null
}

export interface ResourceRow {
  id: string
  tenant_id: string
  version: number
  created_at: string
  last_modified: string
  json: string
}

export interface IndexedEq {
  path: string
  value: unknown
}

/** The columns every resource read selects, in `ResourceRow` order. */
export const RESOURCE_COLUMNS = 'id, tenant_id, version, created_at, last_modified, json'

export function str(v: unknown): string | null {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null
}

export function toStored(kind: Kind, row: ResourceRow): Stored {
  return {
    kind,
    id: row.id,
    tenantId: row.tenant_id,
    version: row.version,
    createdAt: row.created_at,
    lastModified: row.last_modified,
    body: JSON.parse(row.json) as Json,
  }
}

/** A row read for a list page: its stored JSON text kept, for answers spliced from it. */
export interface ListedStored extends Stored {
  readonly json: string
}

/**
 * `toStored` for a list page, with the body parsed only when something reads it: a page served
 * as text spliced from `json` (scim/routes/representation.ts, splicedJson) never does, and
 * parsing 100 stored users was the largest part of a page's cost. A class, not an object with
 * an accessor: that cost two closures per row. (Spreading one would drop `body`; nothing does.)
 */
class ListedRow implements ListedStored {
  readonly kind: Kind
  readonly id: string
  readonly tenantId: string
  readonly version: number
  readonly createdAt: string
  readonly lastModified: string
  readonly json: string
  #body: Json | undefined

  constructor(kind: Kind, row: ResourceRow) {
    this.kind = kind
    this.id = row.id
    this.tenantId = row.tenant_id
    this.version = row.version
    this.createdAt = row.created_at
    this.lastModified = row.last_modified
    this.json = row.json
  }

  get body(): Json {
    return (this.#body ??= JSON.parse(this.json) as Json)
  }

  set body(value: Json) {
    this.#body = value
  }
}

export function listedRow(kind: Kind, row: ResourceRow): ListedStored {
  return new ListedRow(kind, row)
}

export function rowsOf(kind: Kind, rows: unknown[]): Stored[] {
  return (rows as ResourceRow[]).map((r) => toStored(kind, r))
}

export function notFound(kind: Kind, id: string): ScimError {
  return new ScimError(
    404,
    `${kind} ${id} not found in this tenant. It was deleted, never existed, or belongs to another tenant's token.`,
  )
}

/**
 * Resources per tenant, counted once and then kept up to date: every unfiltered list needs
 * totalResults, and COUNT(*) over 100,000 users on each Okta import page is too slow. Only this
 * process writes the database, so the figures cannot drift, except when a transaction that
 * adjusted them rolls back: `forget` then drops them, and the next read counts again.
 */
export class ResourceCounts {
  private readonly counts = new Map<string, number>()
  private readonly countStmt: StatementSync

  constructor(db: DatabaseSync, table: 'users' | 'groups') {
    this.countStmt = db.prepare(`SELECT COUNT(*) AS n FROM ${table} WHERE tenant_id = ?`)
  }

  get(tenantId: string): number {
    let n = this.counts.get(tenantId)
    if (n === undefined) {
      n = (this.countStmt.get(tenantId) as { n: number }).n
      this.counts.set(tenantId, n)
    }
    return n
  }

  adjust(tenantId: string, delta: number): void {
    const n = this.counts.get(tenantId)
    if (n !== undefined) this.counts.set(tenantId, n + delta)
  }

  forget(): void {
    this.counts.clear()
  }
}
