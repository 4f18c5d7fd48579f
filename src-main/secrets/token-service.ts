import { AppError } from '../../src-shared/errors.ts'
import { registerSecret } from '../../src-shared/redact.ts'
import {
  createAdminClient,
  normalizeAdminBaseUrl,
  type AdminClient,
  type ScimToken,
} from '../backend/admin-client.ts'
import { generateToken, sha256Hex } from './generate-token.ts'
import {
  backendIdFromUrl,
  pendingTokenAccount,
  scimTokenAccount,
  scimTokenAccountPrefix,
  tokenIdFromAccount,
  type SecretStore,
} from './secret-store.ts'

/** The backend a token operation talks to; the admin key comes from the SecretStore upstream. */
export interface TokenTarget {
  adminBaseUrl: string
  adminKey: string
}

export interface CreatedToken {
  tenantId: string
  id: string
  label: string
  createdAt: string
  hashPrefix: string
  /** The plaintext, returned once; afterwards only getTokenSecret reads it from the keychain. */
  secret: string
  /** The keychain account it is stored under. */
  account: string
}

export interface TokenListing {
  id: string
  label: string
  createdAt: string
  lastUsedAt: string | null
  hashPrefix: string
  /** Whether this machine's keychain holds the secret (false for tokens made elsewhere). */
  inKeychain: boolean
  last4?: string
}

/** A revoked token's trace: when, and the newer token that was live when it went (its replacement). */
export interface RevokedTokenListing {
  id: string
  label: string
  createdAt: string
  lastUsedAt: string | null
  hashPrefix: string
  revokedAt: string
  replacedBy: { id: string; label: string } | null
}

export interface TokenList {
  tenantId: string
  scimBaseUrl: string
  tokens: TokenListing[]
  /** Revoked tokens, newest revocation first (older backends send none). */
  revoked: RevokedTokenListing[]
  /** Keychain entries whose token the backend no longer knows (revoked elsewhere). */
  orphanedKeychainEntries: string[]
}

export interface TokenServiceOptions {
  store: SecretStore
  fetch?: (input: Request) => Promise<Response>
  timeoutMs?: number
}

export interface TokenService {
  createToken(input: {
    connection: TokenTarget
    tenantId: string
    label: string
  }): Promise<CreatedToken>
  listTokens(input: { connection: TokenTarget; tenantId: string }): Promise<TokenList>
  /** A new token alongside the old one; both stay live until the old one is revoked. */
  rotateToken(input: {
    connection: TokenTarget
    tenantId: string
    tokenId: string
    label?: string
  }): Promise<CreatedToken & { replaces: string }>
  revokeToken(input: {
    connection: TokenTarget
    tenantId: string
    tokenId: string
  }): Promise<{ revokedOnBackend: boolean; removedFromKeychain: boolean }>
  /** For the harness and the provisioning log: the secret, from the keychain only. */
  getTokenSecret(input: {
    adminBaseUrl: string
    tenantId: string
    tokenId: string
  }): Promise<string>
}

function checkLabel(label: string): string {
  const trimmed = label.trim()
  if (trimmed.length === 0 || trimmed.length > 200) {
    throw new AppError('cli.usage', 'A token label must be 1 to 200 characters.', {
      hint: 'Name the token after where it is used, e.g. "Okta production".',
    })
  }
  return trimmed
}

