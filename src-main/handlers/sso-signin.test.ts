import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../dispatcher.ts'
import {
  openHandlerTestContext,
  type HandlerTestContext,
} from '../../test/support/handler-test-context.ts'
import {
  buildResponse,
  createTestIdp,
  encodePost,
  idpMetadataXml,
  postToAcs,
  readAutoPostForm,
  signResponse,
  startTestIdpServer,
  type TestIdp,
  type TestIdpServer,
} from '../../test/support/saml-idp.ts'

let t: HandlerTestContext
let target: { connection: string; tenantId: string }
let idp: TestIdp
let idpServer: TestIdpServer
let sp: { acsUrl: string; entityId: string }
/** What the system browser was asked to open. */
const opened: string[] = []

/**
 * The system browser, played for real over HTTP: it follows the login redirect to the loopback
 * test IdP and posts the IdP's auto-submitting form to the ACS, as a browser does.
 */
async function browse(url: string): Promise<void> {
  opened.push(url)
  const login = await fetch(url, { redirect: 'manual' })
  const page = await fetch(login.headers.get('location')!)
  const form = readAutoPostForm(await page.text())
  await postToAcs(form.action, form.fields.SAMLResponse!, form.fields.RelayState)
}

function value<T>(result: { ok: boolean; value?: T; error?: unknown }): T {
  if (!result.ok) throw new Error(`call failed: ${JSON.stringify(result.error)}`)
  return result.value as T
}

function wrongAudience(nameId: string): string {
  return encodePost(
    signResponse(
      buildResponse({
        issuer: idp.entityId,
        audience: 'https://wrong.example.com/sp',
        acsUrl: sp.acsUrl,
        nameId,
      }),
      idp.key,
    ),
  )
}

beforeAll(async () => {
  t = await openHandlerTestContext({ openExternal: browse })
  // Listing the connections starts the embedded backend.
  value(await call(t.dispatch, 'connections.list', {}))
  const embedded = t.services.backends.embedded()!
  target = { connection: embedded.name, tenantId: embedded.tenantId }
  const key = await createTestIdp()
  idpServer = await startTestIdpServer(key, { who: 'ada@example.com' })
  idp = { ...key, ssoUrl: idpServer.ssoUrl }
  sp = value(await call(t.dispatch, 'connections.overview', target)).sso.sp
})
afterAll(async () => {
  await t?.close()
  await idpServer?.close()
})

