import type { CertificateInfo, Endpoint, Finding, IdpMetadata } from '../../src-shared/metadata.ts'
import { isWeakDigest } from './certificates.ts'
import { isLoopbackHost } from '../net/loopback.ts'
import type { RootInfo } from './document-view.ts'
import { POST, REDIRECT } from './extract-idp.ts'
import { finding } from './findings.ts'
import type { IdpSteps } from './idp-recognition.ts'
import { MD_NS, type XmlElement } from './xml-tree.ts'

/**
 * The checks that turn a read model into findings: each says what breaks SSO and the fix, in the
 * menu paths of the IdP that issued the file (`steps`, from idp-recognition.ts).
 */

const EXPIRY_WARNING_DAYS = 30

export function checkRoot(root: RootInfo): Finding | undefined {
  const isMetadataName = root.local === 'EntityDescriptor' || root.local === 'EntitiesDescriptor'
  if (isMetadataName && root.ns === MD_NS) return undefined
  if (isMetadataName) {
    const ns = root.ns === null ? 'no namespace' : `the namespace ${root.ns}`
    return finding(
      'error',
      'metadata.wrong_namespace',
      `The root element ${root.local} is in ${ns}, not the SAML 2.0 metadata namespace (${MD_NS}).`,
      'The element names look like SAML metadata but the namespace is wrong, so no SAML library, Okta included, will read it. Export the metadata again from the IdP rather than editing it by hand.',
    )
  }
  const what = /^(Response|Assertion|AuthnRequest|LogoutRequest|LogoutResponse)$/.test(root.local)
    ? `a SAML ${root.local} message`
    : `an XML document whose root element is <${root.qname}>`
  return finding(
    'error',
    'metadata.not_saml',
    `This is ${what}, not SAML metadata.`,
    'IdP metadata is a document whose root is <EntityDescriptor> (or an <EntitiesDescriptor> aggregate). In Okta: open the SAML app > Sign On > View IdP metadata, and use that document.',
  )
}

export function notIdp(entity: XmlElement): Finding {
  const sp = entity.first(MD_NS, 'SPSSODescriptor') !== undefined
  return finding(
    'error',
    'metadata.not_idp',
    sp
      ? 'This is service-provider (SP) metadata: it has an SPSSODescriptor and no IDPSSODescriptor.'
      : 'The entity has no IDPSSODescriptor, so it is not an identity provider.',
    'The service needs the metadata of the identity provider (Okta), not its own SP metadata. In Okta: open the SAML app > Sign On > View IdP metadata, and import that document.',
  )
}

export function serviceFindings(sso: Endpoint[], steps: IdpSteps): Finding[] {
  const out: Finding[] = []
  if (sso.length === 0) {
    out.push(
      finding(
        'error',
        'metadata.no_sso_service',
        'The IdP role lists no SingleSignOnService.',
        `Without a sign-on URL the service cannot send users to the IdP, so SP-initiated SSO cannot work. Download the complete metadata: ${steps.metadata}`,
      ),
    )
    return out
  }
  const bindings = new Set(sso.map((s) => s.binding))
  if (bindings.has(REDIRECT) && !bindings.has(POST)) {
    out.push(
      finding(
        'warning',
        'metadata.redirect_only',
        'The IdP accepts sign-in requests only with the HTTP-Redirect binding.',
        'Fine for most services, but a service that sends SAML requests by HTTP-POST cannot start SP-initiated sign-in. Configure the service to use HTTP-Redirect.',
      ),
    )
  }
  if (!bindings.has(REDIRECT) && !bindings.has(POST)) {
    out.push(
      finding(
        'error',
        'metadata.no_browser_sso_binding',
        'The IdP lists no HTTP-Redirect or HTTP-POST sign-on service.',
        `Browser SSO needs one of them. Check the IdP application is configured for SAML 2.0 web SSO and export its metadata again: ${steps.metadata}`,
      ),
    )
  }
  for (const s of sso) {
    let url: URL | undefined
    try {
      url = new URL(s.location)
    } catch {
      url = undefined
    }
    if (!url) {
      out.push(
        finding(
          'error',
          'metadata.invalid_sso_url',
          `The sign-on URL "${s.location}" is not a valid absolute URL.`,
          'The service cannot redirect users to it. Download the metadata again from the IdP.',
          s.location,
        ),
      )
    } else if (/YOUR_|EXAMPLE_|<|>/i.test(decodeURIComponent(s.location))) {
      out.push(
        finding(
          'error',
          'metadata.placeholder_url',
          `The sign-on URL ${s.location} is a template placeholder, not a real address.`,
          `This file is a template. Download the real metadata: ${steps.metadata}`,
          s.location,
        ),
      )
    } else if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
      out.push(
        finding(
          'warning',
          'metadata.insecure_sso_url',
          `The sign-on URL ${s.location} uses plain HTTP.`,
          'Sign-in requests would travel unencrypted. Use the https:// address of the IdP.',
          s.location,
        ),
      )
    }
  }
  return out
}

