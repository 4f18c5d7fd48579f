import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  buildResponse,
  createSigningKey,
  createTestIdp,
  encodePost,
  idpMetadataXml,
  postToAcs,
  readAutoPostForm,
  readRedirectRequest,
  startTestIdpServer,
  signResponse,
  type ResponseOptions,
  type SigningKey,
  type TestIdp,
} from '../../test/support/saml-idp.ts'
import { startServer, type RunningServer } from '../server.ts'
import type { SsoEvent } from './sso-event-store.ts'

const ADMIN_KEY = 'admin-key-for-sso-tests-0001'
const SCIM_TOKEN = 'scim-token-for-sso-tests-0001'
let dir: string
let server: RunningServer
let idp: TestIdp
let next: SigningKey
let stranger: SigningKey
let tenant: string
let sp: { entityId: string; acsUrl: string; loginUrl: string }

const admin = (path: string, init: RequestInit = {}) =>
  fetch(`${server.adminBaseUrl}${path}`, {
    ...init,
    headers: {
      Authorization: `Bearer ${ADMIN_KEY}`,
      'Content-Type': 'application/json',
      ...init.headers,
    },
  })

async function pushMetadata(keys: SigningKey[]): Promise<void> {
  const res = await admin(`/tenants/${tenant}/sso`, {
    method: 'PUT',
    body: JSON.stringify({ metadataXml: idpMetadataXml(idp, keys) }),
  })
  expect(res.status).toBe(200)
}

function response(over: Partial<ResponseOptions> = {}): string {
  return buildResponse({ issuer: idp.entityId, audience: sp.entityId, acsUrl: sp.acsUrl, ...over })
}

