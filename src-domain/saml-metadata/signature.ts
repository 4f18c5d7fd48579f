import { DOMParser, type Element as XmldomElement } from '@xmldom/xmldom'
import { SignedXml } from 'xml-crypto'
import { decodeCertificateText } from './certificates.ts'
import { DS_NS, MD_NS } from './xml-tree.ts'

export interface SignatureCheck {
  signed: boolean
  valid: boolean | null
  detail?: string
}

/** Checking a signature needs a DOM of the whole document; past this it costs more than it tells. */
const MAX_VERIFY_BYTES = 4 * 1024 * 1024

/**
 * Does the enveloped signature over the document (or over the chosen entity of an aggregate)
 * verify against the certificate it carries? This is integrity, not trust: anyone can sign with
 * their own certificate. It tells the admin whether the file was changed after it was signed
 * (a pretty-printed copy no longer verifies), nothing more.
 *
 * The caller has already refused DTDs and parsed the text as well-formed XML.
 */
export function checkMetadataSignature(
  xml: string,
  signedBy: { kind: 'root' } | { kind: 'entity'; entityId: string },
): SignatureCheck {
  // Only called when the document carries a signature; a DOM of a huge aggregate costs seconds.
  if (xml.length > MAX_VERIFY_BYTES) {
    return { signed: true, valid: null, detail: 'not checked: the document is too large' }
  }
  const errors: string[] = []
  const doc = new DOMParser({
    onError: (level, msg) => {
      if (level !== 'warning') errors.push(msg)
    },
  }).parseFromString(xml, 'text/xml')
  const root = doc.documentElement
  if (!root || errors.length > 0)
    return { signed: true, valid: null, detail: 'could not be checked' }

  let target: XmldomElement | undefined = root
  if (signedBy.kind === 'entity') {
    const entities = Array.from(doc.getElementsByTagNameNS(MD_NS, 'EntityDescriptor'))
    target = entities.find((e) => e.getAttribute('entityID')?.trim() === signedBy.entityId)
  }
  const sig = target ? signatureChild(target) : undefined
  if (!target || !sig) return { signed: true, valid: null, detail: 'could not be checked' }

  const certEl = sig.getElementsByTagNameNS(DS_NS, 'X509Certificate')[0]
  const der = certEl ? decodeCertificateText(certEl.textContent ?? '') : null
  if (!der) {
    return {
      signed: true,
      valid: null,
      detail: 'not checked: the signature carries no certificate',
    }
  }

  const targetId = target.getAttribute('ID') ?? target.getAttribute('Id') ?? ''
  const refs = Array.from(sig.getElementsByTagNameNS(DS_NS, 'Reference'))
  const coversTarget = refs.some((r) => {
    const uri = r.getAttribute('URI') ?? ''
    return uri === '' || (targetId !== '' && uri === `#${targetId}`)
  })
  if (!coversTarget) {
    return {
      signed: true,
      valid: false,
      detail: 'the signature does not cover the metadata element',
    }
  }

  try {
    const signed = new SignedXml({
      publicCert: toPem(der),
      // Verify against the certificate we extracted and reported, never one chosen inside xml-crypto.
      getCertFromKeyInfo: () => null,
    })
    signed.loadSignature(sig)
    const valid = signed.checkSignature(xml)
    return valid
      ? {
          signed: true,
          valid: true,
          detail: 'verifies against its own certificate (integrity only, not trust)',
        }
      : {
          signed: true,
          valid: false,
          detail: 'the content was changed after signing (digest mismatch)',
        }
  } catch (err) {
    const msg = (err as Error).message
    const detail = /signature value/.test(msg)
      ? 'the signature value does not match its certificate'
      : /references? passed validation|digest/i.test(msg)
        ? 'the content was changed after signing (digest mismatch)'
        : `could not be verified: ${msg.slice(0, 160)}`
    return { signed: true, valid: false, detail }
  }
}

function signatureChild(el: XmldomElement): XmldomElement | undefined {
  for (let n = el.firstChild; n; n = n.nextSibling) {
    if (n.nodeType === 1) {
      const child = n as XmldomElement
      if (child.localName === 'Signature' && child.namespaceURI === DS_NS) return child
    }
  }
  return undefined
}

function toPem(der: Buffer): string {
  const b64 = der.toString('base64').replace(/(.{64})/g, '$1\n')
  return `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`
}
