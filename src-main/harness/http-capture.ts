import { redact, redactString } from '../../src-shared/redact.ts'
import type { Exchange } from '../../src-shared/harness.ts'
import { consoleTrafficHeaders } from '../../src-shared/console-traffic.ts'
import { ResponseHeaders, Wire, WireError } from './http-wire.ts'

/**
 * The harness's one SCIM HTTP client. Every exchange is recorded (redacted before it is stored)
 * so the inspector, the reports and the HAR file show exactly what went over the wire. The
 * Authorization header is built here from the token, so no caller ever handles a header value.
 */

/** Which credentials a request carries: the real token, none, a wrong one, or the bare token. */
export type AuthMode = 'token' | 'none' | 'wrong' | 'raw-token'

export interface ScimRequest {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  /** Path below the base URL (`/Users/123`) with an optional query already encoded. */
  path: string
  query?: Record<string, string | number | undefined>
  body?: unknown
  /** Raw body text instead of JSON (malformed-JSON probes). */
  rawBody?: string
  headers?: Record<string, string>
  auth?: AuthMode
  checkId?: string
  /** Skip 429 retries, for probes that want to see the first answer. */
  noRetry?: boolean
  /** More 429 retries than the run's default, for requests that must get through (cleanup). */
  maxRetries?: number
  /** Ignore the run's cancel signal: cleanup must still go out after Ctrl-C. */
  detached?: boolean
  /**
   * Part of a bulk step that runs alone (the import rehearsal's creates, cleanup's deletes):
   * queued behind the bulk bound instead of the checks' bound.
   */
  bulk?: boolean
}

export interface ScimResponse {
  exchange: Exchange
  status: number
  headers: ResponseHeaders
  text: string
  /** Parsed body when it is JSON, else undefined. */
  json: unknown
  /** Set when the request did not get an HTTP answer (timeout, connection refused...). */
  error?: { code: 'network.timeout' | 'network.unreachable' | 'cancelled'; message: string }
}

export interface RateLimitEvent {
  exchangeId: string
  retryAfter: string | null
  checkId?: string
}

export interface HttpCaptureOptions {
  baseUrl: string
  token: string
  timeoutMs: number
  /** Requests in flight at once; checks queue behind this bound. */
  concurrency: number
  /** Bulk requests in flight at once (default twice `concurrency`); bulk steps run alone. */
  bulkConcurrency?: number
  signal?: AbortSignal
  /** Profile headers sent on every request (User-Agent, Accept...). */
  defaultHeaders?: Record<string, string>
  /**
   * Marks every request as the console's own test traffic (src-shared/console-traffic.ts), so the
   * backend records it as such and the IdP's log, diagnosis and go-live leave it out.
   */
  identity?: { kind: 'harness' | 'replay'; id: string; version: string }
  /** Content-Type for requests with a body. */
  contentType?: string
  /** Longest `Retry-After` honoured; longer values are capped so a run stays bounded. */
  maxRetryAfterMs?: number
  /** Wait when a 429 carries no usable `Retry-After` (Okta would wait 5 minutes). */
  fallbackRetryMs?: number
  maxRetries?: number
  onExchange?: (exchange: Exchange) => void
  /** Response bodies beyond this are cut off (a hostile or broken server cannot fill memory). */
  maxBodyBytes?: number
}

