import type { ServerResponse } from 'node:http'
import type { z } from 'zod'
import type { EventFeed } from '../event-feed.ts'
import type { RouteContext } from '../http/router.ts'
import type { EventStore } from '../store/events.ts'
import type { ResourceStore } from '../store/resources.ts'
import type { TenantRecord, TenantStore } from '../store/tenants.ts'
import { describeIssues } from './admin-schemas.ts'

/** What the admin API's route modules share: the context, the error, input parsing. */

export { ADMIN_KEY_SETTING, ADMIN_PREFIX, SERVER_VERSION } from './admin-settings.ts'

export interface AdminDeps {
  tenants: TenantStore
  resources: ResourceStore
  events: EventStore
  hub: EventFeed
  heartbeatMs: number
  /** Open SSE responses, so close() can end them. */
  streams: Set<ServerResponse>
  log: (entry: Record<string, unknown>) => void
}

export interface AdminContext extends RouteContext {
  deps: AdminDeps
  origin: string
  body: unknown
}

export type AdminResult = { status: number; body?: unknown } | { streamed: true }

export class AdminHttpError extends Error {
  readonly status: number
  readonly code: string
  readonly hint: string | undefined
  readonly details: unknown

  constructor(status: number, code: string, message: string, hint?: string, details?: unknown) {
    super(message)
    this.status = status
    this.code = code
    this.hint = hint
    this.details = details
  }

  toBody(): Record<string, unknown> {
    const b: Record<string, unknown> = { code: this.code, message: this.message }
    if (this.hint !== undefined) b.hint = this.hint
    if (this.details !== undefined) b.details = this.details
    return b
  }
}

function badRequest(error: z.ZodError, what: string): AdminHttpError {
  const { message, details } = describeIssues(error)
  return new AdminHttpError(
    400,
    'admin.bad_request',
    `Invalid ${what}: ${message}`,
    'See resources/admin-api.openapi.yaml for the expected shape.',
    details,
  )
}

export function parseBody<T>(ctx: AdminContext, schema: z.ZodType<T>, what: string): T {
  const r = schema.safeParse(ctx.body)
  if (!r.success) throw badRequest(r.error, what)
  return r.data
}

export function parseQuery<T>(ctx: AdminContext, schema: z.ZodType<T>): T {
  const r = schema.safeParse(Object.fromEntries(ctx.url.searchParams))
  if (!r.success) throw badRequest(r.error, 'query parameters')
  return r.data
}

export function tenantOf(ctx: AdminContext): TenantRecord {
  const t = ctx.deps.tenants.getTenant(ctx.params.tenantId!)
  if (!t) {
    throw new AdminHttpError(
      404,
      'admin.not_found',
      `No tenant ${ctx.params.tenantId}.`,
      'GET /admin/v1/tenants lists the tenants of this server.',
    )
  }
  return t
}
