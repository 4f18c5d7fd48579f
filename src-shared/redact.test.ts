import { afterEach, describe, expect, it } from 'vitest'
import {
  forgetSecret,
  isTokenShaped,
  REDACTED,
  redact,
  redactCapped,
  redactString,
  registerSecret,
} from './redact.ts'

const TOKEN = 'scimc_AbC_dEf-ghIJklmnOPqrstuvWXyz0123456789_abcd'

describe('redactString', () => {
  it('scrubs Bearer and Basic credentials, including the scimc_ token format', () => {
    expect(redactString(`Authorization: Bearer ${TOKEN}`)).toBe(`Authorization: Bearer ${REDACTED}`)
    expect(redactString('Basic YWRtaW46cGFzc3dvcmQ=')).toBe(`Basic ${REDACTED}`)
  })

  it('scrubs a lower-case `bearer` credential (auth schemes are case-insensitive)', () => {
    const out = redactString('authorization: bearer AbCdEfGhIjKlMnOpQrStUvWx0123')
    expect(out).toBe(`authorization: bearer ${REDACTED}`)
  })

  it('leaves prose about bearer tokens readable', () => {
    const prose = 'Paste the bearer token into Okta; basic checks passed.'
    expect(redactString(prose)).toBe(prose)
  })

  it('keeps the ordinary word after "Bearer" (an app named "OAuth Bearer Token"), but not a token after it', () => {
    const name = 'SCIM 2.0 Test App (OAuth Bearer Token)'
    expect(redactString(name)).toBe(name)
    expect(redactString('Bearer Authentication is configured')).toBe(
      'Bearer Authentication is configured',
    )
    // The scheme pasted twice: the second "Bearer" is a word, the token after it is redacted.
    expect(redactString('Authorization: Bearer Bearer abc.def-ghi')).toBe(
      `Authorization: Bearer Bearer ${REDACTED}`,
    )
    expect(isTokenShaped('Token')).toBe(false)
    expect(isTokenShaped('Authentication')).toBe(false)
    expect(isTokenShaped('PASSWORDS')).toBe(false)
    expect(isTokenShaped('abcdefgh')).toBe(true)
    expect(isTokenShaped('abcdefg1')).toBe(true)
    expect(isTokenShaped('a1b2')).toBe(false)
    // Prose casing (`the bearer token`) needs a longer, non-word credential.
    expect(isTokenShaped('authentication', 'bearer')).toBe(false)
    expect(isTokenShaped('AbCdEfGhIjKlMnOp1', 'bearer')).toBe(true)
  })

  it('drops the password of a URL with credentials but keeps the user and host', () => {
    const out = redactString('fetch failed: https://admin:s3cret-pw@scim.example.com/scim/v2/Users')
    expect(out).toBe(`fetch failed: https://admin:${REDACTED}@scim.example.com/scim/v2/Users`)
  })

  it('scrubs secrets in query strings, fragments and form bodies', () => {
    expect(redactString('/api/events?token=abc123def&x=1')).toBe(
      `/api/events?token=${REDACTED}&x=1`,
    )
    expect(redactString('http://127.0.0.1:4000/#token=abcdefgh')).toBe(
      `http://127.0.0.1:4000/#token=${REDACTED}`,
    )
    expect(redactString('grant_type=x&client_secret=zzz&access_token=yyy')).toBe(
      `grant_type=x&client_secret=${REDACTED}&access_token=${REDACTED}`,
    )
    expect(redactString('password=hunter2hunter2')).toBe(`password=${REDACTED}`)
  })

  it('scrubs `password` in JSON text that could not be parsed (a malformed SCIM body)', () => {
    const malformed = '{"userName":"a@example.com", "password" : "hunter2 \\"quoted\\"",}'
    const out = redactString(malformed)
    expect(out).not.toContain('hunter2')
    expect(out).toBe(`{"userName":"a@example.com", "password" : "${REDACTED}",}`)
  })

  it('redactCapped cuts long text before redacting, and a password cut in half is still redacted', () => {
    const body = `{"password":"hunter2hunter2${'x'.repeat(100)}"}`
    const out = redactCapped(body, 20)
    expect(out).not.toContain('hunter2')
    expect(out).toMatch(
      /^\{"password":"\[REDACTED\]"\n\[scim-console: \d+ more characters cut off\]$/,
    )
    expect(redactCapped('short Bearer abcdefgh1234')).toBe(`short Bearer ${REDACTED}`)
  })

  it('leaves keys that only contain a sensitive word alone', () => {
    const text = '{"tokenLabel":"ci","tokenId":"t1"} ?tokenId=t1'
    expect(redactString(text)).toBe(text)
  })

  describe('registered secrets', () => {
    afterEach(() => forgetSecret('plain-admin-key-0123'))
    it('are scrubbed anywhere in free text until forgotten', () => {
      registerSecret('plain-admin-key-0123')
      expect(redactString('key=plain-admin-key-0123!')).toBe(`key=${REDACTED}!`)
      forgetSecret('plain-admin-key-0123')
      expect(redactString('key=plain-admin-key-0123!')).toBe('key=plain-admin-key-0123!')
    })
  })
})

describe('redact', () => {
  it('redacts sensitive keys case-insensitively, including camelCase token names', () => {
    const out = redact({
      password: 'p',
      adminKey: 'k',
      accessToken: 'a',
      refreshToken: 'r',
      clientSecret: 'c',
      tokenLabel: 'kept',
      headers: { Authorization: `Bearer ${TOKEN}`, 'X-Admin-Key': 'k2' },
    })
    expect(out).toEqual({
      password: REDACTED,
      adminKey: REDACTED,
      accessToken: REDACTED,
      refreshToken: REDACTED,
      clientSecret: REDACTED,
      tokenLabel: 'kept',
      headers: { Authorization: `Bearer ${REDACTED}`, 'X-Admin-Key': REDACTED },
    })
  })

  it('redacts HAR-style { name, value } header pairs by name', () => {
    const out = redact([
      { name: 'authorization', value: `Bearer ${TOKEN}` },
      { name: 'accept', value: 'application/scim+json' },
    ])
    expect(out).toEqual([
      { name: 'authorization', value: `Bearer ${REDACTED}` },
      { name: 'accept', value: 'application/scim+json' },
    ])
  })

  it('does not modify its input', () => {
    const input = { password: 'p', nested: { url: 'https://u:pw@h/' } }
    const out = redact(input)
    expect(input.password).toBe('p')
    expect(out.nested.url).toBe(`https://u:${REDACTED}@h/`)
  })
})