class Semaphore {
  #free: number
  #waiting: Array<() => void> = []
  constructor(size: number) {
    this.#free = Math.max(1, size)
  }
  async acquire(): Promise<void> {
    if (this.#free > 0) {
      this.#free--
      return
    }
    await new Promise<void>((resolve) => this.#waiting.push(resolve))
  }
  release(): void {
    const next = this.#waiting.shift()
    if (next) next()
    else this.#free++
  }
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done(): void {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** `Retry-After` as Okta reads it: integer seconds only. */
export function parseRetryAfterSeconds(value: string | null): number | undefined {
  if (value === null || !/^\s*\d+\s*$/.test(value)) return undefined
  return Number(value.trim())
}

export class HttpCapture {
  readonly baseUrl: string
  readonly exchanges: Exchange[] = []
  readonly rateLimits: RateLimitEvent[] = []
  #token: string
  #opts: HttpCaptureOptions
  #sem: Semaphore
  #bulkSem: Semaphore
  #seq = 0
  #wire: Wire

  constructor(opts: HttpCaptureOptions) {
    this.baseUrl = opts.baseUrl.replace(/(?<!\/)\/+$/, '')
    this.#token = opts.token
    this.#opts = opts.identity
      ? {
          ...opts,
          defaultHeaders: {
            ...opts.defaultHeaders,
            ...consoleTrafficHeaders({
              ...opts.identity,
              ...(opts.defaultHeaders?.['User-Agent']
                ? { userAgent: opts.defaultHeaders['User-Agent'] }
                : {}),
            }),
          },
        }
      : opts
    this.#sem = new Semaphore(opts.concurrency)
    const bulk = opts.bulkConcurrency ?? opts.concurrency * 2
    this.#bulkSem = new Semaphore(bulk)
    // Enough sockets for both bounds, so a request never waits for a connection, only its turn.
    this.#wire = new Wire(Math.max(1, opts.concurrency) + Math.max(1, bulk))
  }

  /** Closes the kept-alive connections; requests after this open new ones. */
  close(): void {
    this.#wire.close()
  }

  url(path: string, query?: ScimRequest['query']): string {
    let url = path.startsWith('http') ? path : `${this.baseUrl}${path}`
    const params = Object.entries(query ?? {}).filter(([, v]) => v !== undefined)
    if (params.length > 0) {
      // Encode spaces as %20 like Okta does (`filter=userName%20eq%20%22...%22`), not as `+`.
      const qs = params
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
        .join('&')
      url += (url.includes('?') ? '&' : '?') + qs
    }
    return url
  }

  #authHeader(mode: AuthMode): string | undefined {
    switch (mode) {
      case 'token':
        return `Bearer ${this.#token}`
      case 'raw-token':
        return this.#token
      case 'wrong':
        return 'Bearer scimc-wrong-token-0000000000'
      case 'none':
        return undefined
    }
  }

  async request(req: ScimRequest, signal?: AbortSignal): Promise<ScimResponse> {
    const maxRetries = req.noRetry ? 0 : (req.maxRetries ?? this.#opts.maxRetries ?? 3)
    let attempt = 1
    for (;;) {
      const res = await this.#once(req, attempt, signal)
      if (res.status !== 429 || attempt > maxRetries) return res
      const header = res.headers.get('retry-after')
      const seconds = parseRetryAfterSeconds(header)
      const rl: RateLimitEvent = { exchangeId: res.exchange.id, retryAfter: header }
      if (req.checkId !== undefined) rl.checkId = req.checkId
      this.rateLimits.push(rl)
      const wait =
        seconds === undefined
          ? (this.#opts.fallbackRetryMs ?? 1000)
          : Math.min(seconds * 1000, this.#opts.maxRetryAfterMs ?? 30_000)
      const waitSignal = req.detached ? signal : this.#anySignal(signal)
      await sleep(wait, waitSignal)
      if (waitSignal?.aborted) return res
      attempt++
    }
  }

  #anySignal(signal?: AbortSignal): AbortSignal | undefined {
    const signals = [this.#opts.signal, signal].filter((s): s is AbortSignal => s !== undefined)
    if (signals.length === 0) return undefined
    return signals.length === 1 ? signals[0] : AbortSignal.any(signals)
  }

  async #once(req: ScimRequest, attempt: number, signal?: AbortSignal): Promise<ScimResponse> {
    const url = this.url(req.path, req.query)
    const headers: Record<string, string> = { ...this.#opts.defaultHeaders }
    const auth = this.#authHeader(req.auth ?? 'token')
    if (auth !== undefined) headers['Authorization'] = auth
    let body: string | undefined
    if (req.rawBody !== undefined) body = req.rawBody
    else if (req.body !== undefined) body = JSON.stringify(req.body)
    if (body !== undefined)
      headers['Content-Type'] = this.#opts.contentType ?? 'application/scim+json'
    Object.assign(headers, req.headers)

    const id = `x${++this.#seq}`
    const outer = req.detached ? signal : this.#anySignal(signal)
    const sem = req.bulk ? this.#bulkSem : this.#sem
    await sem.acquire()
    const startedAt = new Date()
    const t0 = performance.now()
    let status = 0
    let statusText = ''
    let text = ''
    let resHeaders: Record<string, string> = {}
    let error: ScimResponse['error']
    try {
      const res = await this.#wire.send({
        method: req.method,
        url,
        headers,
        ...(body !== undefined ? { body } : {}),
        timeoutMs: this.#opts.timeoutMs,
        ...(outer ? { signal: outer } : {}),
        maxBodyBytes: this.#opts.maxBodyBytes ?? 2 * 1024 * 1024,
      })
      status = res.status
      statusText = res.statusText
      resHeaders = res.headers
      text = res.text
    } catch (err) {
      const kind = err instanceof WireError ? err.kind : 'failed'
      if (kind === 'aborted' || outer?.aborted)
        error = { code: 'cancelled', message: 'The run was cancelled.' }
      else if (kind === 'timeout')
        error = {
          code: 'network.timeout',
          message: `No answer within ${this.#opts.timeoutMs < 1000 ? `${this.#opts.timeoutMs} ms` : `${Math.round(this.#opts.timeoutMs / 1000)} s`}.`,
        }
      else
        error = {
          code: 'network.unreachable',
          message: `Could not reach ${hostOf(url)}: ${(err as Error)?.message ?? String(err)}`,
        }
    } finally {
      sem.release()
    }
    const durationMs = Math.round((performance.now() - t0) * 10) / 10
    let json: unknown
    if (text.length > 0) {
      try {
        json = JSON.parse(text)
      } catch {
        json = undefined
      }
    }
    // Bodies are redacted apart from the rest (structurally when JSON, then as text, as one
    // deep redact of the whole exchange did), so no body is parsed or walked twice.
    const requestBody = body === undefined ? undefined : redactBody(body, parseJson(body))
    const exchange: Exchange = redact({
      id,
      startedAt: startedAt.toISOString(),
      durationMs,
      attempt,
      request: { method: req.method, url, headers },
      ...(error
        ? { error }
        : {
            response: {
              status,
              statusText,
              headers: sortedHeaders(resHeaders),
              body: '',
            },
          }),
      ...(req.checkId !== undefined ? { checkId: req.checkId } : {}),
    })
    if (requestBody !== undefined) exchange.request.body = requestBody
    if (exchange.response) exchange.response.body = redactBody(text, json)
    this.exchanges.push(exchange)
    this.#opts.onExchange?.(exchange)
    const out: ScimResponse = {
      exchange,
      status,
      headers: new ResponseHeaders(resHeaders),
      text,
      json,
    }
    if (error) out.error = error
    return out
  }
}

const NOT_JSON = Symbol('not JSON')

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    return NOT_JSON
  }
}

/** Header names sorted, as fetch's `Headers` listed them (reports and HAR show this order). */
function sortedHeaders(map: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {}
  for (const k of Object.keys(map).sort()) out[k] = map[k]!
  return out
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

/**
 * JSON bodies are redacted structurally (`password` values) and then as text, other text as free
 * text. `parsed` is the body already parsed (undefined or NOT_JSON when it is not JSON).
 */
function redactBody(text: string, parsed: unknown): string {
  if (text.length === 0) return ''
  if (parsed === undefined || parsed === NOT_JSON) return redactString(text)
  return redactString(JSON.stringify(redact(parsed)))
}
