import { beforeAll, describe, expect, it } from 'vitest'
import {
  validateSamlResponse,
  type SamlExpectations,
} from '../../src-domain/saml-response/index.ts'
import {
  buildResponse,
  createSigningKey,
  createTestIdp,
  encodePost,
  signResponse,
  type ResponseOptions,
  type SigningKey,
  type TestIdp,
} from '../../test/support/saml-idp.ts'
import type { SsoEvent } from '../backend/sso-events-client.ts'
import { explainFailure, type SsoContext } from './fixes.ts'
import { explainSignIn } from './sign-in-story.ts'

const SP = {
  entityId: 'https://sp.example.com/sso/t/saml/metadata',
  acsUrl: 'https://sp.example.com/sso/t/saml/acs',
}
let idp: TestIdp
let other: SigningKey
let ctx: SsoContext
let seq = 0

beforeAll(async () => {
  idp = await createTestIdp()
  other = await createSigningKey('other')
  ctx = {
    sp: SP,
    idp: {
      entityId: idp.entityId,
      signingCertificates: [
        {
          sha256Fingerprint: idp.key.fingerprint,
          subject: 'CN=test-idp',
          notAfter: '2027-12-01T00:00:00.000Z',
        },
      ],
    },
  }
})

/** An SSO event as the ACS records it, from the real validator's verdict on a signed response. */
function attempt(
  over: Partial<ResponseOptions>,
  opts: { key?: SigningKey; expect?: Partial<SamlExpectations>; raw?: string } = {},
): SsoEvent {
  const xml =
    opts.raw ??
    signResponse(
      buildResponse({ issuer: idp.entityId, audience: SP.entityId, acsUrl: SP.acsUrl, ...over }),
      opts.key ?? idp.key,
    )
  const v = validateSamlResponse(encodePost(xml), {
    idpEntityId: idp.entityId,
    certificates: [{ der: idp.key.certB64, sha256Fingerprint: idp.key.fingerprint }],
    sp: SP,
    now: new Date(),
    isPendingRequest: () => false,
    acceptedBefore: (id) => (id === 'used' ? '2026-01-01T00:00:00.000Z' : null),
    ...opts.expect,
  })
  seq++
  return {
    seq,
    time: new Date(Date.UTC(2026, 0, 1, 0, seq)).toISOString(),
    tenantId: 't',
    outcome: v.valid ? 'success' : 'failure',
    reason: v.reason?.code ?? null,
    message: v.reason?.message ?? 'ok',
    hint: v.reason?.hint ?? null,
    evidence: v.reason?.evidence ?? {},
    failures: v.failures.map((f) => ({ code: f.code, message: f.message })),
    flow: v.idpInitiated ? 'idp-initiated' : 'sp-initiated',
    userName: v.user?.email ?? v.user?.nameId ?? null,
    scimUser: null,
    inResponseTo: v.inResponseTo,
    relayState: null,
    signature: {
      signed: v.signature.signed,
      certificateSha256: v.signature.certificate?.sha256Fingerprint ?? null,
    },
    assertion: v.assertion,
    verified: v.verified,
  }
}

