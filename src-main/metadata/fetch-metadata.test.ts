import { describe, expect, it } from 'vitest'
import { AppError } from '../../src-shared/errors.ts'
import { checkMetadataUrl } from './fetch-metadata.ts'
import { isLoopbackHost } from '../../src-domain/net/loopback.ts'

describe('checkMetadataUrl', () => {
  it.each([
    'https://dev-1.okta.com/app/exk1/sso/saml/metadata',
    'http://127.0.0.1:8080/metadata',
    'http://127.1/metadata',
    'http://127.255.0.9/metadata',
    'http://localhost:3000/metadata',
    'http://[::1]:3000/metadata',
  ])('allows %s', (url) => {
    expect(checkMetadataUrl(url).href).toBeTruthy()
  })

  it.each([
    ['http://idp.example.com/metadata', /plain HTTP/],
    ['http://localhost.attacker.test/metadata', /plain HTTP/],
    ['http://127.0.0.1.attacker.test/metadata', /plain HTTP/],
    ['http://10.0.0.1/metadata', /plain HTTP/],
    ['ftp://127.0.0.1/metadata', /ftp:/],
    ['javascript:alert(1)', /javascript:/],
    ['https://user:hunter22@idp.example.com/metadata', /user name or password/],
  ])('refuses %s', (url, message) => {
    let caught: unknown
    try {
      checkMetadataUrl(url)
    } catch (err) {
      caught = err
    }
    expect(caught).toBeInstanceOf(AppError)
    expect((caught as AppError).code).toBe('network.forbidden_url')
    expect((caught as AppError).message).toMatch(message)
    expect((caught as AppError).message).not.toContain('hunter22')
  })

  it('resolves a relative redirect against the current URL', () => {
    expect(
      checkMetadataUrl('../other.xml', new URL('https://idp.example.com/a/b/metadata.xml')).href,
    ).toBe('https://idp.example.com/a/other.xml')
  })
})

describe('isLoopbackHost', () => {
  it.each([
    ['localhost', true],
    ['LOCALHOST', true],
    ['127.0.0.1', true],
    ['[::1]', true],
    ['::1', true],
    ['128.0.0.1', false],
    ['localhost.example', false],
    ['0.0.0.0', false],
  ])('%s -> %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected)
  })
})
