import { AppError } from '../../src-shared/errors.ts'
import { createAdminClient, type AdminClient } from '../backend/admin-client.ts'
import { getTenantOverview, type TenantOverview } from '../backend/tenant-overview.ts'
import { isMemoryStore, type SecretStore } from '../secrets/secret-store.ts'
import {
  createTokenService,
  type CreatedToken,
  type TokenList,
  type TokenService,
} from '../secrets/token-service.ts'
import {
  createConnectionService,
  type ConnectionListing,
  type ConnectionService,
  type ResolvedConnection,
} from './connection-service.ts'
import { checkTokenDestination } from './token-destination.ts'

/**
 * The main process's one door to backends, keyed by connection name: what the contract handlers
 * and the web host call. Admin keys and token secrets stay in here; callers get ids, labels and
 * statuses, and a secret only through `revealTokenSecret` (a person pressed reveal or copy).
 */
export interface BackendAccess {
  readonly store: SecretStore
  /** For the banner: secrets are in memory only and vanish on exit. */
  secretStoreInfo(): { kind: SecretStore['kind']; memoryOnly: boolean }
  connections: ConnectionService
  /** Saved connections plus the embedded reference backend, when one is running. */
  listConnections(): Promise<Array<ConnectionListing & { embedded: boolean }>>
  client(connectionName: string): Promise<AdminClient>
  /** Address and admin key of a connection, for main-process services that talk to it directly. */
  resolve(connectionName: string): Promise<ResolvedConnection>
  tenantOverview(connectionName: string, tenantId: string): Promise<TenantOverview>
  listTokens(connectionName: string, tenantId: string): Promise<TokenList>
  createToken(connectionName: string, tenantId: string, label: string): Promise<CreatedToken>
  rotateToken(
    connectionName: string,
    tenantId: string,
    tokenId: string,
    label?: string,
  ): Promise<CreatedToken & { replaces: string }>
  revokeToken(
    connectionName: string,
    tenantId: string,
    tokenId: string,
  ): ReturnType<TokenService['revokeToken']>
  revealTokenSecret(connectionName: string, tenantId: string, tokenId: string): Promise<string>
  /**
   * The secret of a stored token, for sending to `destinationUrl`: only when that is the SCIM
   * base URL of the token's tenant (as the backend reports it, compared normalised) and the
   * transport is https (or http to loopback, or opted-in private http). What the harness uses.
   */
  revealTokenFor(
    connectionName: string,
    tenantId: string,
    tokenId: string,
    destinationUrl: string,
  ): Promise<string>
}

export interface BackendAccessOptions {
  dataDir: string
  store: SecretStore
  /**
   * The embedded reference backend the console starts when nothing is configured; its admin key
   * lives only in this process, so it never touches the keychain or the settings file.
   */
  embedded?: { name: string; adminBaseUrl: string; adminKey: string }
  fetch?: (input: Request) => Promise<Response>
  timeoutMs?: number
}

export function createBackendAccess(options: BackendAccessOptions): BackendAccess {
  const { store, embedded } = options
  const connections = createConnectionService({ dataDir: options.dataDir, store })
  const tokens = createTokenService({
    store,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
  })

  async function target(name: string): Promise<ResolvedConnection> {
    if (embedded && name === embedded.name) return { ...embedded }
    return connections.resolve(name)
  }

  async function client(name: string): Promise<AdminClient> {
    const t = await target(name)
    return createAdminClient({
      baseUrl: t.adminBaseUrl,
      adminKey: t.adminKey,
      ...(t.allowInsecureHttp ? { allowInsecureHttp: true } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
    })
  }

  return {
    store,
    secretStoreInfo: () => ({ kind: store.kind, memoryOnly: isMemoryStore(store) }),
    connections,
    async listConnections() {
      const saved = (await connections.list()).map((c) => ({ ...c, embedded: false }))
      if (!embedded) return saved
      if (saved.some((c) => c.name === embedded.name)) {
        throw new AppError(
          'connection.exists',
          `A saved connection uses the name "${embedded.name}", which the embedded backend needs.`,
          { hint: 'Remove or rename that saved connection.' },
        )
      }
      return [
        {
          name: embedded.name,
          adminBaseUrl: embedded.adminBaseUrl,
          adminKey: { present: true, last4: embedded.adminKey.slice(-4) },
          embedded: true,
        },
        ...saved,
      ]
    },
    client,
    resolve: target,
    tenantOverview: async (name, tenantId) => getTenantOverview(await client(name), tenantId),
    listTokens: async (name, tenantId) =>
      tokens.listTokens({ connection: await target(name), tenantId }),
    createToken: async (name, tenantId, label) =>
      tokens.createToken({ connection: await target(name), tenantId, label }),
    rotateToken: async (name, tenantId, tokenId, label) =>
      tokens.rotateToken({
        connection: await target(name),
        tenantId,
        tokenId,
        ...(label !== undefined ? { label } : {}),
      }),
    revokeToken: async (name, tenantId, tokenId) =>
      tokens.revokeToken({ connection: await target(name), tenantId, tokenId }),
    revealTokenFor: async (name, tenantId, tokenId, destinationUrl) => {
      const t = await target(name)
      const tenant = await (await client(name)).getTenant(tenantId)
      await checkTokenDestination({
        tenantId,
        tenantScimBaseUrl: tenant.scimBaseUrl,
        destinationUrl,
        allowInsecureHttp: t.allowInsecureHttp === true,
      })
      return tokens.getTokenSecret({ adminBaseUrl: t.adminBaseUrl, tenantId, tokenId })
    },
    revealTokenSecret: async (name, tenantId, tokenId) =>
      tokens.getTokenSecret({
        adminBaseUrl: (await target(name)).adminBaseUrl,
        tenantId,
        tokenId,
      }),
  }
}
