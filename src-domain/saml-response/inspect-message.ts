import type { IdpMetadata } from '../../src-shared/metadata.ts'
import { decodeSamlMessage } from './decode-message.ts'
import type { SamlFailure } from './reasons.ts'
import { readAuthnRequest, type AuthnRequestView } from './read-message.ts'
import {
  validateSamlResponse,
  type SamlExpectations,
  type SamlValidation,
} from './validate-response.ts'

export type SamlInspection =
  | { kind: 'response'; validation: SamlValidation }
  | {
      kind: 'authn-request'
      request: AuthnRequestView
      encoding: string
      relayState: string | null
    }
  | { kind: 'unreadable'; failure: SamlFailure }

/** What the ACS trusts for a tenant, from the IdP metadata it stores: every signing certificate. */
export function expectationsFromIdp(
  idp: Pick<IdpMetadata, 'entityId' | 'signingCertificates'>,
  rest: Omit<SamlExpectations, 'idpEntityId' | 'certificates'>,
): SamlExpectations {
  return {
    ...rest,
    idpEntityId: idp.entityId,
    certificates: idp.signingCertificates.map((c) => ({
      der: c.der,
      sha256Fingerprint: c.sha256Fingerprint,
      subject: c.subject,
      notAfter: c.notAfter,
    })),
  }
}

/**
 * The inspector: decodes whatever was pasted and, for a response, validates it with the same
 * code as the ACS. Without expectations (no IdP metadata) only the signature-free checks run.
 */
export function inspectSamlMessage(
  input: string | Uint8Array,
  expect: SamlExpectations,
): SamlInspection {
  const decoded = decodeSamlMessage(input)
  if (!decoded.ok) return { kind: 'unreadable', failure: decoded.failure }
  const m = decoded.message
  if (m.kind === 'authn-request') {
    return {
      kind: 'authn-request',
      request: readAuthnRequest(m.root),
      encoding: m.encoding,
      relayState: m.relayState,
    }
  }
  return { kind: 'response', validation: validateSamlResponse(m, expect) }
}
