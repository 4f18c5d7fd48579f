import { useState } from 'react'
import type { OnboardingStatus } from '../../../../src-shared/channels/onboarding.ts'
import type { AppErrorData } from '../../../../src-shared/errors.ts'
import { ApiError } from '../../api-error.ts'
import { countBySeverity } from '../../lib/format.ts'
import { useInspectMetadata } from '../../use-inspect-metadata.ts'
import { otherIdpWarning } from '../../../../src-shared/metadata.ts'
import { ErrorPanel } from '../ErrorPanel.tsx'
import { FindingsList } from '../FindingsList.tsx'
import { VERDICT_TONE } from '../MetadataSummary.tsx'
import { SourcePicker } from '../SourcePicker.tsx'
import { SpValues } from '../SpValues.tsx'
import { SsoPushPanel } from '../SsoPushPanel.tsx'
import { SignInTest } from '../sso/SignInTest.tsx'
import { OktaSteps, StepFrame } from './StepFrame.tsx'
import './onboarding.css'

/**
 * Okta needs the SP values to create the SAML app, and only then offers the IdP metadata: so the
 * values come first, then the import, its findings, and the push (the shared SsoPushPanel, which
 * shows the values again next to the result).
 */
export function SsoStep({
  status,
  busy,
  onConfirm,
  onPin,
}: {
  status: OnboardingStatus
  busy: boolean
  onConfirm: () => void
  /** Keeps this step open while a sign-in test runs, so its result is seen; false moves on. */
  onPin?: (pinned: boolean) => void
}) {
  const step = status.steps.find((s) => s.id === 'sso')!
  const inspection = useInspectMetadata()
  const [localError, setLocalError] = useState<AppErrorData | null>(null)
  const error = localError ?? (inspection.error instanceof ApiError ? inspection.error.data : null)
  const metadata = localError || inspection.isPending ? undefined : inspection.data
  const counts = metadata ? countBySeverity(metadata.findings) : null
  const otherIdp = metadata ? otherIdpWarning(metadata, 'okta', 'Okta') : null

  return (
    <StepFrame step={step}>
      <OktaSteps
        title="In Okta: the SAML app users sign in with"
        items={[
          <>
            <strong>Applications → Applications → Create App Integration</strong>, choose{' '}
            <strong>SAML 2.0</strong> and name the app.
          </>,
          <>
            In <strong>Configure SAML</strong>, paste the values below: Single sign-on URL, Audience
            URI (SP Entity ID), Default RelayState; set <strong>Name ID format</strong> to{' '}
            <strong>EmailAddress</strong> and <strong>Application username</strong> to{' '}
            <strong>Email</strong>.
          </>,
          <>
            Finish, then on the app’s <strong>Sign On</strong> tab open the{' '}
            <strong>Metadata URL</strong> and save the IdP metadata XML (or copy the URL).
          </>,
        ]}
      />
      {metadata ? null : <SpValues sp={status.sp} />}

      <h3 className="ob-sub">Import Okta’s IdP metadata</h3>
      {status.sso.configured && !metadata ? (
        <p className="muted small" data-testid="ob-sso-current">
          The tenant already trusts <code>{status.sso.entityId}</code>. Import again only to change
          it.
        </p>
      ) : null}
      <SourcePicker
        busy={inspection.isPending}
        onError={setLocalError}
        onSource={(source) => {
          setLocalError(null)
          inspection.inspect(source)
        }}
      />
      {inspection.isPending ? (
        <p className="pending" role="status">
          Inspecting…
        </p>
      ) : null}
      {error ? <ErrorPanel error={error} testId="ob-inspect-error" /> : null}
      {metadata && counts ? (
        <>
          <div
            className={`status-banner ${VERDICT_TONE[otherIdp && metadata.verdict.level === 'ok' ? 'warn' : metadata.verdict.level]}`}
            data-testid="ob-metadata-status"
            data-ok={metadata.ok}
            data-level={metadata.verdict.level}
          >
            <strong>
              {metadata.verdict.level === 'ok'
                ? `Usable: ${metadata.entityId ?? 'this IdP'}`
                : metadata.verdict.summary}
            </strong>
            <span className="status-sub">
              {counts.error} error{counts.error === 1 ? '' : 's'} · {counts.warning} warning
              {counts.warning === 1 ? '' : 's'} · {metadata.signingCertificates.length} signing
              certificate{metadata.signingCertificates.length === 1 ? '' : 's'}
            </span>
          </div>
          {otherIdp ? (
            <p className="tone-fill tone-warn" data-testid="ob-other-idp" role="status">
              {otherIdp}
            </p>
          ) : null}
          <FindingsList findings={metadata.findings} />
        </>
      ) : null}
      {metadata && inspection.source ? (
        <SsoPushPanel
          key={`${metadata.source}|${metadata.sizeBytes}|${metadata.entityId ?? ''}`}
          source={inspection.source}
          entityId={metadata.idps.length > 1 ? (metadata.entityId ?? undefined) : undefined}
          usable={metadata.ok}
        />
      ) : null}

      <div className="ob-confirm">
        <p className="muted small">
          {status.sso.configured
            ? 'The tenant trusts the IdP. Confirm once the SP values above are saved in Okta’s SAML app.'
            : 'Push the IdP metadata to the tenant first; then confirm the SP values are in Okta.'}
        </p>
        <button
          type="button"
          className="button button-primary"
          data-testid="ob-sso-confirm"
          disabled={busy || !status.sso.configured}
          onClick={onConfirm}
        >
          The SP values are in Okta
        </button>
      </div>
      {status.sso.copiedAt ? <SignInTest status={status} disabled={busy} onPin={onPin} /> : null}
    </StepFrame>
  )
}
