import { expiryBadgeText, expiryLabel, expiryState } from '../lib/expiry.ts'
import { formatDate } from '../lib/format.ts'
import { expiryTone, toneClass } from '../lib/tone.ts'
import '../screens/metadata.css'

export interface CertSummary {
  sha256Fingerprint: string
  subject: string
  notAfter: string
  expired: boolean
  daysLeft: number
}

/** One certificate in a line: subject, expiry badge, fingerprint prefix. */
export function CertificateLine({ cert, testId }: { cert: CertSummary; testId: string }) {
  const state = expiryState(cert)
  return (
    <div className="cert-line" data-testid={testId} data-expiry={state}>
      <span className={`badge ${toneClass(expiryTone(state), 'fill')}`}>
        {expiryBadgeText[state]}
      </span>
      <span className="cert-line-subject mono-soft">{cert.subject}</span>
      <span
        className={`days ${toneClass(state === 'valid' ? 'neutral' : expiryTone(state), 'text')}`}
      >
        {expiryLabel(cert)} · {formatDate(cert.notAfter)}
      </span>
      <code className="fingerprint" title={cert.sha256Fingerprint}>
        {cert.sha256Fingerprint.slice(0, 23)}…
      </code>
    </div>
  )
}
