/**
 * The SecretStore port: where SCIM tokens and admin keys live. Two adapters exist: the OS
 * keychain (keytar-secret-store.ts) and an in-memory store (memory-secret-store.ts) that is used
 * only when someone chooses it explicitly. There is no plaintext-on-disk adapter, on purpose.
 *
 * Keychain layout (service `scim-console`), one entry per secret:
 *   scim-token:<backendId>:<tenantId>:<tokenId>   a SCIM bearer token the console generated
 *   admin-key:<connectionName>                    the admin API key of a saved connection
 * Each part is percent-encoded (encodeURIComponent), so `:` only ever separates parts.
 * `backendId` is the admin API base URL's host, port and path (`127.0.0.1:8787/admin/v1`), so
 * two backends with the same tenant ids never share an entry, while renaming a connection does
 * not orphan its tokens.
 * The stored password is a small JSON envelope `{"v":1,"secret":"...","createdAt":"..."}` so the
 * UI can show when a secret was stored without reading it; an entry written by hand (a bare
 * string) is still read as the secret.
 */

export const KEYCHAIN_SERVICE = 'scim-console'

export interface SecretStatus {
  present: boolean
  /** Last four characters, for telling secrets apart without revealing them. */
  last4?: string
  createdAt?: string
}

export interface SecretStore {
  readonly kind: 'keychain' | 'memory'
  get(account: string): Promise<string | undefined>
  set(account: string, secret: string): Promise<void>
  /** True when an entry was removed. */
  delete(account: string): Promise<boolean>
  /** Account names starting with `prefix`, sorted. */
  list(prefix: string): Promise<string[]>
  status(account: string): Promise<SecretStatus>
}

/** The UI shows a banner while this is true: secrets vanish when the app exits. */
export function isMemoryStore(store: SecretStore): boolean {
  return store.kind === 'memory'
}

const enc = encodeURIComponent

/** The backend part of an account name, from an admin API base URL. */
export function backendIdFromUrl(adminBaseUrl: string): string {
  const url = new URL(adminBaseUrl)
  const path = url.pathname.replace(/(?<!\/)\/+$/, '')
  return `${url.host.toLowerCase()}${path}`
}

export function scimTokenAccount(backendId: string, tenantId: string, tokenId: string): string {
  return `scim-token:${enc(backendId)}:${enc(tenantId)}:${enc(tokenId)}`
}

/** Prefix of every token account of one tenant on one backend (for `list`). */
export function scimTokenAccountPrefix(backendId: string, tenantId: string): string {
  return `scim-token:${enc(backendId)}:${enc(tenantId)}:`
}

/**
 * Where a token waits between generation and registration: the backend assigns the token id, so
 * the secret is first kept under its hash, and is never only in memory while the backend is asked.
 */
export function pendingTokenAccount(backendId: string, tenantId: string, sha256: string): string {
  return `scim-token-pending:${enc(backendId)}:${enc(tenantId)}:${sha256.slice(0, 16)}`
}

export function adminKeyAccount(connectionName: string): string {
  return `admin-key:${enc(connectionName)}`
}

/** The token id at the end of a `scim-token:` account name. */
export function tokenIdFromAccount(account: string): string {
  return decodeURIComponent(account.slice(account.lastIndexOf(':') + 1))
}

interface Envelope {
  v: 1
  secret: string
  createdAt: string
}

export function wrapSecret(secret: string, createdAt: Date = new Date()): string {
  const envelope: Envelope = { v: 1, secret, createdAt: createdAt.toISOString() }
  return JSON.stringify(envelope)
}

export function unwrapSecret(stored: string): { secret: string; createdAt?: string } {
  if (stored.startsWith('{')) {
    try {
      const parsed = JSON.parse(stored) as Partial<Envelope>
      if (parsed.v === 1 && typeof parsed.secret === 'string') {
        return typeof parsed.createdAt === 'string'
          ? { secret: parsed.secret, createdAt: parsed.createdAt }
          : { secret: parsed.secret }
      }
    } catch {
      // Not our envelope: a secret that happens to start with `{`.
    }
  }
  return { secret: stored }
}

export function statusOf(stored: string | undefined): SecretStatus {
  if (stored === undefined) return { present: false }
  const { secret, createdAt } = unwrapSecret(stored)
  const status: SecretStatus = { present: true, last4: secret.slice(-4) }
  if (createdAt !== undefined) status.createdAt = createdAt
  return status
}
