import { X509Certificate } from 'node:crypto'
import { DOMParser, type Element as DomElement } from '@xmldom/xmldom'
import { SignedXml } from 'xml-crypto'
import { decodeCertificateText } from '../saml-metadata/certificates.ts'
import { failure, type SamlFailure } from './reasons.ts'
import { DSIG_NS, SAML_NS } from './saml-ns.ts'

/** A certificate the tenant trusts for this IdP: the current one, or the next one during a rotation. */
export interface TrustedCertificate {
  /**
   * Base64 DER, as stored from the IdP metadata. Absent when only the fingerprint is known (the
   * admin API serves fingerprints): the certificate the message carries is then used if, and only
   * if, its SHA-256 fingerprint is this one.
   */
  der?: string
  sha256Fingerprint: string
  subject?: string
  notAfter?: string
}

export type SignatureVerdict =
  | { ok: true; certificate: TrustedCertificate; signedXml: string }
  | { ok: false; failure: SamlFailure }

const OKTA_CERT_HINT =
  'Okta: the SAML app > Sign On > SAML Signing Certificates shows the active certificate; download the IdP metadata again and push it to the tenant. Entra: Enterprise application > Single sign-on > SAML Certificates.'

/**
 * Verifies the enveloped signature of the Response (`target: 'response'`) or of its one Assertion
 * against each trusted certificate in turn, never against a certificate the message carries.
 * The reference must name the signed element's own ID: a signature over some other element is a
 * wrapping attempt however valid it is. On success the canonical XML that was signed is returned,
 * and the caller reads values only from it.
 */
export function verifyEnvelopedSignature(
  xml: string,
  target: 'response' | 'assertion',
  trusted: TrustedCertificate[],
): SignatureVerdict {
  const doc = new DOMParser({ onError: () => {} }).parseFromString(xml, 'text/xml')
  const root = doc.documentElement
  if (!root) return { ok: false, failure: invalid('the document could not be read for checking') }
  const el = target === 'response' ? root : childElement(root, SAML_NS, 'Assertion')
  const sig = el ? childElement(el, DSIG_NS, 'Signature') : undefined
  if (!el || !sig) return { ok: false, failure: invalid(`no signature on the ${target}`) }

  const id = el.getAttribute('ID') ?? ''
  const refs = Array.from(sig.getElementsByTagNameNS(DSIG_NS, 'Reference'))
  const uris = refs.map((r) => r.getAttribute('URI') ?? '')
  if (refs.length !== 1 || id === '' || uris[0] !== `#${id}`) {
    return {
      ok: false,
      failure: failure(
        'saml.wrapping',
        `The ${target}'s signature does not cover the ${target} itself (it references ${uris.map((u) => u || '(empty)').join(', ') || 'nothing'}, the ${target} has ID ${id || '(none)'}); a signature over another element is how a signature-wrapping attack smuggles in an unsigned assertion.`,
        'If this came from a real IdP, capture it again; otherwise it is an attack and was refused.',
        { expected: `#${id}`, got: uris },
      ),
    }
  }

  const tried: string[] = []
  let digestMismatch = false
  const carried = carriedCertificate(sig)
  for (const cert of trusted) {
    const der =
      cert.der !== undefined
        ? decodeCertificateText(cert.der)
        : carried && sameFingerprint(carried.fingerprint, cert.sha256Fingerprint)
          ? carried.der
          : null
    if (!der) {
      tried.push(cert.sha256Fingerprint)
      continue
    }
    tried.push(cert.sha256Fingerprint)
    const outcome = check(xml, sig, toPem(der))
    if (outcome.kind === 'ok') return { ok: true, certificate: cert, signedXml: outcome.signed }
    if (outcome.kind === 'digest') digestMismatch = true
    if (outcome.kind === 'error') {
      return { ok: false, failure: invalid(outcome.message, { expectedCertificates: tried }) }
    }
  }
  if (digestMismatch) {
    return {
      ok: false,
      failure: failure(
        'saml.signature_invalid',
        `The ${target} was changed after the IdP signed it (digest mismatch).`,
        'Something between the IdP and this service rewrote the message, or it was tampered with. Capture it again directly from the browser.',
        { signed: target, expectedCertificates: tried },
      ),
    }
  }

  // No trusted certificate verifies. If the certificate the message carries does, the IdP signs
  // with a key the tenant does not know: a rotation whose new certificate was never pushed.
  if (carried && check(xml, sig, toPem(carried.der)).kind === 'ok') {
    return {
      ok: false,
      failure: failure(
        'saml.wrong_certificate',
        `The ${target} is signed with a certificate the tenant does not trust (SHA-256 ${carried.fingerprint}); the tenant expects ${tried.join(' or ') || 'no certificate at all'}.`,
        `Push the IdP's current metadata to the tenant so both the current and the next certificate are trusted. ${OKTA_CERT_HINT}`,
        {
          signedWith: carried.fingerprint,
          signedWithSubject: carried.subject,
          expectedCertificates: tried,
        },
      ),
    }
  }
  return {
    ok: false,
    failure: failure(
      'saml.signature_invalid',
      `The ${target}'s signature does not verify with any certificate the tenant trusts${carried ? '' : ', and the message carries no certificate to compare'}.`,
      OKTA_CERT_HINT,
      {
        signed: target,
        expectedCertificates: tried,
        signedWith: carried?.fingerprint ?? null,
      },
    ),
  }
}

