import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs'
import { join } from 'node:path'
import { DatabaseSync } from 'node:sqlite'
import type { StatementSync } from 'node:sqlite'

/**
 * Schema migrations, applied in order; `PRAGMA user_version` records how many ran. Never edit a
 * shipped migration: append a new one, so an existing data folder upgrades in place.
 */
const migrations: string[] = [
  `
  CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE tenants (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
  );
  CREATE TABLE scim_tokens (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL REFERENCES tenants(id),
    label TEXT NOT NULL,
    sha256 TEXT NOT NULL UNIQUE,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
  );
  CREATE INDEX scim_tokens_tenant ON scim_tokens(tenant_id, seq);
  CREATE TABLE sso_configs (
    tenant_id TEXT PRIMARY KEY REFERENCES tenants(id),
    idp_json TEXT NOT NULL,
    imported_at TEXT NOT NULL
  );
  -- A user is stored as its SCIM JSON plus the columns the server looks things up by.
  CREATE TABLE users (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL,
    user_name TEXT NOT NULL,
    user_name_lower TEXT NOT NULL,
    external_id TEXT,
    display_name_lower TEXT,
    active INTEGER NOT NULL,
    department TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE UNIQUE INDEX users_tenant_username ON users(tenant_id, user_name_lower);
  CREATE INDEX users_tenant_seq ON users(tenant_id, seq);
  CREATE INDEX users_tenant_external ON users(tenant_id, external_id);
  CREATE INDEX users_tenant_display ON users(tenant_id, display_name_lower);
  CREATE TABLE user_emails (
    user_id TEXT NOT NULL,
    tenant_id TEXT NOT NULL,
    value_lower TEXT NOT NULL
  );
  CREATE INDEX user_emails_lookup ON user_emails(tenant_id, value_lower);
  CREATE INDEX user_emails_user ON user_emails(user_id);
  -- Members live in their own table so membership PATCHes on big groups touch only their rows.
  CREATE TABLE groups (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tenant_id TEXT NOT NULL,
    display_name TEXT NOT NULL,
    display_name_lower TEXT NOT NULL,
    external_id TEXT,
    version INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    last_modified TEXT NOT NULL,
    json TEXT NOT NULL
  );
  CREATE INDEX groups_tenant_seq ON groups(tenant_id, seq);
  CREATE INDEX groups_tenant_display ON groups(tenant_id, display_name_lower);
  CREATE INDEX groups_tenant_external ON groups(tenant_id, external_id);
  CREATE TABLE group_members (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    group_id TEXT NOT NULL,
    member_id TEXT NOT NULL,
    member_type TEXT NOT NULL,
    display TEXT,
    UNIQUE(group_id, member_id)
  );
  CREATE INDEX group_members_member ON group_members(member_id);
  -- seq is AUTOINCREMENT so a number is never reused, even after retention deletes old rows.
  CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id TEXT,
    time_ms INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT,
    user_name TEXT,
    user_name_lower TEXT,
    outcome TEXT NOT NULL,
    error_json TEXT,
    token_prefix TEXT,
    request_body TEXT,
    response_body TEXT,
    members_json TEXT
  );
  CREATE INDEX events_tenant_seq ON events(tenant_id, seq);
  CREATE INDEX events_tenant_user ON events(tenant_id, user_name_lower, seq);
  CREATE INDEX events_tenant_resource ON events(tenant_id, resource_id, seq);
  CREATE INDEX events_tenant_status ON events(tenant_id, status, seq);
  CREATE INDEX events_tenant_time ON events(tenant_id, time_ms);
  `,
  // 2: group membership events are part of each member's story, so they are indexed by member.
  `
  CREATE TABLE event_members (
    seq INTEGER NOT NULL,
    tenant_id TEXT NOT NULL,
    member_id TEXT NOT NULL
  );
  CREATE INDEX event_members_lookup ON event_members(tenant_id, member_id, seq);
  CREATE INDEX event_members_seq ON event_members(tenant_id, seq);
  `,
  // 3: seq becomes per tenant (1, 2, 3, ... without gaps), so a client sees a missing event as a
  // jump. Existing events are renumbered in their stored order; member rows follow their event.
  // Storage order across tenants stays in `id`, which is never served.
  `
  CREATE TABLE events_v3 (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT,
    seq INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    method TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER NOT NULL,
    duration_ms REAL NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT,
    user_name TEXT,
    user_name_lower TEXT,
    outcome TEXT NOT NULL,
    error_json TEXT,
    token_prefix TEXT,
    request_body TEXT,
    response_body TEXT,
    members_json TEXT
  );
  INSERT INTO events_v3 (id, tenant_id, seq, time_ms, method, path, status, duration_ms,
    resource_type, resource_id, user_name, user_name_lower, outcome, error_json, token_prefix,
    request_body, response_body, members_json)
  SELECT seq, tenant_id, ROW_NUMBER() OVER (PARTITION BY tenant_id ORDER BY seq), time_ms, method,
    path, status, duration_ms, resource_type, resource_id, user_name, user_name_lower, outcome,
    error_json, token_prefix, request_body, response_body, members_json
  FROM events;
  UPDATE event_members SET seq = (SELECT e.seq FROM events_v3 e WHERE e.id = event_members.seq);
  DROP TABLE events;
  ALTER TABLE events_v3 RENAME TO events;
  CREATE UNIQUE INDEX events_tenant_seq ON events(tenant_id, seq);
  CREATE INDEX events_tenant_user ON events(tenant_id, user_name_lower, seq);
  CREATE INDEX events_tenant_resource ON events(tenant_id, resource_id, seq);
  CREATE INDEX events_tenant_status ON events(tenant_id, status, seq);
  CREATE INDEX events_tenant_time ON events(tenant_id, time_ms);
  `,
  // 4: SSO events: every sign-in attempt at the ACS, with the decoded, redacted assertion.
  `
  CREATE TABLE sso_events (
    id INTEGER PRIMARY KEY,
    tenant_id TEXT NOT NULL,
    seq INTEGER NOT NULL,
    time_ms INTEGER NOT NULL,
    outcome TEXT NOT NULL,
    reason TEXT,
    user_name TEXT,
    user_name_lower TEXT,
    assertion_id TEXT,
    json TEXT NOT NULL
  );
  CREATE UNIQUE INDEX sso_events_tenant_seq ON sso_events(tenant_id, seq);
  CREATE INDEX sso_events_tenant_user ON sso_events(tenant_id, user_name_lower, seq);
  CREATE INDEX sso_events_tenant_assertion ON sso_events(tenant_id, assertion_id);
  `,
]

