import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import {
  decodeCertificateText,
  describeCertificate,
  isWeakDigest,
  signatureAlgorithmOf,
} from './certificates.ts'
import { IDP_METADATA_DIR } from '../../test/fixtures/index.ts'

const oktaText = /<ds:X509Certificate>([^<]+)</.exec(
  readFileSync(join(IDP_METADATA_DIR, 'okta-app-trial-org.xml'), 'utf8'),
)![1]!
const b64 = oktaText.replace(/\s+/g, '')
const der = Buffer.from(b64, 'base64')

describe('decodeCertificateText', () => {
  it('accepts line breaks and indentation inside the base64', () => {
    expect(decodeCertificateText(oktaText)).toEqual(der)
  })

  it('accepts PEM armour', () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${b64.replace(/(.{64})/g, '$1\n')}\n-----END CERTIFICATE-----\n`
    expect(decodeCertificateText(pem)).toEqual(der)
  })

  it('accepts PEM text that was base64-encoded a second time', () => {
    const pem = `-----BEGIN CERTIFICATE-----\n${b64}\n-----END CERTIFICATE-----\n`
    expect(decodeCertificateText(Buffer.from(pem).toString('base64'))).toEqual(der)
  })

  it.each(['', '   ', 'MIIC...YOUR_OKTA_X509_CERTIFICATE...==', 'not base64!'])(
    'returns null for %j',
    (text) => {
      expect(decodeCertificateText(text)).toBeNull()
    },
  )
})

describe('signatureAlgorithmOf', () => {
  it('reads the outer signature algorithm from the DER', () => {
    expect(signatureAlgorithmOf(der)).toBe('sha256WithRSAEncryption')
  })

  it('agrees with the TBS algorithm node:crypto would verify with (sha1 fixture)', () => {
    const text = /<ds:X509Certificate>([^<]+)</.exec(
      readFileSync(join(IDP_METADATA_DIR, 'simplesamlphp-openidp-feide.xml'), 'utf8'),
    )?.[1]
    expect(signatureAlgorithmOf(decodeCertificateText(text ?? '')!)).toBe('sha1WithRSAEncryption')
  })

  it('prints an unknown OID in dotted form', () => {
    // SEQUENCE { SEQUENCE {} , SEQUENCE { OID 1.2.3.4 } }
    const fake = Buffer.from([0x30, 0x09, 0x30, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2a, 0x03, 0x04])
    expect(signatureAlgorithmOf(fake)).toBe('1.2.3.4')
  })

  it('says unknown for truncated or non-DER input instead of throwing', () => {
    expect(signatureAlgorithmOf(der.subarray(0, 40))).toBe('unknown')
    expect(signatureAlgorithmOf(Buffer.from('hello'))).toBe('unknown')
  })
})

describe('describeCertificate', () => {
  it('computes days left and expiry against the given clock', () => {
    const notAfter = new X509Certificate(der).validToDate
    const before = describeCertificate(
      der,
      new Date(notAfter.getTime() - 10 * 86_400_000),
      'signing',
    )
    expect(before.daysLeft).toBe(10)
    expect(before.expired).toBe(false)
    const after = describeCertificate(
      der,
      new Date(notAfter.getTime() + 86_400_000 + 1),
      'unspecified',
    )
    expect(after.daysLeft).toBe(-2)
    expect(after.expired).toBe(true)
    expect(after.use).toBe('unspecified')
  })

  it('matches node:crypto fingerprints in upper-case colon hex', () => {
    const info = describeCertificate(der, new Date('2026-11-22T00:00:00Z'), 'signing')
    const x = new X509Certificate(der)
    expect(info.sha256Fingerprint).toBe(x.fingerprint256)
    expect(info.sha1Fingerprint).toBe(x.fingerprint)
    expect(info.der).toBe(b64)
  })

  it('throws on bytes that are not a certificate', () => {
    expect(() => describeCertificate(Buffer.from('nope'), new Date(), 'signing')).toThrow()
  })
})

describe('isWeakDigest', () => {
  it.each([
    ['sha1WithRSAEncryption', true],
    ['md5WithRSAEncryption', true],
    ['ecdsa-with-SHA1', true],
    ['dsa-with-SHA1', true],
    ['sha256WithRSAEncryption', false],
    ['ecdsa-with-SHA256', false],
  ])('%s -> %s', (alg, weak) => {
    expect(isWeakDigest(alg)).toBe(weak)
  })
})
