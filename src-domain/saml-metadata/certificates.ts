import { X509Certificate } from 'node:crypto'
import type { CertificateInfo } from '../../src-shared/metadata.ts'

const DAY_MS = 86_400_000

/**
 * Turns the text of an `X509Certificate` element into DER. Exports in the wild wrap the base64 in
 * whitespace, keep the PEM armour, or base64-encode the whole PEM text a second time; all three
 * describe the same certificate. Returns null when the text is not base64 at all (placeholders
 * such as `MIIC...YOUR_CERTIFICATE...==`).
 */
export function decodeCertificateText(text: string): Buffer | null {
  return decode(text, 0)
}

function decode(text: string, depth: number): Buffer | null {
  const b64 = text.replace(/-----(BEGIN|END)[^-]*-----/g, '').replace(/\s+/g, '')
  if (b64.length === 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(b64)) return null
  const der = Buffer.from(b64, 'base64')
  if (depth === 0 && der.subarray(0, 11).toString('latin1') === '-----BEGIN ') {
    return decode(der.toString('latin1'), 1)
  }
  return der
}

const SIGNATURE_ALGORITHMS: Record<string, string> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'rsassaPss',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
}

/** True for signature algorithms built on SHA-1 or weaker digests. */
export function isWeakDigest(signatureAlgorithm: string): boolean {
  return /^(md2|md5|sha1)|SHA1$/i.test(signatureAlgorithm)
}

interface Tlv {
  tag: number
  start: number
  end: number
}

function readTlv(der: Uint8Array, offset: number): Tlv {
  if (offset + 2 > der.length) throw new Error('DER truncated')
  const tag = der[offset]!
  let len = der[offset + 1]!
  let start = offset + 2
  if (len & 0x80) {
    const n = len & 0x7f
    if (n === 0 || n > 4 || start + n > der.length) throw new Error('DER length unsupported')
    len = 0
    for (let i = 0; i < n; i++) len = len * 256 + der[start + i]!
    start += n
  }
  if (start + len > der.length) throw new Error('DER truncated')
  return { tag, start, end: start + len }
}

function decodeOid(bytes: Uint8Array): string {
  const parts: number[] = []
  let value = 0
  for (const b of bytes) {
    value = value * 128 + (b & 0x7f)
    if (!(b & 0x80)) {
      if (parts.length === 0) {
        const first = value < 80 ? Math.floor(value / 40) : 2
        parts.push(first, value - first * 40)
      } else {
        parts.push(value)
      }
      value = 0
    }
  }
  return parts.join('.')
}

/**
 * The certificate's outer signatureAlgorithm (Certificate ::= SEQUENCE { tbsCertificate,
 * signatureAlgorithm, signatureValue }); node:crypto does not expose it.
 */
export function signatureAlgorithmOf(der: Uint8Array): string {
  try {
    const cert = readTlv(der, 0)
    const tbs = readTlv(der, cert.start)
    const alg = readTlv(der, tbs.end)
    const oid = readTlv(der, alg.start)
    if (cert.tag !== 0x30 || tbs.tag !== 0x30 || alg.tag !== 0x30 || oid.tag !== 0x06) {
      return 'unknown'
    }
    const dotted = decodeOid(der.subarray(oid.start, oid.end))
    return SIGNATURE_ALGORITHMS[dotted] ?? dotted
  } catch {
    return 'unknown'
  }
}

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  'P-256': 256,
  secp256k1: 256,
  secp384r1: 384,
  'P-384': 384,
  secp521r1: 521,
  'P-521': 521,
}

function keyOf(cert: X509Certificate): { keyType: string; keySize: number | null } {
  const key = cert.publicKey
  const type = key.asymmetricKeyType ?? 'unknown'
  const details = key.asymmetricKeyDetails ?? {}
  if (type === 'rsa' || type === 'rsa-pss' || type === 'dsa') {
    return { keyType: type.toUpperCase(), keySize: details.modulusLength ?? null }
  }
  if (type === 'ec') {
    const curve = details.namedCurve ?? ''
    return { keyType: curve ? `EC ${curve}` : 'EC', keySize: CURVE_BITS[curve] ?? null }
  }
  if (type === 'ed25519') return { keyType: 'Ed25519', keySize: 256 }
  if (type === 'ed448') return { keyType: 'Ed448', keySize: 456 }
  return { keyType: type, keySize: null }
}

/** Throws when the DER is not a certificate node:crypto can read. */
export function describeCertificate(
  der: Buffer,
  now: Date,
  use: CertificateInfo['use'],
): CertificateInfo {
  const cert = new X509Certificate(der)
  const notBefore = cert.validFromDate
  const notAfter = cert.validToDate
  let selfSigned = false
  try {
    selfSigned = cert.checkIssued(cert) && cert.verify(cert.publicKey)
  } catch {
    selfSigned = false
  }
  return {
    der: der.toString('base64'),
    subject: oneLine(cert.subject),
    issuer: oneLine(cert.issuer),
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    daysLeft: Math.floor((notAfter.getTime() - now.getTime()) / DAY_MS),
    expired: notAfter.getTime() < now.getTime(),
    selfSigned,
    sha256Fingerprint: cert.fingerprint256.toUpperCase(),
    sha1Fingerprint: cert.fingerprint.toUpperCase(),
    ...keyOf(cert),
    signatureAlgorithm: signatureAlgorithmOf(der),
    use,
  }
}

/** node:crypto prints one RDN per line; a single line reads better in a card and a terminal. */
function oneLine(dn: string): string {
  return dn
    .split('\n')
    .map((s) => s.trim())
    .filter(Boolean)
    .join(', ')
}
