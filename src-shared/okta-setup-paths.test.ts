import { describe, expect, it } from 'vitest'
import { oktaScimSetup, oktaSetupPathOf } from './okta-setup-paths.ts'
import { oktaTokenAdvice, oktaTokenAdviceText, oktaTokenAppKinds } from './okta-token-advice.ts'

const BASE = 'https://scim.example.test/scim/v2'
const text = (kind: (typeof oktaTokenAppKinds)[number]) => {
  const s = oktaScimSetup(kind, BASE)
  return [...s.steps.map((x) => `${x.where}: ${x.what}`), ...s.settings.flat()].join('\n')
}

describe('Okta setup paths (the vendors’ guides)', () => {
  it('the catalog apps: Configure API Integration and Test API Credentials, nothing of the AIW path', () => {
    for (const kind of ['header', 'oauth'] as const) {
      expect(oktaSetupPathOf(kind)).toBe('catalog')
      const t = text(kind)
      expect(t).toContain('Browse App Catalog')
      expect(t).toContain(`“${oktaTokenAdvice(kind).appName}”`)
      expect(t).toContain('Configure API Integration')
      expect(t).toContain('Test API Credentials')
      expect(t).not.toMatch(/Unique identifier|HTTP Header|Enable SCIM provisioning|Connector/)
    }
  })

  it('the App Integration Wizard path: SCIM on the SAML app, HTTP Header, userName, no catalog app', () => {
    expect(oktaSetupPathOf('aiw-http-header')).toBe('aiw')
    const t = text('aiw-http-header')
    expect(t).toContain('Enable SCIM provisioning')
    expect(t).toContain('SCIM connector base URL')
    expect(t).toContain('Unique identifier field for users')
    expect(t).toContain('userName')
    expect(t).toContain('“HTTP Header”')
    expect(t).toContain('Test Connector Configuration')
    expect(t).not.toMatch(/Browse App Catalog|Configure API Integration|Test API Credentials/)
    expect(oktaScimSetup('aiw-http-header', BASE).assignment).not.toContain('cannot log in')
  })

  it('every path takes its token advice from the one source, and names the base URL', () => {
    for (const kind of oktaTokenAppKinds) {
      const s = oktaScimSetup(kind, BASE)
      const a = oktaTokenAdvice(kind)
      expect(s.settings).toContainEqual([`Token field “${a.fieldName}”`, oktaTokenAdviceText(kind)])
      expect(s.steps.some((x) => x.what.includes(`paste ${a.pasteWhat}`))).toBe(true)
      expect(s.steps.some((x) => x.what.includes(BASE))).toBe(true)
    }
  })
})
