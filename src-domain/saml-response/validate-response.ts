import { parseXmlTree, type XmlElement } from '../saml-metadata/xml-tree.ts'
import { decodeSamlMessage, type DecodedMessage } from './decode-message.ts'
import {
  countElements,
  directSignature,
  duplicateIds,
  readAssertion,
  readResponse,
  type AssertionView,
  type ResponseView,
} from './read-message.ts'
import { failure, type SamlFailure } from './reasons.ts'
import {
  attributeValue,
  DEFAULT_REQUIRED_ATTRIBUTES,
  type RequiredAttribute,
} from './required-attributes.ts'
import { checkContent } from './check-content.ts'
import { SAML_NS, SAMLP_NS, STATUS_SUCCESS } from './saml-ns.ts'
import { verifyEnvelopedSignature, type TrustedCertificate } from './verify-signature.ts'
import { EMAIL_SHAPE } from '../../src-shared/text.ts'

/**
 * Clocks of an IdP and an SP drift; 3 minutes is what most SPs allow (Okta's own SP toolkit
 * uses 3, Shibboleth 3). A larger value lengthens the window in which a stolen response works.
 */
export const DEFAULT_SKEW_SECONDS = 180

export interface SamlExpectations {
  /** The IdP's entity ID from its metadata; null skips the issuer check. */
  idpEntityId: string | null
  /**
   * Current and, during a rotation, next IdP signing certificates. null only in the inspector
   * with nothing to trust: the signature is then reported as not checked, never as valid.
   */
  certificates: TrustedCertificate[] | null
  /** This SP's values; null (the inspector with IdP metadata only) skips audience, recipient and destination. */
  sp: { entityId: string; acsUrl: string } | null
  now: Date
  skewSeconds?: number
  /** SP-initiated flows: did this SP send a request with this ID that is still pending? Absent: not checked. */
  isPendingRequest?: (id: string) => boolean
  /** When an assertion with this ID was already accepted (ISO time), or null. Absent: not checked. */
  acceptedBefore?: (assertionId: string) => string | null
  /** Unsolicited (IdP-initiated) responses; default true. */
  allowIdpInitiated?: boolean
  requireEmailNameId?: boolean
  requiredAttributes?: RequiredAttribute[]
}

export interface SignedUser {
  nameId: string | null
  nameIdFormat: string | null
  email: string | null
  firstName: string | null
  lastName: string | null
}

export interface SamlValidation {
  valid: boolean
  /** The first failure: the reason the ACS gives. */
  reason: SamlFailure | null
  /** Every failure found; checks after a failed signature run on unverified content, to help diagnosis. */
  failures: SamlFailure[]
  /** Checks not run, and why (the inspector lacks SP values or the list of sent requests). */
  skipped: string[]
  encoding: DecodedMessage['encoding'] | null
  relayState: string | null
  response: ResponseView | null
  assertion: AssertionView | null
  /** True when `assertion` was read from the signed, verified XML. */
  verified: boolean
  signature: {
    signed: 'none' | 'response' | 'assertion' | 'both'
    certificate: { sha256Fingerprint: string; subject: string | null } | null
  }
  user: SignedUser | null
  inResponseTo: string | null
  idpInitiated: boolean
}

function empty(reason: SamlFailure | null): SamlValidation {
  return {
    valid: false,
    reason,
    failures: reason ? [reason] : [],
    skipped: [],
    encoding: null,
    relayState: null,
    response: null,
    assertion: null,
    verified: false,
    signature: { signed: 'none', certificate: null },
    user: null,
    inResponseTo: null,
    idpInitiated: false,
  }
}

/**
 * Validates a SAMLResponse as the ACS receives it (or as an admin captured it) against the
 * tenant's IdP configuration. The order of checks is the order of the reason: a message whose
 * signature fails is refused for that, whatever else is wrong with it.
 */