export function certificateFindings(
  certs: CertificateInfo[],
  now: Date,
  steps: IdpSteps,
): Finding[] {
  const out: Finding[] = []
  const anyValid = certs.some((c) => !c.expired)
  for (const c of certs) {
    const name = `${c.subject || 'certificate'} (SHA-256 ${c.sha256Fingerprint.slice(0, 11)}...)`
    const date = c.notAfter.slice(0, 10)
    if (c.expired) {
      out.push(
        finding(
          'warning',
          'metadata.cert_expired',
          `Signing certificate ${name} expired on ${date}.`,
          anyValid
            ? 'Another signing certificate is still valid, so SSO can work; remove the expired one after the IdP stops using it.'
            : `Services that check certificate dates will reject SAML responses signed with it. ${steps.newCertificate}`,
          c.notAfter,
        ),
      )
    } else if (c.daysLeft < EXPIRY_WARNING_DAYS) {
      out.push(
        finding(
          'warning',
          'metadata.cert_expiring',
          `Signing certificate ${name} expires on ${date}, in ${c.daysLeft} day(s).`,
          certs.some((o) => o !== c && o.daysLeft > c.daysLeft + EXPIRY_WARNING_DAYS)
            ? 'A newer signing certificate is already published (a rollover in progress): make sure the service trusts both, and remove this one after it expires.'
            : `When it expires, sign-ins will fail on services that check certificate dates. Plan the rotation now. ${steps.newCertificate}`,
          c.notAfter,
        ),
      )
    }
    if (isWeakDigest(c.signatureAlgorithm)) {
      out.push(
        finding(
          'warning',
          'metadata.cert_sha1_signature',
          `Signing certificate ${name} is signed with ${c.signatureAlgorithm}.`,
          'SHA-1 is broken for signatures. It does not stop SAML responses from verifying, but security reviews flag it: generate a SHA-256 certificate at the IdP when you next rotate.',
          c.sha256Fingerprint,
        ),
      )
    }
    if (c.keyType.startsWith('RSA') && c.keySize !== null && c.keySize < 2048) {
      out.push(
        finding(
          'warning',
          'metadata.cert_weak_key',
          `Signing certificate ${name} has a ${c.keySize}-bit RSA key.`,
          'RSA keys under 2048 bits can be factored by a determined attacker, who could then forge sign-ins. Rotate to a 2048-bit or larger key at the IdP.',
          c.sha256Fingerprint,
        ),
      )
    }
    if (Date.parse(c.notBefore) > now.getTime()) {
      out.push(
        finding(
          'warning',
          'metadata.cert_not_yet_valid',
          `Signing certificate ${name} is valid only from ${c.notBefore.slice(0, 10)}.`,
          'Until then services that check certificate dates reject responses signed with it. Check the clock of this machine, or wait until the IdP activates it.',
          c.notBefore,
        ),
      )
    }
  }
  return out
}

const PLACEHOLDER =
  /^(idp entity ?id|entity ?id|issuer|changeme|change_me|placeholder|todo|tbd|test|different_idp_entity_id)$|YOUR_|EXAMPLE_|<[^<>]*>|\bexample\.(com|org|net)\b/i

export function entityIdFindings(entityId: string, source: string, steps: IdpSteps): Finding[] {
  const out: Finding[] = []
  if (entityId === '') return out
  if (PLACEHOLDER.test(entityId)) {
    out.push(
      finding(
        'warning',
        'metadata.placeholder_entity_id',
        `The entity ID "${entityId}" looks like a placeholder, not a value the IdP really uses.`,
        `SSO compares the Issuer of every SAML response with this value; if the IdP sends its real entity ID, every sign-in fails. ${steps.issuer} Export the metadata again once it is right.`,
        entityId,
      ),
    )
  } else if (!/^[a-z][a-z0-9+.-]*:/i.test(entityId)) {
    out.push(
      finding(
        'warning',
        'metadata.entity_id_not_uri',
        `The entity ID "${entityId}" is not a URI.`,
        `SAML entity IDs are URIs. If this was typed by hand, assertions will carry a different Issuer and sign-in fails. ${steps.issuer}`,
        entityId,
      ),
    )
  }
  const norm = (u: string): string =>
    u
      .trim()
      .replace(/(?<!\/)\/+$/, '')
      .toLowerCase()
  const fromUrl = /^https?:\/\//i.test(source)
  if (
    (fromUrl && norm(entityId) === norm(source)) ||
    /\/sso\/saml\/metadata$|federationmetadata\.xml$|\/metadata\.xml$|\/saml\/metadata\.php$/i.test(
      entityId,
    )
  ) {
    out.push(
      finding(
        'warning',
        'metadata.entity_id_is_metadata_url',
        `The entity ID "${entityId}" looks like the metadata URL itself.`,
        `Most IdPs use a separate Issuer value. If the entity ID was set to the metadata URL by hand, the Issuer in SAML responses will not match. ${steps.issuer}`,
        entityId,
      ),
    )
  }
  if (
    /\/(sp|acs|saml2?\/acs|saml\/consume|assertionconsumerservice|sp\/login)(\/|$)/i.test(entityId)
  ) {
    out.push(
      finding(
        'warning',
        'metadata.entity_id_looks_like_sp',
        `The entity ID "${entityId}" looks like a service-provider URL, not the IdP's own identifier.`,
        `A common mix-up is to put the service’s URL in the IdP Entity ID field. It works only if the IdP sends this exact value as Issuer. ${steps.issuer}`,
        entityId,
      ),
    )
  }
  return out
}

export function signatureFindings(sig: IdpMetadata['signature']): Finding[] {
  if (sig.signed && sig.valid === false) {
    return [
      finding(
        'warning',
        'metadata.signature_invalid',
        `The metadata is signed but the signature does not verify against its own certificate: ${sig.detail ?? 'invalid'}.`,
        'The file was re-formatted or edited after signing, so nothing proves it is what the IdP published. SSO uses the signing certificate, not this signature, but check the certificate fingerprint with the IdP, or download an untouched copy.',
      ),
    ]
  }
  return []
}
