import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { z } from 'zod'
import { parseIdpMetadata } from '../../src-domain/saml-metadata/parse-idp-metadata.ts'
import type { IdpMetadata } from '../../src-shared/metadata.ts'
import { redactString } from '../../src-shared/redact.ts'
import type { EventFeed } from '../event-feed.ts'
import { readBody } from '../http/body.ts'
import { exceedsDepth } from '../http/json-depth.ts'
import { Router } from '../http/router.ts'
import type { RouteContext } from '../http/router.ts'
import { SCIM_PREFIX } from '../scim-http.ts'
import type { EventStore, ProvisioningEvent } from '../store/events.ts'
import { sha256Hex } from '../store/hash.ts'
import { ENTERPRISE_USER } from '../store/resources.ts'
import type { ResourceStore } from '../store/resources.ts'
import type { TenantRecord, TenantStore, TokenRecord } from '../store/tenants.ts'
import { describeIssues, queryParams, requestBodies } from './admin-schemas.ts'

export const ADMIN_PREFIX = '/admin/v1'
export const ADMIN_KEY_SETTING = 'admin_key_sha256'
const ADMIN_BODY_LIMIT = 2 * 1024 * 1024
const SSE_BUFFER_LIMIT = 8 * 1024 * 1024
export const SERVER_VERSION = '1.0.0'

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

interface AdminContext extends RouteContext {
  deps: AdminDeps
  origin: string
  body: unknown
}

type AdminResult = { status: number; body?: unknown } | { streamed: true }

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

function parseBody<T>(ctx: AdminContext, schema: z.ZodType<T>, what: string): T {
  const r = schema.safeParse(ctx.body)
  if (!r.success) throw badRequest(r.error, what)
  return r.data
}

function parseQuery<T>(ctx: AdminContext, schema: z.ZodType<T>): T {
  const r = schema.safeParse(Object.fromEntries(ctx.url.searchParams))
  if (!r.success) throw badRequest(r.error, 'query parameters')
  return r.data
}

