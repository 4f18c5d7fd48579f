import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'
import { parseIdpMetadata } from './parse-idp-metadata.ts'

const NOW = new Date('2026-11-22T00:00:00Z')

function parse(file: string, now = NOW, entityId?: string) {
  return parseIdpMetadata(readFileSync(join(IDP_METADATA_DIR, file)), {
    source: `file:${file}`,
    now,
    entityId,
  })
}

describe('the verdict reflects the worst finding and names it', () => {
  it('the only signing certificate expired: usable document, but SSO will fail now', () => {
    const m = parse('entra-app-federationmetadata-expired-2023.xml')
    expect(m.ok).toBe(true)
    expect(m.verdict.level).toBe('error')
    expect(m.verdict.worstFinding?.code).toBe('metadata.cert_expired')
    expect(m.verdict.summary).toMatch(
      /^SSO will fail now: the only signing certificate has expired/,
    )
  })

  it('all three signing certificates expired says so', () => {
    const m = parse('entra-tenant-federationmetadata-3-signing-certs.xml')
    expect(m.verdict.level).toBe('error')
    expect(m.verdict.summary).toContain('all 3 signing certificates have expired')
  })

  it('validUntil passed with a valid certificate: a warning naming validUntil', () => {
    // The day after validUntil (2026-12-16T17:18) and before the new certificate's expiry.
    const m = parse(
      'google-workspace-2-signing-certs-rollover.xml',
      new Date('2026-12-20T00:00:00Z'),
    )
    expect(m.ok).toBe(true)
    expect(m.verdict.level).toBe('warn')
    expect(m.verdict.worstFinding?.code).toBe('metadata.valid_until_passed')
    expect(m.verdict.summary).toContain(m.verdict.worstFinding!.message)
  })

  it('a signature that does not match is not green', () => {
    // Pretty-printed after signing; its certificate is valid in 2013.
    const m = parse('adfs-signed-then-pretty-printed.xml', new Date('2013-06-01T00:00:00Z'))
    expect(m.signature.valid).toBe(false)
    expect(m.verdict.level).not.toBe('ok')
    expect(m.verdict.worstFinding?.code).toBe('metadata.signature_invalid')
  })

  it('clean metadata is ok with no worst finding; an unusable one is error with its first error', () => {
    const good = parse('okta-app-trial-org.xml')
    expect(good.verdict).toMatchObject({ level: 'ok', worstFinding: null })
    expect(good.verdict.summary).toBe('Usable: SSO can work with this metadata.')
    const bad = parse('sp-salesforce-not-idp.xml')
    expect(bad.verdict.level).toBe('error')
    expect(bad.verdict.worstFinding?.code).toBe('metadata.not_idp')
  })
})
