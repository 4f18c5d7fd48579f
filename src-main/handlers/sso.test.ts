import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../dispatcher.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../../test/support/handler-test-context.ts'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'

const text = (name: string) => ({
  kind: 'text' as const,
  text: readFileSync(`${IDP_METADATA_DIR}/${name}`, 'utf8'),
  name,
})

let t: HandlerTestContext
let target: { connection: string; tenantId: string }

beforeAll(async () => {
  t = await openHandlerTestContext()
  const list = await call(t.dispatch, 'connections.list', {})
  if (!list.ok) throw new Error(list.error.message)
  const embedded = t.services.backends.embedded()!
  target = { connection: embedded.name, tenantId: embedded.tenantId }
})
afterAll(() => t.close())

function value<T>(result: { ok: boolean; value?: T; error?: unknown }): T {
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`)
  return result.value as T
}

describe('sso handlers', () => {
  it('shows a first configuration as all-added, pushes it, and the overview shows it', async () => {
    const source = text('okta-app-trial-org.xml')
    const { diff, metadataOk } = value(await call(t.dispatch, 'sso.diff', { ...target, source }))
    expect(metadataOk).toBe(true)
    expect(diff.firstConfiguration).toBe(true)
    expect(diff.entityId).toEqual({
      from: null,
      to: 'http://www.okta.com/exkdoocxa1VmjpXmX697',
      changed: true,
    })
    expect(diff.certificates.added).toHaveLength(1)
    expect(diff.requiresConfirmation).toBe(false)

    const pushed = value(await call(t.dispatch, 'sso.push', { ...target, source }))
    expect(pushed.entityId).toBe('http://www.okta.com/exkdoocxa1VmjpXmX697')
    expect(pushed.certificates).toBe(1)
    const overview = value(await call(t.dispatch, 'connections.overview', target))
    expect(overview.sso.configured).toBe(true)
    expect(overview.sso.entityId).toBe('http://www.okta.com/exkdoocxa1VmjpXmX697')
  })

  it('asks for confirmation before replacing the IdP, and pushes once confirmed', async () => {
    const source = text('google-workspace-2-signing-certs-rollover.xml')
    const { diff } = value(await call(t.dispatch, 'sso.diff', { ...target, source }))
    expect(diff.entityId.changed).toBe(true)
    expect(diff.certificates.added).toHaveLength(2)
    expect(diff.certificates.removed).toHaveLength(1)
    expect(diff.warnings.map((w) => w.code)).toContain('sso.entity_id_changed')

    const unconfirmed = await call(t.dispatch, 'sso.push', { ...target, source })
    expect(!unconfirmed.ok && unconfirmed.error.code).toBe('sso.confirmation_required')
    const still = value(await call(t.dispatch, 'connections.overview', target))
    expect(still.sso.entityId).toBe('http://www.okta.com/exkdoocxa1VmjpXmX697')

    const pushed = value(await call(t.dispatch, 'sso.push', { ...target, source, confirmed: true }))
    expect(pushed.entityId).toBe('https://accounts.google.com/o/saml2?idpid=C023zw3x8')
    expect(pushed.certificates).toBe(2)
  })

  it('refuses SP metadata before it reaches the backend, changing nothing', async () => {
    const source = text('sp-salesforce-not-idp.xml')
    const { metadataOk, diff } = value(await call(t.dispatch, 'sso.diff', { ...target, source }))
    expect(metadataOk).toBe(false)
    expect(diff.warnings[0]!.code).toBe('sso.metadata_not_usable')
    const refused = await call(t.dispatch, 'sso.push', { ...target, source, confirmed: true })
    expect(!refused.ok && refused.error.code).toBe('sso.rejected')
    const overview = value(await call(t.dispatch, 'connections.overview', target))
    expect(overview.sso.entityId).toBe('https://accounts.google.com/o/saml2?idpid=C023zw3x8')
  })

  it('pushes only the chosen IdP of an aggregate', async () => {
    const source = text('edge-x509-double-encoded-pem-aggregate.xml')
    const entityId = 'https://bar.example.com/access/saml/idp.xml'
    const pushed = await call(t.dispatch, 'sso.push', {
      ...target,
      source,
      entityId,
      confirmed: true,
    })
    expect(value(pushed).entityId).toBe(entityId)
  })

  it('pushes metadata from a URL, reading it once for both the diff and the push', async () => {
    const xml = readFileSync(`${IDP_METADATA_DIR}/shibboleth-samltest-id-2-signing-certs.xml`)
    let requests = 0
    const server = createServer((_req, res) => {
      requests++
      res.writeHead(200, { 'Content-Type': 'application/samlmetadata+xml' })
      res.end(xml)
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metadata.xml`
      const source = { kind: 'url' as const, url }
      const { diff } = value(await call(t.dispatch, 'sso.diff', { ...target, source }))
      expect(diff.entityId.to).toBe('https://samltest.id/saml/idp')
      requests = 0
      const pushed = value(
        await call(t.dispatch, 'sso.push', { ...target, source, confirmed: true }),
      )
      expect(pushed.entityId).toBe('https://samltest.id/saml/idp')
      expect(requests).toBe(1)
    } finally {
      await new Promise((r) => server.close(r))
    }
  })

  it('warns before an expired certificate replaces a working one', async () => {
    value(
      await call(t.dispatch, 'sso.push', {
        ...target,
        source: text('okta-app-trial-org.xml'),
        confirmed: true,
      }),
    )
    const { diff } = value(
      await call(t.dispatch, 'sso.diff', {
        ...target,
        source: text('entra-app-federationmetadata-expired-2023.xml'),
      }),
    )
    const expired = diff.warnings.find((w) => w.code === 'sso.expired_replaces_working')
    expect(expired?.severity).toBe('error')
    expect(diff.requiresConfirmation).toBe(true)
  })
})