function tenantOf(ctx: AdminContext): TenantRecord {
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

function tenantView(ctx: AdminContext, t: TenantRecord) {
  return {
    id: t.id,
    name: t.name,
    createdAt: t.createdAt,
    scimBaseUrl: `${ctx.origin}${SCIM_PREFIX}`,
  }
}

function tokenView(t: TokenRecord) {
  return {
    id: t.id,
    label: t.label,
    createdAt: t.createdAt,
    lastUsedAt: t.lastUsedAt,
    hashPrefix: t.sha256.slice(0, 8),
  }
}

function spValues(origin: string, tenantId: string) {
  return {
    acsUrl: `${origin}/sso/${tenantId}/saml/acs`,
    entityId: `${origin}/sso/${tenantId}/saml/metadata`,
    relayState: `${origin}/app/${tenantId}`,
    nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    metadataUrl: `${origin}/sso/${tenantId}/saml/metadata`,
  }
}

function idpConfig(m: IdpMetadata, importedAt: string) {
  const redirect = m.ssoServices.find((s) => s.bindingName === 'HTTP-Redirect')
  const post = m.ssoServices.find((s) => s.bindingName === 'HTTP-POST')
  return {
    entityId: m.entityId,
    ssoUrl: (redirect ?? post)?.location ?? null,
    ssoServices: m.ssoServices.map((s) => ({ binding: s.binding, location: s.location })),
    signingCertificates: m.signingCertificates.map((c) => ({
      sha256Fingerprint: c.sha256Fingerprint,
      subject: c.subject,
      notAfter: c.notAfter,
    })),
    findings: m.findings,
    importedAt,
  }
}

function ssoView(ctx: AdminContext, tenantId: string) {
  const stored = ctx.deps.tenants.getSso(tenantId)
  return {
    tenantId,
    sp: spValues(ctx.origin, tenantId),
    idp: stored ? idpConfig(stored.idp as IdpMetadata, stored.importedAt) : null,
  }
}

function str(v: unknown): string | null {
  return typeof v === 'string' ? v : null
}

/**
 * "user" may be a userName, an email, an externalId or a SCIM id: the user's story is every event
 * that names its userName or touches its id, so resolve the value to both through the store.
 */
function resolveUser(resources: ResourceStore, tenantId: string, value: string) {
  const userNames = [value]
  const resourceIds = [value]
  for (const path of ['username', 'emails.value', 'externalid', 'id']) {
    for (const u of resources.usersByEq(tenantId, { path, value }) ?? []) {
      if (typeof u.body.userName === 'string') userNames.push(u.body.userName)
      resourceIds.push(u.id)
    }
  }
  return { userNames, resourceIds }
}

function sseFrame(e: ProvisioningEvent): string {
  return `id: ${e.seq}\nevent: provisioning\ndata: ${JSON.stringify(e)}\n\n`
}

function stream(ctx: AdminContext, tenantId: string): AdminResult {
  const { req, res, deps } = ctx
  const q = parseQuery(ctx, queryParams.streamEvents)
  const header = req.headers['last-event-id']
  const headerId =
    typeof header === 'string' && /^\d+$/.test(header.trim()) ? header.trim() : undefined
  const resumeFrom = headerId ?? q.lastEventId
  res.writeHead(200, {
    'Content-Type': 'text/event-stream; charset=utf-8',
    'Cache-Control': 'no-cache, no-transform',
    Connection: 'keep-alive',
    'X-Accel-Buffering': 'no',
  })
  // A client gone mid-write must not surface as an unhandled 'error' event.
  res.on('error', () => {})
  res.write('retry: 2000\n\n')
  let lastSent = resumeFrom === undefined ? deps.events.latestSeq(tenantId) : Number(resumeFrom)
  const push = (e: ProvisioningEvent): void => {
    if (e.seq <= lastSent || res.writableEnded || res.destroyed) return
    // A client that stops reading would make us buffer without bound; end its stream instead.
    // It reconnects with Last-Event-ID and loses nothing.
    if (res.writableLength > SSE_BUFFER_LIMIT) {
      res.end()
      return
    }
    lastSent = e.seq
    res.write(sseFrame(e))
  }
  // Subscribing and replaying in the same synchronous step: no event can be recorded between
  // them, and `lastSent` drops anything the replay already sent.
  const unsubscribe = deps.hub.subscribe(tenantId, push)
  if (resumeFrom !== undefined) {
    for (;;) {
      const batch = deps.events.eventsAfter(tenantId, lastSent, 1000)
      for (const e of batch) push(e)
      if (batch.length < 1000 || res.writableEnded) break
    }
  }
  const heartbeat = setInterval(() => {
    if (!res.writableEnded && !res.destroyed) res.write(': heartbeat\n\n')
  }, deps.heartbeatMs)
  heartbeat.unref()
  deps.streams.add(res)
  const done = (): void => {
    clearInterval(heartbeat)
    unsubscribe()
    deps.streams.delete(res)
  }
  // res 'close' fires when the client goes away (req 'close' fires as soon as the request is read).
  res.on('close', done)
  return { streamed: true }
}

export function adminRouter(): Router<AdminContext, AdminResult> {
  const r = new Router<AdminContext, AdminResult>()
  r.on('GET', '/tenants', (ctx) => ({
    status: 200,
    body: { tenants: ctx.deps.tenants.listTenants().map((t) => tenantView(ctx, t)) },
  }))
  r.on('POST', '/tenants', (ctx) => {
    const input = parseBody(ctx, requestBodies.TenantCreate, 'tenant')
    const t = ctx.deps.tenants.createTenant(input.name)
    return { status: 201, body: tenantView(ctx, t) }
  })
  r.on('GET', '/tenants/:tenantId', (ctx) => ({
    status: 200,
    body: tenantView(ctx, tenantOf(ctx)),
  }))
  r.on('GET', '/tenants/:tenantId/sso', (ctx) => ({
    status: 200,
    body: ssoView(ctx, tenantOf(ctx).id),
  }))
  r.on('PUT', '/tenants/:tenantId/sso', (ctx) => {
    const t = tenantOf(ctx)
    const input = parseBody(ctx, requestBodies.SsoUpdate, 'SSO update')
    const model = parseIdpMetadata(input.metadataXml, { source: 'admin-api' })
    if (!model.ok) {
      const errors = model.findings.filter((f) => f.severity === 'error')
      throw new AdminHttpError(
        422,
        'admin.metadata_invalid',
        `The IdP metadata is not usable for SSO: ${errors.map((f) => f.message).join(' ')}`.trim(),
        errors[0]?.hint ??
          'Download the IdP metadata again from the IdP\'s SAML app (Okta: "Identity Provider metadata").',
        { findings: model.findings },
      )
    }
    ctx.deps.tenants.putSso(t.id, model)
    return { status: 200, body: ssoView(ctx, t.id) }
  })
  r.on('GET', '/tenants/:tenantId/scim', (ctx) => {
    const t = tenantOf(ctx)
    return {
      status: 200,
      body: {
        tenantId: t.id,
        baseUrl: `${ctx.origin}${SCIM_PREFIX}`,
        tokens: ctx.deps.tenants.listTokens(t.id).map(tokenView),
      },
    }
  })
  r.on('POST', '/tenants/:tenantId/scim/tokens', (ctx) => {
    const t = tenantOf(ctx)
    const input = parseBody(ctx, requestBodies.ScimTokenCreate, 'token registration')
    try {
      return {
        status: 201,
        body: tokenView(ctx.deps.tenants.registerToken(t.id, input.label, input.sha256)),
      }
    } catch (err) {
      if ((err as Error).message !== 'duplicate') throw err
      throw new AdminHttpError(
        409,
        'admin.conflict',
        'A token with this SHA-256 is already registered (possibly revoked).',
        'Generate a new secret; a token value is never reused.',
      )
    }
  })
  r.on('DELETE', '/tenants/:tenantId/scim/tokens/:tokenId', (ctx) => {
    const t = tenantOf(ctx)
    if (!ctx.deps.tenants.revokeToken(t.id, ctx.params.tokenId!)) {
      throw new AdminHttpError(
        404,
        'admin.not_found',
        `No live token ${ctx.params.tokenId} in tenant ${t.id}.`,
        'GET /tenants/{id}/scim lists the live tokens.',
      )
    }
    return { status: 204 }
  })
  r.on('GET', '/tenants/:tenantId/users', (ctx) => {
    const t = tenantOf(ctx)
    const q = parseQuery(ctx, queryParams.listUsers)
    const rows = ctx.deps.resources.userSummaries(t.id, Number(q.cursor ?? 0), q.limit, q.q)
    const items = rows.map(({ stored, groups }) => {
      const b = stored.body
      const ext = b[ENTERPRISE_USER] as Record<string, unknown> | undefined
      return {
        id: stored.id,
        userName: String(b.userName),
        active: b.active !== false,
        externalId: str(b.externalId),
        displayName: str(b.displayName),
        department: str(ext?.department),
        groups,
        createdAt: stored.createdAt,
        lastModified: stored.lastModified,
      }
    })
    return {
      status: 200,
      body: {
        items,
        nextCursor: rows.length === q.limit ? String(rows[rows.length - 1]!.seq) : null,
        total: ctx.deps.resources.countUsers(t.id),
      },
    }
  })
  r.on('GET', '/tenants/:tenantId/groups', (ctx) => {
    const t = tenantOf(ctx)
    const q = parseQuery(ctx, queryParams.listGroups)
    const rows = ctx.deps.resources.groupSummaries(t.id, Number(q.cursor ?? 0), q.limit)
    return {
      status: 200,
      body: {
        items: rows.map(({ stored, memberCount }) => ({
          id: stored.id,
          displayName: String(stored.body.displayName),
          externalId: str(stored.body.externalId),
          memberCount,
          createdAt: stored.createdAt,
          lastModified: stored.lastModified,
        })),
        nextCursor: rows.length === q.limit ? String(rows[rows.length - 1]!.seq) : null,
        total: ctx.deps.resources.countGroups(t.id),
      },
    }
  })
  r.on('GET', '/tenants/:tenantId/departments', (ctx) => ({
    status: 200,
    body: { items: ctx.deps.resources.departments(tenantOf(ctx).id) },
  }))
  r.on('GET', '/tenants/:tenantId/events', (ctx) => {
    const t = tenantOf(ctx)
    const q = parseQuery(ctx, queryParams.listEvents)
    const items = ctx.deps.events.query({
      tenantId: t.id,
      beforeSeq: q.cursor === undefined ? undefined : Number(q.cursor),
      limit: q.limit,
      user: q.user === undefined ? undefined : resolveUser(ctx.deps.resources, t.id, q.user),
      statusClass: q.statusClass,
      method: q.method,
      resourceType: q.resourceType,
      outcome: q.outcome,
      sinceMs: q.since === undefined ? undefined : Date.parse(q.since),
      untilMs: q.until === undefined ? undefined : Date.parse(q.until),
    })
    return {
      status: 200,
      body: {
        items,
        nextCursor: items.length === q.limit ? String(items[items.length - 1]!.seq) : null,
      },
    }
  })
  r.on('GET', '/tenants/:tenantId/events/stream', (ctx) => stream(ctx, tenantOf(ctx).id))
  return r
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (body === undefined) {
    res.writeHead(status, headers)
    res.end()
    return
  }
  const payload = JSON.stringify(body)
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(payload)),
  })
  res.end(payload)
}

