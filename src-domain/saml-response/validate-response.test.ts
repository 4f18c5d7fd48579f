import { deflateRawSync } from 'node:zlib'
import { beforeAll, describe, expect, it } from 'vitest'
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
import { inspectSamlMessage } from './inspect-message.ts'
import { validateSamlResponse, type SamlExpectations } from './validate-response.ts'

const SP = {
  entityId: 'http://127.0.0.1:8787/sso/t1/saml/metadata',
  acsUrl: 'http://127.0.0.1:8787/sso/t1/saml/acs',
}
let idp: TestIdp
let next: SigningKey
let stranger: SigningKey

beforeAll(async () => {
  idp = await createTestIdp()
  next = await createSigningKey('test-idp-next')
  stranger = await createSigningKey('someone-else')
})

const trust = (...keys: SigningKey[]) =>
  keys.map((k) => ({ der: k.certB64, sha256Fingerprint: k.fingerprint }))

function expectations(over: Partial<SamlExpectations> = {}): SamlExpectations {
  return {
    idpEntityId: idp.entityId,
    certificates: trust(idp.key),
    sp: SP,
    now: new Date(),
    isPendingRequest: () => true,
    acceptedBefore: () => null,
    ...over,
  }
}

function response(over: Partial<ResponseOptions> = {}): string {
  return buildResponse({ issuer: idp.entityId, audience: SP.entityId, acsUrl: SP.acsUrl, ...over })
}

const check = (xml: string, over: Partial<SamlExpectations> = {}) =>
  validateSamlResponse(encodePost(xml), expectations(over))

describe('validateSamlResponse: accepted responses', () => {
  it('accepts an Okta-shaped response whose assertion is signed, and reads the user from it', () => {
    const v = check(signResponse(response(), idp.key, 'assertion'))
    expect(v.reason).toBeNull()
    expect(v.valid).toBe(true)
    expect(v.verified).toBe(true)
    expect(v.signature).toEqual({
      signed: 'assertion',
      certificate: { sha256Fingerprint: idp.key.fingerprint, subject: null },
    })
    expect(v.user).toEqual({
      nameId: 'ada@example.com',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      email: 'ada@example.com',
      firstName: 'Ada',
      lastName: 'Lovelace',
    })
    expect(v.idpInitiated).toBe(true)
  })

  it('accepts a signed response (assertion unsigned) and one signed twice', () => {
    expect(check(signResponse(response(), idp.key, 'response')).reason).toBeNull()
    const both = check(signResponse(response(), idp.key, 'both'))
    expect(both.reason).toBeNull()
    expect(both.signature.signed).toBe('both')
  })

  it('accepts a response signed with the next certificate during a rotation', () => {
    const v = check(signResponse(response(), next, 'assertion'), {
      certificates: trust(idp.key, next),
    })
    expect(v.reason).toBeNull()
    expect(v.signature.certificate?.sha256Fingerprint).toBe(next.fingerprint)
  })

  it('trusts a certificate known only by fingerprint when the response carries exactly that one', () => {
    const byFingerprint = [{ sha256Fingerprint: idp.key.fingerprint }]
    expect(
      check(signResponse(response(), idp.key), { certificates: byFingerprint }).reason,
    ).toBeNull()
    const other = check(signResponse(response(), stranger), { certificates: byFingerprint })
    expect(other.reason?.code).toBe('saml.wrong_certificate')
  })

  it('accepts the URL-encoded form body as captured from a browser, with its RelayState', () => {
    const form = new URLSearchParams({
      SAMLResponse: encodePost(signResponse(response(), idp.key)),
      RelayState: '/app/t1',
    }).toString()
    const v = validateSamlResponse(form, expectations())
    expect(v.reason).toBeNull()
    expect(v.relayState).toBe('/app/t1')
    expect(v.encoding).toBe('base64')
  })

  it('answers an SP-initiated request it knows and records the request id', () => {
    const v = check(signResponse(response({ inResponseTo: '_req1' }), idp.key), {
      isPendingRequest: (id) => id === '_req1',
    })
    expect(v.reason).toBeNull()
    expect(v.inResponseTo).toBe('_req1')
    expect(v.idpInitiated).toBe(false)
  })

  it('allows a few minutes of clock skew', () => {
    // The IdP's clock is 2 minutes ahead: NotBefore is 3 minutes ahead of ours... within 3 min skew.
    const xml = signResponse(response({ now: new Date(Date.now() + 7 * 60_000) }), idp.key)
    expect(check(xml).reason).toBeNull()
  })
})

