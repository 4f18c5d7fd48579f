import { createServer, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import { createServer as createTlsServer } from 'node:https'
import { gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import { hasOpenssl, makeTestCertificate } from '../../test/support/tls-test-cert.ts'
import { HttpCapture, parseRetryAfterSeconds } from './http-capture.ts'

let server: Server | undefined
afterEach(async () => {
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

async function serve(handler: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(handler)
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/scim/v2`
}

const TOKEN = 'capture-test-token-abcdef123456'

describe('HttpCapture', () => {
  it('builds the Authorization header itself and stores it redacted, with every exchange detail', async () => {
    let seen = ''
    const base = await serve((req, res) => {
      seen = req.headers.authorization ?? ''
      res
        .writeHead(201, { 'content-type': 'application/scim+json', location: '/x' })
        .end('{"id":"1","password":"p4ss-word-123"}')
    })
    const http = new HttpCapture({
      baseUrl: base,
      token: TOKEN,
      timeoutMs: 5000,
      concurrency: 2,
      defaultHeaders: { 'User-Agent': 'Okta SCIM Client 1.0.0' },
    })
    const res = await http.request({
      method: 'POST',
      path: '/Users',
      body: { userName: 'a', password: 'secretpw1' },
      checkId: 'c1',
    })
    expect(seen).toBe(`Bearer ${TOKEN}`)
    expect(res.status).toBe(201)
    expect(res.json).toEqual({ id: '1', password: 'p4ss-word-123' })
    const x = http.exchanges[0]!
    expect(x).toMatchObject({
      checkId: 'c1',
      attempt: 1,
      request: { method: 'POST', url: `${base}/Users` },
      response: { status: 201 },
    })
    expect(x.request.headers['Authorization']).toBe('Bearer [REDACTED]')
    expect(x.request.headers['User-Agent']).toBe('Okta SCIM Client 1.0.0')
    expect(x.request.body).toBe('{"userName":"a","password":"[REDACTED]"}')
    expect(x.response!.body).toBe('{"id":"1","password":"[REDACTED]"}')
    expect(x.response!.headers.location).toBe('/x')
    expect(JSON.stringify(http.exchanges)).not.toContain(TOKEN)
  })

  it('encodes filters the way Okta does (%20, not +)', () => {
    const http = new HttpCapture({
      baseUrl: 'http://h/scim/v2/',
      token: TOKEN,
      timeoutMs: 1000,
      concurrency: 1,
    })
    expect(http.url('/Users', { filter: 'userName eq "a@b.c"', startIndex: 1, count: 100 })).toBe(
      'http://h/scim/v2/Users?filter=userName%20eq%20%22a%40b.c%22&startIndex=1&count=100',
    )
  })

  it('records a timeout as an exchange with network.timeout instead of throwing', async () => {
    const base = await serve((_req, res) => setTimeout(() => res.end('{}'), 2000))
    const http = new HttpCapture({ baseUrl: base, token: TOKEN, timeoutMs: 100, concurrency: 1 })
    const res = await http.request({ method: 'GET', path: '/Users' })
    expect(res.error?.code).toBe('network.timeout')
    expect(http.exchanges[0]!.error?.code).toBe('network.timeout')
    expect(http.exchanges[0]!.response).toBeUndefined()
  })

  it('retries a 429 after an integer Retry-After and records both attempts', async () => {
    let n = 0
    const base = await serve((_req, res) => {
      if (++n === 1) res.writeHead(429, { 'retry-after': '0' }).end()
      else res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"ok":true}')
    })
    const http = new HttpCapture({ baseUrl: base, token: TOKEN, timeoutMs: 2000, concurrency: 1 })
    const res = await http.request({ method: 'GET', path: '/Users' })
    expect(res.status).toBe(200)
    expect(http.exchanges.map((x) => [x.attempt, x.response?.status])).toEqual([
      [1, 429],
      [2, 200],
    ])
    expect(http.rateLimits).toEqual([{ exchangeId: 'x1', retryAfter: '0' }])
  })

  it('gives up after maxRetries and returns the last 429', async () => {
    const base = await serve((_req, res) => res.writeHead(429).end())
    const http = new HttpCapture({
      baseUrl: base,
      token: TOKEN,
      timeoutMs: 2000,
      concurrency: 1,
      maxRetries: 2,
      fallbackRetryMs: 1,
    })
    const res = await http.request({ method: 'GET', path: '/Users' })
    expect(res.status).toBe(429)
    expect(http.exchanges).toHaveLength(3)
    expect(http.rateLimits.every((r) => r.retryAfter === null)).toBe(true)
  })

  it('cuts off a huge response body instead of reading it all', async () => {
    const base = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' })
      const chunk = 'x'.repeat(64 * 1024)
      let sent = 0
      const pump = (): void => {
        while (sent < 200 && res.write(chunk)) sent++
        if (sent < 200) res.once('drain', pump)
        else res.end()
      }
      pump()
    })
    const http = new HttpCapture({
      baseUrl: base,
      token: TOKEN,
      timeoutMs: 5000,
      concurrency: 1,
      maxBodyBytes: 100_000,
    })
    const res = await http.request({ method: 'GET', path: '/Users' })
    expect(res.text.length).toBeLessThan(101_000)
    expect(res.text).toMatch(/cut off after 100000 bytes/)
  })

  it('a cancelled run stops waiting at once and says so', async () => {
    let n = 0
    const base = await serve((_req, res) =>
      ++n === 1 ? setTimeout(() => res.end('{}'), 5000) : res.end('{}'),
    )
    const controller = new AbortController()
    const http = new HttpCapture({
      baseUrl: base,
      token: TOKEN,
      timeoutMs: 10_000,
      concurrency: 1,
      signal: controller.signal,
    })
    const pending = http.request({ method: 'GET', path: '/Users' })
    setTimeout(() => controller.abort(), 50)
    expect((await pending).error?.code).toBe('cancelled')
    // Cleanup requests are detached from the run's signal and still go out.
    const detached = await http.request({ method: 'GET', path: '/Users', detached: true })
    expect(detached.error).toBeUndefined()
    expect(detached.status).toBe(200)
    expect((await http.request({ method: 'GET', path: '/Users' })).error?.code).toBe('cancelled')
  })

  it('keeps connections alive: a burst of requests reuses at most its bound of sockets', async () => {
    const sockets = new Set<Socket>()
    const base = await serve((req, res) => {
      sockets.add(req.socket)
      res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"Resources":[]}')
    })
    const http = new HttpCapture({ baseUrl: base, token: TOKEN, timeoutMs: 5000, concurrency: 2 })
    const all = await Promise.all(
      Array.from({ length: 40 }, () => http.request({ method: 'GET', path: '/Users' })),
    )
    expect(all.every((r) => r.status === 200)).toBe(true)
    expect(sockets.size).toBeGreaterThan(0)
    expect(sockets.size).toBeLessThanOrEqual(2)
    http.close()
  })

  it('sends a GET again on a fresh connection when the kept-alive one was closed under it, never a POST', async () => {
    const served = new WeakMap<Socket, number>()
    let posts = 0
    const base = await serve((req, res) => {
      if (req.method === 'POST') posts++
      const n = (served.get(req.socket) ?? 0) + 1
      served.set(req.socket, n)
      // The server drops an idle keep-alive connection just as the next request arrives on it.
      if (n > 1) return void req.socket.destroy()
      res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"Resources":[]}')
    })
    const http = new HttpCapture({ baseUrl: base, token: TOKEN, timeoutMs: 5000, concurrency: 1 })
    expect((await http.request({ method: 'GET', path: '/Users' })).status).toBe(200)
    const again = await http.request({ method: 'GET', path: '/Users' })
    expect(again.error).toBeUndefined()
    expect(again.status).toBe(200)
    const post = await http.request({ method: 'POST', path: '/Users', body: { userName: 'a' } })
    expect(post.error?.code).toBe('network.unreachable')
    expect(posts).toBe(1)
    http.close()
  })

  it('decodes a gzip answer and shows its headers as fetch did (lower case, sorted)', async () => {
    const base = await serve((_req, res) => {
      res
        .writeHead(200, {
          'Content-Type': 'application/scim+json',
          'Content-Encoding': 'gzip',
          'X-Trace': 'abc',
        })
        .end(gzipSync('{"totalResults":0,"Resources":[]}'))
    })
    const http = new HttpCapture({ baseUrl: base, token: TOKEN, timeoutMs: 5000, concurrency: 1 })
    const res = await http.request({ method: 'GET', path: '/Users' })
    expect(res.json).toEqual({ totalResults: 0, Resources: [] })
    expect(res.headers.get('Content-Type')).toBe('application/scim+json')
    const names = Object.keys(http.exchanges[0]!.response!.headers)
    expect(names).toEqual([...names].sort())
    expect(names).toContain('x-trace')
    http.close()
  })

  it('records a refused connection as network.unreachable naming the cause', async () => {
    const base = await serve((_req, res) => res.end())
    const port = (server!.address() as AddressInfo).port
    server!.close()
    const http = new HttpCapture({
      baseUrl: `http://127.0.0.1:${port}/scim/v2`,
      token: TOKEN,
      timeoutMs: 5000,
      concurrency: 1,
    })
    const res = await http.request({ method: 'GET', path: '/Users' })
    expect(res.error?.code).toBe('network.unreachable')
    expect(res.error?.message).toMatch(/ECONNREFUSED/)
    expect(base).toContain(String(port))
  })

  it('goes through HTTP_PROXY when Node is told to use the environment proxy (NODE_USE_ENV_PROXY=1)', async () => {
    let seenUrl = ''
    const proxyBase = await serve((req, res) => {
      seenUrl = req.url ?? ''
      res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"Resources":[]}')
    })
    const saved = { ...process.env }
    process.env.NODE_USE_ENV_PROXY = '1'
    process.env.HTTP_PROXY = new URL(proxyBase).origin
    delete process.env.NO_PROXY
    delete process.env.no_proxy
    delete process.env.http_proxy
    try {
      const http = new HttpCapture({
        baseUrl: 'http://scim.example.invalid/scim/v2',
        token: TOKEN,
        timeoutMs: 5000,
        concurrency: 1,
      })
      const res = await http.request({ method: 'GET', path: '/Users' })
      expect(res.status).toBe(200)
      // A forward proxy gets the absolute URL of the target.
      expect(seenUrl).toBe('http://scim.example.invalid/scim/v2/Users')
      http.close()
    } finally {
      for (const k of ['NODE_USE_ENV_PROXY', 'HTTP_PROXY', 'NO_PROXY', 'no_proxy', 'http_proxy'])
        if (saved[k] === undefined) delete process.env[k]
        else process.env[k] = saved[k]
    }
  })

  it.skipIf(!hasOpenssl)(
    'speaks HTTPS, and refuses a certificate no trusted authority signed (skipped without openssl)',
    async () => {
      const { key, cert } = makeTestCertificate(['127.0.0.1'])
      const tls = createTlsServer({ key, cert }, (_req, res) => res.end('{}'))
      await new Promise<void>((resolve) => tls.listen(0, '127.0.0.1', resolve))
      try {
        const port = (tls.address() as AddressInfo).port
        const http = new HttpCapture({
          baseUrl: `https://127.0.0.1:${port}/scim/v2`,
          token: TOKEN,
          timeoutMs: 5000,
          concurrency: 1,
        })
        const res = await http.request({ method: 'GET', path: '/Users' })
        expect(res.error?.code).toBe('network.unreachable')
        expect(res.error?.message).toMatch(/SELF_SIGNED|UNABLE_TO_VERIFY|CERT/)
        http.close()
      } finally {
        tls.closeAllConnections()
        await new Promise<void>((resolve) => tls.close(() => resolve()))
      }
    },
  )

  it('parses Retry-After as Okta does: integer seconds only', () => {
    expect(parseRetryAfterSeconds('30')).toBe(30)
    expect(parseRetryAfterSeconds(' 5 ')).toBe(5)
    expect(parseRetryAfterSeconds('1.5')).toBeUndefined()
    expect(parseRetryAfterSeconds('Wed, 21 Oct 2015 07:28:00 GMT')).toBeUndefined()
    expect(parseRetryAfterSeconds(null)).toBeUndefined()
  })
})