export const schemaVersion = migrations.length

// --- Events: who sent each request (issue #13 item 4) ---
/**
 * Columns of `events` added in place, each only when missing, after the numbered migrations.
 * Adding a nullable column is all it takes, so it needs no schema number: it commutes with any
 * migration appended meanwhile, and an older scim-console still opens the file (it names its
 * columns on insert and ignores extra ones on read). Rows from before have NULL here and are
 * served as `source: "unknown"`. A future migration that rebuilds `events` must carry these.
 */
const eventSourceColumns: Array<[name: string, type: string]> = [
  ['source', 'TEXT'],
  ['source_idp', 'TEXT'],
  ['run_id', 'TEXT'],
  ['user_agent', 'TEXT'],
]

function addEventSourceColumns(db: DatabaseSync): void {
  const have = new Set(
    (db.prepare('PRAGMA table_info(events)').all() as Array<{ name: string }>).map((c) => c.name),
  )
  const missing = eventSourceColumns.filter(([name]) => !have.has(name))
  const indexed = db
    .prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'events_tenant_source'")
    .get()
  // Nothing to write on an up-to-date folder: opening it takes no write lock.
  if (missing.length === 0 && indexed !== undefined) return
  db.exec('BEGIN')
  try {
    for (const [name, type] of missing) db.exec(`ALTER TABLE events ADD COLUMN ${name} ${type}`)
    // The IdP's own requests among a harness run's thousands (the Tokens screen's "Last used by
    // the IdP", the log without test traffic): without it a source that is rare or absent made
    // the newest-first list walk the whole log (358 ms at 1,000,000 events). Per source its
    // entries land at one edge, as the status index's do.
    db.exec('CREATE INDEX IF NOT EXISTS events_tenant_source ON events(tenant_id, source, seq)')
    db.exec('COMMIT')
  } catch (err) {
    db.exec('ROLLBACK')
    throw err
  }
}
// --- end of events: who sent each request ---

/** The database file inside a data folder; SQLite keeps `-wal` and `-shm` beside it. */
export const DATABASE_FILE = 'scim-backend.sqlite'

/**
 * Opens (creating when needed) the data folder's database. The folder is 0700 and the files 0600:
 * event bodies are redacted, but userNames, emails and token hashes are nobody else's business.
 * SQLite gives its `-wal` and `-shm` files the mode of the database file.
 */
