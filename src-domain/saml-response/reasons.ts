/**
 * Stable reason codes for a refused SAML response. The ACS, the SSO events, the inspector and the
 * diagnosis all branch on these codes, never on message text, so a code is never renamed.
 */
export const SAML_REASONS = [
  'saml.too_large',
  'saml.dtd',
  'saml.malformed',
  'saml.not_a_response',
  'saml.status_error',
  'saml.assertion_encrypted',
  'saml.unsigned',
  'saml.wrapping',
  'saml.wrong_certificate',
  'saml.signature_invalid',
  'saml.issuer_mismatch',
  'saml.destination_mismatch',
  'saml.recipient_mismatch',
  'saml.audience_mismatch',
  'saml.not_yet_valid',
  'saml.expired',
  'saml.in_response_to_unknown',
  'saml.replayed',
  'saml.nameid_not_email',
  'saml.attribute_missing',
] as const

export type SamlReasonCode = (typeof SAML_REASONS)[number]

/** Evidence is plain JSON: it is stored in SSO events and shown by the CLI as it is. */
export type Evidence = Record<string, string | number | boolean | null | string[]>

export interface SamlFailure {
  code: SamlReasonCode
  message: string
  hint: string
  evidence: Evidence
}

export function failure(
  code: SamlReasonCode,
  message: string,
  hint: string,
  evidence: Evidence = {},
): SamlFailure {
  return { code, message, hint, evidence }
}
