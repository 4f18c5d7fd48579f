import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer, type RunningServer } from '../../src-server/server.ts'
import { inspectMetadata } from '../metadata/inspect-metadata.ts'
import { createAdminClient, type AdminClient } from './admin-client.ts'
import { diffSsoConfig } from './sso-diff.ts'

const ADMIN_KEY = 'admin-key-for-sso-diff-tests-0123456789'
const NOW = new Date('2026-06-01T00:00:00Z')
const fixture = (name: string) =>
  readFileSync(new URL(`../../test/fixtures/idp-metadata/${name}`, import.meta.url), 'utf8')
const okta = fixture('okta-app-trial-org.xml')
const google = fixture('google-workspace-2-signing-certs-rollover.xml')
const entraExpired = fixture('entra-app-federationmetadata-expired-2023.xml')
const parse = (text: string) => inspectMetadata({ kind: 'text', text }, { now: NOW })

let dataDir: string
let backend: RunningServer
let client: AdminClient

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'scim-console-sso-diff-'))
  backend = await startServer({ port: 0, host: '127.0.0.1', dataDir, adminKey: ADMIN_KEY })
  client = createAdminClient({ baseUrl: backend.adminBaseUrl, adminKey: ADMIN_KEY })
})

afterAll(async () => {
  await backend?.close()
  rmSync(dataDir, { recursive: true, force: true })
})

/** The tenant's current IdP configuration as the backend reports it after pushing `xml`. */
async function configuredWith(xml: string | null) {
  const tenant = await client.createTenant({ name: 'diff' })
  if (xml !== null) await client.putSso(tenant.id, xml)
  return (await client.getSso(tenant.id)).idp
}

describe('diffSsoConfig against configurations stored by the reference backend', () => {
  it('shows a first configuration as all new, with nothing to confirm', async () => {
    const diff = diffSsoConfig(await configuredWith(null), await parse(okta), { now: NOW })
    expect(diff.firstConfiguration).toBe(true)
    expect(diff.entityId).toEqual({
      from: null,
      to: 'http://www.okta.com/exkdoocxa1VmjpXmX697',
      changed: true,
    })
    expect(diff.certificates.added).toHaveLength(1)
    expect(diff.signing.now?.sha256Fingerprint).toBe(diff.certificates.added[0]?.sha256Fingerprint)
    expect(diff.signing.next).toBeNull()
    expect(diff.warnings).toEqual([])
    expect(diff.requiresConfirmation).toBe(false)
  })

  it('shows nothing changed when the same metadata is pushed again', async () => {
    const diff = diffSsoConfig(await configuredWith(okta), await parse(okta), { now: NOW })
    expect(diff.entityId.changed).toBe(false)
    expect(diff.ssoUrl.changed).toBe(false)
    expect(diff.certificates).toMatchObject({ added: [], removed: [] })
    expect(diff.certificates.kept).toHaveLength(1)
    expect(diff.requiresConfirmation).toBe(false)
  })

  it('flags another IdP: entity ID, SSO URL and every certificate change', async () => {
    const diff = diffSsoConfig(await configuredWith(okta), await parse(google), { now: NOW })
    expect(diff.entityId.changed).toBe(true)
    expect(diff.ssoUrl).toMatchObject({
      changed: true,
      to: 'https://accounts.google.com/o/saml2/idp?idpid=C023zw3x8',
    })
    expect(diff.certificates.added).toHaveLength(2)
    expect(diff.certificates.removed).toHaveLength(1)
    expect(diff.warnings.map((w) => w.code).sort()).toEqual([
      'sso.entity_id_changed',
      'sso.no_shared_certificate',
    ])
    expect(diff.requiresConfirmation).toBe(true)
  })

  it('tells the certificate signing now from the one rolling in next', async () => {
    const diff = diffSsoConfig(null, await parse(google), { now: NOW })
    expect(diff.signing.now?.notAfter).toBe('2026-12-16T17:18:02.000Z')
    expect(diff.signing.next?.notAfter).toBe('2027-04-26T15:47:30.000Z')
  })

  it('warns before replacing a working certificate with an expired one', async () => {
    const diff = diffSsoConfig(await configuredWith(okta), await parse(entraExpired), { now: NOW })
    const expired = diff.warnings.find((w) => w.code === 'sso.expired_replaces_working')
    expect(expired?.severity).toBe('error')
    expect(diff.certificates.added[0]?.expired).toBe(true)
    expect(diff.signing.now).toBeNull()
    expect(diff.requiresConfirmation).toBe(true)
  })
})