type CheckOutcome =
  | { kind: 'ok'; signed: string }
  | { kind: 'digest' }
  | { kind: 'key' }
  | { kind: 'error'; message: string }

function check(xml: string, sig: DomElement, publicCert: string): CheckOutcome {
  try {
    const signed = new SignedXml({ publicCert, getCertFromKeyInfo: () => null })
    signed.loadSignature(sig)
    // false: a reference's digest does not match; a throw about the value: the key does not match.
    if (!signed.checkSignature(xml)) return { kind: 'digest' }
    const refs = signed.getSignedReferences()
    return refs.length === 1 ? { kind: 'ok', signed: refs[0]! } : { kind: 'digest' }
  } catch (err) {
    const msg = (err as Error).message
    if (/signature value .* is incorrect/s.test(msg)) return { kind: 'key' }
    if (/multiple elements with the same value/.test(msg)) {
      return { kind: 'error', message: 'several elements carry the signed ID' }
    }
    // The message can quote the signature value; it is not evidence anyone needs.
    return { kind: 'error', message: msg.replace(/[A-Za-z0-9+/=]{40,}/g, '…').slice(0, 200) }
  }
}

function invalid(detail: string, evidence: SamlFailure['evidence'] = {}): SamlFailure {
  return failure(
    'saml.signature_invalid',
    `The signature could not be verified: ${detail}.`,
    OKTA_CERT_HINT,
    evidence,
  )
}

function childElement(el: DomElement, ns: string, local: string): DomElement | undefined {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType !== 1) continue
    const c = n as DomElement
    if (c.namespaceURI === ns && c.localName === local) return c
  }
  return undefined
}

function carriedCertificate(
  sig: DomElement,
): { der: Buffer; fingerprint: string; subject: string } | null {
  const el = sig.getElementsByTagNameNS(DSIG_NS, 'X509Certificate')[0]
  const der = el ? decodeCertificateText(el.textContent ?? '') : null
  if (!der) return null
  try {
    const x = new X509Certificate(der)
    return {
      der,
      fingerprint: x.fingerprint256.toUpperCase(),
      subject: x.subject.replace(/\n/g, ', '),
    }
  } catch {
    return null
  }
}

function sameFingerprint(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/[^0-9a-f]/gi, '').toUpperCase()
  return norm(a) === norm(b)
}

function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n')
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`
}
