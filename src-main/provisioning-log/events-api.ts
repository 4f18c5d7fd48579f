import { httpError, networkError } from '../backend/admin-client-errors.ts'
import type { AdminClient, EventQuery } from '../backend/admin-client.ts'
import { AppError } from '../../src-shared/errors.ts'

/**
 * How the provisioning log reaches the backend: the typed admin client for pages and the users
 * view, and a plain fetch for the event stream (SSE must be read incrementally, which the
 * request/response client does not do).
 */

export interface LogBackend {
  client: AdminClient
  /** Needed again for the stream, which does not go through the client. */
  adminKey: string
  fetch?: typeof fetch
  /** Connect timeout of the stream (headers); the body then lives as long as the stream. */
  connectTimeoutMs?: number
}

export interface RawEventPage {
  /** Unvalidated: the caller validates each item so one bad event does not lose a page. */
  items: unknown[]
  nextCursor: string | null
}

export async function fetchEventPage(
  backend: LogBackend,
  tenantId: string,
  query: EventQuery,
): Promise<RawEventPage> {
  const page = await backend.client.listEvents(tenantId, query)
  if (!page || !Array.isArray(page.items)) {
    throw new AppError(
      'backend.http_error',
      'The admin API returned an event page without `items`.',
      {
        hint: 'The backend and the console disagree on the admin API version; update the older one.',
      },
    )
  }
  return {
    items: page.items as unknown[],
    nextCursor: typeof page.nextCursor === 'string' ? page.nextCursor : null,
  }
}

/**
 * Opens the SSE stream. Resolves once the response headers arrived (so a refused key or an
 * unknown tenant fails here, not as an empty stream); the caller reads the body.
 */
export async function openEventStream(
  backend: LogBackend,
  tenantId: string,
  lastEventId: number | null,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const f = backend.fetch ?? fetch
  const headers: Record<string, string> = {
    authorization: `Bearer ${backend.adminKey}`,
    accept: 'text/event-stream',
  }
  if (lastEventId !== null) headers['last-event-id'] = String(lastEventId)
  const target = `${backend.client.baseUrl}/tenants/${encodeURIComponent(tenantId)}/events/stream`
  const timeoutMs = backend.connectTimeoutMs ?? 10_000
  // The fetch signal also governs the body, so the connect timeout must end once headers arrive.
  const controller = new AbortController()
  const onAbort = (): void => controller.abort(signal.reason)
  signal.addEventListener('abort', onAbort, { once: true })
  if (signal.aborted) controller.abort(signal.reason)
  const timer = setTimeout(
    () => controller.abort(new DOMException('connect timeout', 'TimeoutError')),
    timeoutMs,
  )
  let res: Response
  try {
    res = await f(target, { headers, signal: controller.signal, redirect: 'manual' })
  } catch (err) {
    signal.removeEventListener('abort', onAbort)
    const reason: unknown = controller.signal.reason
    throw networkError(
      (reason as { name?: string } | undefined)?.name === 'TimeoutError' ? reason : err,
      target,
      timeoutMs,
    )
  } finally {
    clearTimeout(timer)
  }
  if (!res.ok) {
    let body: unknown = null
    try {
      body = await res.json()
    } catch {
      // A non-JSON error page: the status alone is explained.
    }
    signal.removeEventListener('abort', onAbort)
    throw httpError(res, body, 'streamEvents')
  }
  const type = res.headers.get('content-type') ?? ''
  if (!type.startsWith('text/event-stream') || !res.body) {
    await res.body?.cancel()
    signal.removeEventListener('abort', onAbort)
    throw new AppError(
      'backend.http_error',
      `The event stream answered with ${type || 'no content type'}, not text/event-stream.`,
      {
        hint: 'Check that the backend URL points at the admin API of a scim-console backend (it ends in /admin/v1).',
      },
    )
  }
  return res.body
}
