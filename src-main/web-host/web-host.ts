import { randomBytes, timingSafeEqual } from 'node:crypto'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { AppErrorData } from '../../src-shared/errors.ts'
import { WEB_HOST_CSP } from '../csp.ts'
import type { RendererEvents } from '../renderer-events.ts'
import type { Logger } from '../logger.ts'
import type { Dispatch } from '../dispatcher.ts'
import { readStaticFile } from './static-files.ts'

/**
 * The loopback web host: the built renderer plus the contract over HTTP, so the UI runs in a plain
 * browser (Playwright, machines without a desktop). Bound to 127.0.0.1 only; every API call needs
 * the per-run token; Host and Origin are checked against DNS rebinding and cross-site requests.
 */

export interface WebHost {
  /** Origin without token, e.g. http://127.0.0.1:41234 */
  origin: string
  port: number
  /** The page URL with the token in the fragment: fragments never reach the server or its logs. */
  pageUrl: string
  close(): Promise<void>
}

export interface WebHostOptions {
  dispatch: Dispatch
  hub: RendererEvents
  rendererDir: string
  logger: Logger
  port?: number
  /** Tests may fix it; normally 32 random bytes per run. */
  token?: string
  /** Largest accepted request body. Metadata may be 50 MB of XML, which JSON escaping can grow. */
  maxBodyBytes?: number
}

const API_PREFIX = '/api/'

