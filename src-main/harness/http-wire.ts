import type { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http'
import type { Agent as HttpsAgent } from 'node:https'

/**
 * The harness's wire: node:http(s) over keep-alive agents. A run sends ~470 requests; through
 * `fetch` (undici's WHATWG layers: Request, Headers, web streams, an AbortSignal pair per call)
 * each cost the client ~1 ms of CPU, more than the reference backend spends answering it, so
 * the client was what a run waited for. Here a request is one ClientRequest on a reused socket.
 */

export interface WireRequest {
  method: string
  url: string
  headers: Record<string, string>
  body?: string
  timeoutMs: number
  /** Aborts the request (the run was cancelled). */
  signal?: AbortSignal
  /** Response bodies beyond this are cut off (a hostile or broken server cannot fill memory). */
  maxBodyBytes: number
}

export interface WireResponse {
  status: number
  statusText: string
  /** Lower-case names, repeated headers joined with ", " (as fetch's Headers shows them). */
  headers: Record<string, string>
  text: string
}

/** Why a request got no HTTP answer. */
export class WireError extends Error {
  readonly kind: 'timeout' | 'aborted' | 'failed'
  constructor(kind: WireError['kind'], message: string) {
    super(message)
    this.kind = kind
  }
}

/** A kept-alive socket the server had closed: the request got no answer at all. */
class StaleSocket extends WireError {
  constructor(code: string) {
    super('failed', code)
  }
}

const STALE_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED'])
const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])

/** Response headers as the checks read them: case-insensitive `get`, like fetch's `Headers`. */
export class ResponseHeaders {
  readonly #map: Record<string, string>
  constructor(map: Record<string, string> = {}) {
    this.#map = map
  }
  get(name: string): string | null {
    return this.#map[name.toLowerCase()] ?? null
  }
  has(name: string): boolean {
    return name.toLowerCase() in this.#map
  }
  /** Sorted by name, as `Headers` iterates. */
  entries(): IterableIterator<[string, string]> {
    const sorted = Object.entries(this.#map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    return sorted[Symbol.iterator]()
  }
}

function headerMap(raw: string[]): Record<string, string> {
  const out: Record<string, string> = {}
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase()
    const value = raw[i + 1]!
    out[name] = name in out ? `${out[name]}, ${value}` : value
  }
  return out
}

/** One pair of keep-alive agents per run: the run's bound on requests in flight is theirs too. */
export class Wire {
  readonly #maxSockets: number
  #http: HttpAgent | undefined
  #https: HttpsAgent | undefined

  constructor(maxSockets: number) {
    this.#maxSockets = maxSockets
  }

