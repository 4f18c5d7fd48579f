import { describe, expect, it } from 'vitest'
import { EMAIL_SHAPE, trimTrailingSlashes } from './text.ts'

describe('trimTrailingSlashes', () => {
  it('removes every trailing slash and nothing else', () => {
    expect(trimTrailingSlashes('https://a.example/scim/v2///')).toBe('https://a.example/scim/v2')
    expect(trimTrailingSlashes('https://a.example/scim/v2')).toBe('https://a.example/scim/v2')
    expect(trimTrailingSlashes('///')).toBe('')
    expect(trimTrailingSlashes('')).toBe('')
  })
  it('handles a hostile run of slashes in one pass', () => {
    expect(trimTrailingSlashes(`${'/'.repeat(200_000)}x`)).toHaveLength(200_001)
  })
})

describe('EMAIL_SHAPE', () => {
  it('accepts addresses and refuses what is not one', () => {
    for (const ok of ['jane@acme.test', 'j.doe+x@mail.acme.co.uk'])
      expect(EMAIL_SHAPE.test(ok)).toBe(true)
    for (const bad of [
      'jane',
      'jane@acme',
      'ja ne@acme.test',
      'jane@@acme.test',
      'jane@acme..test',
    ])
      expect(EMAIL_SHAPE.test(bad)).toBe(false)
  })
})
