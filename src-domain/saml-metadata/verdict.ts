import type { Finding, IdpMetadata, MetadataVerdict } from '../../src-shared/metadata.ts'

/**
 * Warnings ranked by how soon they break sign-in; the first present is the verdict's worst
 * finding. An expired certificate next to a valid one is routine rollover, ranked low.
 */
const WARNING_RANK = [
  'metadata.valid_until_passed',
  'metadata.signature_invalid',
  'metadata.cert_not_yet_valid',
  'metadata.placeholder_entity_id',
  'metadata.cert_expiring',
  'metadata.entity_id_looks_like_sp',
  'metadata.entity_id_is_metadata_url',
  'metadata.entity_id_not_uri',
  'metadata.insecure_sso_url',
  'metadata.invalid_certificate',
  'metadata.keyinfo_wrong_namespace',
  'metadata.cert_weak_key',
  'metadata.cert_sha1_signature',
  'metadata.redirect_only',
  'metadata.cert_expired',
]

function rank(f: Finding): number {
  const i = WARNING_RANK.indexOf(f.code)
  return i === -1 ? WARNING_RANK.length : i
}

/** The verdict of a finished model (findings sorted, `ok` and `signingCertificates` set). */
export function verdictOf(
  m: Pick<IdpMetadata, 'ok' | 'findings' | 'signingCertificates'>,
): MetadataVerdict {
  const error = m.findings.find((f) => f.severity === 'error')
  if (!m.ok && error) {
    return {
      level: 'error',
      summary: `Not usable: SSO cannot work with this metadata. ${error.message}`,
      worstFinding: error,
    }
  }
  const certs = m.signingCertificates
  if (certs.length > 0 && certs.every((c) => c.expired)) {
    const expired = m.findings.find((f) => f.code === 'metadata.cert_expired') ?? null
    return {
      level: 'error',
      summary: `SSO will fail now: ${
        certs.length === 1
          ? 'the only signing certificate has expired'
          : `all ${certs.length} signing certificates have expired`
      }${expired ? ` (${expired.message})` : ''}.`,
      worstFinding: expired,
    }
  }
  const warnings = m.findings.filter((f) => f.severity === 'warning')
  if (warnings.length > 0) {
    const worst = [...warnings].sort((a, b) => rank(a) - rank(b))[0]!
    return {
      level: 'warn',
      summary: `Usable, with a problem to fix: ${worst.message}`,
      worstFinding: worst,
    }
  }
  return { level: 'ok', summary: 'Usable: SSO can work with this metadata.', worstFinding: null }
}
