import type { IncomingMessage, ServerResponse } from 'node:http'
import { performance } from 'node:perf_hooks'
import { REDACTED, redact, redactString } from '../src-shared/redact.ts'
import type { ScimErrorReason } from '../src-shared/scim-error-reasons.ts'
import { readBody } from './http/body.ts'
import { exceedsDepth, MAX_JSON_DEPTH } from './http/json-depth.ts'
import type { EventFeed } from './event-feed.ts'
import { bearerTokenHash } from './rate-limit.ts'
import type { RateLimiter } from './rate-limit.ts'
import { ScimError } from './scim/scim-error.ts'
import type { ScimErrorBody } from './scim/scim-error.ts'
import { scimRouter } from './scim-routes.ts'
import type { EventDraft, ScimContext, ScimResult } from './scim-routes.ts'
import { storageFailure } from './db.ts'
import { BODY_CAP_BYTES, capBody, cappedJson } from './store/events.ts'
import { eventResponseBody } from './store/event-response-body.ts'
import type { EventError, EventInput } from './store/events.ts'
import { sha256Hex } from './store/hash.ts'
import { requestSource } from './scim/request-source.ts'
import type { Json, ResourceStore } from './store/resources.ts'
import type { TenantStore, TokenRecord } from './store/tenants.ts'

export const SCIM_PREFIX = '/scim/v2'
export const SCIM_CONTENT_TYPE = 'application/scim+json; charset=utf-8'