describe('sso sign-in handlers over the real reference backend and a loopback IdP', () => {
  it('opens nothing but the tenant’s own SP login URL in the system browser', async () => {
    const before = opened.length
    for (const url of ['https://evil.example/phish', 'file:///etc/passwd', 'javascript:alert(1)']) {
      const result = await call(t.dispatch, 'sso.openLogin', { ...target, url })
      expect(result.ok).toBe(false)
      expect(!result.ok && result.error.code).toMatch(/^ipc\.bad_input$/)
    }
    expect(opened.length).toBe(before)
  })

  it('refuses a sign-in test before the tenant trusts an IdP, with the fix', async () => {
    const r = await call(t.dispatch, 'sso.testSignIn', target)
    expect(r.ok).toBe(false)
    if (!r.ok) {
      expect(r.error.code).toBe('sso.not_configured')
      expect(r.error.hint).toMatch(/push it to the tenant/)
    }
  })

  it('shows a refused test sign-in with its explanation, then a successful one completes the SSO step', async () => {
    value(await call(t.dispatch, 'onboarding.confirmConnect', target))
    value(
      await call(t.dispatch, 'sso.push', {
        ...target,
        source: { kind: 'text', text: idpMetadataXml(idp), name: 'test-idp.xml' },
      }),
    )
    value(await call(t.dispatch, 'onboarding.confirmSso', target))

    const first = value(await call(t.dispatch, 'onboarding.startSignInTest', target))
    expect(first.loginUrl).toBe(sp.acsUrl.replace(/acs$/, 'login'))
    expect((await postToAcs(sp.acsUrl, wrongAudience('ada@example.com'))).status).toBe(403)
    const refused = value(await call(t.dispatch, 'onboarding.status', target))
    expect(refused.sso.signInTest?.result).toMatchObject({
      outcome: 'failure',
      reason: 'saml.audience_mismatch',
      userName: 'ada@example.com',
    })
    expect(refused.sso.signInTest?.result?.explanation?.fix.okta).toContain('Audience URI')
    expect(refused.steps.find((s) => s.id === 'sso')!.status).toBe('current')

    // Main opens only this tenant's login URL.
    const bad = await call(t.dispatch, 'sso.openLogin', { ...target, url: 'https://evil.test/' })
    expect(bad.ok).toBe(false)
    expect(opened).toEqual([])

    const test = value(await call(t.dispatch, 'onboarding.startSignInTest', target))
    const open = value(await call(t.dispatch, 'sso.openLogin', { ...target, url: test.loginUrl }))
    expect(open.opened).toBe(true)
    expect(opened).toEqual([test.loginUrl])

    const s = value(await call(t.dispatch, 'onboarding.status', target))
    expect(s.sso.signInTest?.result).toMatchObject({
      outcome: 'success',
      userName: 'ada@example.com',
      nameId: 'ada@example.com',
      scimUser: null,
      explanation: null,
    })
    expect(s.sso.signInTest?.result?.attributes).toContainEqual({
      name: 'LastName',
      values: ['Lovelace'],
    })
    expect(s.steps.find((x) => x.id === 'sso')).toMatchObject({
      status: 'done',
      summary: expect.stringContaining(
        'test sign-in as ada@example.com (not provisioned by SCIM yet)',
      ),
    })
  })

  it('lists the attempts newest first, explains one, and tells a user’s story', async () => {
    expect((await postToAcs(sp.acsUrl, wrongAudience('grace@example.com'))).status).toBe(403)
    const page = value(await call(t.dispatch, 'sso.events', { ...target, limit: 10 }))
    expect(page.items.map((e) => e.outcome)).toEqual(['failure', 'success', 'failure'])
    const newest = page.items[0]!
    expect(newest.userName).toBe('grace@example.com')
    const after = value(
      await call(t.dispatch, 'sso.events', { ...target, afterSeq: page.items[1]!.seq }),
    )
    expect(after.items.map((e) => e.seq)).toEqual([newest.seq])

    const one = value(await call(t.dispatch, 'sso.explainEvent', { ...target, seq: newest.seq }))
    expect(one.event.reason).toBe('saml.audience_mismatch')
    expect(one.explanation?.evidence.join(' ')).toContain('https://wrong.example.com/sp')
    const missing = await call(t.dispatch, 'sso.explainEvent', { ...target, seq: 9999 })
    expect(missing.ok).toBe(false)

    const story = value(
      await call(t.dispatch, 'sso.explain', { ...target, user: 'grace@example.com' }),
    )
    expect(story.verdict).toBe('cannot_sign_in')
    expect(story.findings.map((f) => f.code)).toEqual(['saml.audience_mismatch'])
  })

  it('inspects a pasted response locally against the tenant, pasted metadata, or nothing', async () => {
    const text = wrongAudience('grace@example.com')
    const tenant = value(
      await call(t.dispatch, 'saml.inspect', { text, against: { kind: 'tenant', ...target } }),
    )
    expect(tenant.against).toBe(`tenant ${target.tenantId}`)
    expect(tenant.inspection).toMatchObject({
      kind: 'response',
      valid: false,
      verified: true,
      reason: { code: 'saml.audience_mismatch' },
      signature: { signed: 'assertion', certificate: { sha256Fingerprint: idp.key.fingerprint } },
    })
    // IdP metadata alone knows no SP: the audience is not checked, the signature is.
    const md = value(
      await call(t.dispatch, 'saml.inspect', {
        text,
        against: { kind: 'metadata', xml: idpMetadataXml(idp) },
      }),
    )
    expect(md.inspection).toMatchObject({ kind: 'response', valid: true, verified: true })
    const none = value(await call(t.dispatch, 'saml.inspect', { text, against: { kind: 'none' } }))
    expect(none.inspection).toMatchObject({ kind: 'response', valid: false, reason: null })
    const junk = value(
      await call(t.dispatch, 'saml.inspect', { text: 'not saml', against: { kind: 'none' } }),
    )
    expect(junk.inspection.kind).toBe('unreadable')
    const login = value(await call(t.dispatch, 'sso.testSignIn', target))
    const redirect = await fetch(login.loginUrl, { redirect: 'manual' })
    const request = value(
      await call(t.dispatch, 'saml.inspect', {
        text: redirect.headers.get('location')!,
        against: { kind: 'none' },
      }),
    )
    expect(request.inspection).toMatchObject({
      kind: 'authn-request',
      request: { acsUrl: sp.acsUrl, issuer: sp.entityId },
    })
  })
})