describe('sso.push against a backend that refuses the metadata (fake backend: our own parser refuses it first, so a real 422 cannot be caused)', () => {
  it('turns the 422 into sso.rejected carrying the backend findings', async () => {
    const findings = [
      {
        code: 'metadata.no_signing_certificate',
        severity: 'error',
        message: 'No signing certificate.',
        hint: 'Download the metadata again.',
      },
    ]
    const server = createServer((req, res) => {
      req.resume()
      res.setHeader('Content-Type', 'application/json')
      if (req.method === 'GET' && req.url?.endsWith('/sso')) {
        res.end(
          JSON.stringify({
            tenantId: 't1',
            sp: {
              acsUrl: 'http://x/acs',
              entityId: 'http://x/sp',
              relayState: '',
              nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
              metadataUrl: 'http://x/md',
            },
            idp: null,
          }),
        )
        return
      }
      res.statusCode = 422
      res.end(
        JSON.stringify({
          code: 'admin.metadata_invalid',
          message: 'The IdP metadata is not usable for SSO: No signing certificate.',
          hint: 'Download the metadata again.',
          details: { findings },
        }),
      )
    })
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
    try {
      const port = (server.address() as AddressInfo).port
      value(
        await call(t.dispatch, 'connections.add', {
          name: 'refusing',
          adminBaseUrl: `http://127.0.0.1:${port}/admin/v1`,
          adminKey: 'any-key',
        }),
      )
      const refused = await call(t.dispatch, 'sso.push', {
        connection: 'refusing',
        tenantId: 't1',
        source: text('okta-app-trial-org.xml'),
      })
      expect(refused.ok).toBe(false)
      if (refused.ok) return
      expect(refused.error.code).toBe('sso.rejected')
      expect(refused.error.message).toContain('not usable for SSO')
      expect(refused.error.details).toEqual({ findings })
    } finally {
      await new Promise((r) => server.close(r))
    }
  })
})
