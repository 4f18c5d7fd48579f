import createClient from 'openapi-fetch'
import { AppError } from '../../src-shared/errors.ts'
import type { HostLookup } from '../../src-domain/net/checked-destination.ts'
import {
  plainHttpRefusal,
  plainHttpRefusalAfterDns,
  type PlainHttpRefusal,
} from '../../src-domain/net/secret-transport.ts'
import { isInsecureHttpOptedIn } from './insecure-http-opt-in.ts'
import type { ProvisioningEvent } from '../../src-shared/provisioning-event.ts'
import type { components, operations, paths } from './admin-api.d.ts'
import { httpError, networkError, notJsonError } from './admin-client-errors.ts'

export type Health = components['schemas']['Health']
export type Tenant = components['schemas']['Tenant']
export type SsoConfig = components['schemas']['SsoConfig']
export type ScimConfig = components['schemas']['ScimConfig']
export type ScimToken = components['schemas']['ScimToken']
export type UserPage = components['schemas']['UserPage']
export type GroupPage = components['schemas']['GroupPage']
export type GroupMemberPage = components['schemas']['GroupMemberPage']
export type Department = components['schemas']['Department']
/** The one event type of the console (zod-validated where the log receives events). */
export type { ProvisioningEvent }
export type EventPage = Omit<components['schemas']['EventPage'], 'items'> & {
  items: ProvisioningEvent[]
}
export type UserQuery = NonNullable<operations['listUsers']['parameters']['query']>
export type GroupQuery = NonNullable<operations['listGroups']['parameters']['query']>
export type MemberQuery = NonNullable<operations['listGroupMembers']['parameters']['query']>
export type EventQuery = NonNullable<operations['listEvents']['parameters']['query']>

export interface AdminClientOptions {
  /** The admin API base URL, e.g. http://127.0.0.1:8787/admin/v1 */
  baseUrl: string
  adminKey: string
  fetch?: (input: Request) => Promise<Response>
  /** Per call, covering connect, headers and body. */
  timeoutMs?: number
  /**
   * The connection's explicit opt-in for plain http on a private network. Without it the admin
   * key goes over https, or plain http to this machine only. Defaults to what the connection
   * recorded when it was resolved (`insecure-http-opt-in.ts`).
   */
  allowInsecureHttp?: boolean
  /** DNS for the opted-in plain-http check; tests inject a fake resolver. */
  lookup?: HostLookup
}

export const INSECURE_HTTP_OPT_IN =
  'save the connection with `scim-console connection add --allow-insecure-http` (in the app: "Allow plain HTTP on a private network")'

function refusalError(refusal: PlainHttpRefusal): AppError {
  return new AppError('network.forbidden_url', refusal.message, {
    hint: refusal.hint,
    details: refusal.details,
  })
}

export interface AdminClient {
  readonly baseUrl: string
  health(): Promise<Health>
  listTenants(): Promise<Tenant[]>
  createTenant(input: { name: string }): Promise<Tenant>
  getTenant(tenantId: string): Promise<Tenant>
  getSso(tenantId: string): Promise<SsoConfig>
  /** The backend re-validates the metadata; an unusable one is refused and nothing changes. */
  putSso(tenantId: string, metadataXml: string): Promise<SsoConfig>
  getScim(tenantId: string): Promise<ScimConfig>
  registerScimToken(tenantId: string, input: { label: string; sha256: string }): Promise<ScimToken>
  revokeScimToken(tenantId: string, tokenId: string): Promise<void>
  listUsers(tenantId: string, query?: UserQuery): Promise<UserPage>
  listGroups(tenantId: string, query?: GroupQuery): Promise<GroupPage>
  listGroupMembers(tenantId: string, groupId: string, query?: MemberQuery): Promise<GroupMemberPage>
  listDepartments(tenantId: string): Promise<Department[]>
  listEvents(tenantId: string, query?: EventQuery): Promise<EventPage>
}

export const DEFAULT_ADMIN_TIMEOUT_MS = 10_000

/** Checks an admin API URL the way a person typed it; the error says what to type instead. */
export function normalizeAdminBaseUrl(raw: string): string {
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    throw new AppError('connection.bad_input', `"${raw}" is not a URL.`, {
      hint: 'Give the admin API base URL with its scheme, e.g. http://127.0.0.1:8787/admin/v1',
    })
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AppError('connection.bad_input', `"${raw}" is not an http(s) URL.`, {
      hint: 'The admin API is served over HTTPS (or HTTP on this machine), e.g. https://scim.example.com/admin/v1',
    })
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new AppError(
      'connection.bad_input',
      `"${url.origin}${url.pathname}" must not carry credentials, a query or a fragment.`,
      { hint: 'Give only the base URL; the admin key is stored separately in the keychain.' },
    )
  }
  return `${url.origin}${url.pathname.replace(/(?<!\/)\/+$/, '')}`
}

type Outcome<T> = { data?: T; error?: unknown; response: Response }

