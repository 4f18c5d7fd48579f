import type { CertificateInfo, Endpoint, Finding, IdpMetadata } from '../../src-shared/metadata.ts'
import { decodeCertificateText, describeCertificate } from './certificates.ts'
import type { AncestorAttrs } from './document-view.ts'
import { finding } from './findings.ts'
import { DS_NS, MD_NS, type XmlElement } from './xml-tree.ts'

/** Reading the IdP role into the model: endpoints, signing certificates, validity. */

export const BINDING_PREFIX = 'urn:oasis:names:tc:SAML:2.0:bindings:'
export const POST = `${BINDING_PREFIX}HTTP-POST`
export const REDIRECT = `${BINDING_PREFIX}HTTP-Redirect`

const BINDING_NAMES: Record<string, string> = {
  [POST]: 'HTTP-POST',
  [REDIRECT]: 'HTTP-Redirect',
  [`${BINDING_PREFIX}HTTP-Artifact`]: 'HTTP-Artifact',
  [`${BINDING_PREFIX}SOAP`]: 'SOAP',
  [`${BINDING_PREFIX}PAOS`]: 'PAOS',
  [`${BINDING_PREFIX}HTTP-POST-SimpleSign`]: 'HTTP-POST-SimpleSign',
}

export function endpoints(role: XmlElement, local: string): Endpoint[] {
  const seen = new Set<string>()
  const out: Endpoint[] = []
  for (const el of role.all(MD_NS, local)) {
    const binding = el.attr('Binding')?.trim() ?? ''
    const location = el.attr('Location')?.trim() ?? ''
    const key = `${binding} ${location}`
    if (location === '' || seen.has(key)) continue
    seen.add(key)
    out.push({ binding, bindingName: BINDING_NAMES[binding] ?? binding, location })
  }
  return out
}

export function signingCertificates(
  role: XmlElement,
  now: Date,
  findings: Finding[],
): CertificateInfo[] {
  const out: CertificateInfo[] = []
  const seen = new Set<string>()
  let misplaced = 0
  for (const kd of role.all(MD_NS, 'KeyDescriptor')) {
    const useAttr = kd.attr('use')?.trim()
    if (useAttr === 'encryption') continue
    const use: CertificateInfo['use'] = useAttr === 'signing' ? 'signing' : 'unspecified'
    const texts: string[] = []
    for (const keyInfo of kd.all(DS_NS, 'KeyInfo')) {
      for (const data of keyInfo.all(DS_NS, 'X509Data')) {
        for (const c of data.all(DS_NS, 'X509Certificate')) texts.push(c.text())
      }
    }
    if (texts.length === 0) {
      for (const d of kd.descendants()) if (d.local === 'X509Certificate') misplaced++
    }
    for (const t of texts) {
      const der = decodeCertificateText(t)
      let info: CertificateInfo | undefined
      try {
        info = der ? describeCertificate(der, now, use) : undefined
      } catch {
        info = undefined
      }
      if (!info) {
        findings.push(
          finding(
            'warning',
            'metadata.invalid_certificate',
            `A signing KeyDescriptor holds text that is not a certificate: "${abbreviate(t)}".`,
            'This certificate cannot be used to verify Okta sign-ins. Template files often carry a placeholder here; download the real metadata from the IdP.',
          ),
        )
        continue
      }
      if (seen.has(info.sha256Fingerprint)) continue
      seen.add(info.sha256Fingerprint)
      out.push(info)
    }
  }
  if (misplaced > 0) {
    findings.push(
      finding(
        'warning',
        'metadata.keyinfo_wrong_namespace',
        `${misplaced} X509Certificate element(s) are not in the XML Signature namespace (${DS_NS}), so they are not certificates to a SAML library.`,
        'Namespace-aware SAML software, Okta included, ignores these certificates. Export the metadata again from the IdP rather than editing it by hand.',
      ),
    )
  }
  return out
}

function abbreviate(s: string): string {
  const flat = s.replace(/\s+/g, '')
  return flat.length > 40 ? `${flat.slice(0, 20)}...${flat.slice(-12)}` : flat
}

// xs:duration: at least one component, and a T only when a time component follows.
const XS_DURATION = /^-?P(?!$)(\d+Y)?(\d+M)?(\d+D)?(T(?!$)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/

export function readValidity(
  entity: XmlElement,
  ancestors: AncestorAttrs[],
  now: Date,
  model: IdpMetadata,
  findings: Finding[],
): void {
  const own: AncestorAttrs = {
    validUntil: entity.attr('validUntil'),
    cacheDuration: entity.attr('cacheDuration'),
  }
  const chain = [...ancestors, own]
  // The strictest validUntil in the chain applies: an aggregate's expiry covers its members.
  let earliest: { iso: string; time: number } | undefined
  for (const attrs of chain) {
    const raw = attrs.validUntil?.trim()
    if (raw === undefined || raw === '') continue
    const time = Date.parse(raw)
    if (Number.isNaN(time)) {
      findings.push(
        finding(
          'warning',
          'metadata.invalid_valid_until',
          `validUntil="${raw}" is not a valid date and time.`,
          'Some SAML software rejects such metadata. Download the metadata again from the IdP.',
        ),
      )
      continue
    }
    if (!earliest || time < earliest.time) earliest = { iso: new Date(time).toISOString(), time }
  }
  model.validUntil = earliest?.iso ?? null
  if (earliest && earliest.time < now.getTime()) {
    findings.push(
      finding(
        'warning',
        'metadata.valid_until_passed',
        `The metadata expired on ${earliest.iso.slice(0, 10)} (validUntil).`,
        'Software that enforces validUntil refuses expired metadata, and the certificates in it may have been rotated since. Download a current copy from the IdP.',
        earliest.iso,
      ),
    )
  }
  // The nearest cacheDuration applies.
  const cacheDuration =
    [...chain]
      .reverse()
      .map((attrs) => attrs.cacheDuration?.trim())
      .find(Boolean) ?? null
  model.cacheDuration = cacheDuration
  if (cacheDuration !== null && !XS_DURATION.test(cacheDuration)) {
    findings.push(
      finding(
        'warning',
        'metadata.invalid_cache_duration',
        `cacheDuration="${cacheDuration}" is not a valid xs:duration; it is ignored.`,
        'Harmless for Okta SSO, but strict SAML libraries may refuse the file. Ask the IdP owner to fix it (for example P1D for one day).',
      ),
    )
  }
}
