import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RendererEvents } from '../renderer-events.ts'
import { createLogger } from '../logger.ts'
import { createDispatcher } from '../dispatcher.ts'
import { createHandlers } from '../handlers/index.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../../test/support/handler-test-context.ts'
import { browserClipboard, browserDialogs } from './browser-platform.ts'
import { startWebHost, type WebHost } from './web-host.ts'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'

const TOKEN = 'test-token-0123456789abcdefghijklmnop'

let host: WebHost
let hub: RendererEvents
let dir: string
let services: HandlerTestContext
const logLines: string[] = []

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'web-host-'))
  mkdirSync(join(dir, 'assets'))
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>')
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
  writeFileSync(join(dir, 'assets', 'app.css'), 'body{}')
  writeFileSync(join(tmpdir(), 'web-host-outside.txt'), 'outside')
  // The services as `scim-console web` builds them: the browser's clipboard and file picker.
  services = await openHandlerTestContext({ clipboard: browserClipboard, dialogs: browserDialogs })
  hub = services.services.events
  const logger = createLogger({ write: (l) => logLines.push(l) })
  const dispatch = createDispatcher({ handlers: createHandlers(services.services), logger })
  host = await startWebHost({
    dispatch,
    hub,
    rendererDir: dir,
    logger,
    token: TOKEN,
    maxBodyBytes: 1024 * 1024,
  })
})

afterAll(async () => {
  await host.close()
  await services.close()
  rmSync(dir, { recursive: true, force: true })
  rmSync(join(tmpdir(), 'web-host-outside.txt'), { force: true })
})

interface Reply {
  status: number
  headers: Record<string, string | string[] | undefined>
  body: string
}

/** Raw node:http so tests can send any Host/Origin header (fetch forbids setting Host). */
function send(
  method: string,
  path: string,
  opts: { headers?: Record<string, string>; body?: string } = {},
): Promise<Reply> {
  return new Promise((done, fail) => {
    const req = request(
      { host: '127.0.0.1', port: host.port, method, path, headers: opts.headers },
      (res) => {
        let body = ''
        res.setEncoding('utf8')
        res.on('data', (c: string) => (body += c))
        res.on('end', () => done({ status: res.statusCode ?? 0, headers: res.headers, body }))
      },
    )
    req.on('error', fail)
    req.end(opts.body)
  })
}