export function createTokenService(options: TokenServiceOptions): TokenService {
  const { store } = options

  function clientFor(target: TokenTarget): AdminClient {
    return createAdminClient({
      baseUrl: target.adminBaseUrl,
      adminKey: target.adminKey,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    })
  }

  async function findToken(
    client: AdminClient,
    tenantId: string,
    tokenId: string,
  ): Promise<ScimToken> {
    const scim = await client.getScim(tenantId)
    const token = scim.tokens.find((t) => t.id === tokenId)
    if (!token) {
      throw new AppError(
        'backend.http_error',
        `Tenant ${tenantId} has no SCIM token with id ${tokenId}.`,
        {
          hint: 'List the tenant’s tokens with `scim-console token list --tenant ID` and use one of their ids.',
          details: { status: 404, tenantId, tokenId },
        },
      )
    }
    return token
  }

  async function create(
    target: TokenTarget,
    tenantId: string,
    label: string,
  ): Promise<CreatedToken> {
    const client = clientFor(target)
    const backendId = backendIdFromUrl(normalizeAdminBaseUrl(target.adminBaseUrl))
    const secret = generateToken()
    registerSecret(secret)
    const sha256 = sha256Hex(secret)
    // Into the keychain before the backend hears of it: an unavailable keychain stops us before
    // anything is registered, and a crash after registering cannot lose the only copy.
    const pending = pendingTokenAccount(backendId, tenantId, sha256)
    await store.set(pending, secret)
    let registered: ScimToken
    try {
      registered = await client.registerScimToken(tenantId, { label, sha256 })
    } catch (err) {
      await store.delete(pending).catch(() => false)
      throw err
    }
    const account = scimTokenAccount(backendId, tenantId, registered.id)
    try {
      await store.set(account, secret)
    } catch (err) {
      // A live token nobody can read back would be a secret with no owner: take it back.
      await client.revokeScimToken(tenantId, registered.id).catch(() => undefined)
      throw err
    }
    await store.delete(pending).catch(() => false)
    return {
      tenantId,
      id: registered.id,
      label: registered.label,
      createdAt: registered.createdAt,
      hashPrefix: registered.hashPrefix,
      secret,
      account,
    }
  }

  return {
    createToken: ({ connection, tenantId, label }) =>
      create(connection, tenantId, checkLabel(label)),

    async listTokens({ connection, tenantId }) {
      const client = clientFor(connection)
      const backendId = backendIdFromUrl(normalizeAdminBaseUrl(connection.adminBaseUrl))
      const scim = await client.getScim(tenantId)
      const accounts = await store.list(scimTokenAccountPrefix(backendId, tenantId))
      const tokens: TokenListing[] = []
      for (const t of scim.tokens) {
        const status = await store.status(scimTokenAccount(backendId, tenantId, t.id))
        const listing: TokenListing = {
          id: t.id,
          label: t.label,
          createdAt: t.createdAt,
          lastUsedAt: t.lastUsedAt,
          hashPrefix: t.hashPrefix,
          inKeychain: status.present,
        }
        if (status.last4 !== undefined) listing.last4 = status.last4
        tokens.push(listing)
      }
      const live = new Set(scim.tokens.map((t) => t.id))
      const everyToken = [...scim.tokens, ...(scim.revokedTokens ?? [])]
      const revoked = (scim.revokedTokens ?? []).map((r): RevokedTokenListing => {
        // Rotation makes the new token first and revokes the old one later: the newest token
        // created in between is what replaced it.
        const next = everyToken
          .filter((t) => t.id !== r.id && t.createdAt > r.createdAt && t.createdAt <= r.revokedAt)
          .sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0]
        return {
          id: r.id,
          label: r.label,
          createdAt: r.createdAt,
          lastUsedAt: r.lastUsedAt,
          hashPrefix: r.hashPrefix,
          revokedAt: r.revokedAt,
          replacedBy: next ? { id: next.id, label: next.label } : null,
        }
      })
      return {
        tenantId,
        scimBaseUrl: scim.baseUrl,
        tokens,
        revoked,
        orphanedKeychainEntries: accounts.filter((a) => !live.has(tokenIdFromAccount(a))),
      }
    },

    async rotateToken({ connection, tenantId, tokenId, label }) {
      const old = await findToken(clientFor(connection), tenantId, tokenId)
      const newLabel = checkLabel(
        label ?? `${old.label} (rotated ${new Date().toISOString().slice(0, 10)})`.slice(0, 200),
      )
      return { ...(await create(connection, tenantId, newLabel)), replaces: old.id }
    },

    async revokeToken({ connection, tenantId, tokenId }) {
      const client = clientFor(connection)
      const backendId = backendIdFromUrl(normalizeAdminBaseUrl(connection.adminBaseUrl))
      let revokedOnBackend = true
      try {
        await client.revokeScimToken(tenantId, tokenId)
      } catch (err) {
        // Already gone on the backend: still clean the keychain, which is what the person wants.
        const status = (err as AppError).details as { status?: number } | undefined
        if (!(
          err instanceof AppError &&
          err.code === 'backend.http_error' &&
          status?.status === 404
        )) {
          throw err
        }
        revokedOnBackend = false
      }
      const removedFromKeychain = await store.delete(scimTokenAccount(backendId, tenantId, tokenId))
      if (!revokedOnBackend && !removedFromKeychain) {
        throw new AppError(
          'backend.http_error',
          `Tenant ${tenantId} has no SCIM token with id ${tokenId}.`,
          {
            hint: 'List the tenant’s tokens with `scim-console token list --tenant ID` and use one of their ids.',
            details: { status: 404, tenantId, tokenId },
          },
        )
      }
      return { revokedOnBackend, removedFromKeychain }
    },

    async getTokenSecret({ adminBaseUrl, tenantId, tokenId }) {
      const backendId = backendIdFromUrl(normalizeAdminBaseUrl(adminBaseUrl))
      const secret = await store.get(scimTokenAccount(backendId, tenantId, tokenId))
      if (secret === undefined) {
        throw new AppError(
          'secrets.not_found',
          `The secret of SCIM token ${tokenId} (tenant ${tenantId}) is not in this machine’s ${store.kind === 'memory' ? 'in-memory secret store' : 'OS keychain'}.`,
          {
            hint: 'The token was created on another machine or its keychain entry was removed. Rotate it (scim-console token rotate) to get a new secret stored here, then update the IdP.',
          },
        )
      }
      registerSecret(secret)
      return secret
    },
  }
}