export function openDatabase(dataDir: string, upTo: number = migrations.length): DatabaseSync {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  chmodSync(dataDir, 0o700)
  const file = join(dataDir, DATABASE_FILE)
  closeSync(openSync(file, 'a', 0o600))
  for (const f of [file, `${file}-wal`, `${file}-shm`]) {
    if (existsSync(f)) chmodSync(f, 0o600)
  }
  const db = new DatabaseSync(file)
  // WAL with synchronous = NORMAL. Every SCIM request commits its write and its event together
  // (EventFeed.commit), and a commit is acknowledged once it is in the WAL in the OS's hands:
  // a killed process (SIGKILL, crash, OOM) loses no acknowledged request. Only a power cut or
  // kernel crash can lose the last commits before the next checkpoint, and then whole
  // transactions, never a write without its event. FULL would fsync on every commit, which
  // costs each request a disk flush for a reference backend that does not need it.
  db.exec('PRAGMA journal_mode = WAL')
  db.exec('PRAGMA synchronous = NORMAL')
  db.exec('PRAGMA busy_timeout = 5000')
  // A 64 MB page cache keeps the user indexes of a 100,000-user tenant in memory, and a 40 MB
  // WAL between checkpoints writes each hot index page back once instead of every ~100 commits.
  db.exec('PRAGMA cache_size = -65536')
  db.exec('PRAGMA wal_autocheckpoint = 10000')
  db.exec('PRAGMA foreign_keys = ON')
  migrate(db, upTo)
  if (upTo === migrations.length) addEventSourceColumns(db)
  return db
}

/** `upTo` below the latest exists for the migration tests, which build an older data folder. */
function migrate(db: DatabaseSync, upTo: number): void {
  const row = db.prepare('PRAGMA user_version').get() as { user_version: number }
  const current = row.user_version
  if (current > migrations.length) {
    throw new Error(
      `The data folder was written by a newer scim-console (schema ${current}, this one knows ${migrations.length}). Use a newer scim-console or another --data folder.`,
    )
  }
  for (let i = current; i < upTo; i++) {
    db.exec('BEGIN')
    try {
      db.exec(migrations[i]!)
      db.exec(`PRAGMA user_version = ${i + 1}`)
      db.exec('COMMIT')
    } catch (err) {
      db.exec('ROLLBACK')
      throw err
    }
  }
}

const prepared = new WeakMap<DatabaseSync, Map<string, StatementSync>>()

/**
 * A statement prepared once per connection and SQL text, for SQL drawn from a small fixed set
 * (transaction control, a store's few query shapes): `prepare` and `exec` compile their SQL
 * again on every call. Not for SQL built from input without bound (ResourceQuery keeps its own
 * bounded cache for filters).
 */
export function preparedStatement(db: DatabaseSync, sql: string): StatementSync {
  let cache = prepared.get(db)
  if (!cache) {
    cache = new Map()
    prepared.set(db, cache)
  }
  let stmt = cache.get(sql)
  if (!stmt) {
    stmt = db.prepare(sql)
    cache.set(sql, stmt)
  }
  return stmt
}

/** Runs a transaction-control statement (BEGIN, COMMIT, SAVEPOINT, ...): several per request. */
export function runControl(db: DatabaseSync, sql: string): void {
  preparedStatement(db, sql).run()
}

/**
 * Runs `fn` in one transaction: all of its writes or none. Inside an open transaction it uses a
 * savepoint, so a failed step rolls back alone and bulk loaders can batch many steps per commit.
 */
export function transaction<T>(db: DatabaseSync, fn: () => T): T {
  const nested = db.isTransaction
  runControl(db, nested ? 'SAVEPOINT step' : 'BEGIN IMMEDIATE')
  try {
    const out = fn()
    runControl(db, nested ? 'RELEASE step' : 'COMMIT')
    return out
  } catch (err) {
    // After SQLITE_FULL or an I/O error SQLite may already have rolled the whole transaction
    // back; the savepoint is then gone, and the original error is the one worth reporting.
    if (nested && db.isTransaction) {
      try {
        runControl(db, 'ROLLBACK TO step')
        runControl(db, 'RELEASE step')
      } catch {
        rollbackQuietly(db)
      }
    } else if (!nested) rollbackQuietly(db)
    throw err
  }
}

/** Ends the open transaction, if any, without letting a failing ROLLBACK hide the real error. */
export function rollbackQuietly(db: DatabaseSync): void {
  if (!db.isTransaction) return
  try {
    runControl(db, 'ROLLBACK')
  } catch {
    // Nothing more to undo: SQLite rolled back on its own.
  }
}

/**
 * What went wrong with the storage, in words an operator can act on, when `err` is SQLite failing
 * to read or write the data folder (as opposed to a bug or a constraint). Undefined otherwise.
 */
export function storageFailure(err: unknown): string | undefined {
  const code = (err as { errcode?: unknown } | null)?.errcode
  if (typeof code !== 'number') return undefined
  switch (code & 0xff) {
    case 13: // SQLITE_FULL
      return 'the disk holding the data folder is full'
    case 8: // SQLITE_READONLY
      return 'the data folder is read-only'
    case 10: // SQLITE_IOERR
      return 'reading or writing the data folder failed (I/O error)'
    case 14: // SQLITE_CANTOPEN
      return 'a file in the data folder cannot be opened'
    case 5: // SQLITE_BUSY
    case 6: // SQLITE_LOCKED
      return 'the database is locked by another process'
    case 11: // SQLITE_CORRUPT
    case 26: // SQLITE_NOTADB
      return 'the database file is damaged'
    default:
      return undefined
  }
}