export function createAdminClient(options: AdminClientOptions): AdminClient {
  const baseUrl = normalizeAdminBaseUrl(options.baseUrl)
  const timeoutMs = options.timeoutMs ?? DEFAULT_ADMIN_TIMEOUT_MS
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request))
  // The admin key never travels in clear text beyond this machine unless the connection opted
  // in, and then only to private addresses (checked on every call: DNS may change).
  const transport = {
    allowInsecureHttp: options.allowInsecureHttp ?? isInsecureHttpOptedIn(baseUrl),
    what: 'the admin key',
    optIn: INSECURE_HTTP_OPT_IN,
    ...(options.lookup ? { lookup: options.lookup } : {}),
  }
  const refusal = plainHttpRefusal(new URL(baseUrl), transport)
  if (refusal) throw refusalError(refusal)
  const checkEveryCall = transport.allowInsecureHttp && baseUrl.startsWith('http:')
  const client = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${options.adminKey}`, Accept: 'application/json' },
    // Following a redirect would carry the admin key to wherever it points; httpError explains.
    redirect: 'manual',
    fetch: async (request) => {
      let late: PlainHttpRefusal | undefined
      try {
        if (checkEveryCall) late = await plainHttpRefusalAfterDns(new URL(request.url), transport)
        if (!late) return await baseFetch(request)
      } catch (err) {
        throw networkError(err, request.url, timeoutMs)
      }
      throw refusalError(late)
    },
  })

  async function run<T>(
    operation: string,
    call: (init: { signal: AbortSignal }) => Promise<Outcome<T>>,
  ): Promise<T> {
    let outcome: Outcome<T>
    try {
      outcome = await call({ signal: AbortSignal.timeout(timeoutMs) })
    } catch (err) {
      if (err instanceof AppError) throw err
      // A timeout while reading the body surfaces here rather than inside fetch.
      if ((err as { name?: unknown })?.name === 'TimeoutError') {
        throw networkError(err, baseUrl, timeoutMs)
      }
      if (err instanceof SyntaxError) throw notJsonError(baseUrl, operation, err)
      throw networkError(err, baseUrl, timeoutMs)
    }
    const { response } = outcome
    if (!response.ok) throw httpError(response, outcome.error, operation)
    return outcome.data as T
  }

  const tenantPath = (tenantId: string) => ({ path: { tenantId } })

  return {
    baseUrl,
    health: () => run('getHealth', (init) => client.GET('/health', init)),
    listTenants: async () =>
      (await run('listTenants', (init) => client.GET('/tenants', init))).tenants,
    createTenant: (input) =>
      run('createTenant', (init) => client.POST('/tenants', { ...init, body: input })),
    getTenant: (tenantId) =>
      run('getTenant', (init) =>
        client.GET('/tenants/{tenantId}', { ...init, params: tenantPath(tenantId) }),
      ),
    getSso: (tenantId) =>
      run('getSso', (init) =>
        client.GET('/tenants/{tenantId}/sso', { ...init, params: tenantPath(tenantId) }),
      ),
    putSso: (tenantId, metadataXml) =>
      run('putSso', (init) =>
        client.PUT('/tenants/{tenantId}/sso', {
          ...init,
          params: tenantPath(tenantId),
          body: { metadataXml },
        }),
      ),
    getScim: (tenantId) =>
      run('getScim', (init) =>
        client.GET('/tenants/{tenantId}/scim', { ...init, params: tenantPath(tenantId) }),
      ),
    registerScimToken: (tenantId, input) =>
      run('registerScimToken', (init) =>
        client.POST('/tenants/{tenantId}/scim/tokens', {
          ...init,
          params: tenantPath(tenantId),
          body: input,
        }),
      ),
    revokeScimToken: async (tenantId, tokenId) => {
      await run('revokeScimToken', (init) =>
        client.DELETE('/tenants/{tenantId}/scim/tokens/{tokenId}', {
          ...init,
          params: { path: { tenantId, tokenId } },
        }),
      )
    },
    listUsers: (tenantId, query = {}) =>
      run('listUsers', (init) =>
        client.GET('/tenants/{tenantId}/users', {
          ...init,
          params: { path: { tenantId }, query },
        }),
      ),
    listGroups: (tenantId, query = {}) =>
      run('listGroups', (init) =>
        client.GET('/tenants/{tenantId}/groups', {
          ...init,
          params: { path: { tenantId }, query },
        }),
      ),
    listGroupMembers: (tenantId, groupId, query = {}) =>
      run('listGroupMembers', (init) =>
        client.GET('/tenants/{tenantId}/groups/{groupId}/members', {
          ...init,
          params: { path: { tenantId, groupId }, query },
        }),
      ),
    listDepartments: async (tenantId) =>
      (
        await run('listDepartments', (init) =>
          client.GET('/tenants/{tenantId}/departments', {
            ...init,
            params: tenantPath(tenantId),
          }),
        )
      ).items,
    listEvents: (tenantId, query = {}) =>
      run('listEvents', (init) =>
        client.GET('/tenants/{tenantId}/events', {
          ...init,
          params: { path: { tenantId }, query },
        }),
      ),
  }
}
