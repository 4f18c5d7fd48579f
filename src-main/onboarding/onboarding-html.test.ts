import { describe, expect, it } from 'vitest'
import type { OktaApp, OnboardingStatus } from '../../src-shared/channels/onboarding.ts'
import { oktaTokenAdviceText } from '../../src-shared/okta-token-advice.ts'
import { onboardingHtml } from './onboarding-html.ts'

const BASE = 'https://scim.example.test/scim/v2/t1'

function status(oktaApp: OktaApp | null): OnboardingStatus {
  return {
    connection: 'embedded',
    tenantId: 't1',
    tenantName: 'Acme',
    embedded: true,
    complete: false,
    current: 'test',
    steps: [],
    scimBaseUrl: BASE,
    sp: {
      acsUrl: 'https://sp.example.test/acs',
      entityId: 'https://sp.example.test',
      relayState: '',
      nameIdFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress',
      metadataUrl: 'https://sp.example.test/metadata',
    },
    sso: {
      configured: true,
      entityId: 'http://www.okta.com/exk1',
      copiedAt: null,
      signInTest: null,
      signInSkipped: null,
    },
    scim: {
      tokenId: 'tok1',
      tokenLabel: 'Okta provisioning',
      tokenInKeychain: true,
      oktaApp,
      confirmedAt: '2026-01-01T00:00:00Z',
    },
    test: null,
    goLive: { startedAt: null, events: [], firstUser: null },
  }
}

describe('onboardingHtml: the chosen setup path only', () => {
  it('the OAuth Bearer Token app keeps its name (the redactor does not eat "Token")', () => {
    const html = onboardingHtml(status('oauth'), null, '2026-01-01T00:00:00Z')
    expect(html).toContain('SCIM 2.0 Test App (OAuth Bearer Token)')
    expect(html).not.toContain('[REDACTED]')
  })

  it('a catalog app: its API fields and the two-app reminder, no AIW-only setting', () => {
    const html = onboardingHtml(status('header'), null, 'now')
    expect(html).toContain('data-path="catalog"')
    expect(html).toContain('Configure API Integration')
    expect(html).toContain('Test API Credentials')
    expect(html).toContain(oktaTokenAdviceText('header'))
    expect(html).not.toContain('Unique identifier field')
    expect(html).not.toContain('Authentication Mode')
    expect(html).toContain('cannot log in')
  })

  it('the App Integration Wizard path: HTTP Header, unique identifier, one app for both', () => {
    const html = onboardingHtml(status('aiw-http-header'), null, 'now')
    expect(html).toContain('data-path="aiw"')
    expect(html).toContain('Enable SCIM provisioning')
    expect(html).toContain('SCIM connector base URL')
    expect(html).toContain('Unique identifier field for users')
    expect(html).toContain('HTTP Header')
    expect(html).toContain('Test Connector Configuration')
    expect(html).not.toContain('Browse App Catalog')
    expect(html).not.toContain('Configure API Integration')
    expect(html).not.toContain('cannot log in')
  })
})
