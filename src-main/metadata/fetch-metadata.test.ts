import { createServer, type Server } from 'node:http'
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import type { HostLookup } from '../../src-domain/net/checked-destination.ts'
import { hasOpenssl, makeTestCertificate } from '../../test/support/tls-test-cert.ts'
import { checkMetadataUrl, fetchMetadataDocument, type FetchOptions } from './fetch-metadata.ts'
import { isLoopbackHost } from '../../src-domain/net/loopback.ts'

describe('checkMetadataUrl', () => {
  it.each([
    'https://dev-1.okta.com/app/exk1/sso/saml/metadata',
    'http://127.0.0.1:8080/metadata',
    'http://127.1/metadata',
    'http://127.255.0.9/metadata',
    'http://localhost:3000/metadata',
    'http://[::1]:3000/metadata',
    'http://[::ffff:127.0.0.1]:3000/metadata',
  ])('allows %s', (url) => {
    expect(checkMetadataUrl(url).href).toBeTruthy()
  })

  it.each([
    ['http://idp.example.com/metadata', /plain HTTP/],
    ['http://localhost.attacker.test/metadata', /plain HTTP/],
    ['http://127.0.0.1.attacker.test/metadata', /plain HTTP/],
    ['http://10.0.0.1/metadata', /plain HTTP/],
    ['ftp://127.0.0.1/metadata', /ftp:/],
    ['javascript:alert(1)', /javascript:/],
    ['https://user:hunter22@idp.example.com/metadata', /user name or password/],
  ])('refuses %s', (url, message) => {
    let caught: unknown
    try {
      checkMetadataUrl(url)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('network.forbidden_url')
    expect((caught as AppError).message).toMatch(message)
    expect((caught as AppError).message).not.toContain('hunter22')
  })

  it('resolves a relative redirect against the current URL', () => {
    expect(
      checkMetadataUrl('../other.xml', new URL('https://idp.example.com/a/b/metadata.xml')).href,
    ).toBe('https://idp.example.com/a/other.xml')
  })
})

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['localhost.example', false],
    ['0.0.0.0', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected)
  })
})

