import { describe, expect, it } from 'vitest'
import { redactString } from '../../src-shared/redact.ts'
import { TOKEN_PREFIX, generateToken, sha256Hex } from './generate-token.ts'

describe('generateToken', () => {
  it('is the prefix followed by 32 random bytes in base64url', () => {
    const token = generateToken()
    expect(token.startsWith(TOKEN_PREFIX)).toBe(true)
    const body = token.slice(TOKEN_PREFIX.length)
    expect(body).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(Buffer.from(body, 'base64url')).toHaveLength(32)
  })

  it('never repeats', () => {
    const tokens = new Set(Array.from({ length: 1000 }, () => generateToken()))
    expect(tokens.size).toBe(1000)
  })

  it('is caught by the shared redactor even in free text', () => {
    const token = generateToken()
    const line = redactString(`copied ${token} into Okta`)
    expect(line).not.toContain(token)
    expect(line).not.toContain(token.slice(TOKEN_PREFIX.length))
  })
})

describe('sha256Hex', () => {
  it('is the lower-case hex SHA-256 of the UTF-8 string', () => {
    expect(sha256Hex('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    )
    expect(sha256Hex('é')).toBe(sha256Hex(Buffer.from('é', 'utf8').toString('utf8')))
    expect(sha256Hex(generateToken())).toMatch(/^[0-9a-f]{64}$/)
  })
})