const api = (channel: string, body: unknown, headers: Record<string, string> = {}) =>
  send('POST', `/api/${channel}`, {
    headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}`, ...headers },
    body: JSON.stringify(body),
  })

describe('web host', () => {
  it('listens on 127.0.0.1 and hands the token in the URL fragment', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(host.pageUrl).toBe(`${host.origin}/#token=${TOKEN}`)
  })

  it('generates a different random token per run when none is given', async () => {
    const make = () =>
      startWebHost({
        dispatch: async () => ({ ok: true, value: null }),
        hub: new RendererEvents(),
        rendererDir: dir,
        logger: createLogger({ write: () => {} }),
      })
    const [a, b] = await Promise.all([make(), make()])
    const token = (h: WebHost) => h.pageUrl.split('#token=')[1]!
    expect(token(a)).toMatch(/^[A-Za-z0-9_-]{40,}$/)
    expect(token(a)).not.toBe(token(b))
    await Promise.all([a.close(), b.close()])
  })

  it('answers 401 without the token and with a wrong one', async () => {
    const none = await send('POST', '/api/app.info', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    })
    expect(none.status).toBe(401)
    expect(JSON.parse(none.body)).toMatchObject({ ok: false, error: { code: 'web.unauthorized' } })
    const wrong = await api('app.info', {}, { authorization: `Bearer ${TOKEN.slice(0, -1)}x` })
    expect(wrong.status).toBe(401)
  })

  it('answers 200 with a Result envelope with the token', async () => {
    const res = await api('app.info', {})
    expect(res.status).toBe(200)
    expect(JSON.parse(res.body)).toMatchObject({
      ok: true,
      value: { name: 'scim-console', runtime: 'test' },
    })
  })

  it('inspects a real fixture over HTTP', async () => {
    const text = readFileSync(join(IDP_METADATA_DIR, 'google-workspace-app.xml'), 'utf8')
    const res = await api('metadata.inspect', {
      source: { kind: 'text', text, name: 'google.xml' },
    })
    expect(res.status).toBe(200)
    const body = JSON.parse(res.body)
    expect(body.ok).toBe(true)
    expect(body.value.entityId).toBe('https://accounts.google.com/o/saml2?idpid=C029op2ga')
  })

  it('answers bad input with a 400 ipc.bad_input envelope', async () => {
    const res = await api('metadata.inspect', { source: { kind: 'text' } })
    expect(res.status).toBe(400)
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'ipc.bad_input' } })
    const notJson = await send('POST', '/api/app.info', {
      headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
      body: '{nope',
    })
    expect(notJson.status).toBe(400)
    expect(JSON.parse(notJson.body).error.code).toBe('ipc.bad_input')
  })

  it('answers an unknown channel with 404 ipc.unknown_channel', async () => {
    const res = await api('nope.nothing', {})
    expect(res.status).toBe(404)
    expect(JSON.parse(res.body)).toMatchObject({
      ok: false,
      error: { code: 'ipc.unknown_channel' },
    })
  })

  it('refuses the channels the browser implements itself', async () => {
    const res = await api('metadata.pickFile', {})
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'ipc.unsupported' } })
  })

  it('refuses a body over the cap with 413', async () => {
    const res = await api('metadata.inspect', {
      source: { kind: 'text', text: 'x'.repeat(1024 * 1024 + 10) },
    })
    expect(res.status).toBe(413)
  })

  it('requires JSON content type, which a cross-site form cannot send without a preflight', async () => {
    const res = await send('POST', '/api/app.info', {
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${TOKEN}` },
      body: '{}',
    })
    expect(res.status).toBe(415)
  })

  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    const res = await api('app.info', {}, { host: `evil.example:${host.port}` })
    expect(res.status).toBe(421)
    const page = await send('GET', '/', { headers: { host: 'evil.example' } })
    expect(page.status).toBe(421)
    expect(page.body).not.toContain('<title>')
  })

  it('accepts localhost as a Host alias', async () => {
    const res = await api('app.info', {}, { host: `localhost:${host.port}` })
    expect(res.status).toBe(200)
  })

  it('refuses cross-origin requests, even with the token', async () => {
    const res = await api('app.info', {}, { origin: 'http://evil.example' })
    expect(res.status).toBe(403)
    const site = await api('app.info', {}, { 'sec-fetch-site': 'cross-site' })
    expect(site.status).toBe(403)
    const same = await api('app.info', {}, { origin: host.origin, 'sec-fetch-site': 'same-origin' })
    expect(same.status).toBe(200)
  })

  it('only accepts POST on the API', async () => {
    const res = await send('GET', '/api/app.info', {
      headers: { authorization: `Bearer ${TOKEN}` },
    })
    expect(res.status).toBe(405)
  })

  it('serves the renderer with content types and the web CSP (connect-src self)', async () => {
    const index = await send('GET', '/')
    expect(index.status).toBe(200)
    expect(index.headers['content-type']).toBe('text/html; charset=utf-8')
    expect(index.body).toContain('<title>t</title>')
    const csp = String(index.headers['content-security-policy'])
    expect(csp).toContain("default-src 'none'")
    expect(csp).toContain("script-src 'self'")
    expect(csp).toContain("connect-src 'self'")
    expect(index.headers['x-content-type-options']).toBe('nosniff')
    const js = await send('GET', '/assets/app.js')
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8')
    const css = await send('GET', '/assets/app.css')
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8')
  })

  it('does not serve files outside the renderer folder', async () => {
    for (const path of [
      '/../web-host-outside.txt',
      '/%2e%2e/web-host-outside.txt',
      '/assets/..%2f..%2fweb-host-outside.txt',
    ]) {
      const res = await send('GET', path)
      expect(res.status).toBe(404)
      expect(res.body).not.toContain('outside')
    }
    expect((await send('GET', '/missing.js')).status).toBe(404)
  })

  it('streams events over SSE to a client with the token, and refuses one without', async () => {
    const denied = await send('GET', '/api/events')
    expect(denied.status).toBe(401)

    const received = await new Promise<string>((done, fail) => {
      const req = request(
        { host: '127.0.0.1', port: host.port, path: `/api/events?token=${TOKEN}` },
        (res) => {
          expect(res.statusCode).toBe(200)
          expect(res.headers['content-type']).toContain('text/event-stream')
          let buf = ''
          res.setEncoding('utf8')
          res.on('data', (c: string) => {
            buf += c
            if (buf.includes(': connected')) {
              hub.emit('app.log', { time: 't', level: 'info', msg: 'hello from main' })
            }
            if (buf.includes('hello from main')) {
              req.destroy()
              done(buf)
            }
          })
        },
      )
      req.on('error', fail)
      req.end()
    })
    expect(received).toContain('event: app.log\n')
    expect(received).toContain('"msg":"hello from main"')
  })

  it('never writes the token to its log', () => {
    expect(logLines.length).toBeGreaterThan(5)
    expect(logLines.join('')).not.toContain(TOKEN)
  })
})
