import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { inspectMetadata } from './inspect-metadata.ts'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'

const NOW = new Date('2026-11-22T00:00:00Z')
const OKTA = readFileSync(join(IDP_METADATA_DIR, 'okta-app-trial-org.xml'))

async function rejection(p: Promise<unknown>): Promise<AppError> {
  try {
    await p
  } catch (err) {
    expect(err).toBeInstanceOf(AppError)
    return err as AppError
  }
  throw new Error('expected the promise to reject')
}

describe('inspectMetadata from a URL (real HTTP server on 127.0.0.1)', () => {
  let server: Server
  let base: string
  /** Set when the oversized stream's connection was closed by the reader, not by the server. */
  let streamAborted = false
  let bytesSentBeforeAbort = 0

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const url = new URL(req.url ?? '/', 'http://x')
      const hops = Number(url.searchParams.get('hops') ?? 0)
      switch (url.pathname) {
        case '/okta.xml':
          res.writeHead(200, { 'content-type': 'application/samlmetadata+xml' }).end(OKTA)
          return
        case '/redirect':
          res
            .writeHead(302, { location: hops > 1 ? `/redirect?hops=${hops - 1}` : '/okta.xml' })
            .end()
          return
        case '/redirect-relative-chain':
          res.writeHead(301, { location: 'okta.xml' }).end()
          return
        case '/redirect-to-plain-http':
          res.writeHead(302, { location: 'http://metadata.invalid/okta.xml' }).end()
          return
        case '/redirect-to-file':
          res.writeHead(307, { location: 'file:///etc/passwd' }).end()
          return
        case '/redirect-no-location':
          res.writeHead(302).end()
          return
        case '/login':
          res
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
            .end(
              '<!DOCTYPE html><html><head><title>Sign In</title></head><body><form></form></body></html>',
            )
          return
        case '/metadata-as-html':
          res.writeHead(200, { 'content-type': 'text/html' }).end(OKTA)
          return
        case '/html-as-xml':
          res
            .writeHead(200, { 'content-type': 'application/xml' })
            .end('<html><body>Sign in</body></html>')
          return
        case '/.well-known/openid-configuration':
          res.writeHead(200, { 'content-type': 'application/json' }).end(
            JSON.stringify({
              issuer: 'https://x.okta.com',
              authorization_endpoint: 'https://x.okta.com/authorize',
            }),
          )
          return
        case '/missing':
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
          return
        case '/private':
          res.writeHead(403).end()
          return
        case '/broken':
          res.writeHead(503).end()
          return
        case '/hang':
          // Never answers; the client's deadline must end it.
          return
        case '/declared-huge':
          res.writeHead(200, {
            'content-type': 'application/xml',
            'content-length': String(200 * 1024 * 1024),
          })
          res.write('<md:EntityDescriptor')
          return
        case '/endless': {
          res.writeHead(200, { 'content-type': 'application/xml' })
          const chunk = Buffer.alloc(64 * 1024, 0x20)
          res.on('close', () => {
            streamAborted = !res.writableFinished
          })
          const pump = (): void => {
            // Bounded: stops by itself after 64 MB even if nobody hangs up.
            while (bytesSentBeforeAbort < 64 * 1024 * 1024 && !res.destroyed) {
              bytesSentBeforeAbort += chunk.length
              if (!res.write(chunk)) {
                res.once('drain', pump)
                return
              }
            }
            res.end()
          }
          res.write('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata">')
          pump()
          return
        }
        default:
          res.writeHead(500).end()
      }
    })
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise((ok) => server.close(ok))
  })

  it('fetches and parses metadata over http from loopback', async () => {
    const m = await inspectMetadata({ kind: 'url', url: `${base}/okta.xml` }, { now: NOW })
    expect(m.ok).toBe(true)
    expect(m.entityId).toBe('http://www.okta.com/exkdoocxa1VmjpXmX697')
    expect(m.source).toBe(`${base}/okta.xml`)
    expect(m.sizeBytes).toBe(OKTA.length)
  })

  it('trusts the body over a wrong Content-Type', async () => {
    const m = await inspectMetadata({ kind: 'url', url: `${base}/metadata-as-html` }, { now: NOW })
    expect(m.ok).toBe(true)
  })

  it('accepts localhost as loopback', async () => {
    const port = new URL(base).port
    const m = await inspectMetadata(
      { kind: 'url', url: `http://localhost:${port}/okta.xml` },
      { now: NOW },
    )
    expect(m.ok).toBe(true)
  })

  it('follows up to three redirects, resolving relative locations', async () => {
    const m = await inspectMetadata({ kind: 'url', url: `${base}/redirect?hops=3` }, { now: NOW })
    expect(m.ok).toBe(true)
    const rel = await inspectMetadata(
      { kind: 'url', url: `${base}/redirect-relative-chain` },
      { now: NOW },
    )
    expect(rel.ok).toBe(true)
  })

  it('stops at the fourth redirect', async () => {
    const err = await rejection(inspectMetadata({ kind: 'url', url: `${base}/redirect?hops=4` }))
    expect(err.code).toBe('network.too_many_redirects')
    expect(err.hint).toMatch(/paste/i)
  })

  it('re-checks every hop: no redirect to plain http elsewhere, nor to file:', async () => {
    const http = await rejection(
      inspectMetadata({ kind: 'url', url: `${base}/redirect-to-plain-http` }),
    )
    expect(http.code).toBe('network.forbidden_url')
    expect(http.message).toMatch(/metadata\.invalid/)
    const file = await rejection(inspectMetadata({ kind: 'url', url: `${base}/redirect-to-file` }))
    expect(file.code).toBe('network.forbidden_url')
  })

  it('reports a redirect without Location', async () => {
    const err = await rejection(
      inspectMetadata({ kind: 'url', url: `${base}/redirect-no-location` }),
    )
    expect(err.code).toBe('network.http_status')
  })

  it('says an HTML login page is an HTML page', async () => {
    const m = await inspectMetadata({ kind: 'url', url: `${base}/login` })
    expect(m.ok).toBe(false)
    expect(m.findings.map((f) => f.code)).toEqual(['metadata.html'])
    expect(m.findings[0]?.message).toMatch(/URL answered with an HTML web page/)
    expect(m.findings[0]?.hint).toMatch(/View IdP metadata/)
    const sniffed = await inspectMetadata({ kind: 'url', url: `${base}/html-as-xml` })
    expect(sniffed.findings.map((f) => f.code)).toEqual(['metadata.html'])
  })

  it('says an OIDC discovery document is JSON and what to use instead', async () => {
    const m = await inspectMetadata({
      kind: 'url',
      url: `${base}/.well-known/openid-configuration`,
    })
    expect(m.findings.map((f) => f.code)).toEqual(['metadata.json'])
    expect(m.findings[0]?.message).toMatch(/OpenID Connect discovery document/)
    expect(m.findings[0]?.hint).toMatch(/SAML 2\.0/)
  })

  it.each([
    ['/missing', 404, /Nothing is published/],
    ['/private', 403, /signed-in session/],
    ['/broken', 503, /server had an error/],
  ])('turns %s into network.http_status %i', async (path, status, reason) => {
    const err = await rejection(inspectMetadata({ kind: 'url', url: `${base}${path}` }))
    expect(err.code).toBe('network.http_status')
    expect(err.message).toContain(String(status))
    expect(err.message).toMatch(reason)
    expect(err.details).toEqual({ status })
  })

  it('gives up when the server does not answer in time', async () => {
    const err = await rejection(
      inspectMetadata({ kind: 'url', url: `${base}/hang` }, { timeoutMs: 300 }),
    )
    expect(err.code).toBe('network.timeout')
  })

  it('refuses a declared oversized body without reading it', async () => {
    const m = await inspectMetadata({ kind: 'url', url: `${base}/declared-huge` })
    expect(m.findings.map((f) => f.code)).toEqual(['metadata.too_large'])
  })

  it('stops reading a body that grows past the cap', async () => {
    const maxBytes = 256 * 1024
    const m = await inspectMetadata({ kind: 'url', url: `${base}/endless` }, { maxBytes })
    expect(m.findings.map((f) => f.code)).toEqual(['metadata.too_large'])
    expect(m.sizeBytes).toBeGreaterThan(maxBytes)
    expect(m.sizeBytes).toBeLessThan(maxBytes + 1024 * 1024)
    await new Promise((ok) => setTimeout(ok, 100))
    expect(streamAborted).toBe(true)
    expect(bytesSentBeforeAbort).toBeLessThan(64 * 1024 * 1024)
  })

  it('reports a closed port as unreachable', async () => {
    const probe = createServer()
    await new Promise<void>((ok) => probe.listen(0, '127.0.0.1', ok))
    const port = (probe.address() as AddressInfo).port
    await new Promise((ok) => probe.close(ok))
    const err = await rejection(inspectMetadata({ kind: 'url', url: `http://127.0.0.1:${port}/x` }))
    expect(err.code).toBe('network.unreachable')
    expect(err.message).toMatch(/ECONNREFUSED/)
  })

  it.each([
    ['http://idp.example.com/metadata', /plain HTTP/],
    ['ftp://127.0.0.1/metadata', /ftp:/],
    ['file:///etc/passwd', /file:/],
    ['not a url', /not a valid URL/],
  ])('refuses %s before any request', async (url, message) => {
    let called = false
    const spy = (async () => {
      called = true
      throw new Error('must not be called')
    }) as typeof fetch
    const err = await rejection(inspectMetadata({ kind: 'url', url }, { fetch: spy }))
    expect(err.code).toBe('network.forbidden_url')
    expect(err.message).toMatch(message)
    expect(called).toBe(false)
  })
})

