import { describe, expect, it } from 'vitest'
import {
  isOktaTokenAppKind,
  oktaTokenAdvice,
  oktaTokenAdviceText,
  oktaTokenAppKinds,
} from './okta-token-advice.ts'

const TOKEN = 'scimc_abc'

describe('oktaTokenAdvice', () => {
  it('Header Auth: the API Token field takes "Bearer <token>", sent verbatim', () => {
    const a = oktaTokenAdvice('header')
    expect(a.fieldName).toBe('API Token')
    expect(a.valueToPaste(TOKEN)).toBe('Bearer scimc_abc')
    expect(oktaTokenAdviceText('header')).toContain('verbatim as the Authorization header')
  })

  it('OAuth Bearer Token app and the HTTP Header path take the token alone', () => {
    expect(oktaTokenAdvice('oauth').fieldName).toBe('OAuth Bearer Token')
    expect(oktaTokenAdvice('oauth').valueToPaste(TOKEN)).toBe(TOKEN)
    // The Auzmor Learn guide: Authentication Mode "HTTP HEADER", then "Authorization".
    expect(oktaTokenAdvice('aiw-http-header').fieldName).toBe('Authorization')
    expect(oktaTokenAdvice('aiw-http-header').valueToPaste(TOKEN)).toBe(TOKEN)
    expect(oktaTokenAdvice('aiw-http-header').where).toContain('HTTP Header')
  })

  it('every kind names its field in its one-sentence text, and kinds are recognised', () => {
    for (const kind of oktaTokenAppKinds) {
      expect(oktaTokenAdviceText(kind)).toContain(`“${oktaTokenAdvice(kind).fieldName}”`)
      expect(isOktaTokenAppKind(kind)).toBe(true)
    }
    expect(isOktaTokenAppKind('bearer')).toBe(false)
  })
})