const reasonOf = (html: string): string => /data-reason="([^"]*)"/.exec(html)?.[1] ?? '?'

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'scim-console-sso-'))
  server = await startServer({ port: 0, dataDir: dir, adminKey: ADMIN_KEY, demoToken: SCIM_TOKEN })
  tenant = server.demoTenantId
  idp = await createTestIdp()
  next = await createSigningKey('test-idp-next')
  stranger = await createSigningKey('not-the-idp')
  const base = `${server.publicUrl}/sso/${tenant}/saml`
  sp = { entityId: `${base}/metadata`, acsUrl: `${base}/acs`, loginUrl: `${base}/login` }
  await pushMetadata([idp.key])
  const created = await fetch(`${server.scimBaseUrl}/Users`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${SCIM_TOKEN}`, 'Content-Type': 'application/scim+json' },
    body: JSON.stringify({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName: 'ada@example.com',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ value: 'ada@example.com', primary: true }],
    }),
  })
  expect(created.status).toBe(201)
})

afterAll(async () => {
  await server.close()
  rmSync(dir, { recursive: true, force: true })
})

describe('the backend as a SAML SP', () => {
  it('SP-initiated: login redirects to the IdP with an AuthnRequest, and the ACS accepts the answer', async () => {
    const login = await fetch(`${sp.loginUrl}?RelayState=%2Fcourses`, { redirect: 'manual' })
    expect(login.status).toBe(302)
    const location = login.headers.get('location')!
    expect(location.startsWith(idp.ssoUrl)).toBe(true)
    const request = readRedirectRequest(location)
    expect(request).toMatchObject({
      acsUrl: sp.acsUrl,
      issuer: sp.entityId,
      relayState: '/courses',
    })

    const xml = signResponse(response({ inResponseTo: request.id }), idp.key)
    const res = await postToAcs(sp.acsUrl, encodePost(xml), request.relayState!)
    expect(res.status).toBe(200)
    expect(res.text).toContain('Signed in as ada@example.com (SCIM user found)')

    // The same request cannot be answered twice.
    const again = signResponse(response({ inResponseTo: request.id }), idp.key)
    const second = await postToAcs(sp.acsUrl, encodePost(again))
    expect(reasonOf(second.text)).toBe('saml.in_response_to_unknown')
  })

  it('SP-initiated end to end through an IdP on loopback: login → IdP → auto-posted form → ACS', async () => {
    const idpServer = await startTestIdpServer(idp)
    try {
      const t = (await (
        await admin('/tenants', { method: 'POST', body: JSON.stringify({ name: 'e2e' }) })
      ).json()) as { id: string }
      const put = await admin(`/tenants/${t.id}/sso`, {
        method: 'PUT',
        body: JSON.stringify({ metadataXml: idpMetadataXml({ ...idp, ssoUrl: idpServer.ssoUrl }) }),
      })
      expect(put.status).toBe(200)
      const login = await fetch(`${server.publicUrl}/sso/${t.id}/saml/login`, {
        redirect: 'manual',
      })
      const atIdp = await fetch(login.headers.get('location')!)
      const form = readAutoPostForm(await atIdp.text())
      expect(form.action).toBe(`${server.publicUrl}/sso/${t.id}/saml/acs`)
      const res = await postToAcs(form.action, form.fields.SAMLResponse!, form.fields.RelayState)
      expect(res.status).toBe(200)
      // Tenant "e2e" has no SCIM users: the person signs in but is not provisioned there.
      expect(res.text).toContain('Signed in as ada@example.com (not provisioned)')
      expect(res.text).toContain('Flow: sp-initiated')
    } finally {
      await idpServer.close()
    }
  })

  it('IdP-initiated sign-in of someone SCIM never provisioned says so', async () => {
    const xml = signResponse(response({ nameId: 'grace@example.com' }), idp.key)
    const res = await postToAcs(sp.acsUrl, encodePost(xml))
    expect(res.status).toBe(200)
    expect(res.text).toContain('Signed in as grace@example.com (not provisioned)')
  })

  it('refuses a replayed assertion', async () => {
    const xml = signResponse(response({ assertionId: 'replay-me' }), idp.key)
    expect((await postToAcs(sp.acsUrl, encodePost(xml))).status).toBe(200)
    const replay = await postToAcs(sp.acsUrl, encodePost(xml))
    expect(replay.status).toBe(403)
    expect(reasonOf(replay.text)).toBe('saml.replayed')
  })

  const wrap = (signed: string, evil: string): string =>
    signed.replace(
      '<saml2:Assertion',
      `${/<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(evil)![0]}<saml2:Assertion`,
    )
  const past = () => new Date(Date.now() - 30 * 60_000)
  const future = () => new Date(Date.now() + 30 * 60_000)
  const causes: [string, () => string][] = [
    ['saml.unsigned', () => response()],
    ['saml.wrong_certificate', () => signResponse(response(), stranger)],
    [
      'saml.signature_invalid',
      () => signResponse(response(), idp.key).replace('>Lovelace<', '>Byron<'),
    ],
    [
      'saml.issuer_mismatch',
      () => signResponse(response({ issuer: 'http://www.okta.com/exkOTHER' }), idp.key),
    ],
    [
      'saml.audience_mismatch',
      () => signResponse(response({ audience: 'https://app.example.com/sp' }), idp.key),
    ],
    [
      'saml.destination_mismatch',
      () => signResponse(response({ destination: 'https://app.example.com/acs' }), idp.key),
    ],
    [
      'saml.recipient_mismatch',
      () => signResponse(response({ recipient: 'https://app.example.com/acs' }), idp.key),
    ],
    ['saml.expired', () => signResponse(response({ now: past() }), idp.key)],
    ['saml.not_yet_valid', () => signResponse(response({ now: future() }), idp.key)],
    [
      'saml.in_response_to_unknown',
      () => signResponse(response({ inResponseTo: '_never-sent' }), idp.key),
    ],
    [
      'saml.nameid_not_email',
      () =>
        signResponse(
          response({
            nameId: 'ada',
            nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
          }),
          idp.key,
        ),
    ],
    [
      'saml.attribute_missing',
      () => signResponse(response({ attributes: { email: ['ada@example.com'] } }), idp.key),
    ],
    [
      'saml.wrapping',
      () => wrap(signResponse(response(), idp.key), response({ nameId: 'eve@example.com' })),
    ],
    ['saml.dtd', () => `<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>${response()}`],
  ]
  it.each(causes)('refuses %s over HTTP with that reason', async (code, make) => {
    const res = await postToAcs(sp.acsUrl, encodePost(make()))
    expect(res.status).toBe(403)
    expect(reasonOf(res.text)).toBe(code)
  })

  it('accepts the next certificate once the rotated metadata is pushed, and not before', async () => {
    const xml = () => signResponse(response(), next)
    expect(reasonOf((await postToAcs(sp.acsUrl, encodePost(xml()))).text)).toBe(
      'saml.wrong_certificate',
    )
    await pushMetadata([idp.key, next])
    const res = await postToAcs(sp.acsUrl, encodePost(xml()))
    expect(res.status).toBe(200)
    await pushMetadata([idp.key])
  })

  it('serves SP metadata with the advertised entity ID and ACS URL', async () => {
    const res = await fetch(sp.entityId)
    const text = await res.text()
    expect(text).toContain(`entityID="${sp.entityId}"`)
    expect(text).toContain(`Location="${sp.acsUrl}"`)
    const sso = (await (await admin(`/tenants/${tenant}/sso`)).json()) as {
      sp: { acsUrl: string; entityId: string }
    }
    expect(sso.sp).toMatchObject({ acsUrl: sp.acsUrl, entityId: sp.entityId })
  })

  it('answers a tenant without IdP metadata with a clear refusal, recorded as an event', async () => {
    const other = (await (
      await admin('/tenants', { method: 'POST', body: JSON.stringify({ name: 'bare' }) })
    ).json()) as { id: string }
    const login = await fetch(`${server.publicUrl}/sso/${other.id}/saml/login`, {
      redirect: 'manual',
    })
    expect(login.status).toBe(409)
    const res = await postToAcs(
      `${server.publicUrl}/sso/${other.id}/saml/acs`,
      encodePost(response()),
    )
    expect(reasonOf(res.text)).toBe('sso.not_configured')
    const events = (await (await admin(`/tenants/${other.id}/sso-events`)).json()) as {
      items: SsoEvent[]
    }
    expect(events.items.map((e) => e.reason)).toEqual(['sso.not_configured'])
  })
})

describe('GET /admin/v1/tenants/{id}/sso-events', () => {
  it('lists every attempt newest first with the decoded assertion, filtered by user and paginated', async () => {
    const all = (await (await admin(`/tenants/${tenant}/sso-events?limit=500`)).json()) as {
      items: SsoEvent[]
      nextCursor: string | null
    }
    expect(all.items.length).toBeGreaterThanOrEqual(20)
    expect(all.items[0]!.seq).toBeGreaterThan(all.items[1]!.seq)
    const reasons = new Set(all.items.map((e) => e.reason))
    for (const code of [
      'saml.unsigned',
      'saml.wrong_certificate',
      'saml.wrapping',
      'saml.replayed',
      'saml.dtd',
    ])
      expect(reasons).toContain(code)

    const successes = all.items.filter((e) => e.outcome === 'success' && e.scimUser)
    // The rotation test signed with the next certificate; the event names which one signed.
    expect(new Set(successes.map((e) => e.signature.certificateSha256))).toEqual(
      new Set([idp.key.fingerprint, next.fingerprint]),
    )
    const success = successes[successes.length - 1]!
    expect(success.assertion?.attributes.map((a) => a.name)).toEqual([
      'FirstName',
      'LastName',
      'email',
    ])
    expect(JSON.stringify(success)).not.toMatch(/SignatureValue|X509Certificate/)

    const wrong = all.items.find(
      (e) =>
        e.reason === 'saml.wrong_certificate' && e.evidence.signedWith === stranger.fingerprint,
    )!
    expect(wrong.evidence).toMatchObject({
      signedWith: stranger.fingerprint,
      expectedCertificates: [idp.key.fingerprint],
    })

    const grace = (await (
      await admin(`/tenants/${tenant}/sso-events?user=GRACE@example.com`)
    ).json()) as { items: SsoEvent[] }
    expect(grace.items.map((e) => e.userName)).toEqual(['grace@example.com'])
    expect(grace.items[0]!.scimUser).toBeNull()

    const page1 = (await (await admin(`/tenants/${tenant}/sso-events?limit=2`)).json()) as {
      items: SsoEvent[]
      nextCursor: string
    }
    const page2 = (await (
      await admin(`/tenants/${tenant}/sso-events?limit=2&cursor=${page1.nextCursor}`)
    ).json()) as { items: SsoEvent[] }
    expect(page2.items[0]!.seq).toBe(page1.items[1]!.seq - 1)
  })

  it('requires the admin key and a valid query', async () => {
    const anon = await fetch(`${server.adminBaseUrl}/tenants/${tenant}/sso-events`)
    expect(anon.status).toBe(401)
    expect((await admin(`/tenants/${tenant}/sso-events?limit=0`)).status).toBe(400)
    expect((await admin('/tenants/nope/sso-events')).status).toBe(404)
  })
})