describe('validateSamlResponse: each refusal has its reason and evidence', () => {
  it('saml.unsigned', () => {
    expect(check(response()).reason?.code).toBe('saml.unsigned')
  })

  it('saml.wrong_certificate names the certificate that signed and the one expected', () => {
    const v = check(signResponse(response(), stranger))
    expect(v.reason?.code).toBe('saml.wrong_certificate')
    expect(v.reason?.evidence).toMatchObject({
      signedWith: stranger.fingerprint,
      expectedCertificates: [idp.key.fingerprint],
    })
    expect(v.verified).toBe(false)
  })

  it('saml.signature_invalid when the assertion was changed after signing', () => {
    const signed = signResponse(response(), idp.key)
    const v = check(
      signed.replace('ada@example.com</saml2:NameID>', 'eve@example.com</saml2:NameID>'),
    )
    expect(v.reason?.code).toBe('saml.signature_invalid')
    expect(v.reason?.message).toMatch(/changed after the IdP signed it/)
  })

  it('saml.issuer_mismatch', () => {
    const v = check(signResponse(response({ issuer: 'http://www.okta.com/other' }), idp.key))
    expect(v.reason).toMatchObject({
      code: 'saml.issuer_mismatch',
      evidence: { expected: idp.entityId, got: 'http://www.okta.com/other' },
    })
  })

  it('saml.audience_mismatch names the Okta field', () => {
    const v = check(signResponse(response({ audience: 'https://typo.example.com' }), idp.key))
    expect(v.reason?.code).toBe('saml.audience_mismatch')
    expect(v.reason?.evidence).toEqual({ expected: SP.entityId, got: ['https://typo.example.com'] })
    expect(v.reason?.hint).toMatch(/Audience URI \(SP Entity ID\)/)
  })

  it('saml.destination_mismatch and saml.recipient_mismatch', () => {
    const d = check(signResponse(response({ destination: 'https://elsewhere/acs' }), idp.key))
    expect(d.reason?.code).toBe('saml.destination_mismatch')
    const r = check(signResponse(response({ recipient: 'https://elsewhere/acs' }), idp.key))
    expect(r.reason).toMatchObject({
      code: 'saml.recipient_mismatch',
      evidence: { expected: SP.acsUrl, got: 'https://elsewhere/acs' },
    })
  })

  it('saml.expired says how far the clocks differ', () => {
    const v = check(signResponse(response({ now: new Date(Date.now() - 20 * 60_000) }), idp.key))
    expect(v.reason?.code).toBe('saml.expired')
    expect(v.reason?.evidence.skewSeconds).toBe(180)
    expect(v.reason?.evidence.clockDifferenceSeconds).toBeLessThanOrEqual(-1199)
  })

  it('saml.not_yet_valid', () => {
    const v = check(signResponse(response({ now: new Date(Date.now() + 20 * 60_000) }), idp.key))
    expect(v.reason?.code).toBe('saml.not_yet_valid')
    expect(v.reason?.evidence.clockDifferenceSeconds).toBeGreaterThanOrEqual(1199)
  })

  it('saml.in_response_to_unknown for an answer to a request this SP did not send', () => {
    const v = check(signResponse(response({ inResponseTo: '_forged' }), idp.key), {
      isPendingRequest: () => false,
    })
    expect(v.reason).toMatchObject({
      code: 'saml.in_response_to_unknown',
      evidence: { got: '_forged' },
    })
    const spliced = signResponse(response({ inResponseTo: '_req2' }), idp.key).replace(
      /(<saml2:SubjectConfirmationData[^>]*InResponseTo=")_req2"/,
      '$1_other"',
    )
    // Changing the signed assertion breaks its digest: splice into the unsigned envelope instead.
    expect(check(spliced).reason?.code).toBe('saml.signature_invalid')
    const mixed = check(
      signResponse(response({ inResponseTo: '_req2' }), idp.key).replace(
        'InResponseTo="_req2">',
        'InResponseTo="_req3">',
      ),
    )
    expect(mixed.reason).toMatchObject({
      code: 'saml.in_response_to_unknown',
      evidence: { expected: '_req3', got: '_req2' },
    })
    const unsolicited = check(signResponse(response(), idp.key), { allowIdpInitiated: false })
    expect(unsolicited.reason?.code).toBe('saml.in_response_to_unknown')
  })

  it('saml.replayed', () => {
    const xml = signResponse(response({ assertionId: 'a-once' }), idp.key)
    const v = check(xml, {
      acceptedBefore: (id) => (id === 'a-once' ? '2026-01-01T00:00:00.000Z' : null),
    })
    expect(v.reason).toMatchObject({
      code: 'saml.replayed',
      evidence: { assertionId: 'a-once', firstAcceptedAt: '2026-01-01T00:00:00.000Z' },
    })
  })

  it('saml.nameid_not_email', () => {
    const v = check(
      signResponse(
        response({
          nameId: '00u1abcd',
          nameIdFormat: 'urn:oasis:names:tc:SAML:2.0:nameid-format:persistent',
        }),
        idp.key,
      ),
    )
    expect(v.reason?.code).toBe('saml.nameid_not_email')
    expect(v.reason?.evidence.got).toBe('00u1abcd')
  })

  it('saml.attribute_missing names the attribute and the Okta expression that supplies it', () => {
    const v = check(
      signResponse(
        response({ attributes: { FirstName: ['Ada'], email: ['ada@example.com'] } }),
        idp.key,
      ),
    )
    expect(v.reason?.code).toBe('saml.attribute_missing')
    expect(v.reason?.evidence.missing).toEqual(['LastName'])
    expect(v.reason?.hint).toMatch(/LastName = user\.lastName/)
  })

  it('accepts Entra claim URIs for the required attributes', () => {
    const attributes = {
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/givenname': ['Ada'],
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/surname': ['Lovelace'],
      'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress': ['ada@example.com'],
    }
    expect(check(signResponse(response({ attributes }), idp.key)).reason).toBeNull()
  })

  it('saml.status_error carries the IdP status', () => {
    const v = check(
      signResponse(
        response({ statusCode: 'urn:oasis:names:tc:SAML:2.0:status:Responder' }),
        idp.key,
        'response',
      ),
    )
    expect(v.reason?.code).toBe('saml.status_error')
  })
})

describe('validateSamlResponse: signature wrapping', () => {
  it('refuses a second, unsigned assertion placed before the signed one', () => {
    const signed = signResponse(response(), idp.key)
    const evil = response({ nameId: 'eve@example.com', assertionId: 'evil' })
    const evilAssertion = /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(evil)![0]
    const wrapped = signed.replace('<saml2:Assertion', `${evilAssertion}<saml2:Assertion`)
    const v = check(wrapped)
    expect(v.reason?.code).toBe('saml.wrapping')
    expect(v.valid).toBe(false)
  })

  it('refuses the signed assertion moved into Extensions and replaced by a forged one with the same ID', () => {
    const signed = signResponse(response({ assertionId: 'a1' }), idp.key)
    const original = /<saml2:Assertion[\s\S]*<\/saml2:Assertion>/.exec(signed)![0]
    const forged = original
      .replace(/<ds:Signature[\s\S]*<\/ds:Signature>/, '')
      .replace('ada@example.com<', 'eve@example.com<')
    const wrapped = signed.replace(
      original,
      `<saml2p:Extensions>${original}</saml2p:Extensions>${forged}`,
    )
    const v = check(wrapped)
    expect(v.reason?.code).toBe('saml.wrapping')
  })

  it('reads the NameID whole when a comment was slipped into it after signing', () => {
    // The classic comment-truncation attack: c14n drops comments, so the digest still matches;
    // a reader that takes the first text node would see "ada@example.com".
    const signed = signResponse(response({ nameId: 'ada@example.com.evil.test' }), idp.key)
    const v = check(
      signed.replace('ada@example.com.evil.test<', 'ada@example.com<!---->.evil.test<'),
    )
    expect(v.reason).toBeNull()
    expect(v.user?.nameId).toBe('ada@example.com.evil.test')
  })

  it('refuses a signature whose reference points at another element', () => {
    const signed = signResponse(response({ assertionId: 'a2' }), idp.key)
    const v = check(signed.replace('URI="#a2"', 'URI="#somewhere-else"'))
    expect(v.reason?.code).toBe('saml.wrapping')
  })

  it('reads values only from the signed XML: a response signature does not vouch for a changed assertion', () => {
    const signed = signResponse(response(), idp.key, 'response')
    const v = check(signed.replace('Ada</saml2:AttributeValue>', 'Eve</saml2:AttributeValue>'))
    expect(v.reason?.code).toBe('saml.signature_invalid')
  })
})

describe('decoding hostile and unusual input', () => {
  it('refuses a DOCTYPE before any parser sees it', () => {
    const xml = `<!DOCTYPE r [<!ENTITY x "y">]>${response()}`
    expect(check(xml).reason?.code).toBe('saml.dtd')
  })

  it('refuses XML nested beyond the depth cap', () => {
    const deep = `${'<a>'.repeat(500)}${'</a>'.repeat(500)}`
    const v = validateSamlResponse(encodePost(deep), expectations())
    expect(v.reason?.code).toBe('saml.malformed')
    expect(v.reason?.message).toMatch(/nested more than 64/)
  })

  it('refuses a deflate bomb at the size cap instead of inflating it', () => {
    const bomb = deflateRawSync(Buffer.alloc(20 * 1024 * 1024, 0x20)).toString('base64')
    expect(validateSamlResponse(bomb, expectations()).reason?.code).toBe('saml.too_large')
  })

  it('says what it got when the text is not SAML', () => {
    expect(validateSamlResponse('hello world!', expectations()).reason?.code).toBe('saml.malformed')
    const md = encodePost('<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata"/>')
    expect(validateSamlResponse(md, expectations()).reason?.code).toBe('saml.not_a_response')
  })

  it('decodes a Redirect-binding AuthnRequest', () => {
    const req = `<samlp:AuthnRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r1" Version="2.0" IssueInstant="2026-01-01T00:00:00Z" Destination="${idp.ssoUrl}" AssertionConsumerServiceURL="${SP.acsUrl}"><saml:Issuer>${SP.entityId}</saml:Issuer><samlp:NameIDPolicy Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"/></samlp:AuthnRequest>`
    const value = deflateRawSync(Buffer.from(req)).toString('base64')
    const url = `${idp.ssoUrl}?SAMLRequest=${encodeURIComponent(value)}&RelayState=x`
    const r = inspectSamlMessage(url, expectations())
    expect(r.kind).toBe('authn-request')
    if (r.kind !== 'authn-request') return
    expect(r.request).toMatchObject({ id: '_r1', acsUrl: SP.acsUrl, issuer: SP.entityId })
    expect(r.encoding).toBe('deflate-base64')
    expect(r.relayState).toBe('x')
  })

  it('skips the SP-side checks, saying so, when only IdP metadata is known', () => {
    const r = inspectSamlMessage(encodePost(signResponse(response(), idp.key)), {
      ...expectations({ sp: null }),
      isPendingRequest: undefined,
      acceptedBefore: undefined,
    })
    expect(r.kind).toBe('response')
    if (r.kind !== 'response') return
    expect(r.validation.valid).toBe(true)
    expect(r.validation.skipped.join('\n')).toMatch(/audience/)
  })
})
