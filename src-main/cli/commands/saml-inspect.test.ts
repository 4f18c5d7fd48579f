import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCliTestBackend, type CliTestBackend } from '../../../test/support/cli-test-backend.ts'
import { runCli } from '../../../test/support/cli-test-io.ts'
import {
  buildResponse,
  createSigningKey,
  createTestIdp,
  encodePost,
  idpMetadataXml,
  signResponse,
  type SigningKey,
  type TestIdp,
} from '../../../test/support/saml-idp.ts'

const ADMIN_KEY = 'admin-key-for-saml-inspect-01'
let t: CliTestBackend
let dir: string
let idp: TestIdp
let stranger: SigningKey
let tenant: string
let sp: { entityId: string; acsUrl: string }
let metadataFile: string

const file = (name: string, text: string): string => {
  const p = join(dir, name)
  writeFileSync(p, text)
  return p
}
const env = () => ({
  ...process.env,
  SCIM_CONSOLE_ADMIN_KEY: ADMIN_KEY,
  SCIM_CONSOLE_DATA_DIR: t.appDir,
})
const inspect = (args: string[], stdin?: string) =>
  runCli(['saml', 'inspect', ...args], { env: env(), ...(stdin !== undefined ? { stdin } : {}) })
const response = (
  over: Parameters<typeof buildResponse>[0] extends infer O ? Partial<O> : never = {},
) => buildResponse({ issuer: idp.entityId, audience: sp.entityId, acsUrl: sp.acsUrl, ...over })

beforeAll(async () => {
  t = await startCliTestBackend('saml-inspect', ADMIN_KEY)
  dir = mkdtempSync(join(tmpdir(), 'scim-console-saml-inspect-'))
  idp = await createTestIdp()
  stranger = await createSigningKey('stranger')
  tenant = t.backend.demoTenantId
  const base = `${t.backend.publicUrl}/sso/${tenant}/saml`
  sp = { entityId: `${base}/metadata`, acsUrl: `${base}/acs` }
  metadataFile = file('idp.xml', idpMetadataXml(idp))
  const put = await fetch(`${t.backend.adminBaseUrl}/tenants/${tenant}/sso`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ metadataXml: idpMetadataXml(idp) }),
  })
  expect(put.status).toBe(200)
})

afterAll(async () => {
  await t.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('scim-console saml inspect', () => {
  it('validates a captured response against IdP metadata: exit 0, the assertion shown', async () => {
    const r = await inspect([
      file('ok.b64', encodePost(signResponse(response(), idp.key))),
      '--metadata',
      metadataFile,
    ])
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^VALID {2}validated against IdP metadata/)
    expect(r.out).toContain(`verified with SHA-256 ${idp.key.fingerprint}`)
    expect(r.out).toMatch(/LastName = Lovelace/)
    // Without SP values the SP-side checks are named as not checked.
    expect(r.out).toMatch(/Not checked\n {2}destination, recipient, audience/)
  })

  it('validates against the tenant (fetching only its IdP config) and finds the SP-side problems', async () => {
    const xml = signResponse(response({ audience: 'https://typo.example.com/sp' }), idp.key)
    const form = new URLSearchParams({ SAMLResponse: encodePost(xml), RelayState: 'x' }).toString()
    const r = await inspect(['-', '--tenant', tenant, '--backend', t.backend.adminBaseUrl], form)
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^INVALID \(saml\.audience_mismatch\)/)
    expect(r.out).toContain(`expected: ${sp.entityId}`)
    expect(r.err).toMatch(/^saml\.audience_mismatch: /)
  })

  it('--json names the reason and the certificate that signed', async () => {
    const r = await inspect([
      file('wrong.b64', encodePost(signResponse(response(), stranger))),
      '--metadata',
      metadataFile,
      '--json',
    ])
    expect(r.code).toBe(1)
    const j = JSON.parse(r.out) as {
      valid: boolean
      reason: { code: string; evidence: Record<string, unknown> }
    }
    expect(j.valid).toBe(false)
    expect(j.reason.code).toBe('saml.wrong_certificate')
    expect(j.reason.evidence.signedWith).toBe(stranger.fingerprint)
  })

  it('without metadata it decodes but never calls the response valid', async () => {
    const r = await inspect([file('alone.b64', encodePost(signResponse(response(), idp.key)))])
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^NOT VERIFIED {2}decoded only/)
    expect(r.out).toMatch(/ {2}NameID +ada@example\.com\n/)
  })

  it('decodes an AuthnRequest from the backend login redirect: exit 0', async () => {
    const login = await fetch(`${t.backend.publicUrl}/sso/${tenant}/saml/login`, {
      redirect: 'manual',
    })
    const r = await inspect(['-'], login.headers.get('location')!)
    expect(r.code).toBe(0)
    expect(r.out).toMatch(/^AUTHNREQUEST {2}\(deflate-base64/)
    expect(r.out).toMatch(new RegExp(`ACS URL +${sp.acsUrl}\n`))
  })

  it('refuses hostile XML with exit 1 and a reason', async () => {
    const r = await inspect(['-'], encodePost(`<!DOCTYPE a [<!ENTITY b "c">]>${response()}`))
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^UNREADABLE {2}saml\.dtd/)
  })

  it('exit 2 for usage and I/O errors', async () => {
    expect((await inspect([])).code).toBe(2)
    const missing = await inspect([join(dir, 'nope.b64')])
    expect(missing.code).toBe(2)
    expect(missing.err).toMatch(/saml\.read_failed/)
    expect((await inspect(['-', '--backend', t.backend.adminBaseUrl])).code).toBe(2)
    expect((await inspect(['-', '--tenant', 'x', '--metadata', metadataFile])).code).toBe(2)
  })
})
