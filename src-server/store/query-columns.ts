import type { DatabaseSync } from 'node:sqlite'
import { ENTERPRISE_USER } from './resource-rows.ts'
import type { Json } from './resource-rows.ts'
import { booleanValue, ensureEmailItems } from './email-items.ts'

/**
 * Columns and indexes that let list filters and sorts (scim/filter-sql.ts) read the attributes
 * IdPs and admins filter on most without parsing each user's JSON. The values are lower-cased by
 * JavaScript (as the in-memory evaluator compares them), which SQLite's ASCII-only lower() cannot
 * do, so they are plain columns written with the row rather than generated ones.
 *
 * Added in place to an existing data folder: missing columns are added and filled from the
 * stored JSON once, and indexes are created if absent, so this needs no schema version of its
 * own (and stays clear of the numbered migrations in db.ts).
 */

/** Column name, and the canonical attribute path whose lower-cased string value it holds. */
export const USER_QUERY_COLUMNS = [
  ['given_name_lower', 'name.givenName'],
  ['family_name_lower', 'name.familyName'],
  ['department_lower', `${ENTERPRISE_USER}:department`],
  ['title_lower', 'title'],
  // 1 true, 0 false, 2 another assigned value, NULL unassigned (email-items.ts booleanValue).
  ['active_value', 'active'],
] as const

function lowerString(value: unknown): string | null {
  return typeof value === 'string' ? value.toLowerCase() : null
}

/** The query column values of a stored user body, in USER_QUERY_COLUMNS order. */
export function userQueryValues(body: Json): (string | number | null)[] {
  const name = body.name && typeof body.name === 'object' ? (body.name as Json) : {}
  const ext = body[ENTERPRISE_USER]
  const enterprise = ext && typeof ext === 'object' ? (ext as Json) : {}
  return [
    lowerString(name.givenName),
    lowerString(name.familyName),
    lowerString(enterprise.department),
    lowerString(body.title),
    booleanValue(body.active),
  ]
}

// Each index costs every write; these serve the filters IdPs and the console send (meta.created
// filters are rare and scan the tenant's index on seq instead).
const INDEXES = [
  'CREATE INDEX IF NOT EXISTS users_tenant_given ON users(tenant_id, given_name_lower)',
  'CREATE INDEX IF NOT EXISTS users_tenant_family ON users(tenant_id, family_name_lower)',
  "CREATE INDEX IF NOT EXISTS users_tenant_family_order ON users(tenant_id, NULLIF(family_name_lower, '') IS NULL, NULLIF(family_name_lower, ''), seq)",
  'CREATE INDEX IF NOT EXISTS users_tenant_department ON users(tenant_id, department_lower)',
  'CREATE INDEX IF NOT EXISTS users_tenant_title ON users(tenant_id, title_lower)',
  'CREATE INDEX IF NOT EXISTS users_tenant_active ON users(tenant_id, active_value)',
  'CREATE INDEX IF NOT EXISTS users_tenant_modified ON users(tenant_id, last_modified)',
  'CREATE INDEX IF NOT EXISTS groups_tenant_modified ON groups(tenant_id, last_modified)',
]

/** Adds (and fills) what is missing; a no-op on an up-to-date database. */
export function ensureQueryColumns(db: DatabaseSync): void {
  const have = new Set(
    (db.prepare('PRAGMA table_info(users)').all() as { name: string }[]).map((c) => c.name),
  )
  const missing = USER_QUERY_COLUMNS.filter(([column]) => !have.has(column))
  const nested = db.isTransaction
  if (!nested) db.exec('BEGIN IMMEDIATE')
  try {
    for (const [column] of missing) {
      db.exec(
        `ALTER TABLE users ADD COLUMN ${column} ${column === 'active_value' ? 'INTEGER' : 'TEXT'}`,
      )
    }
    if (missing.length > 0) {
      const set = USER_QUERY_COLUMNS.map(([column]) => `${column} = ?`).join(', ')
      const update = db.prepare(`UPDATE users SET ${set} WHERE seq = ?`)
      // Iterated, not loaded: an old data folder with many users is filled row by row.
      for (const row of db.prepare('SELECT seq, json FROM users').iterate() as Iterable<{
        seq: number
        json: string
      }>) {
        update.run(...userQueryValues(JSON.parse(row.json) as Json), row.seq)
      }
    }
    ensureEmailItems(db)
    for (const sql of INDEXES) db.exec(sql)
    if (!nested) db.exec('COMMIT')
  } catch (err) {
    if (!nested && db.isTransaction) db.exec('ROLLBACK')
    throw err
  }
}
