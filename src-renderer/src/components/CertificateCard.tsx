import type { CertificateInfo } from '../../../src-shared/metadata.ts'
import { expiryBadgeText, expiryLabel, expiryState } from '../lib/expiry.ts'
import { formatDate } from '../lib/format.ts'
import { CopyButton } from './CopyButton.tsx'
import { expiryTone, toneClass } from '../lib/tone.ts'
import '../screens/metadata.css'

export function CertificateCard({ cert, index }: { cert: CertificateInfo; index: number }) {
  const state = expiryState(cert)
  const key = cert.keySize ? `${cert.keyType} ${cert.keySize} bit` : cert.keyType
  return (
    <article
      className={`card cert-card ${toneClass(expiryTone(state), 'edge')}`}
      data-testid="certificate-card"
      data-expiry={state}
    >
      <header className="cert-header">
        <h3 className="cert-title">Signing certificate {index + 1}</h3>
        <span
          className={`badge ${toneClass(expiryTone(state), 'fill')}`}
          data-testid="cert-expiry-badge"
        >
          {expiryBadgeText[state]}
        </span>
      </header>
      <dl className="fields">
        <dt>Subject</dt>
        <dd className="mono-soft" data-testid="cert-subject">
          {cert.subject}
        </dd>
        <dt>Issuer</dt>
        <dd className="mono-soft">{cert.selfSigned ? 'Self-signed' : cert.issuer}</dd>
        <dt>Valid</dt>
        <dd>
          {formatDate(cert.notBefore)} – {formatDate(cert.notAfter)}
          <span
            className={`days ${toneClass(state === 'valid' ? 'neutral' : expiryTone(state), 'text')}`}
            data-testid="cert-days-left"
          >
            {expiryLabel(cert)}
          </span>
        </dd>
        <dt>Key</dt>
        <dd>
          {key} · {cert.signatureAlgorithm}
        </dd>
        <dt>SHA-256</dt>
        <dd className="fingerprint-row">
          <code className="fingerprint" data-testid="cert-fingerprint">
            {cert.sha256Fingerprint}
          </code>
          <CopyButton
            text={cert.sha256Fingerprint}
            label="SHA-256 fingerprint"
            testId="copy-fingerprint"
          />
        </dd>
        <dt>SHA-1</dt>
        <dd>
          <code className="fingerprint">{cert.sha1Fingerprint}</code>
        </dd>
      </dl>
    </article>
  )
}
