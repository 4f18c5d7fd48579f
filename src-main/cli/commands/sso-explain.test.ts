import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startCliTestBackend, type CliTestBackend } from '../../../test/support/cli-test-backend.ts'
import { runCli } from '../../../test/support/cli-test-io.ts'
import {
  buildResponse,
  createSigningKey,
  createTestIdp,
  encodePost,
  idpMetadataXml,
  postToAcs,
  signResponse,
  type ResponseOptions,
  type SigningKey,
  type TestIdp,
} from '../../../test/support/saml-idp.ts'

const ADMIN_KEY = 'admin-key-for-sso-explain-01'
const SCIM_TOKEN = 'scim-token-for-sso-explain-01'
let t: CliTestBackend
let idp: TestIdp
let rotated: SigningKey
let tenant: string
let sp: { entityId: string; acsUrl: string }

const env = () => ({
  ...process.env,
  SCIM_CONSOLE_ADMIN_KEY: ADMIN_KEY,
  SCIM_CONSOLE_DATA_DIR: t.appDir,
})
const explain = (user: string, ...more: string[]) =>
  runCli(
    [
      'sso',
      'explain',
      '--tenant',
      tenant,
      '--user',
      user,
      '--backend',
      t.backend.adminBaseUrl,
      ...more,
    ],
    { env: env() },
  )
const signIn = (over: Partial<ResponseOptions>, key?: SigningKey) =>
  postToAcs(
    sp.acsUrl,
    encodePost(
      signResponse(
        buildResponse({ issuer: idp.entityId, audience: sp.entityId, acsUrl: sp.acsUrl, ...over }),
        key ?? idp.key,
      ),
    ),
  )

async function provision(userName: string): Promise<void> {
  const res = await fetch(`${t.backend.scimBaseUrl}/Users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${SCIM_TOKEN}`, 'Content-Type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      emails: [{ value: userName, primary: true }],
    }),
  })
  expect(res.status).toBe(201)
}

beforeAll(async () => {
  t = await startCliTestBackend('sso-explain', ADMIN_KEY)
  // The CLI test backend has no SCIM token; register one by its hash through the admin API.
  const { createHash } = await import('node:crypto')
  tenant = t.backend.demoTenantId
  const reg = await fetch(`${t.backend.adminBaseUrl}/tenants/${tenant}/scim/tokens`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      label: 'test',
      sha256: createHash('sha256').update(SCIM_TOKEN).digest('hex'),
    }),
  })
  expect(reg.status).toBe(201)
  idp = await createTestIdp()
  rotated = await createSigningKey('okta-rotated')
  const base = `${t.backend.publicUrl}/sso/${tenant}/saml`
  sp = { entityId: `${base}/metadata`, acsUrl: `${base}/acs` }
  const put = await fetch(`${t.backend.adminBaseUrl}/tenants/${tenant}/sso`, {
    method: 'PUT',
    headers: { Authorization: `Bearer ${ADMIN_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ metadataXml: idpMetadataXml(idp) }),
  })
  expect(put.status).toBe(200)
})

afterAll(async () => {
  await t.close()
})

describe('scim-console sso explain', () => {
  it('provisioned but cannot sign in: the wrong audience, named by its Okta field, with the fix', async () => {
    await provision('ada@example.com')
    await signIn({ nameId: 'ada@example.com', audience: 'https://auzmor.example.com/typo' })
    const r = await explain('ada@example.com')
    expect(r.code).toBe(1)
    expect(r.out).toMatch(
      /^CANNOT SIGN IN: "ada@example.com" cannot sign in: the last attempt \(#\d+, .*\) was refused with saml\.audience_mismatch/,
    )
    expect(r.out).toContain('[saml.audience_mismatch]')
    expect(r.out).toContain(
      `"Audience URI (SP Entity ID)": it holds "https://auzmor.example.com/typo"; set it to "${sp.entityId}"`,
    )
    expect(r.out).toContain('fix in Entra: ')
    expect(r.out).toContain('[provisioned_cannot_sign_in]')
  })

  it('explains a certificate rotation, a missing attribute and a clock skew with their evidence', async () => {
    await provision('grace@example.com')
    await signIn({ nameId: 'grace@example.com' }, rotated)
    await signIn({
      nameId: 'grace@example.com',
      attributes: { FirstName: ['Grace'], email: ['grace@example.com'] },
    })
    await signIn({ nameId: 'grace@example.com', now: new Date(Date.now() - 15 * 60_000) })
    const r = await explain('grace@example.com', '--json')
    expect(r.code).toBe(1)
    const story = JSON.parse(r.out) as {
      verdict: string
      findings: { code: string; evidence: string[]; fix: { okta: string; entra: string } }[]
    }
    expect(story.verdict).toBe('cannot_sign_in')
    const byCode = Object.fromEntries(story.findings.map((f) => [f.code, f]))
    expect(byCode['saml.wrong_certificate']!.evidence).toContain(
      `signed with: ${rotated.fingerprint} (CN=okta-rotated)`,
    )
    expect(byCode['saml.wrong_certificate']!.evidence.join('\n')).toContain(
      `tenant expects: ${idp.key.fingerprint}`,
    )
    expect(byCode['saml.attribute_missing']!.fix.okta).toContain(
      'Name "LastName", Name format Unspecified, Value user.lastName',
    )
    expect(byCode['saml.attribute_missing']!.fix.entra).toContain('Source attribute user.surname')
    expect(byCode['saml.expired']!.evidence.join('\n')).toMatch(
      /The IdP's clock \(IssueInstant\) is 9\d\d s behind this server's clock/,
    )
  })

  it('signs in but was never provisioned', async () => {
    const ok = await signIn({ nameId: 'linus@example.com' })
    expect(ok.status).toBe(200)
    const r = await explain('linus@example.com')
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^SIGNS IN: /)
    expect(r.out).toContain('[signs_in_not_provisioned]')
    expect(r.out).toContain('(the SCIM app) > Assignments: assign the user')
  })

  it('provisioned, never seen at the ACS: points at the SAML app assignment', async () => {
    await provision('hedy@example.com')
    const r = await explain('hedy@example.com')
    expect(r.code).toBe(1)
    expect(r.out).toMatch(/^NO SIGN-IN SEEN: /)
    expect(r.out).toContain('[provisioned_never_signed_in]')
    expect(r.out).toContain('assigned to the SCIM provisioning app but not to the SAML app')
  })

  it('a resolved problem followed by a sign-in: exit 0, the old cause marked resolved', async () => {
    await provision('alan@example.com')
    await signIn({ nameId: 'alan@example.com', recipient: 'https://old.example.com/acs' })
    await signIn({ nameId: 'alan@example.com' })
    const r = await explain('ALAN@example.com')
    expect(r.code).toBe(0)
    expect(r.out).toContain('(resolved) [saml.recipient_mismatch]')
    expect(r.out).toContain('"Single sign-on URL"')
  })

  it('exit 2 without --tenant or --user', async () => {
    expect((await runCli(['sso', 'explain', '--user', 'x'], { env: env() })).code).toBe(2)
    expect((await runCli(['sso', 'explain', '--tenant', 'x'], { env: env() })).code).toBe(2)
  })
})