describe('fetchMetadataDocument: addresses and redirects (real servers on 127.0.0.1, fake DNS only)', () => {
  if (!hasOpenssl)
    console.log('https address-policy tests skipped: no openssl to make a certificate')
  const suite = hasOpenssl ? describe : describe.skip

  suite('with an https server standing in for idp.test', () => {
    let tls: { key: string; cert: string }
    let idp: HttpsServer
    let internal: Server
    let idpPort = 0
    let internalPort = 0
    const hits = { idp: 0, internal: 0 }

    beforeAll(async () => {
      tls = makeTestCertificate(['idp.test', 'internal.test'])
      internal = createServer((_req, res) => {
        hits.internal++
        res.end('internal secret')
      })
      internalPort = await listen(internal)
      idp = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
        hits.idp++
        const to = (location: string) => res.writeHead(302, { location }).end()
        switch (req.url) {
          case '/md':
            return void res.writeHead(200, { 'content-type': 'application/xml' }).end('<md/>')
          case '/to-relative':
            return void to('/md')
          case '/to-internal-http':
            return void to(`http://127.0.0.1:${internalPort}/internal`)
          case '/to-private-name':
            return void to(`https://internal.test:${idpPort}/md`)
          case '/to-unique-local':
            return void to(`https://[fd00::1]:${idpPort}/md`)
          case '/to-cloud-metadata':
            return void to('https://169.254.169.254/latest/meta-data/')
          default:
            return void res.writeHead(404).end()
        }
      })
      idpPort = await listen(idp as unknown as Server)
    })

    afterAll(async () => {
      await close(idp as unknown as Server)
      await close(internal)
    })

    function fakeDns(answers: Record<string, string[] | (() => string[])>) {
      const asked: string[] = []
      const lookup: HostLookup = async (host) => {
        asked.push(host)
        const answer = answers[host]
        if (answer === undefined) {
          throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
        }
        const list = typeof answer === 'function' ? answer() : answer
        return list.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
      }
      return { lookup, asked }
    }

    const base = (lookup: HostLookup, extra: Partial<FetchOptions> = {}): FetchOptions => ({
      timeoutMs: 5000,
      maxBytes: 1024 * 1024,
      lookup,
      testOnlyPublicAddresses: ['127.0.0.1'],
      testOnlyCa: tls.cert,
      ...extra,
    })

    async function refusal(promise: Promise<unknown>): Promise<AppError> {
      const err = await promise.then(
        () => new Error('expected a refusal'),
        (e: unknown) => e,
      )
      expect(err).toBeInstanceOf(AppError)
      return err as AppError
    }

    it('fetches through the checked address, with the certificate checked for idp.test', async () => {
      const dns = fakeDns({ 'idp.test': ['127.0.0.1'] })
      const doc = await fetchMetadataDocument(`https://idp.test:${idpPort}/md`, base(dns.lookup))
      expect(doc.tooLarge).toBe(false)
      expect(doc.tooLarge ? '' : Buffer.from(doc.bytes).toString()).toBe('<md/>')
      expect(dns.asked).toEqual(['idp.test'])
    })

    it('follows a relative redirect on the same host, checking it again', async () => {
      const dns = fakeDns({ 'idp.test': ['127.0.0.1'] })
      const doc = await fetchMetadataDocument(
        `https://idp.test:${idpPort}/to-relative`,
        base(dns.lookup),
      )
      expect(doc.finalUrl).toBe(`https://idp.test:${idpPort}/md`)
      expect(dns.asked).toEqual(['idp.test', 'idp.test'])
    })

    it('connects to the checked address even when DNS answers differently afterwards (rebinding)', async () => {
      let answers = 0
      const dns = fakeDns({ 'idp.test': () => (answers++ === 0 ? ['127.0.0.1'] : ['10.0.0.5']) })
      const doc = await fetchMetadataDocument(`https://idp.test:${idpPort}/md`, base(dns.lookup))
      expect(doc.tooLarge ? '' : Buffer.from(doc.bytes).toString()).toBe('<md/>')
      expect(answers).toBe(1)
    })

    it('refuses a host name that resolves to loopback when the URL does not name this machine', async () => {
      const dns = fakeDns({ 'idp.test': ['127.0.0.1'] })
      const before = hits.idp
      const err = await refusal(
        fetchMetadataDocument(`https://idp.test:${idpPort}/md`, {
          ...base(dns.lookup),
          testOnlyPublicAddresses: [],
        }),
      )
      expect(err.code).toBe('network.forbidden_url')
      expect(err.message).toMatch(/127\.0\.0\.1 \(idp\.test resolves to it\).*loopback/)
      expect(err.details).toEqual({ address: '127.0.0.1', addressClass: 'loopback' })
      expect(hits.idp).toBe(before)
    })

    it('refuses a name with one public and one private address, before connecting', async () => {
      const dns = fakeDns({ 'idp.test': ['93.184.216.34', '10.0.0.5'] })
      const err = await refusal(
        fetchMetadataDocument(`https://idp.test:${idpPort}/md`, base(dns.lookup)),
      )
      expect(err.message).toMatch(/10\.0\.0\.5.*private-network/)
      expect(err.hint).toMatch(/drop the file/)
    })

    it('never follows https to http: the internal server is not reached', async () => {
      const dns = fakeDns({ 'idp.test': ['127.0.0.1'] })
      const err = await refusal(
        fetchMetadataDocument(`https://idp.test:${idpPort}/to-internal-http`, base(dns.lookup)),
      )
      expect(err.code).toBe('network.forbidden_url')
      expect(err.message).toMatch(/https to plain HTTP/)
      expect(hits.internal).toBe(0)
    })

    it.each([
      ['/to-private-name', /10\.0\.0\.5 \(internal\.test resolves to it\).*private-network/],
      ['/to-unique-local', /fd00::1.*unique-local/],
      ['/to-cloud-metadata', /169\.254\.169\.254.*link-local/],
    ])('re-checks the address on every redirect: %s is refused', async (path, message) => {
      const dns = fakeDns({ 'idp.test': ['127.0.0.1'], 'internal.test': ['10.0.0.5'] })
      const err = await refusal(
        fetchMetadataDocument(`https://idp.test:${idpPort}${path}`, base(dns.lookup)),
      )
      expect(err.code).toBe('network.forbidden_url')
      expect(err.message).toMatch(message)
    })

    it('turns an unknown host name into network.unreachable', async () => {
      const dns = fakeDns({})
      const err = await refusal(
        fetchMetadataDocument(`https://nowhere.test:${idpPort}/md`, base(dns.lookup)),
      )
      expect(err.code).toBe('network.unreachable')
      expect(err.message).toMatch(/ENOTFOUND/)
    })
  })

  it.each([
    ['https://169.254.169.254/x', 'link-local'],
    ['https://10.0.0.5/md', 'private'],
    ['https://192.168.1.1/metadata', 'private'],
    ['https://172.20.0.1/metadata', 'private'],
    ['https://100.64.0.1/metadata', 'carrier-grade-nat'],
    ['https://[fd00::1]/metadata', 'unique-local'],
    ['https://[fe80::1]/metadata', 'link-local'],
    ['https://[::ffff:10.0.0.5]/metadata', 'private'],
    ['https://[::ffff:169.254.169.254]/metadata', 'link-local'],
    ['https://224.0.0.1/metadata', 'multicast'],
    ['https://0.0.0.0/metadata', 'unspecified'],
    ['https://[::]/metadata', 'unspecified'],
    // a name: the fake DNS below answers 10.1.1.1 for it
    ['https://metadata.internal.test/md', 'private'],
  ])('refuses %s (%s) without a request', async (url, addressClass) => {
    let fetched = false
    const spy = (async () => {
      fetched = true
      throw new Error('must not be called')
    }) as typeof fetch
    const lookup: HostLookup = async () => [{ address: '10.1.1.1', family: 4 }]
    const err = await fetchMetadataDocument(url, {
      fetch: spy,
      lookup,
      timeoutMs: 1000,
      maxBytes: 10,
    }).then(
      () => undefined,
      (e: unknown) => e as AppError,
    )
    expect(err?.code).toBe('network.forbidden_url')
    expect((err?.details as { addressClass: string }).addressClass).toBe(addressClass)
    expect(fetched).toBe(false)
  })

  it('refuses http://localhost when DNS says localhost is somewhere else', async () => {
    const lookup: HostLookup = async () => [{ address: '192.168.1.20', family: 4 }]
    const err = await fetchMetadataDocument('http://localhost:9/md', {
      lookup,
      timeoutMs: 1000,
      maxBytes: 10,
    }).then(
      () => undefined,
      (e: unknown) => e as AppError,
    )
    expect(err?.code).toBe('network.forbidden_url')
    expect(err?.message).toMatch(/naming this machine must resolve to a loopback address/)
  })
})

async function listen(server: Server): Promise<number> {
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok))
  return (server.address() as AddressInfo).port
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections()
  await new Promise((ok) => server.close(ok))
}
