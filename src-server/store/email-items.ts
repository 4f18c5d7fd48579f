import type { DatabaseSync } from 'node:sqlite'
import type { Json } from './resource-rows.ts'

/**
 * `user_emails`: one row per email item of a user (an object in `emails`), written in the same
 * transaction as the user. It serves `emails.value eq` (index on tenant and lower-cased value)
 * and value filters over emails, `emails[type eq "work" and primary eq true]`, as an indexed
 * EXISTS on the user's rows (scim/filter-sql.ts) instead of reading every user's JSON.
 *
 * The sub-attributes are held the way the filter compiler compares them: strings lower-cased by
 * JavaScript (all four are caseExact false), "" for an unassigned or non-string value (stored
 * bodies hold strings: normalisation rejects other types), `primary` as query-columns.ts holds a
 * boolean. Items that are not objects are left out, as value filters skip them.
 */

export type EmailItem = [
  value: string,
  type: string | null,
  primary: number | null,
  display: string | null,
]

function lower(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value.toLowerCase() : null
}

/** 1 true, 0 false, 2 another assigned value, NULL unassigned (query-columns.ts's booleanValue). */
export function booleanValue(value: unknown): number | null {
  if (typeof value === 'boolean') return value ? 1 : 0
  if (value === undefined || value === null || value === '') return null
  if (Array.isArray(value) && value.length === 0) return null
  if (typeof value === 'string') {
    // The ASCII case folding SQLite's lower() applies to the stored JSON text.
    const folded = value.replace(/[A-Z]/g, (c) => c.toLowerCase())
    if (folded === 'true') return 1
    if (folded === 'false') return 0
  }
  return 2
}

export function emailItems(body: Json): EmailItem[] {
  const emails = body.emails
  if (!Array.isArray(emails)) return []
  const out: EmailItem[] = []
  for (const e of emails) {
    if (!e || typeof e !== 'object' || Array.isArray(e)) continue
    const item = e as Json
    out.push([
      lower(item.value) ?? '',
      lower(item.type),
      booleanValue(item.primary),
      lower(item.display),
    ])
  }
  return out
}

export const INSERT_EMAIL =
  'INSERT INTO user_emails (user_id, tenant_id, value_lower, type_lower, primary_value, display_lower) VALUES (?, ?, ?, ?, ?, ?)'

/**
 * Adds the item columns to a data folder written before them and refills the table from the
 * stored users (the old rows held distinct values only), row by row. Runs inside
 * ensureQueryColumns's transaction.
 */
export function ensureEmailItems(db: DatabaseSync): void {
  const have = new Set(
    (db.prepare('PRAGMA table_info(user_emails)').all() as { name: string }[]).map((c) => c.name),
  )
  if (have.has('type_lower')) return
  db.exec('ALTER TABLE user_emails ADD COLUMN type_lower TEXT')
  db.exec('ALTER TABLE user_emails ADD COLUMN primary_value INTEGER')
  db.exec('ALTER TABLE user_emails ADD COLUMN display_lower TEXT')
  db.exec('DELETE FROM user_emails')
  const insert = db.prepare(INSERT_EMAIL)
  for (const row of db.prepare('SELECT id, tenant_id, json FROM users').iterate() as Iterable<{
    id: string
    tenant_id: string
    json: string
  }>) {
    for (const item of emailItems(JSON.parse(row.json) as Json))
      insert.run(row.id, row.tenant_id, ...item)
  }
}