  // Idle sockets are unref'd by the agent, so a finished run does not hold the process open.
  // HTTP(S)_PROXY / NO_PROXY are honoured when Node is told to (NODE_USE_ENV_PROXY=1 or
  // --use-env-proxy), as they were by fetch and are by Node's global agents.
  #agentOptions() {
    const n = this.#maxSockets
    const useEnvProxy =
      process.env.NODE_USE_ENV_PROXY === '1' || process.execArgv.includes('--use-env-proxy')
    return {
      keepAlive: true,
      maxSockets: n,
      maxFreeSockets: n,
      scheduling: 'lifo' as const,
      ...(useEnvProxy ? { proxyEnv: process.env } : {}),
    }
  }

  /**
   * node:http(s) through getBuiltinModule, not `import`: an ESM import of node:http builds its
   * namespace, which evaluates the lazy WebSocket/EventSource getters and so loads all of undici
   * (~30 ms at every start, for nothing). https (and TLS) loads only for an https URL.
   */
  #client(https: boolean): { request: typeof httpRequest; agent: HttpAgent } {
    if (https) {
      const m = process.getBuiltinModule('node:https')
      this.#https ??= new m.Agent(this.#agentOptions())
      return { request: m.request, agent: this.#https }
    }
    const m = process.getBuiltinModule('node:http')
    this.#http ??= new m.Agent(this.#agentOptions())
    return { request: m.request, agent: this.#http }
  }

  /** Closes the idle sockets (a run is over). */
  close(): void {
    this.#http?.destroy()
    this.#https?.destroy()
    this.#http = undefined
    this.#https = undefined
  }

  /**
   * Sends once; a GET, PUT or DELETE that failed on a kept-alive socket before any answer (the
   * server closed it while idle, just as this request went out) is sent once more on a fresh
   * connection, as fetch did. POST and PATCH are not: the server may have acted on them.
   */
  async send(req: WireRequest): Promise<WireResponse> {
    try {
      return await this.#sendOnce(req)
    } catch (err) {
      if (!(err instanceof StaleSocket)) throw err
      if (!IDEMPOTENT.has(req.method)) throw new WireError('failed', err.message)
      return this.#sendOnce(req)
    }
  }

  #sendOnce(req: WireRequest): Promise<WireResponse> {
    if (req.signal?.aborted)
      return Promise.reject(new WireError('aborted', 'The run was cancelled.'))
    let url: URL
    let outgoing: ReturnType<typeof httpRequest>
    try {
      url = new URL(req.url)
      const headers: Record<string, string> = { ...req.headers }
      if (req.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(req.body))
      const client = this.#client(url.protocol === 'https:')
      outgoing = client.request(url, { method: req.method, headers, agent: client.agent })
    } catch (err) {
      // A URL that does not parse, or a header value Node refuses (a token with a newline):
      // nothing was sent.
      const e = err as NodeJS.ErrnoException
      return Promise.reject(new WireError('failed', e.code ?? e.message))
    }
    return new Promise((resolve, reject) => {
      let settled = false
      const finish = (err: WireError | undefined, res?: WireResponse): void => {
        if (settled) return
        settled = true
        clearTimeout(timer)
        req.signal?.removeEventListener('abort', onAbort)
        if (err) {
          outgoing.destroy()
          reject(err)
        } else resolve(res!)
      }
      const onAbort = (): void => finish(new WireError('aborted', 'The run was cancelled.'))
      const timer = setTimeout(
        () => finish(new WireError('timeout', `No answer within ${req.timeoutMs} ms.`)),
        req.timeoutMs,
      )
      req.signal?.addEventListener('abort', onAbort, { once: true })
      let answered = false
      outgoing.on('error', (err: NodeJS.ErrnoException) => {
        const code = err.code ?? err.message
        const stale = !answered && outgoing.reusedSocket && STALE_CODES.has(code)
        finish(stale ? new StaleSocket(code) : new WireError('failed', code))
      })
      outgoing.on('response', (res) => {
        answered = true
        readBody(res, req.maxBodyBytes).then(
          (text) =>
            finish(undefined, {
              status: res.statusCode ?? 0,
              statusText: res.statusMessage ?? '',
              headers: headerMap(res.rawHeaders),
              text,
            }),
          (err: NodeJS.ErrnoException) => finish(new WireError('failed', err.code ?? err.message)),
        )
      })
      outgoing.end(req.body)
    })
  }
}

/** The body as text, decoded as fetch would (gzip, deflate, br), cut off at `max` bytes. */
function readBody(res: IncomingMessage, max: number): Promise<string> {
  const encoding = String(res.headers['content-encoding'] ?? '')
    .trim()
    .toLowerCase()
  // zlib only for a compressed answer (scim-console asks for none; some servers send it anyway).
  const zlib = encoding ? process.getBuiltinModule('node:zlib') : undefined
  const decoder =
    encoding === 'gzip' || encoding === 'x-gzip'
      ? zlib!.createGunzip()
      : encoding === 'deflate'
        ? zlib!.createInflate()
        : encoding === 'br'
          ? zlib!.createBrotliDecompress()
          : undefined
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    let done = false
    const source = decoder ? res.pipe(decoder) : res
    source.on('data', (b: Buffer) => {
      if (done) return
      chunks.push(b)
      size += b.byteLength
      if (size > max) {
        // Stop reading: the socket is destroyed rather than drained.
        done = true
        res.destroy()
        decoder?.destroy()
        const text = Buffer.concat(chunks).subarray(0, max).toString('utf8')
        resolve(`${text}\n[scim-console: response cut off after ${max} bytes]`)
      }
    })
    source.on('end', () => {
      if (done) return
      done = true
      resolve(
        chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'),
      )
    })
    const broken = (err?: Error): void => {
      if (done) return
      done = true
      reject(
        err ??
          Object.assign(new Error('The connection closed mid-answer.'), { code: 'ECONNRESET' }),
      )
    }
    source.on('error', broken)
    if (decoder) res.on('error', broken)
    res.on('close', () => {
      // A body cut short by the peer ends in 'close' without 'end' (the decoder may still flush).
      if (!decoder && !res.complete) broken()
    })
  })
}