export interface ScimDeps {
  tenants: TenantStore
  resources: ResourceStore
  feed: EventFeed
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
  if (result.serialized !== undefined) payload = result.serialized.json
  else if (result.body !== undefined && result.status !== 204 && result.status !== 304) {
    payload = JSON.stringify(result.body)
  }
  if (payload !== undefined) {
    headers['Content-Type'] = SCIM_CONTENT_TYPE
    headers['Content-Length'] = String(Buffer.byteLength(payload))
  }
  res.writeHead(result.status, headers)
  res.end(req.method === 'HEAD' ? undefined : payload)
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

/**
 * A request body that is not stored as parsed JSON (malformed, too deep), as redacted text. The
 * length is capped first so redaction never runs over megabytes; a margin past the cap keeps a
 * secret that straddles it inside the text the redaction sees.
 */
export function storedText(text: string): string {
  const head = text.length > BODY_CAP_BYTES + 1024 ? text.slice(0, BODY_CAP_BYTES + 1024) : text
  return capBody(redactString(head)) as string
}

/**
 * A PATCH that sets the password carries it under `value`, a key `redact` cannot know is secret:
 * the operation's `path` says so. Returns the body with those values replaced.
 */
function hidePatchSecrets(body: unknown): unknown {
  const ops = (body as { Operations?: unknown } | null)?.Operations
  if (!Array.isArray(ops)) return body
  return {
    ...(body as object),
    Operations: ops.map((op: unknown) => {
      const path = (op as { path?: unknown } | null)?.path
      return typeof path === 'string' && /(^|[:.])password$/i.test(path.trim())
        ? { ...(op as object), value: REDACTED }
        : op
    }),
  }
}

/** The SCIM answer when the data folder cannot take the request's write. */
function storageUnavailable(cause: string): ScimResult {
  return errorResult(
    new ScimError(
      503,
      `The server cannot store this request: ${cause}. Nothing was changed; retry once the operator has fixed the storage.`,
      undefined,
      'server.storage_unavailable',
    ),
    { 'Retry-After': '30' },
  )
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
    let requestJson: string | null | undefined
    let authorized: TokenRecord | undefined
    let prepared: ScimResult | (() => ScimResult)

    try {
      prepared = await (async (): Promise<ScimResult | (() => ScimResult)> => {
        const hash = bearerTokenHash(req)
        if (hash === undefined) {
          req.resume()
          const header = req.headers.authorization
          if (header !== undefined) {
            // Still a 401, but a registered token in a mis-pasted header is the classic IdP setup
            // mistake: say exactly what was sent, and show it in that tenant's log.
            const words = header.trim().split(/\s+/)
            const candidate = words[words.length - 1] ?? ''
            const candidateHash = sha256Hex(candidate)
            tokenHashPrefix = candidateHash.slice(0, 8)
            const known = deps.tenants.tokenByHash(candidateHash)
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
        authorized = record

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
              requestBody = storedText(read.text)
              return errorResult(
                new ScimError(
                  400,
                  `The request body is not valid JSON (${(err as Error).message}).`,
                  'invalidSyntax',
                ),
              )
            }
            if (exceedsDepth(parsed)) {
              requestBody = storedText(read.text)
              return errorResult(
                new ScimError(
                  400,
                  `The request body is nested more than ${MAX_JSON_DEPTH} levels deep; no SCIM resource is.`,
                  'invalidSyntax',
                ),
              )
            }
            const stored = cappedJson(redact(hidePatchSecrets(parsed)))
            requestBody = stored.body
            requestJson = stored.json
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
        return () => match.handler(ctx)
      })()
    } catch (err) {
      const cause = storageFailure(err)
      prepared = cause === undefined ? failed(err) : storageUnavailable(cause)
    }

    function failed(err: unknown): ScimResult {
      if (err instanceof ScimError) return errorResult(err)
      // The storage failing is the whole request failing: handled (503) where the commit fails.
      if (storageFailure(err) !== undefined) throw err
      deps.log({
        level: 'error',
        msg: 'unexpected error in a SCIM request',
        method,
        path: redactString(rawPath),
        error: redactString(String((err as Error)?.stack ?? err)),
      })
      return errorResult(
        new ScimError(
          500,
          'The server hit an unexpected error; the request changed nothing. See the server log.',
        ),
      )
    }

    function eventFor(result: ScimResult): EventInput {
      const isError = result.status >= 400
      // The reason travels inside the stored error JSON (store/events.ts keeps it as given).
      let error: (EventError & { reason?: ScimErrorReason }) | null = null
      if (isError && result.body && typeof result.body === 'object') {
        const b = result.body as Partial<ScimErrorBody>
        error = { status: String(b.status ?? result.status), detail: String(b.detail ?? '') }
        if (b.scimType) error.scimType = b.scimType
        if (b.reason) error.reason = b.reason
      }
      const response = result.serialized?.eventBody() ?? eventResponseBody(result.body)
      return {
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
        ...requestSource(req.headers),
        requestBody,
        requestJson,
        // Read only if the served event is built (cappedText).
        get responseBody() {
          return response.body
        },
        responseJson: response.json,
        membersAdded: ev.membersAdded,
        membersRemoved: ev.membersRemoved,
        userAgent: req.headers['user-agent']?.slice(0, 200) ?? null,
      }
    }

    // One transaction per request: the handler's writes (a savepoint, undone alone when it
    // fails) and the request's event commit together, and only then does the client get its answer.
    // Requests of the same event-loop turn share that transaction's COMMIT, each in its savepoint
    // (EventFeed.commitSoon).
    let result: ScimResult
    try {
      result = await deps.feed.commitSoon(() => {
        if (authorized) deps.tenants.touchToken(authorized)
        let out: ScimResult
        if (typeof prepared === 'function') {
          const run = prepared
          try {
            out = deps.feed.step(run)
          } catch (err) {
            out = failed(err)
          }
        } else out = prepared
        return { result: out, event: eventFor(out) }
      })
    } catch (err) {
      const cause = storageFailure(err)
      deps.log({
        level: 'error',
        msg: cause
          ? `storage failure, request refused with 503: ${cause}`
          : 'could not store a SCIM request and its event, request refused with 503',
        method,
        path: redactString(rawPath),
        error: redactString(String((err as Error)?.message ?? err)),
      })
      result = storageUnavailable(cause ?? 'the database refused the write')
    }

    if (!res.headersSent && !res.destroyed) send(req, res, result)
  }
}