describe('inspectMetadata from a file or pasted text', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'metadata-inspect-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('reads a file and names the source by its base name', async () => {
    const m = await inspectMetadata(
      { kind: 'file', path: join(IDP_METADATA_DIR, 'google-workspace-app.xml') },
      { now: NOW },
    )
    expect(m.ok).toBe(true)
    expect(m.source).toBe('file:google-workspace-app.xml')
  })

  it('passes the entity ID through for aggregates', async () => {
    const path = join(IDP_METADATA_DIR, 'shibboleth-switch-aaitest-signed-aggregate.xml')
    const m = await inspectMetadata(
      { kind: 'file', path },
      { now: NOW, entityId: 'https://testidp.unifr.ch/idp/shibboleth' },
    )
    expect(m.entityId).toBe('https://testidp.unifr.ch/idp/shibboleth')
  })

  it('throws metadata.read_failed for a missing file or a directory', async () => {
    const missing = await rejection(inspectMetadata({ kind: 'file', path: join(dir, 'nope.xml') }))
    expect(missing.code).toBe('metadata.read_failed')
    expect(missing.message).toMatch(/does not exist/)
    const folder = await rejection(inspectMetadata({ kind: 'file', path: dir }))
    expect(folder.code).toBe('metadata.read_failed')
    expect(folder.message).toMatch(/not a file/)
  })

  it('refuses an oversized file by its size, without reading it', async () => {
    const path = join(dir, 'huge.xml')
    writeFileSync(path, '')
    truncateSync(path, 60 * 1024 * 1024) // sparse: no disk used
    const m = await inspectMetadata({ kind: 'file', path })
    expect(m.findings.map((f) => f.code)).toEqual(['metadata.too_large'])
    expect(m.sizeBytes).toBe(60 * 1024 * 1024)
  })

  it('parses pasted text', async () => {
    const m = await inspectMetadata({ kind: 'text', text: OKTA.toString('utf8') }, { now: NOW })
    expect(m.ok).toBe(true)
    expect(m.source).toBe('paste')
  })
})