describe('explainFailure: every refusal the ACS gives is explained in Okta and Entra terms', () => {
  const cases: [string, () => SsoEvent, RegExp][] = [
    [
      'saml.unsigned',
      () =>
        attempt(
          {},
          {
            raw: buildResponse({ issuer: idp.entityId, audience: SP.entityId, acsUrl: SP.acsUrl }),
          },
        ),
      /Assertion Signature/,
    ],
    ['saml.wrong_certificate', () => attempt({}, { key: other }), /SAML Signing Certificates/],
    [
      'saml.issuer_mismatch',
      () => attempt({ issuer: 'http://www.okta.com/x' }),
      /Identity Provider Issuer/,
    ],
    [
      'saml.audience_mismatch',
      () => attempt({ audience: 'urn:typo' }),
      /Audience URI \(SP Entity ID\)/,
    ],
    [
      'saml.destination_mismatch',
      () => attempt({ destination: 'https://x/acs' }),
      /Single sign-on URL/,
    ],
    [
      'saml.recipient_mismatch',
      () => attempt({ recipient: 'https://x/acs' }),
      /Single sign-on URL/,
    ],
    [
      'saml.expired',
      () => attempt({ now: new Date(Date.now() - 3_600_000) }),
      /sync this server's clock/,
    ],
    [
      'saml.not_yet_valid',
      () => attempt({ now: new Date(Date.now() + 3_600_000) }),
      /sync this server's clock/,
    ],
    ['saml.in_response_to_unknown', () => attempt({ inResponseTo: '_gone' }), /SP login URL/],
    ['saml.replayed', () => attempt({ assertionId: 'used' }), /Sign in again/],
    [
      'saml.nameid_not_email',
      () =>
        attempt({
          nameId: 'ada',
          nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
        }),
      /Name ID format": EmailAddress/,
    ],
    [
      'saml.attribute_missing',
      () => attempt({ attributes: { email: ['ada@example.com'] } }),
      /Attribute Statements: add Name "FirstName"/,
    ],
  ]
  it.each(cases)('%s', (code, make, oktaFix) => {
    const e = make()
    expect(e.reason).toBe(code)
    const x = explainFailure(e, ctx)
    expect(x.title).not.toMatch(/^Refused:/)
    expect(x.fix.okta).toMatch(oktaFix)
    expect(x.fix.entra.length).toBeGreaterThan(20)
  })

  it('names the certificate the tenant expects by subject and expiry', () => {
    const x = explainFailure(attempt({}, { key: other }), ctx)
    expect(x.evidence).toContain(
      `tenant expects: ${idp.key.fingerprint} (CN=test-idp, expires 2027-12-01)`,
    )
  })
})

describe('explainSignIn', () => {
  it('orders open causes before resolved ones and reads the verdict from the last attempt', () => {
    const a = attempt({ audience: 'urn:typo' })
    const b = attempt({})
    const c = attempt({ attributes: { email: ['ada@example.com'] } })
    const story = explainSignIn('ada@example.com', [c, a, b], { user: null, events: [] }, ctx)
    expect(story.verdict).toBe('cannot_sign_in')
    expect(story.findings.map((f) => [f.code, f.resolved])).toEqual([
      ['saml.attribute_missing', false],
      ['saml.audience_mismatch', true],
    ])
    expect(story.attempts.map((x) => x.seq)).toEqual([a.seq, b.seq, c.seq])
    // Signed in once, never provisioned.
    expect(story.crossCheck?.kind).toBe('signs_in_not_provisioned')
  })

  it('cites failed provisioning requests when the user signs in but SCIM never created them', () => {
    const story = explainSignIn(
      'ada@example.com',
      [attempt({})],
      {
        user: null,
        events: [
          {
            seq: 7,
            time: '2026-01-01T00:00:00Z',
            method: 'POST',
            path: '/Users',
            status: 409,
            detail: 'userName exists',
          },
        ],
      },
      ctx,
    )
    expect(story.verdict).toBe('signs_in')
    expect(story.crossCheck?.evidence).toContain(
      'provisioning #7 2026-01-01T00:00:00Z POST /Users → 409: userName exists',
    )
  })

  it('a deactivated SCIM user who still signs in is flagged', () => {
    const story = explainSignIn(
      'ada@example.com',
      [attempt({})],
      { user: { id: 'u1', userName: 'ada@example.com', active: false }, events: [] },
      ctx,
    )
    expect(story.crossCheck?.kind).toBe('signs_in_while_deactivated')
  })

  it('says nothing across logs when the provisioning side could not be read', () => {
    const story = explainSignIn('ada@example.com', [], { user: 'unknown', events: [] }, ctx)
    expect(story.verdict).toBe('no_attempts')
    expect(story.crossCheck).toBeNull()
  })
})
