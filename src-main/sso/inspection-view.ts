import type { z } from 'zod'
import type { SamlInspection } from '../../src-domain/saml-response/index.ts'
import type { samlInspectionSchema } from '../../src-shared/channels/sso-signin.ts'

export type InspectionView = z.output<typeof samlInspectionSchema>

/** The inspection as the contract carries it: the validation's fields, no XML trees. */
export function inspectionView(r: SamlInspection): InspectionView {
  if (r.kind !== 'response') return r
  const v = r.validation
  return {
    kind: 'response',
    valid: v.valid,
    verified: v.verified,
    reason: v.reason,
    failures: v.failures,
    skipped: v.skipped,
    encoding: v.encoding,
    relayState: v.relayState,
    signature: v.signature,
    response: v.response,
    assertion: v.assertion,
  }
}
