import type { ChannelOutput } from '../../../src-shared/contract.ts'
import { CertificateLine } from './CertificateExpiry.tsx'
import { severityTone, toneClass } from '../lib/tone.ts'
import '../screens/connection.css'

type Diff = ChannelOutput<'sso.diff'>['diff']

function Change({
  label,
  change,
  testId,
}: {
  label: string
  change: Diff['entityId']
  testId: string
}) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testId} data-changed={change.changed}>
        {change.changed ? (
          <div className="change">
            {change.from === null ? (
              <span className="muted">(none)</span>
            ) : (
              <span className="change-from">
                <code>{change.from}</code>
              </span>
            )}
            <span className="change-arrow" aria-label="becomes">
              →
            </span>
            <span className="change-to">
              <code>{change.to ?? '(none)'}</code>
            </span>
          </div>
        ) : (
          <span>
            <code>{change.to ?? '(none)'}</code> <span className="tag">unchanged</span>
          </span>
        )}
      </dd>
    </>
  )
}

/** What the push changes, read before pressing Push: identity, endpoint, trusted certificates. */
export function SsoDiffView({ diff }: { diff: Diff }) {
  const { added, removed, kept } = diff.certificates
  return (
    <div className="stack" data-testid="sso-diff" data-first={diff.firstConfiguration}>
      {diff.warnings.length > 0 ? (
        <ul className="findings" data-testid="sso-warnings">
          {diff.warnings.map((w) => (
            <li
              key={w.code}
              className={`finding ${toneClass(severityTone(w.severity), 'edge')}`}
              data-testid="sso-warning"
              data-code={w.code}
              data-severity={w.severity}
            >
              <span className={`severity ${toneClass(severityTone(w.severity), 'fill')}`}>
                {w.severity === 'error' ? 'Stop' : 'Check'}
              </span>
              <div className="finding-body">
                <p className="finding-message">{w.message}</p>
                <p className="finding-hint">{w.hint}</p>
              </div>
            </li>
          ))}
        </ul>
      ) : null}
      <dl className="fields">
        <Change label="IdP entity ID" change={diff.entityId} testId="diff-entity-id" />
        <Change label="Sign-on URL" change={diff.ssoUrl} testId="diff-sso-url" />
        <dt>Certificates</dt>
        <dd>
          <div className="cert-lines">
            {added.map((c) => (
              <div className="cert-change cert-added" key={c.sha256Fingerprint}>
                <span className="change-mark">+ added</span>
                <CertificateLine cert={c} testId="diff-cert-added" />
              </div>
            ))}
            {removed.map((c) => (
              <div className="cert-change cert-removed" key={c.sha256Fingerprint}>
                <span className="change-mark">− removed</span>
                <CertificateLine cert={c} testId="diff-cert-removed" />
              </div>
            ))}
            {kept.map((c) => (
              <div className="cert-change" key={c.sha256Fingerprint}>
                <span className="change-mark">kept</span>
                <CertificateLine cert={c} testId="diff-cert-kept" />
              </div>
            ))}
          </div>
        </dd>
        <dt>IdP signs with</dt>
        <dd data-testid="diff-signing">
          <div className="cert-lines">
            <div className="cert-change">
              <span className="change-mark">now</span>
              {diff.signing.now ? (
                <CertificateLine cert={diff.signing.now} testId="diff-signing-now" />
              ) : (
                <span className="muted" data-testid="diff-signing-now">
                  No valid certificate
                </span>
              )}
            </div>
            {diff.signing.next ? (
              <div className="cert-change">
                <span className="change-mark">next</span>
                <CertificateLine cert={diff.signing.next} testId="diff-signing-next" />
              </div>
            ) : null}
          </div>
        </dd>
      </dl>
    </div>
  )
}
