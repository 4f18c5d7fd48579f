import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { redact, redactString } from '../src-shared/redact.ts'
import type { ScimErrorReason } from '../src-shared/scim-error-reasons.ts'
import { readBody } from './http/body.ts'
import { exceedsDepth, MAX_JSON_DEPTH } from './http/json-depth.ts'
import type { EventFeed } from './event-feed.ts'
import type { RateLimiter } from './rate-limit.ts'
import { ScimError } from './scim/scim-error.ts'
import type { ScimErrorBody } from './scim/scim-error.ts'
import { scimRouter } from './scim-routes.ts'
import type { EventDraft, ScimContext, ScimResult } from './scim-routes.ts'
import { capBody } from './store/events.ts'
import type { EventError } from './store/events.ts'
import { sha256Hex } from './store/hash.ts'
import type { Json, ResourceStore } from './store/resources.ts'
import type { TenantStore, TokenRecord } from './store/tenants.ts'

export const SCIM_PREFIX = '/scim/v2'
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'

export interface ScimDeps {
  tenants: TenantStore
  resources: ResourceStore
  hub: EventFeed
  limiter: RateLimiter | undefined
  bodyLimitBytes: number
  log: (entry: Record<string, unknown>) => void
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH'])
const ACCEPTED_TYPES = new Set(['application/scim+json', 'application/json'])

function errorResult(err: ScimError, headers?: Record<string, string>): ScimResult {
  return { status: err.status, body: err.toBody(), headers }
}

function send(req: IncomingMessage, res: ServerResponse, result: ScimResult): void {
  const headers: Record<string, string> = { ...result.headers }
  let payload: string | undefined
  if (result.body !== undefined && result.status !== 204 && result.status !== 304) {
    payload = JSON.stringify(result.body)
    headers['Content-Type'] = SCIM_CONTENT_TYPE
    headers['Content-Length'] = String(Buffer.byteLength(payload))
  }
  res.writeHead(result.status, headers)
  res.end(req.method === 'HEAD' ? undefined : payload)
}

function bearerToken(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  if (typeof header !== 'string') return undefined
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header)
  return m ? m[1] : undefined
}

/**
 * The 401 for an Authorization header that is not "Bearer <token>". The reason code says which
 * setup mistake it is (the provisioning log's diagnosis branches on it); the detail explains it.
 */
function misformedAuth(words: string[], known: TokenRecord | undefined): ScimError {
  const revoked = known !== undefined && known.revokedAt !== null
  const doubled = words.length >= 3 && /^bearer$/i.test(words[0]!) && /^bearer$/i.test(words[1]!)
  if (known && doubled) {
    return revoked
      ? unauthorized(
          'The token was sent as "Bearer Bearer …" and it is revoked: remove the "Bearer " you pasted into the IdP\'s token field and paste the tenant\'s current token instead.',
          'auth.bearer_doubled_revoked',
        )
      : unauthorized(
          'The token is right but was sent as "Bearer Bearer …": remove the "Bearer " you pasted into the IdP\'s token field (Okta and Entra add the scheme themselves).',
          'auth.bearer_doubled',
        )
  }
  if (known && words.length === 1) {
    return revoked
      ? unauthorized(
          'The token was sent without the "Bearer " scheme and it is revoked: paste the tenant\'s current token into the IdP and use bearer authentication (Okta: "HTTP Header" auth, Entra: "Secret Token").',
          'auth.scheme_missing_revoked',
        )
      : unauthorized(
          'The token is right but was sent without the "Bearer " scheme: use the IdP\'s bearer authentication so it sends "Authorization: Bearer <token>" (Okta: "HTTP Header" auth, Entra: "Secret Token").',
          'auth.scheme_missing',
        )
  }
  return known && !revoked
    ? unauthorized(
        'The token is right but the Authorization header is not "Bearer <token>". Send it with the Bearer scheme (Okta: "HTTP Header" auth with the Bearer prefix, Entra: "Secret Token").',
        'auth.scheme_wrong',
      )
    : unauthorized(
        'The Authorization header is not "Bearer <token>". Paste the token in the IdP with the Bearer scheme (Okta: "HTTP Header" auth, Entra: "Secret Token").',
        'auth.header_malformed',
      )
}

