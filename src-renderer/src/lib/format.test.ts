import { describe, expect, it } from 'vitest'
import type { Finding } from '../../../src-shared/metadata.ts'
import { describeSource, formatDate, shortNameIdFormat, sortBySeverity } from './format.ts'

const f = (code: string, severity: Finding['severity']): Finding => ({
  code,
  severity,
  message: code,
  hint: '',
})

describe('renderer formatting', () => {
  it('sorts findings errors first and keeps the order within a severity', () => {
    const sorted = sortBySeverity([
      f('a', 'info'),
      f('b', 'warning'),
      f('c', 'error'),
      f('d', 'warning'),
    ])
    expect(sorted.map((x) => x.code)).toEqual(['c', 'b', 'd', 'a'])
  })
  it('formats dates in UTC and passes through what it cannot parse', () => {
    expect(formatDate('2026-11-16T23:59:59Z')).toBe('16 Nov 2026')
    expect(formatDate('P1DT')).toBe('P1DT')
    expect(formatDate(null)).toBe('—')
  })
  it('shortens NameID URNs and sources', () => {
    expect(shortNameIdFormat('urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress')).toBe(
      'emailAddress',
    )
    expect(describeSource('file:okta.xml')).toBe('okta.xml')
    expect(describeSource('paste')).toBe('pasted text')
    expect(describeSource('paste:okta.xml')).toBe('okta.xml')
  })
})