export async function startWebHost(opts: WebHostOptions): Promise<WebHost> {
  const token = opts.token ?? randomBytes(32).toString('base64url')
  const tokenBytes = Buffer.from(token)
  const maxBody = opts.maxBodyBytes ?? 80 * 1024 * 1024
  const sseClients = new Set<ServerResponse>()
  let port = 0

  const tokenMatches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false
    const given = Buffer.from(candidate)
    return given.length === tokenBytes.length && timingSafeEqual(given, tokenBytes)
  }

  const allowedHosts = (): Set<string> => new Set([`127.0.0.1:${port}`, `localhost:${port}`])
  const allowedOrigins = (): Set<string> =>
    new Set([`http://127.0.0.1:${port}`, `http://localhost:${port}`])

  const server = createServer((req, res) => {
    const started = performance.now()
    // Log the path only: the query may carry the token (EventSource cannot send headers).
    const path = (req.url ?? '/').split('?')[0] ?? '/'
    res.on('finish', () => {
      opts.logger.info('http', {
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round(performance.now() - started),
      })
    })
    handle(req, res, path).catch(() => {
      if (!res.headersSent)
        sendError(res, 500, { code: 'internal', message: 'The web host failed to answer.' })
      else res.destroy()
    })
  })

  async function handle(req: IncomingMessage, res: ServerResponse, path: string): Promise<void> {
    setCommonHeaders(res)
    // DNS rebinding: a hostile page on evil.example resolving to 127.0.0.1 still sends its own Host.
    if (!allowedHosts().has(req.headers.host ?? '')) {
      sendError(res, 421, {
        code: 'web.unauthorized',
        message: 'This host name is not served here.',
        hint: 'Open the URL printed by `scim-console web` (http://127.0.0.1:<port>/).',
      })
      return
    }
    const origin = req.headers.origin
    const fetchSite = req.headers['sec-fetch-site']
    if ((origin !== undefined && !allowedOrigins().has(origin)) || fetchSite === 'cross-site') {
      sendError(res, 403, {
        code: 'web.unauthorized',
        message: 'Cross-origin requests are refused.',
        hint: 'Only the page served by this web host may call its API.',
      })
      return
    }

    if (path === '/api/events') {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET')
      const query = new URL(req.url ?? '/', 'http://127.0.0.1').searchParams
      if (!tokenMatches(query.get('token')) && !tokenMatches(bearer(req))) return unauthorized(res)
      openEventStream(req, res)
      return
    }

    if (path.startsWith(API_PREFIX)) {
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST')
      if (!tokenMatches(bearer(req))) return unauthorized(res)
      if (!(req.headers['content-type'] ?? '').toLowerCase().startsWith('application/json')) {
        sendError(res, 415, {
          code: 'ipc.bad_input',
          message: 'API requests must have Content-Type: application/json.',
        })
        return
      }
      const channel = path.slice(API_PREFIX.length)
      const body = await readBody(req, maxBody)
      if (body === 'too_large') {
        sendError(res, 413, {
          code: 'ipc.bad_input',
          message: `The request body is larger than ${Math.round(maxBody / 1024 / 1024)} MB.`,
          hint: 'Metadata documents are capped at 50 MB; use a smaller file.',
        })
        return
      }
      let input: unknown
      try {
        input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'))
      } catch {
        sendError(res, 400, {
          code: 'ipc.bad_input',
          message: 'The request body is not valid JSON.',
          hint: 'Send the channel input as a JSON object.',
        })
        return
      }
      const result = await opts.dispatch(channel, input)
      const status = result.ok
        ? 200
        : result.error.code === 'ipc.unknown_channel'
          ? 404
          : result.error.code === 'ipc.bad_input'
            ? 400
            : 200
      sendJson(res, status, result)
      return
    }

    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET')
    const file = await readStaticFile(opts.rendererDir, path)
    if (!file) {
      res.statusCode = 404
      res.setHeader('Content-Type', 'text/plain; charset=utf-8')
      res.end('Not found\n')
      return
    }
    res.statusCode = 200
    res.setHeader('Content-Type', file.contentType)
    res.setHeader('Content-Length', file.body.length)
    if (file.contentType.startsWith('text/html'))
      res.setHeader('Content-Security-Policy', WEB_HOST_CSP)
    res.end(req.method === 'HEAD' ? undefined : file.body)
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    })
    res.write(': connected\n\n')
    sseClients.add(res)
    req.on('close', () => sseClients.delete(res))
  }

  const unsubscribe = opts.hub.subscribe((event, payload) => {
    const frame = `event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`
    for (const client of sseClients) client.write(frame)
  })

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject)
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolveListen()
    })
  })
  port = (server.address() as AddressInfo).port
  const origin = `http://127.0.0.1:${port}`

  return {
    origin,
    port,
    pageUrl: `${origin}/#token=${token}`,
    close: async () => {
      unsubscribe()
      for (const client of sseClients) client.end()
      sseClients.clear()
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null
  return match?.[1]
}

function setCommonHeaders(res: ServerResponse): void {
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Referrer-Policy', 'no-referrer')
  res.setHeader('Cache-Control', 'no-store')
  res.setHeader('Cross-Origin-Resource-Policy', 'same-origin')
  res.setHeader('X-Frame-Options', 'DENY')
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body)
  res.statusCode = status
  res.setHeader('Content-Type', 'application/json; charset=utf-8')
  res.setHeader('Content-Length', Buffer.byteLength(text))
  res.end(text)
}

function sendError(res: ServerResponse, status: number, error: AppErrorData): void {
  sendJson(res, status, { ok: false, error })
}

function unauthorized(res: ServerResponse): void {
  res.setHeader('WWW-Authenticate', 'Bearer')
  sendError(res, 401, {
    code: 'web.unauthorized',
    message: 'Missing or wrong web host token.',
    hint: 'Open the full URL printed by `scim-console web`; it carries the per-run token.',
  })
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow)
  sendError(res, 405, { code: 'ipc.bad_input', message: `Method not allowed; use ${allow}.` })
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer | 'too_large'> {
  const declared = Number(req.headers['content-length'] ?? NaN)
  if (Number.isFinite(declared) && declared > max) {
    req.resume()
    return Promise.resolve('too_large')
  }
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let over = false
    req.on('data', (chunk: Buffer) => {
      if (over) return
      size += chunk.length
      if (size > max) {
        over = true
        chunks.length = 0
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolveBody(over ? 'too_large' : Buffer.concat(chunks)))
    req.on('error', reject)
  })
}
