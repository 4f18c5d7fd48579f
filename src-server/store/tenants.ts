import { randomUUID } from 'node:crypto'
import type { DatabaseSync, StatementSync } from 'node:sqlite'

export interface TenantRecord {
  id: string
  name: string
  createdAt: string
}

export interface TokenRecord {
  id: string
  tenantId: string
  label: string
  sha256: string
  createdAt: string
  lastUsedAt: string | null
  revokedAt: string | null
}

interface TokenRow {
  id: string
  tenant_id: string
  label: string
  sha256: string
  created_at: string
  last_used_at: string | null
  revoked_at: string | null
}

function toToken(row: TokenRow): TokenRecord {
  return {
    id: row.id,
    tenantId: row.tenant_id,
    label: row.label,
    sha256: row.sha256,
    createdAt: row.created_at,
    lastUsedAt: row.last_used_at,
    revokedAt: row.revoked_at,
  }
}

/** Tenants, their SCIM tokens (hashes only), their SSO configuration and server settings. */
export class TenantStore {
  private readonly db: DatabaseSync
  private readonly stmts: Record<string, StatementSync>
  /** sha256 → token; SCIM auth runs on every request, so it must not hit the disk. */
  private readonly tokenCache = new Map<string, TokenRecord | null>()
  private readonly lastUsedWrites = new Map<string, number>()

  constructor(db: DatabaseSync) {
    this.db = db
    this.stmts = {
      getSetting: db.prepare('SELECT value FROM settings WHERE key = ?'),
      setSetting: db.prepare(
        'INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value',
      ),
      insertTenant: db.prepare('INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)'),
      listTenants: db.prepare('SELECT id, name, created_at FROM tenants ORDER BY seq'),
      getTenant: db.prepare('SELECT id, name, created_at FROM tenants WHERE id = ?'),
      insertToken: db.prepare(
        'INSERT INTO scim_tokens (id, tenant_id, label, sha256, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      listTokens: db.prepare(
        'SELECT * FROM scim_tokens WHERE tenant_id = ? AND revoked_at IS NULL ORDER BY seq',
      ),
      listRevokedTokens: db.prepare(
        'SELECT * FROM scim_tokens WHERE tenant_id = ? AND revoked_at IS NOT NULL ORDER BY revoked_at DESC, seq DESC LIMIT ?',
      ),
      tokenByHash: db.prepare('SELECT * FROM scim_tokens WHERE sha256 = ?'),
      tokenById: db.prepare('SELECT * FROM scim_tokens WHERE id = ? AND tenant_id = ?'),
      revokeToken: db.prepare(
        'UPDATE scim_tokens SET revoked_at = ? WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL',
      ),
      touchToken: db.prepare('UPDATE scim_tokens SET last_used_at = ? WHERE id = ?'),
      getSso: db.prepare('SELECT idp_json, imported_at FROM sso_configs WHERE tenant_id = ?'),
      putSso: db.prepare(
        'INSERT INTO sso_configs (tenant_id, idp_json, imported_at) VALUES (?, ?, ?) ON CONFLICT(tenant_id) DO UPDATE SET idp_json = excluded.idp_json, imported_at = excluded.imported_at',
      ),
    }
  }

  getSetting(key: string): string | undefined {
    const row = this.stmts.getSetting!.get(key) as { value: string } | undefined
    return row?.value
  }

  setSetting(key: string, value: string): void {
    this.stmts.setSetting!.run(key, value)
  }

  createTenant(name: string): TenantRecord {
    const tenant = { id: randomUUID(), name, createdAt: new Date().toISOString() }
    this.stmts.insertTenant!.run(tenant.id, tenant.name, tenant.createdAt)
    return tenant
  }

  listTenants(): TenantRecord[] {
    return (
      this.stmts.listTenants!.all() as { id: string; name: string; created_at: string }[]
    ).map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at }))
  }

  getTenant(id: string): TenantRecord | undefined {
    const r = this.stmts.getTenant!.get(id) as
      { id: string; name: string; created_at: string } | undefined
    return r && { id: r.id, name: r.name, createdAt: r.created_at }
  }

  /** Throws `'duplicate'` when the hash is already registered (live or revoked). */
  registerToken(tenantId: string, label: string, sha256: string): TokenRecord {
    const hash = sha256.toLowerCase()
    if (this.stmts.tokenByHash!.get(hash)) throw new Error('duplicate')
    const record: TokenRecord = {
      id: randomUUID(),
      tenantId,
      label,
      sha256: hash,
      createdAt: new Date().toISOString(),
      lastUsedAt: null,
      revokedAt: null,
    }
    this.stmts.insertToken!.run(record.id, tenantId, label, hash, record.createdAt)
    this.tokenCache.delete(hash)
    return record
  }

  /** Revoked tokens, newest revocation first: kept so their lifecycle stays visible. */
  listRevokedTokens(tenantId: string, limit: number): TokenRecord[] {
    return (this.stmts.listRevokedTokens!.all(tenantId, limit) as unknown as TokenRow[]).map(
      toToken,
    )
  }

  listTokens(tenantId: string): TokenRecord[] {
    return (this.stmts.listTokens!.all(tenantId) as unknown as TokenRow[]).map(toToken)
  }

  revokeToken(tenantId: string, tokenId: string): boolean {
    const row = this.stmts.tokenById!.get(tokenId, tenantId) as TokenRow | undefined
    if (!row) return false
    const result = this.stmts.revokeToken!.run(new Date().toISOString(), tokenId, tenantId)
    this.tokenCache.delete(row.sha256)
    return result.changes > 0
  }

  /** The token with this hash, live or revoked, or undefined. */
  tokenByHash(sha256: string): TokenRecord | undefined {
    let cached = this.tokenCache.get(sha256)
    if (cached === undefined) {
      const row = this.stmts.tokenByHash!.get(sha256) as TokenRow | undefined
      cached = row ? toToken(row) : null
      // Bound the cache so a flood of random bad tokens cannot grow memory without limit.
      if (this.tokenCache.size > 10_000) this.tokenCache.clear()
      this.tokenCache.set(sha256, cached)
    }
    return cached ?? undefined
  }

  /** Records last use at most once a second per token: a write per SCIM request would cost throughput. */
  touchToken(token: TokenRecord, now = Date.now()): void {
    const last = this.lastUsedWrites.get(token.id) ?? 0
    if (now - last < 1000) return
    this.lastUsedWrites.set(token.id, now)
    const iso = new Date(now).toISOString()
    token.lastUsedAt = iso
    this.stmts.touchToken!.run(iso, token.id)
  }

  getSso(tenantId: string): { idp: unknown; importedAt: string } | undefined {
    const row = this.stmts.getSso!.get(tenantId) as
      { idp_json: string; imported_at: string } | undefined
    return row && { idp: JSON.parse(row.idp_json) as unknown, importedAt: row.imported_at }
  }

  putSso(tenantId: string, idp: unknown): string {
    const importedAt = new Date().toISOString()
    this.stmts.putSso!.run(tenantId, JSON.stringify(idp), importedAt)
    return importedAt
  }

  get database(): DatabaseSync {
    return this.db
  }
}
