import type { ChannelOutput } from '../../../src-shared/contract.ts'
import { formatDateTime } from '../lib/format-time.ts'
import { noIdpUseText } from '../lib/idp-use.ts'
import { CertificateLine } from './CertificateExpiry.tsx'
import { CopyButton } from './CopyButton.tsx'
import { SpValues } from './SpValues.tsx'
import { toneClass } from '../lib/tone.ts'
import type { ActiveTarget } from '../use-connections.ts'
import { IdpActivityCard } from './IdpActivityCard.tsx'
import '../screens/connection.css'

type Overview = ChannelOutput<'connections.overview'>

/** Both halves of the Okta setup side by side: SSO and SCIM, then what the tenant saw lately. */
export function TenantOverview({
  overview,
  target,
  refresh,
}: {
  overview: Overview
  target: ActiveTarget
  /** Changes when the overview is re-read, so the test-traffic count beside it is too. */
  refresh: number
}) {
  const { sso, scim, idp } = overview
  return (
    <div className="stack-lg" data-testid="tenant-overview">
      <div className="stack-lg">
        <section className="card" data-testid="overview-sso">
          <h2 className="card-title">Single sign-on</h2>
          <div
            className={`status-pill ${toneClass(sso.configured ? 'good' : 'warn', 'fill')}`}
            data-testid="overview-sso-status"
            data-configured={sso.configured}
          >
            {sso.configured ? 'Configured' : 'Not configured'}
          </div>
          {sso.configured ? (
            <dl className="fields">
              <dt>IdP entity ID</dt>
              <dd>
                <code className="value" data-testid="overview-idp-entity-id">
                  {sso.entityId ?? '(none)'}
                </code>
              </dd>
              <dt>Sign-on URL</dt>
              <dd>
                <code className="value">{sso.ssoUrl ?? '(none)'}</code>
              </dd>
              <dt>Imported</dt>
              <dd>{formatDateTime(sso.importedAt)}</dd>
              <dt>Signing certs</dt>
              <dd>
                <div className="cert-lines">
                  {sso.certificates.map((c) => (
                    <CertificateLine key={c.sha256Fingerprint} cert={c} testId="overview-cert" />
                  ))}
                </div>
              </dd>
            </dl>
          ) : (
            <p className="muted">
              Users provisioned by SCIM exist but cannot sign in until the IdP metadata is pushed:
              import it on the SSO metadata screen and press “Push to tenant”.
            </p>
          )}
        </section>

        <section className="card" data-testid="overview-scim">
          <h2 className="card-title">SCIM provisioning</h2>
          <dl className="fields">
            <dt>Base URL</dt>
            <dd className="copy-row">
              <code className="value" data-testid="overview-scim-base-url">
                {scim.baseUrl}
              </code>
              <CopyButton text={scim.baseUrl} label="SCIM base URL" testId="copy-scim-base-url" />
            </dd>
            <dt>Tokens</dt>
            <dd>
              {scim.tokens.length === 0 ? (
                <span className="muted">None: generate one on the SCIM tokens screen.</span>
              ) : (
                <table className="table compact">
                  <thead>
                    <tr>
                      <th>Label</th>
                      <th>Created</th>
                      <th title="Any request with the token, the console’s own tests included">
                        Last used
                      </th>
                      <th title="The IdP’s own requests only: what shows it uses this token">
                        Last used by the IdP
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {scim.tokens.map((t) => (
                      <tr key={t.id} data-testid="overview-token">
                        <td>{t.label}</td>
                        <td>{formatDateTime(t.createdAt)}</td>
                        <td>
                          {t.lastUsedAt ? (
                            formatDateTime(t.lastUsedAt)
                          ) : (
                            <span className="muted">Never</span>
                          )}
                        </td>
                        <td data-testid="overview-token-idp-use">
                          {t.lastIdpRequestAt ? (
                            formatDateTime(t.lastIdpRequestAt)
                          ) : (
                            <span className="muted">{noIdpUseText(idp)}</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </dd>
          </dl>
        </section>
      </div>

      <SpValues sp={sso.sp} />

      <IdpActivityCard overview={overview} target={target} refresh={refresh} />
    </div>
  )
}