function adminKeyMatches(tenants: TenantStore, req: IncomingMessage): boolean {
  const header = req.headers.authorization
  const m = typeof header === 'string' ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null
  const stored = tenants.getSetting(ADMIN_KEY_SETTING)
  if (!m || !stored) return false
  const a = Buffer.from(sha256Hex(m[1]!), 'hex')
  const b = Buffer.from(stored, 'hex')
  return a.length === b.length && timingSafeEqual(a, b)
}

export function createAdminHandler(deps: AdminDeps) {
  const router = adminRouter()
  return async function handleAdmin(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    origin: string,
  ): Promise<void> {
    const method = (req.method ?? 'GET').toUpperCase()
    const pathname = url.pathname.slice(ADMIN_PREFIX.length) || '/'
    try {
      if (pathname === '/health' && method === 'GET') {
        req.resume()
        sendJson(res, 200, { ok: true, version: SERVER_VERSION })
        return
      }
      if (!adminKeyMatches(deps.tenants, req)) {
        req.resume()
        throw new AdminHttpError(
          401,
          'admin.unauthorized',
          'Missing or wrong admin API key.',
          'Send Authorization: Bearer <admin key>. The key was printed when the backend first started (or set with --admin-key / SCIM_CONSOLE_ADMIN_KEY).',
        )
      }
      const match = router.match(method, pathname)
      if (match.kind === 'none') {
        req.resume()
        throw new AdminHttpError(
          404,
          'admin.not_found',
          `No admin API endpoint ${method} ${ADMIN_PREFIX}${pathname}.`,
          'See resources/admin-api.openapi.yaml.',
        )
      }
      if (match.kind === 'method') {
        req.resume()
        res.setHeader('Allow', match.allowed.join(', '))
        throw new AdminHttpError(
          405,
          'admin.method_not_allowed',
          `${method} is not supported on ${ADMIN_PREFIX}${pathname}; use ${match.allowed.join(', ')}.`,
        )
      }
      let body: unknown
      if (method === 'POST' || method === 'PUT' || method === 'PATCH') {
        const type = req.headers['content-type']
        if (type !== undefined && type.split(';')[0]!.trim().toLowerCase() !== 'application/json') {
          req.resume()
          throw new AdminHttpError(
            415,
            'admin.unsupported_media_type',
            `Content-Type "${type}" is not accepted.`,
            'Send application/json.',
          )
        }
        const read = await readBody(req, ADMIN_BODY_LIMIT)
        if (read.kind === 'too_large') {
          throw new AdminHttpError(
            413,
            'admin.too_large',
            `The request body is larger than ${ADMIN_BODY_LIMIT} bytes.`,
            'IdP metadata over 1 MB is not accepted.',
          )
        }
        if (read.kind === 'aborted')
          throw new AdminHttpError(400, 'admin.bad_request', 'The request body was cut off.')
        try {
          body = read.text.trim() === '' ? undefined : (JSON.parse(read.text) as unknown)
        } catch (err) {
          throw new AdminHttpError(
            400,
            'admin.bad_request',
            `The request body is not valid JSON (${(err as Error).message}).`,
            'Send a JSON object as described in resources/admin-api.openapi.yaml.',
          )
        }
        if (exceedsDepth(body)) {
          throw new AdminHttpError(
            400,
            'admin.bad_request',
            'The request body is nested too deeply.',
          )
        }
      } else {
        req.resume()
      }
      const result = await match.handler({
        req,
        res,
        url,
        params: match.params,
        deps,
        origin,
        body,
      })
      if ('streamed' in result) return
      sendJson(res, result.status, result.body)
    } catch (err) {
      if (res.headersSent) {
        res.destroy()
        return
      }
      if (err instanceof AdminHttpError) {
        sendJson(res, err.status, err.toBody())
        return
      }
      deps.log({
        level: 'error',
        msg: 'unexpected error in an admin API request',
        method,
        path: redactString(pathname),
        error: redactString(String((err as Error)?.stack ?? err)),
      })
      sendJson(res, 500, {
        code: 'internal',
        message: 'The server hit an unexpected error; see the server log.',
      })
    }
  }
}
