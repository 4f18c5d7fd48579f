import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { otherIdpWarning, type IdpVendor } from '../../src-shared/metadata.ts'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'
import { parseIdpMetadata } from './parse-idp-metadata.ts'

const NOW = new Date('2026-11-22T00:00:00Z')

/** INDEX.tsv's "idp" column, mapped to the vendor the console must recognise. */
const VENDOR_OF_INDEX: Array<[RegExp, IdpVendor]> = [
  [/^Okta$/, 'okta'],
  [/^Microsoft Entra ID$|^Azure AD/, 'entra'],
  [/^Google Workspace$/, 'google'],
  [/^ADFS$/, 'adfs'],
  [/^PingOne$/, 'ping'],
  [/^OneLogin$/, 'onelogin'],
  [/^JumpCloud$/, 'jumpcloud'],
  [/^Keycloak$/, 'keycloak'],
  [/^Shibboleth/, 'shibboleth'],
  [/^Auth0$/, 'auth0'],
  [/^generic|BoxyHQ|Signicat|SimpleSAMLphp$|OpenConext/, 'generic'],
]

const rows = readFileSync(join(IDP_METADATA_DIR, 'INDEX.tsv'), 'utf8')
  .split('\n')
  .slice(1)
  .filter((l) => l.trim() !== '')
  .map((l) => l.split('\t'))
  .map(([file = '', , , idp = '']) => ({
    file,
    idp,
    vendor: VENDOR_OF_INDEX.find(([re]) => re.test(idp))?.[1],
  }))
  .filter((r): r is { file: string; idp: string; vendor: IdpVendor } => r.vendor !== undefined)

const SELECT: Record<string, string> = {
  'shibboleth-switch-aaitest-signed-aggregate.xml': 'https://testidp.unifr.ch/idp/shibboleth',
}

function parse(file: string) {
  return parseIdpMetadata(readFileSync(join(IDP_METADATA_DIR, file)), {
    source: `file:${file}`,
    now: NOW,
    entityId: SELECT[file],
  })
}

describe('recognises the IdP that issued each real fixture', () => {
  it('covers every vendor in the issue', () => {
    expect(new Set(rows.map((r) => r.vendor)).size).toBeGreaterThanOrEqual(11)
  })

  it.each(rows)('$file is $idp', ({ file, vendor }) => {
    const m = parse(file)
    if (!m.ok && m.entityId === null) return // refused before any IdP could be read
    expect(m.idp.vendor).toBe(vendor)
  })
})

describe("findings give the issuing IdP's steps, not Okta's", () => {
  it('an expired Entra certificate points to the Entra admin center', () => {
    const m = parse('entra-app-federationmetadata-expired-2023.xml')
    expect(m.idp).toEqual({ vendor: 'entra', label: 'Microsoft Entra ID' })
    const expired = m.findings.find((f) => f.code === 'metadata.cert_expired')!
    expect(expired.hint).toContain('Microsoft Entra admin center')
    expect(m.findings.map((f) => f.hint).join(' ')).not.toMatch(/Okta/)
  })

  it('an expired Google certificate points to the Google Admin console', () => {
    const m = parse('google-workspace-expired-duplicate-post.xml')
    expect(m.idp.vendor).toBe('google')
    expect(m.findings.find((f) => f.code === 'metadata.cert_expired')?.hint).toContain(
      'Google Admin console',
    )
    expect(m.findings.map((f) => f.hint).join(' ')).not.toMatch(/Okta/)
  })

  it('a JumpCloud placeholder entity ID points to the JumpCloud SSO tab', () => {
    const m = parse('jumpcloud-placeholder-entityid.xml')
    expect(m.idp.vendor).toBe('jumpcloud')
    expect(m.findings.find((f) => f.code === 'metadata.placeholder_entity_id')?.hint).toContain(
      'IdP Entity ID',
    )
  })

  it('an Okta file keeps the Okta menu paths', () => {
    const m = parse('okta-app-entityid-not-matching-sso-host.xml')
    expect(m.idp.vendor).toBe('okta')
    expect(m.findings.find((f) => f.code === 'metadata.placeholder_entity_id')?.hint).toContain(
      'http://www.okta.com/<app id>',
    )
  })
})

describe('the Okta wizard flags a file from another IdP', () => {
  it('warns for Entra metadata, not for Okta or an unrecognised IdP', () => {
    expect(
      otherIdpWarning(parse('entra-app-federationmetadata-bom-signed.xml'), 'okta', 'Okta'),
    ).toBe(
      'This is Microsoft Entra ID metadata; the wizard is for Okta. Import the metadata of the Okta app you are setting up, or use the Metadata screen for Microsoft Entra ID.',
    )
    expect(otherIdpWarning(parse('okta-app-trial-org.xml'), 'okta', 'Okta')).toBeNull()
    expect(otherIdpWarning(parse('simplesamlphp-openidp-feide.xml'), 'okta', 'Okta')).toBeNull()
  })
})
