import createClient from 'openapi-fetch'
import { AppError } from '../../src-shared/errors.ts'
import type { components, operations, paths } from './admin-api.d.ts'
import { httpError, networkError, notJsonError } from './admin-client-errors.ts'
import { DEFAULT_ADMIN_TIMEOUT_MS, normalizeAdminBaseUrl } from './admin-client.ts'

export type SsoEvent = components['schemas']['SsoEvent']
export type SsoEventPage = components['schemas']['SsoEventPage']
export type SsoEventQuery = NonNullable<operations['listSsoEvents']['parameters']['query']>

export interface SsoEventsClientOptions {
  baseUrl: string
  adminKey: string
  fetch?: (input: Request) => Promise<Response>
  timeoutMs?: number
}

/**
 * GET /tenants/{id}/sso-events, on its own so the SSO log adds no method to the shared admin
 * client. Errors are the admin client's: same codes, same hints.
 */
export async function listSsoEvents(
  options: SsoEventsClientOptions,
  tenantId: string,
  query: SsoEventQuery = {},
): Promise<SsoEventPage> {
  const baseUrl = normalizeAdminBaseUrl(options.baseUrl)
  const timeoutMs = options.timeoutMs ?? DEFAULT_ADMIN_TIMEOUT_MS
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request))
  const client = createClient<paths>({
    baseUrl,
    headers: { Authorization: `Bearer ${options.adminKey}`, Accept: 'application/json' },
    redirect: 'manual',
    fetch: async (request) => {
      try {
        return await baseFetch(request)
      } catch (err) {
        throw networkError(err, request.url, timeoutMs)
      }
    },
  })
  let outcome
  try {
    outcome = await client.GET('/tenants/{tenantId}/sso-events', {
      signal: AbortSignal.timeout(timeoutMs),
      params: { path: { tenantId }, query },
    })
  } catch (err) {
    if (err instanceof AppError) throw err
    if (err instanceof SyntaxError) throw notJsonError(baseUrl, 'listSsoEvents', err)
    throw networkError(err, baseUrl, timeoutMs)
  }
  if (!outcome.response.ok) throw httpError(outcome.response, outcome.error, 'listSsoEvents')
  return outcome.data as SsoEventPage
}

/** The newest `max` events (newest first), following the cursor. */
export async function recentSsoEvents(
  options: SsoEventsClientOptions,
  tenantId: string,
  query: { user?: string; max: number },
): Promise<SsoEvent[]> {
  const out: SsoEvent[] = []
  let cursor: string | undefined
  while (out.length < query.max) {
    const page = await listSsoEvents(options, tenantId, {
      limit: Math.min(500, query.max - out.length),
      ...(query.user !== undefined ? { user: query.user } : {}),
      ...(cursor !== undefined ? { cursor } : {}),
    })
    out.push(...page.items)
    if (page.nextCursor === null) break
    cursor = page.nextCursor
  }
  return out
}
