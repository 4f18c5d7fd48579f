import { useMutation } from '@tanstack/react-query'
import { useId, useState } from 'react'
import type { SamlInspectionView } from '../../../../src-shared/channels/sso-signin.ts'
import { ApiError, unwrap } from '../../api-error.ts'
import { useApi } from '../../api-context.tsx'
import type { ActiveTarget } from '../../use-connections.ts'
import { ErrorPanel } from '../ErrorPanel.tsx'
import { AssertionFields } from './AssertionFields.tsx'
import './sso.css'

type Against = 'tenant' | 'metadata' | 'none'

/**
 * The offline SAML inspector: a pasted SAMLResponse (base64, or the URL-encoded form body as
 * captured) or AuthnRequest is decoded and validated in main with the ACS's own code. Only the
 * tenant's IdP configuration is read from the backend; the pasted text goes nowhere.
 */
export function SamlInspector({ target }: { target: ActiveTarget | null }) {
  const api = useApi()
  const id = useId()
  const [text, setText] = useState('')
  const [against, setAgainst] = useState<Against>(target ? 'tenant' : 'none')
  const [metadata, setMetadata] = useState('')
  const inspect = useMutation({
    mutationFn: () =>
      unwrap(
        api['saml.inspect']({
          text,
          against:
            against === 'tenant' && target
              ? { kind: 'tenant', ...target }
              : against === 'metadata'
                ? { kind: 'metadata', xml: metadata }
                : { kind: 'none' },
        }),
      ),
  })
  const error = inspect.error instanceof ApiError ? inspect.error.data : null
  return (
    <section
      className="card sso-inspector"
      aria-labelledby={`${id}-h`}
      data-testid="saml-inspector"
    >
      <h2 className="section-title" id={`${id}-h`}>
        SAML inspector
      </h2>
      <p className="muted small">
        Decoded and checked on this machine, with the same code as the ACS. Nothing you paste is
        sent anywhere: only the tenant’s IdP configuration is read from the backend.
      </p>
      <form
        onSubmit={(e) => {
          e.preventDefault()
          inspect.mutate()
        }}
      >
        <label className="field-label" htmlFor={`${id}-text`}>
          SAMLResponse or AuthnRequest (base64, URL-encoded form body, Redirect URL or XML)
        </label>
        <textarea
          id={`${id}-text`}
          className="paste-input"
          data-testid="saml-inspector-text"
          rows={6}
          spellCheck={false}
          value={text}
          onChange={(e) => setText(e.target.value)}
        />
        <fieldset className="sso-against">
          <legend className="field-label">Validate against</legend>
          {(
            [
              ['tenant', 'This tenant’s IdP metadata', !target],
              ['metadata', 'IdP metadata I paste', false],
              ['none', 'Nothing: decode only', false],
            ] as const
          ).map(([value, label, off]) => (
            <label key={value} className="sso-radio">
              <input
                type="radio"
                name={`${id}-against`}
                value={value}
                checked={against === value}
                disabled={off}
                onChange={() => setAgainst(value)}
              />{' '}
              {label}
            </label>
          ))}
        </fieldset>
        {against === 'metadata' ? (
          <>
            <label className="field-label" htmlFor={`${id}-md`}>
              IdP metadata XML
            </label>
            <textarea
              id={`${id}-md`}
              className="paste-input"
              rows={4}
              spellCheck={false}
              value={metadata}
              onChange={(e) => setMetadata(e.target.value)}
            />
          </>
        ) : null}
        <button
          type="submit"
          className="button button-primary"
          data-testid="saml-inspector-run"
          disabled={
            inspect.isPending ||
            text.trim() === '' ||
            (against === 'metadata' && metadata.trim() === '')
          }
        >
          Inspect
        </button>
      </form>
      {error ? <ErrorPanel error={error} testId="saml-inspector-error" /> : null}
      {inspect.data ? (
        <InspectionView inspection={inspect.data.inspection} against={inspect.data.against} />
      ) : null}
    </section>
  )
}

function InspectionView({
  inspection: r,
  against,
}: {
  inspection: SamlInspectionView
  against: string | null
}) {
  if (r.kind === 'unreadable') {
    return (
      <div
        className="status-banner tone-bad"
        role="status"
        data-testid="saml-inspector-verdict"
        data-verdict="unreadable"
      >
        <strong>Unreadable: {r.failure.message}</strong>
        <span className="status-sub">
          {r.failure.code} · {r.failure.hint}
        </span>
      </div>
    )
  }
  if (r.kind === 'authn-request') {
    const q = r.request
    return (
      <div data-testid="saml-inspector-verdict" data-verdict="authn-request">
        <div className="status-banner tone-info" role="status">
          <strong>AuthnRequest ({r.encoding})</strong>
        </div>
        <dl className="fields">
          <dt>ID</dt>
          <dd>{q.id ?? '-'}</dd>
          <dt>Issuer (SP)</dt>
          <dd>
            <code>{q.issuer ?? '-'}</code>
          </dd>
          <dt>Destination</dt>
          <dd>
            <code>{q.destination ?? '-'}</code>
          </dd>
          <dt>ACS URL</dt>
          <dd>
            <code>{q.acsUrl ?? '-'}</code>
          </dd>
          <dt>NameID policy</dt>
          <dd>{q.nameIdPolicyFormat ?? '-'}</dd>
          <dt>RelayState</dt>
          <dd>{r.relayState ?? '-'}</dd>
        </dl>
      </div>
    )
  }
  const verdict = r.valid ? 'valid' : r.reason ? 'invalid' : 'not-verified'
  const cert = r.signature.certificate
  return (
    <div data-testid="saml-inspector-verdict" data-verdict={verdict}>
      <div
        className={`status-banner ${r.valid ? 'tone-good' : r.reason ? 'tone-bad' : 'tone-warn'}`}
        role="status"
      >
        <strong>
          {r.valid ? 'Valid' : r.reason ? `Invalid: ${r.reason.code}` : 'Decoded, not verified'}
        </strong>
        <span className="status-sub">
          {against
            ? `validated against ${against}`
            : 'nothing to validate against: the signature was not checked'}
        </span>
      </div>
      <dl className="fields">
        <dt>Response issuer</dt>
        <dd>
          <code>{r.response?.issuer ?? '-'}</code>
        </dd>
        <dt>Destination</dt>
        <dd>
          <code>{r.response?.destination ?? '-'}</code>
        </dd>
        <dt>InResponseTo</dt>
        <dd>{r.response?.inResponseTo ?? '(none: IdP-initiated)'}</dd>
        <dt>Status</dt>
        <dd>{r.response?.statusCode ?? '-'}</dd>
        <dt>Signature</dt>
        <dd data-testid="saml-inspector-signature">
          {r.signature.signed}
          {cert
            ? ` · verified with ${cert.subject ?? 'certificate'} (SHA-256 ${cert.sha256Fingerprint})`
            : ''}
        </dd>
      </dl>
      {r.assertion ? <AssertionFields assertion={r.assertion} verified={r.verified} /> : null}
      {r.failures.length > 0 ? (
        <ul className="findings" aria-label="Problems">
          {r.failures.map((f) => (
            <li key={f.code} className="finding tone-edge tone-bad" data-code={f.code}>
              <div className="finding-message">
                <code>{f.code}</code> {f.message}
              </div>
              <div className="finding-hint">Fix: {f.hint}</div>
            </li>
          ))}
        </ul>
      ) : null}
      {r.skipped.length > 0 ? (
        <p className="small muted">Not checked: {r.skipped.join('; ')}</p>
      ) : null}
    </div>
  )
}
