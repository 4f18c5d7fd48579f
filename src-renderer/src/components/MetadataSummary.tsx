import type { IdpMetadata } from '../../../src-shared/metadata.ts'
import { formatDate, shortNameIdFormat } from '../lib/format.ts'
import { CopyButton } from './CopyButton.tsx'
import '../screens/metadata.css'

function signatureText(sig: IdpMetadata['signature']): string {
  if (!sig.signed) return 'Not signed'
  if (sig.valid === true)
    return 'Signed; the signature matches its own certificate (integrity, not trust)'
  if (sig.valid === false)
    return 'Signed, but the signature does not verify: the file was changed after signing'
  return 'Signed; could not be checked'
}

/** The banner colour of each verdict level, shared with the screens' status banners. */
export const VERDICT_TONE: Record<IdpMetadata['verdict']['level'], string> = {
  ok: 'tone-good',
  warn: 'tone-warn',
  error: 'tone-bad',
}

export function MetadataSummary({ metadata }: { metadata: IdpMetadata }) {
  return (
    <section className="card summary" data-testid="metadata-summary">
      <h2 className="card-title">Summary</h2>
      <p
        className={`tone-fill ${VERDICT_TONE[metadata.verdict.level]}`}
        data-testid="metadata-verdict"
        data-level={metadata.verdict.level}
        data-worst={metadata.verdict.worstFinding?.code ?? ''}
      >
        {metadata.verdict.summary}
      </p>
      <dl className="fields">
        <dt>Issued by</dt>
        <dd data-testid="metadata-idp" data-vendor={metadata.idp.vendor}>
          {metadata.idp.vendor === 'generic'
            ? 'Not recognised (generic SAML IdP)'
            : metadata.idp.label}
        </dd>
        <dt>Entity ID</dt>
        <dd className="copy-row">
          {metadata.entityId ? (
            <>
              <code className="value" data-testid="entity-id">
                {metadata.entityId}
              </code>
              <CopyButton text={metadata.entityId} label="entity ID" testId="copy-entity-id" />
            </>
          ) : (
            <span className="muted" data-testid="entity-id">
              Missing
            </span>
          )}
        </dd>
        <dt>Sign-on URLs</dt>
        <dd>
          {metadata.ssoServices.length === 0 ? (
            <span className="muted">None</span>
          ) : (
            <ul className="endpoints">
              {metadata.ssoServices.map((s, i) => (
                <li
                  key={`${s.binding}-${i}`}
                  className="copy-row"
                  data-testid="sso-service"
                  data-binding={s.bindingName}
                >
                  <span className="binding">{s.bindingName}</span>
                  <code className="value">{s.location}</code>
                  <CopyButton
                    text={s.location}
                    label={`${s.bindingName} sign-on URL`}
                    testId="copy-sso-url"
                  />
                </li>
              ))}
            </ul>
          )}
        </dd>
        {metadata.sloServices.length > 0 ? (
          <>
            <dt>Sign-out URLs</dt>
            <dd>
              <ul className="endpoints">
                {metadata.sloServices.map((s, i) => (
                  <li key={`${s.binding}-${i}`} className="copy-row">
                    <span className="binding">{s.bindingName}</span>
                    <code className="value">{s.location}</code>
                  </li>
                ))}
              </ul>
            </dd>
          </>
        ) : null}
        <dt>NameID formats</dt>
        <dd data-testid="nameid-formats">
          {metadata.nameIdFormats.length === 0 ? (
            <span className="muted">None listed (the IdP decides)</span>
          ) : (
            <span className="chips">
              {metadata.nameIdFormats.map((f) => (
                <span key={f} className="chip" title={f}>
                  {shortNameIdFormat(f)}
                </span>
              ))}
            </span>
          )}
        </dd>
        <dt>Valid until</dt>
        <dd data-testid="valid-until">
          {formatDate(metadata.validUntil)}
          {metadata.cacheDuration ? (
            <span className="muted"> · cache {metadata.cacheDuration}</span>
          ) : null}
        </dd>
        <dt>Signature</dt>
        <dd data-testid="signature-status">{signatureText(metadata.signature)}</dd>
      </dl>
    </section>
  )
}
