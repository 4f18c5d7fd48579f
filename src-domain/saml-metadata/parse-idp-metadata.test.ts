import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  idpMetadataSchema,
  metadataFindingCodes,
  type IdpMetadata,
} from '../../src-shared/metadata.ts'
import { parseIdpMetadata } from './parse-idp-metadata.ts'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'

/** Fixed clock: the day the fixture corpus was collected, so expiry findings never drift. */
const NOW = new Date('2026-11-22T00:00:00Z')

function fixture(name: string, entityId?: string): IdpMetadata {
  const bytes = readFileSync(join(IDP_METADATA_DIR, name))
  return parseIdpMetadata(bytes, { source: `file:${name}`, now: NOW, entityId })
}

function sso(m: IdpMetadata, bindingName: string): string {
  return m.ssoServices.find((s) => s.bindingName === bindingName)?.location ?? ''
}

function codes(m: IdpMetadata): string[] {
  return m.findings.map((f) => f.code)
}

interface ExpectedRow {
  file: string
  usable: string
  select: string
  entityId: string
  redirect: string
  post: string
  signingCerts: string
}

const expectedRows: ExpectedRow[] = readFileSync(join(IDP_METADATA_DIR, 'EXPECTED.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((line) => line.trim() !== '')
  .map((line) => {
    const [
      file = '',
      usable = '',
      select = '',
      entityId = '',
      redirect = '',
      post = '',
      signingCerts = '',
    ] = line.split('\t')
    return { file, usable, select, entityId, redirect, post, signingCerts }
  })

describe('every fixture in EXPECTED.tsv', () => {
  it('reads the whole table', () => {
    expect(expectedRows.length).toBeGreaterThanOrEqual(40)
  })

  it.each(expectedRows)('$file', (row) => {
    const m = fixture(row.file, row.select || undefined)
    expect(idpMetadataSchema.parse(m)).toEqual(m)
    if (row.usable === 'no') {
      expect(m.ok).toBe(false)
      const error = m.findings.find((f) => f.severity === 'error')
      expect(error?.code).toMatch(/^metadata\./)
      expect(error?.hint.length).toBeGreaterThan(20)
      return
    }
    expect(row.usable).toBe('yes')
    expect(m.findings.filter((f) => f.severity === 'error')).toEqual([])
    expect(m.ok).toBe(true)
    expect(m.entityId).toBe(row.entityId)
    expect(sso(m, 'HTTP-Redirect')).toBe(row.redirect)
    expect(sso(m, 'HTTP-POST')).toBe(row.post)
    expect(m.signingCertificates).toHaveLength(Number(row.signingCerts))
  })
})

describe('refusals name the problem', () => {
  it.each([
    ['edge-malformed-mismatched-tag.xml', 'metadata.malformed'],
    ['edge-malformed-two-root-entitydescriptors.xml', 'metadata.malformed'],
    ['edge-comment-before-xmldecl-no-namespace-no-sso.xml', 'metadata.malformed'],
    ['edge-root-wrong-namespace.xml', 'metadata.wrong_namespace'],
    ['edge-billion-laughs-doctype-response.xml', 'metadata.dtd_forbidden'],
    ['edge-sp-descriptor-with-idp-entityid.xml', 'metadata.not_idp'],
    ['sp-salesforce-not-idp.xml', 'metadata.not_idp'],
    ['sp-signed-not-idp.xml', 'metadata.not_idp'],
    ['sp-entities-aggregate-no-idp.xml', 'metadata.not_idp'],
    ['okta-placeholder-template-invalid-cert.xml', 'metadata.no_signing_certificate'],
    ['edge-keyinfo-wrong-namespace-rolling-certs.xml', 'metadata.no_signing_certificate'],
  ])('%s -> %s', (file, code) => {
    const m = fixture(file)
    expect(m.ok).toBe(false)
    expect(codes(m)).toContain(code)
  })

  it('gives line and column for malformed XML', () => {
    const m = fixture('edge-malformed-mismatched-tag.xml')
    expect(m.findings[0]?.message).toMatch(/line 13, column 5/)
    expect(m.findings[0]?.message).toMatch(/SPSSODescriptor2/)
  })

  it('explains SP metadata as SP metadata', () => {
    expect(fixture('sp-salesforce-not-idp.xml').findings[0]?.message).toMatch(
      /service-provider \(SP\) metadata/,
    )
  })

  it('says why certificates in the wrong namespace are not found', () => {
    expect(codes(fixture('edge-keyinfo-wrong-namespace-rolling-certs.xml'))).toContain(
      'metadata.keyinfo_wrong_namespace',
    )
  })

  it('quotes the placeholder certificate text', () => {
    const m = fixture('okta-placeholder-template-invalid-cert.xml')
    expect(m.findings.find((f) => f.code === 'metadata.invalid_certificate')?.message).toMatch(
      /YOUR_OKTA/,
    )
    expect(codes(m)).toContain('metadata.placeholder_url')
    expect(codes(m)).toContain('metadata.placeholder_entity_id')
  })
})

describe('model details', () => {
  it('describes an Okta signing certificate fully', () => {
    const m = fixture('okta-app-trial-org.xml')
    const [cert] = m.signingCertificates
    expect(cert).toMatchObject({
      keyType: 'RSA',
      keySize: 2048,
      signatureAlgorithm: 'sha256WithRSAEncryption',
      notAfter: expect.stringMatching(/^2034-04-25T/),
      expired: false,
      use: 'signing',
      selfSigned: true,
    })
    expect(cert?.subject).toMatch(/CN=trial-1022863/)
    expect(cert?.issuer).toMatch(/O=Okta/)
    expect(cert?.sha256Fingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/)
    expect(cert?.sha1Fingerprint).toMatch(/^([0-9A-F]{2}:){19}[0-9A-F]{2}$/)
    expect(cert?.daysLeft).toBe(
      Math.floor((Date.parse(cert!.notAfter) - NOW.getTime()) / 86_400_000),
    )
    expect(m.findings).toEqual([])
  })

  it('lists HTTP-POST first when the file does, and trims NameID formats', () => {
    const m = fixture('okta-app-oktapreview-post-first.xml')
    expect(m.ssoServices.map((s) => s.bindingName)).toEqual(['HTTP-POST', 'HTTP-Redirect'])
    expect(m.nameIdFormats).toEqual([
      'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
      'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
    ])
  })

  it('takes the IdP role of a descriptor that lists the SP role first (AD FS)', () => {
    const m = fixture('adfs-ucar-signed-idp-and-sp-roles.xml')
    expect(sso(m, 'HTTP-POST')).toBe('https://sts.ucar.edu/adfs/ls/')
    expect(m.nameIdFormats).toHaveLength(3)
    expect(m.signingCertificates[0]?.subject).toMatch(/ADFS Signing/)
  })

  it('never counts an encryption-only certificate as signing', () => {
    const m = fixture('onelogin-different-sign-and-encrypt-cert.xml')
    expect(m.signingCertificates).toHaveLength(1)
    const xml = readFileSync(
      join(IDP_METADATA_DIR, 'onelogin-different-sign-and-encrypt-cert.xml'),
      'utf8',
    )
    const encBlock =
      /<KeyDescriptor use="encryption">[\s\S]*?<\/KeyDescriptor>/.exec(xml)?.[0] ?? ''
    const encB64 = /X509Certificate>([^<]+)</.exec(encBlock)?.[1]?.replace(/\s+/g, '')
    expect(encB64).toBeTruthy()
    expect(m.signingCertificates[0]?.der).not.toBe(encB64)
  })

  it('counts a KeyDescriptor without use as signing', () => {
    const m = fixture('shibboleth-testshib-idp-expired.xml')
    expect(m.signingCertificates.map((c) => c.use)).toEqual(['unspecified'])
  })

  it('de-duplicates a certificate listed twice for signing', () => {
    expect(fixture('generic-multi-signing-certs-rollover.xml').signingCertificates).toHaveLength(2)
  })

  it('decodes a double-encoded PEM certificate in an aggregate member', () => {
    const m = fixture(
      'edge-x509-double-encoded-pem-aggregate.xml',
      'https://foo.example.com/access/saml/idp.xml',
    )
    expect(m.ok).toBe(true)
    expect(m.signingCertificates).toHaveLength(1)
    expect(m.idps).toEqual([
      'https://foo.example.com/access/saml/idp.xml',
      'https://bar.example.com/access/saml/idp.xml',
    ])
  })

  it('reads a certificate that expires in the year 3021', () => {
    const m = fixture('mocksaml-boxyhq-cert-year-3021.xml')
    expect(m.signingCertificates[0]?.notAfter).toMatch(/^3021-/)
    expect(m.signingCertificates[0]?.expired).toBe(false)
  })

  it('treats an invalid cacheDuration as a warning only', () => {
    const m = fixture('edge-invalid-cacheduration-p1dt.xml')
    expect(m.ok).toBe(true)
    expect(m.cacheDuration).toBe('P1DT')
    expect(m.findings.find((f) => f.code === 'metadata.invalid_cache_duration')?.severity).toBe(
      'warning',
    )
  })

  it('reports an expired certificate as a dated warning, not a failure', () => {
    const m = fixture('entra-app-federationmetadata-expired-2023.xml')
    expect(m.ok).toBe(true)
    const f = m.findings.find((x) => x.code === 'metadata.cert_expired')
    expect(f?.severity).toBe('warning')
    expect(f?.message).toMatch(/2023-12-22/)
  })

  it('warns about a certificate expiring within 30 days', () => {
    const m = fixture('google-workspace-2-signing-certs-rollover.xml')
    const f = m.findings.filter((x) => x.code === 'metadata.cert_expiring')
    expect(f).toHaveLength(1)
    expect(f[0]?.message).toMatch(/2026-12-16, in 24 day/)
    expect(f[0]?.hint).toMatch(/rollover in progress/)
  })

  it('warns about SHA-1 signatures and RSA keys under 2048 bits', () => {
    const m = fixture('simplesamlphp-openidp-feide.xml')
    expect(m.signingCertificates[0]?.signatureAlgorithm).toBe('sha1WithRSAEncryption')
    expect(m.signingCertificates[0]?.keySize).toBeLessThan(2048)
    expect(codes(m)).toEqual(
      expect.arrayContaining(['metadata.cert_sha1_signature', 'metadata.cert_weak_key']),
    )
  })

  it('warns when validUntil has passed and when only HTTP-Redirect is offered', () => {
    const m = fixture('surfconext-engineblock-signed-validuntil-expired.xml')
    expect(m.validUntil).toBe('2016-01-28T14:26:41.000Z')
    expect(codes(m)).toEqual(
      expect.arrayContaining(['metadata.valid_until_passed', 'metadata.redirect_only']),
    )
  })

  it('flags placeholder and SP-looking entity IDs', () => {
    expect(codes(fixture('jumpcloud-placeholder-entityid.xml'))).toContain(
      'metadata.placeholder_entity_id',
    )
    expect(codes(fixture('jumpcloud-entityid-is-sp-url.xml'))).toContain(
      'metadata.entity_id_looks_like_sp',
    )
    expect(codes(fixture('auth0-tenant-app.xml'))).toEqual([])
  })

  it('sorts findings errors first, then warnings, then notes', () => {
    const rank = { error: 0, warning: 1, info: 2 }
    for (const row of expectedRows) {
      const m = fixture(row.file, row.select || undefined)
      const ranks = m.findings.map((f) => rank[f.severity])
      expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
    }
  })

  it('emits only the codes the shared model lists, each with its listed severity', () => {
    const listed = new Map<string, string>()
    for (const [severity, list] of Object.entries(metadataFindingCodes)) {
      for (const code of list) listed.set(code, severity)
    }
    const seen = new Set<string>()
    for (const row of expectedRows) {
      for (const f of fixture(row.file, row.select || undefined).findings) {
        expect(listed.get(f.code), f.code).toBe(f.severity)
        seen.add(f.code)
      }
    }
    expect(seen.size).toBeGreaterThan(15)
  })

  it.each([
    ['entra-app-federationmetadata-bom-signed.xml', true],
    ['entra-tenant-federationmetadata-3-signing-certs.xml', true],
    ['adfs-ucar-signed-idp-and-sp-roles.xml', true],
    ['surfconext-engineblock-signed-validuntil-expired.xml', true],
    ['adfs-signed-then-pretty-printed.xml', false],
    ['azuread-legacy-login-windows-net-redirect-only.xml', false],
    ['adfs-sustainsys-fixture-signed.xml', false],
    ['signicat-signed-2-signing-certs.xml', false],
  ])('signature of %s verifies against its own certificate: %s', (file, valid) => {
    const m = fixture(file)
    expect(m.signature.signed).toBe(true)
    expect(m.signature.valid).toBe(valid)
    expect(codes(m).includes('metadata.signature_invalid')).toBe(!valid)
  })

  it('reports an unsigned file as unsigned', () => {
    expect(fixture('okta-app-trial-org.xml').signature).toEqual({ signed: false, valid: null })
  })
})

describe('aggregates', () => {
  const SWITCH = 'shibboleth-switch-aaitest-signed-aggregate.xml'

  it('lists the IdPs and asks for a choice when there are several', () => {
    const m = fixture(SWITCH)
    expect(m.ok).toBe(false)
    expect(m.idps).toHaveLength(35)
    expect(m.idps[0]).toBe('https://testidp.unifr.ch/idp/shibboleth')
    expect(codes(m)).toEqual(['metadata.choose_idp'])
  })

  it('selects an IdP by entity ID', () => {
    const m = fixture(SWITCH, 'https://testidp.chuv.ch/idp/shibboleth')
    expect(m.ok).toBe(true)
    expect(m.entityId).toBe('https://testidp.chuv.ch/idp/shibboleth')
    expect(m.idps).toHaveLength(35)
  })

  it('says when the chosen entity ID is not there', () => {
    const m = fixture(SWITCH, 'https://nope.example/idp')
    expect(codes(m)).toEqual(['metadata.entity_not_found'])
    expect(m.findings[0]?.hint).toMatch(/testidp\.unifr\.ch/)
  })

  it('refuses to select an SP of the aggregate', () => {
    const m = fixture(
      'shibboleth-testshib-providers-aggregate.xml',
      'https://sp.testshib.org/shibboleth-sp',
    )
    expect(codes(m)).toEqual(['metadata.not_idp'])
  })

  it('auto-selects the only IdP of an aggregate and says so', () => {
    const m = fixture('shibboleth-testshib-providers-aggregate.xml')
    expect(m.entityId).toBe('https://idp.testshib.org/idp/shibboleth')
    expect(codes(m)).toContain('metadata.aggregate_single_idp')
  })

  it('finds IdPs in nested EntitiesDescriptors and applies the outer validUntil', () => {
    const xml = wrap(
      `<md:EntitiesDescriptor xmlns:md="${MD}" validUntil="2020-01-01T00:00:00Z"><md:EntitiesDescriptor>${idp('https://inner.example.net/idp')}</md:EntitiesDescriptor>${sp('https://sp.example.net')}</md:EntitiesDescriptor>`,
    )
    const m = parseIdpMetadata(xml, { source: 'paste', now: NOW })
    expect(m.entityId).toBe('https://inner.example.net/idp')
    expect(m.validUntil).toBe('2020-01-01T00:00:00.000Z')
    expect(codes(m)).toContain('metadata.valid_until_passed')
  })
})

const MD = 'urn:oasis:names:tc:SAML:2.0:metadata'
const DS = 'http://www.w3.org/2000/09/xmldsig#'
const OKTA_CERT = (
  /<ds:X509Certificate>([^<]+)</.exec(
    readFileSync(join(IDP_METADATA_DIR, 'okta-app-trial-org.xml'), 'utf8'),
  )?.[1] ?? ''
).replace(/\s+/g, '')

function wrap(s: string): string {
  return `<?xml version="1.0"?>\n${s}`
}
function idp(entityId: string, extra = ''): string {
  return `<md:EntityDescriptor entityID="${entityId}"><md:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="${DS}"><ds:X509Data><ds:X509Certificate>${OKTA_CERT}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>${extra}<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.net/sso?a=1&amp;b=2"/></md:IDPSSODescriptor></md:EntityDescriptor>`
}
function sp(entityId: string): string {
  return `<md:EntityDescriptor entityID="${entityId}"><md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`
}

describe('namespaces are resolved, not guessed from prefixes', () => {
  it('accepts any prefix bound to the metadata namespace', () => {
    const xml = `<x:EntityDescriptor xmlns:x="${MD}" entityID="https://idp.example.net"><x:IDPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"><x:KeyDescriptor><KeyInfo xmlns="${DS}"><X509Data><X509Certificate>${OKTA_CERT}</X509Certificate></X509Data></KeyInfo></x:KeyDescriptor><x:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="https://idp.example.net/sso"/></x:IDPSSODescriptor></x:EntityDescriptor>`
    const m = parseIdpMetadata(xml, { source: 'paste', now: NOW })
    expect(m.ok).toBe(true)
    expect(m.signingCertificates).toHaveLength(1)
  })

  it('refuses the md: prefix bound to another namespace', () => {
    const xml = `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:1.0:metadata" entityID="x"/>`
    const m = parseIdpMetadata(xml, { source: 'paste', now: NOW })
    expect(codes(m)).toEqual(['metadata.wrong_namespace'])
    expect(m.findings[0]?.message).toMatch(/SAML:1\.0:metadata/)
  })

  it('refuses metadata element names in no namespace', () => {
    const m = parseIdpMetadata(
      '<EntityDescriptor entityID="x"><IDPSSODescriptor/></EntityDescriptor>',
      {
        source: 'paste',
        now: NOW,
      },
    )
    expect(codes(m)).toEqual(['metadata.wrong_namespace'])
    expect(m.findings[0]?.message).toMatch(/no namespace/)
  })

  it('ignores elements that only look like metadata because of their prefix', () => {
    // md: redeclared to a foreign namespace on the role: the IdP role is not there for a SAML library.
    const xml = `<md:EntityDescriptor xmlns:md="${MD}" entityID="https://idp.example.net"><md:IDPSSODescriptor xmlns:md="urn:other" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol"/></md:EntityDescriptor>`
    expect(codes(parseIdpMetadata(xml, { source: 'paste', now: NOW }))).toEqual([
      'metadata.not_idp',
    ])
  })

  it('decodes predefined entities and character references in attributes', () => {
    const m = parseIdpMetadata(
      wrap(idp('https://idp.example.net/&#x41;')).replace(
        '<md:EntityDescriptor',
        `<md:EntityDescriptor xmlns:md="${MD}"`,
      ),
      {
        source: 'paste',
        now: NOW,
      },
    )
    expect(m.entityId).toBe('https://idp.example.net/A')
    expect(m.ssoServices[0]?.location).toBe('https://idp.example.net/sso?a=1&b=2')
  })

  it('trims and de-duplicates NameID formats', () => {
    const formats =
      '<md:NameIDFormat>\n  urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress\n</md:NameIDFormat><md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat><md:NameIDFormat> </md:NameIDFormat>'
    const xml = idp('https://idp.example.net', formats).replace(
      '<md:EntityDescriptor',
      `<md:EntityDescriptor xmlns:md="${MD}"`,
    )
    const m = parseIdpMetadata(xml, { source: 'paste', now: NOW })
    expect(m.nameIdFormats).toEqual(['urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress'])
  })

  it('flags an entity ID equal to the URL the metadata came from', () => {
    const url = 'https://idp.example.net/metadata'
    const xml = idp(url).replace('<md:EntityDescriptor', `<md:EntityDescriptor xmlns:md="${MD}"`)
    const m = parseIdpMetadata(xml, { source: url, now: NOW })
    expect(codes(m)).toContain('metadata.entity_id_is_metadata_url')
    expect(m.ok).toBe(true)
  })
})

describe('findings on crafted documents', () => {
  const base = idp('https://idp.example.net/x').replace(
    '<md:EntityDescriptor',
    `<md:EntityDescriptor xmlns:md="${MD}"`,
  )
  const parse = (xml: string, now = NOW): IdpMetadata =>
    parseIdpMetadata(xml, { source: 'paste', now })
  const POST_SSO =
    '<md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="https://idp.example.net/sso?a=1&amp;b=2"/>'

  it('is usable as built', () => {
    expect(parse(base).ok).toBe(true)
  })

  it('refuses a missing entityID', () => {
    const m = parse(base.replace('entityID="https://idp.example.net/x"', ''))
    expect(m.ok).toBe(false)
    expect(codes(m)).toContain('metadata.no_entity_id')
  })

  it('refuses an IdP without SingleSignOnService', () => {
    expect(codes(parse(base.replace(POST_SSO, '')))).toContain('metadata.no_sso_service')
  })

  it('refuses an IdP with only SOAP sign-on', () => {
    const soap = base.replace('bindings:HTTP-POST', 'bindings:SOAP')
    const m = parse(soap)
    expect(m.ssoServices[0]?.bindingName).toBe('SOAP')
    expect(codes(m)).toContain('metadata.no_browser_sso_binding')
  })

  it('refuses a relative sign-on URL and warns about plain http', () => {
    expect(codes(parse(base.replace('https://idp.example.net/sso?a=1&amp;b=2', '/sso')))).toContain(
      'metadata.invalid_sso_url',
    )
    const http = parse(base.replace('https://idp.example.net/sso', 'http://idp.example.net/sso'))
    expect(http.ok).toBe(true)
    expect(codes(http)).toContain('metadata.insecure_sso_url')
  })

  it('warns about a certificate that is not valid yet', () => {
    const m = parse(base, new Date('2020-01-01T00:00:00Z'))
    expect(codes(m)).toContain('metadata.cert_not_yet_valid')
  })

  it('warns about an unreadable validUntil and keeps going', () => {
    const m = parse(base.replace('entityID=', 'validUntil="next tuesday" entityID='))
    expect(m.ok).toBe(true)
    expect(m.validUntil).toBeNull()
    expect(codes(m)).toContain('metadata.invalid_valid_until')
  })

  it('accepts a valid cacheDuration silently', () => {
    const m = parse(base.replace('entityID=', 'cacheDuration="PT6H30M" entityID='))
    expect(m.cacheDuration).toBe('PT6H30M')
    expect(codes(m)).not.toContain('metadata.invalid_cache_duration')
  })
})

describe('documents that are not metadata at all', () => {
  it.each([
    ['', 'metadata.not_xml'],
    ['   \n', 'metadata.not_xml'],
    ['hello', 'metadata.not_xml'],
    ['{"issuer":"https://x.okta.com","authorization_endpoint":"https://x"}', 'metadata.json'],
    ['<!DOCTYPE html><html><body>Sign in</body></html>', 'metadata.html'],
    ['<html><head><title>Okta</title></head></html>', 'metadata.html'],
    ['<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol"/>', 'metadata.not_saml'],
    ['<root/>', 'metadata.not_saml'],
  ])('%j -> %s', (text, code) => {
    const m = parseIdpMetadata(text, { source: 'paste', now: NOW })
    expect(m.ok).toBe(false)
    expect(codes(m)).toEqual([code])
  })

  it('names an OIDC discovery document as such', () => {
    const m = parseIdpMetadata('{"issuer":"https://x.okta.com","jwks_uri":"https://x"}', {
      source: 'paste',
    })
    expect(m.findings[0]?.message).toMatch(/OpenID Connect discovery/)
  })

  it('strips a UTF-8 BOM given as text or bytes', () => {
    const xml = readFileSync(join(IDP_METADATA_DIR, 'okta-app-trial-org.xml'), 'utf8')
    expect(parseIdpMetadata(`\uFEFF${xml}`, { source: 'paste', now: NOW }).ok).toBe(true)
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(xml)])
    expect(parseIdpMetadata(bytes, { source: 'paste', now: NOW }).ok).toBe(true)
  })
})