function unauthorized(detail: string, reason: ScimErrorReason): ScimError {
  return new ScimError(401, detail, undefined, reason)
}

/** The SCIM front door: auth → rate limit → route → content type → body → handler → event. */
export function createScimHandler(deps: ScimDeps) {
  const router = scimRouter()

  return async function handleScim(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
    origin: string,
  ): Promise<void> {
    const started = performance.now()
    const method = (req.method ?? 'GET').toUpperCase()
    const rawPath = (req.url ?? '/').slice(SCIM_PREFIX.length) || '/'
    const ev: EventDraft = {
      resourceType: 'Unknown',
      resourceId: null,
      userName: null,
      outcome: null,
    }
    let tenantId: string | null = null
    let tokenHashPrefix: string | null = null
    let requestBody: unknown = null
    let result: ScimResult

    try {
      result = await (async (): Promise<ScimResult> => {
        const token = bearerToken(req)
        if (token === undefined) {
          req.resume()
          const header = req.headers.authorization
          if (header !== undefined) {
            // Still a 401, but a registered token in a mis-pasted header is the classic IdP setup
            // mistake: say exactly what was sent, and show it in that tenant's log.
            const words = header.trim().split(/\s+/)
            const candidate = words[words.length - 1] ?? ''
            const hash = sha256Hex(candidate)
            tokenHashPrefix = hash.slice(0, 8)
            const known = deps.tenants.tokenByHash(hash)
            if (known) tenantId = known.tenantId
            return errorResult(misformedAuth(words, known), {
              'WWW-Authenticate': 'Bearer realm="scim"',
            })
          }
          return errorResult(
            unauthorized(
              'No bearer token. Send Authorization: Bearer <SCIM token> on every request.',
              'auth.no_token',
            ),
            { 'WWW-Authenticate': 'Bearer realm="scim"' },
          )
        }
        const hash = sha256Hex(token)
        tokenHashPrefix = hash.slice(0, 8)
        const record = deps.tenants.tokenByHash(hash)
        if (!record || record.revokedAt !== null) {
          // A revoked token is attributed to its tenant so its admin sees the IdP still using it;
          // an unknown token belongs to nobody we can name.
          if (record) tenantId = record.tenantId
          req.resume()
          return errorResult(
            unauthorized(
              record
                ? "This SCIM token was revoked. Put the tenant's current token into the IdP."
                : 'This SCIM token is not registered with any tenant. Check it was copied whole and registered in the console.',
              record ? 'auth.token_revoked' : 'auth.token_unknown',
            ),
            { 'WWW-Authenticate': 'Bearer realm="scim", error="invalid_token"' },
          )
        }
        tenantId = record.tenantId
        deps.tenants.touchToken(record)

        if (deps.limiter) {
          const verdict = deps.limiter.take(record.tenantId)
          if (!verdict.ok) {
            req.resume()
            return errorResult(
              new ScimError(
                429,
                `Rate limit of this tenant exceeded. Retry after ${verdict.retryAfterSeconds} s.`,
              ),
              { 'Retry-After': String(verdict.retryAfterSeconds) },
            )
          }
        }

        const pathname = url.pathname.slice(SCIM_PREFIX.length) || '/'
        const match = router.match(method, pathname)
        if (match.kind === 'none') {
          req.resume()
          return errorResult(
            new ScimError(
              404,
              `No SCIM endpoint at ${SCIM_PREFIX}${pathname}. This server serves /Users, /Groups, /ServiceProviderConfig, /ResourceTypes and /Schemas under ${origin}${SCIM_PREFIX}.`,
              undefined,
              'request.no_endpoint',
            ),
          )
        }
        if (match.kind === 'method') {
          req.resume()
          return errorResult(
            new ScimError(
              405,
              `${method} is not supported on ${SCIM_PREFIX}${pathname}; use ${match.allowed.join(', ')}.`,
            ),
            { Allow: match.allowed.join(', ') },
          )
        }

        let body: Json | undefined
        if (BODY_METHODS.has(method)) {
          const contentType = req.headers['content-type']
          if (contentType !== undefined) {
            const media = contentType.split(';')[0]!.trim().toLowerCase()
            if (!ACCEPTED_TYPES.has(media)) {
              req.resume()
              return errorResult(
                new ScimError(
                  415,
                  `Content-Type "${contentType}" is not accepted. Send application/scim+json (or application/json).`,
                ),
              )
            }
          }
          const read = await readBody(req, deps.bodyLimitBytes)
          if (read.kind === 'too_large') {
            return errorResult(
              new ScimError(
                413,
                `The request body is larger than ${deps.bodyLimitBytes} bytes. Send fewer members per PATCH.`,
              ),
            )
          }
          if (read.kind === 'aborted') {
            return errorResult(new ScimError(400, 'The request body was cut off.', 'invalidSyntax'))
          }
          if (read.text.trim() !== '') {
            let parsed: unknown
            try {
              parsed = JSON.parse(read.text)
            } catch (err) {
              requestBody = capBody(redactString(read.text))
              return errorResult(
                new ScimError(
                  400,
                  `The request body is not valid JSON (${(err as Error).message}).`,
                  'invalidSyntax',
                ),
              )
            }
            if (exceedsDepth(parsed)) {
              requestBody = capBody(read.text)
              return errorResult(
                new ScimError(
                  400,
                  `The request body is nested more than ${MAX_JSON_DEPTH} levels deep; no SCIM resource is.`,
                  'invalidSyntax',
                ),
              )
            }
            requestBody = capBody(redact(parsed))
            if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
              return errorResult(
                new ScimError(400, 'The request body must be a JSON object.', 'invalidSyntax'),
              )
            }
            body = parsed as Json
          }
        } else {
          req.resume()
        }

        const ctx: ScimContext = {
          req,
          res,
          url,
          params: match.params,
          tenantId: record.tenantId,
          baseUrl: `${origin}${SCIM_PREFIX}`,
          body,
          store: deps.resources,
          ev,
        }
        return match.handler(ctx)
      })()
    } catch (err) {
      if (err instanceof ScimError) {
        result = errorResult(err)
      } else {
        deps.log({
          level: 'error',
          msg: 'unexpected error in a SCIM request',
          method,
          path: redactString(rawPath),
          error: redactString(String((err as Error)?.stack ?? err)),
        })
        result = errorResult(
          new ScimError(
            500,
            'The server hit an unexpected error; the request changed nothing. See the server log.',
          ),
        )
      }
    }

    if (!res.headersSent && !res.destroyed) send(req, res, result)

    const isError = result.status >= 400
    // The reason travels inside the stored error JSON (store/events.ts keeps it as given).
    let error: (EventError & { reason?: ScimErrorReason }) | null = null
    if (isError && result.body && typeof result.body === 'object') {
      const b = result.body as Partial<ScimErrorBody>
      error = { status: String(b.status ?? result.status), detail: String(b.detail ?? '') }
      if (b.scimType) error.scimType = b.scimType
      if (b.reason) error.reason = b.reason
    }
    try {
      deps.hub.record({
        tenantId,
        timeMs: Date.now(),
        method,
        path: redactString(rawPath),
        status: result.status,
        durationMs: Math.round((performance.now() - started) * 100) / 100,
        resourceType: ev.resourceType,
        resourceId: ev.resourceId,
        userName: ev.userName,
        outcome: isError ? 'rejected' : (ev.outcome ?? 'read'),
        error,
        tokenHashPrefix,
        requestBody,
        responseBody: result.body === undefined ? null : capBody(redact(result.body)),
        membersAdded: ev.membersAdded,
        membersRemoved: ev.membersRemoved,
      })
    } catch (err) {
      deps.log({ level: 'error', msg: 'could not record a provisioning event', error: String(err) })
    }
  }
}