export function validateSamlResponse(
  input: string | Uint8Array | DecodedMessage,
  expect: SamlExpectations,
): SamlValidation {
  let message: DecodedMessage
  if (typeof input === 'object' && 'kind' in input) message = input
  else {
    const decoded = decodeSamlMessage(input)
    if (!decoded.ok) return empty(decoded.failure)
    message = decoded.message
  }
  if (message.kind !== 'response') {
    return empty(
      failure(
        'saml.not_a_response',
        'This is an AuthnRequest (what the SP sends to the IdP), not a SAML response.',
        'The ACS takes the SAMLResponse the IdP posts back; `saml inspect` decodes an AuthnRequest too.',
      ),
    )
  }
  const root = message.root
  const out = empty(null)
  const failures = out.failures
  out.encoding = message.encoding
  out.relayState = message.relayState
  out.response = readResponse(root)
  const finish = (): SamlValidation => {
    out.reason = failures[0] ?? null
    // Never valid without a verified signature, even when nothing else is wrong.
    out.valid = failures.length === 0 && out.verified
    return out
  }

  if (out.response.statusCode !== STATUS_SUCCESS) {
    const r = out.response
    failures.push(
      failure(
        'saml.status_error',
        `The IdP answered with status ${short(r.subStatusCode ?? r.statusCode)}${r.statusMessage ? `: ${r.statusMessage}` : ''} instead of a sign-in.`,
        'The IdP refused the sign-in itself; its own log (Okta: Reports > System Log) says why.',
        { status: r.statusCode, subStatus: r.subStatusCode, statusMessage: r.statusMessage },
      ),
    )
  }
  if (countElements(root, SAML_NS, 'EncryptedAssertion') > 0) {
    failures.push(
      failure(
        'saml.assertion_encrypted',
        'The assertion is encrypted; this SP publishes no encryption key, so it cannot read it.',
        'Okta: the SAML app > General > SAML Settings > Edit > Show Advanced Settings > Assertion Encryption: Unencrypted. Entra: Single sign-on > Token encryption: remove the certificate.',
      ),
    )
    return finish()
  }
  const assertions = root.all(SAML_NS, 'Assertion')
  const everywhere = countElements(root, SAML_NS, 'Assertion')
  const dups = duplicateIds(root)
  if (everywhere !== 1 || assertions.length !== 1 || dups.length > 0) {
    if (out.response.statusCode === STATUS_SUCCESS || everywhere > 0) {
      failures.unshift(
        failure(
          'saml.wrapping',
          dups.length > 0
            ? `Several elements carry the same ID (${dups.join(', ')}); a signature could cover one while another is read.`
            : `The response holds ${everywhere} assertion${everywhere === 1 ? '' : 's'} (${assertions.length} where an assertion belongs); exactly one is accepted, so the one signed is the one used.`,
          'A real IdP sends exactly one assertion. If this came from one, capture it again; otherwise it is a signature-wrapping attempt.',
          { assertions: everywhere, directAssertions: assertions.length, duplicateIds: dups },
        ),
      )
    }
    if (assertions[0]) out.assertion = readAssertion(assertions[0])
    return finish()
  }
  const assertionEl = assertions[0]!
  const responseSigned = directSignature(root) !== undefined
  const assertionSigned = directSignature(assertionEl) !== undefined
  out.signature.signed =
    responseSigned && assertionSigned
      ? 'both'
      : responseSigned
        ? 'response'
        : assertionSigned
          ? 'assertion'
          : 'none'

  let trusted: XmlElement | null = null
  if (out.signature.signed === 'none') {
    failures.push(
      failure(
        'saml.unsigned',
        'Neither the response nor its assertion is signed, so anyone could have written it.',
        'Okta signs the assertion by default: the SAML app > General > SAML Settings > Show Advanced Settings > Assertion Signature: Signed. Entra: Single sign-on > SAML Certificates > Signing Option "Sign SAML assertion".',
      ),
    )
  } else if (expect.certificates === null) {
    out.skipped.push('signature: no IdP certificate to check it against (give IdP metadata)')
  } else {
    const certificates = expect.certificates
    for (const target of ['response', 'assertion'] as const) {
      if (target === 'response' ? !responseSigned : !assertionSigned) continue
      const verdict = verifyEnvelopedSignature(message.xml, target, certificates)
      if (!verdict.ok) {
        failures.push(verdict.failure)
        continue
      }
      out.signature.certificate = {
        sha256Fingerprint: verdict.certificate.sha256Fingerprint,
        subject: verdict.certificate.subject ?? null,
      }
      // Values are read only from what was signed: the canonical XML the signature covers.
      const signedRoot = parseXmlTree(verdict.signedXml)
      const fromSigned =
        target === 'assertion' ? signedRoot : (signedRoot.all(SAML_NS, 'Assertion')[0] ?? null)
      if (target === 'response') out.response = readResponse(signedRoot)
      if (
        !fromSigned ||
        fromSigned.ns !== SAML_NS ||
        fromSigned.local !== 'Assertion' ||
        (target === 'response' && (signedRoot.ns !== SAMLP_NS || signedRoot.local !== 'Response'))
      ) {
        failures.push(
          failure(
            'saml.wrapping',
            'The signed content is not the response and assertion that would be used.',
            'Refused as a signature-wrapping attempt.',
          ),
        )
        continue
      }
      if (!trusted || target === 'assertion') trusted = fromSigned
    }
  }
  out.verified = trusted !== null && failures.every((f) => f.code === 'saml.status_error')
  out.assertion = readAssertion(trusted ?? assertionEl)
  checkContent(out, expect, failures)
  const required = expect.requiredAttributes ?? DEFAULT_REQUIRED_ATTRIBUTES
  const attrs = out.assertion.attributes
  const byName = (n: string) =>
    required.find((r) => r.name === n) ?? DEFAULT_REQUIRED_ATTRIBUTES.find((r) => r.name === n)!
  out.user = {
    nameId: out.assertion.nameId,
    nameIdFormat: out.assertion.nameIdFormat,
    email: attributeValue(attrs, byName('email')) ?? emailOrNull(out.assertion.nameId),
    firstName: attributeValue(attrs, byName('FirstName')),
    lastName: attributeValue(attrs, byName('LastName')),
  }
  return finish()
}

function emailOrNull(v: string | null): string | null {
  return v !== null && EMAIL_SHAPE.test(v) ? v : null
}

function short(uri: string | null): string {
  return uri === null ? '(none)' : (uri.split(':').pop() ?? uri)
}
