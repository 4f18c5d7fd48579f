import { timingSafeEqual } from 'node:crypto'
import type { IncomingMessage, ServerResponse } from 'node:http'
import { redactString } from '../../src-shared/redact.ts'
import { readBody } from '../http/body.ts'
import { exceedsDepth } from '../http/json-depth.ts'
import { Router } from '../http/router.ts'
import { sha256Hex } from '../store/hash.ts'
import type { TenantStore } from '../store/tenants.ts'
import { ADMIN_KEY_SETTING, ADMIN_PREFIX, AdminHttpError, SERVER_VERSION } from './admin-context.ts'
import type { AdminContext, AdminDeps, AdminResult } from './admin-context.ts'
import { directoryRoutes } from './directory-routes.ts'
import { eventRoutes } from './event-routes.ts'
import { ssoRoutes } from './sso-routes.ts'
import { tenantRoutes } from './tenant-routes.ts'
import { scimTokenRoutes } from './token-routes.ts'

/** The admin API's front door: admin key → route → JSON body → handler; one module per resource. */

export {
  ADMIN_KEY_SETTING,
  ADMIN_PREFIX,
  AdminHttpError,
  SERVER_VERSION,
  type AdminDeps,
} from './admin-context.ts'

const ADMIN_BODY_LIMIT = 2 * 1024 * 1024

export function adminRouter(): Router<AdminContext, AdminResult> {
  const r = new Router<AdminContext, AdminResult>()
  tenantRoutes(r)
  ssoRoutes(r)
  scimTokenRoutes(r)
  directoryRoutes(r)
  eventRoutes(r)
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
