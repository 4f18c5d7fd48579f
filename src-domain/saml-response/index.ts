export { decodeSamlMessage, MAX_MESSAGE_BYTES, type DecodedMessage } from './decode-message.ts'
export { expectationsFromIdp, inspectSamlMessage, type SamlInspection } from './inspect-message.ts'
export type { AssertionView, AuthnRequestView, ResponseView } from './read-message.ts'
export { SAML_REASONS, type Evidence, type SamlFailure, type SamlReasonCode } from './reasons.ts'
export { DEFAULT_REQUIRED_ATTRIBUTES, type RequiredAttribute } from './required-attributes.ts'
export { OKTA_SOURCE } from './check-content.ts'
export {
  DEFAULT_SKEW_SECONDS,
  validateSamlResponse,
  type SamlExpectations,
  type SamlValidation,
  type SignedUser,
} from './validate-response.ts'
export type { TrustedCertificate } from './verify-signature.ts'
