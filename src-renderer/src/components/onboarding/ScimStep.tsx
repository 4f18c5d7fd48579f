import { useState } from 'react'
import type { OktaApp, OnboardingStatus } from '../../../../src-shared/channels/onboarding.ts'
import { oktaTokenAdvice } from '../../../../src-shared/okta-token-advice.ts'
import { ApiError } from '../../api-error.ts'
import type { ActiveTarget } from '../../use-connections.ts'
import { useCreateToken, useTokenList } from '../../use-tokens.ts'
import { CopyButton } from '../CopyButton.tsx'
import { ErrorPanel } from '../ErrorPanel.tsx'
import { TokenPasteAdvice } from '../NewTokenPanel.tsx'
import { OktaSteps, StepFrame } from './StepFrame.tsx'
import './onboarding.css'
import { CloudReachabilityNote } from '../CloudReachabilityNote.tsx'

/** The two catalog apps the vendors' Okta guides use; the advice comes from src-shared. */
const APP_KINDS: OktaApp[] = ['header', 'oauth']

export function ScimStep({
  status,
  target,
  busy,
  onConfirm,
}: {
  status: OnboardingStatus
  target: ActiveTarget
  busy: boolean
  onConfirm: (vars: { tokenId: string; oktaApp: OktaApp }) => void
}) {
  const step = status.steps.find((s) => s.id === 'scim')!
  const tokens = useTokenList(target)
  const create = useCreateToken(target)
  const [app, setApp] = useState<OktaApp>(status.scim.oktaApp ?? 'header')
  const [label, setLabel] = useState('Okta provisioning')
  const [chosen, setChosen] = useState<string | null>(status.scim.tokenId)
  const fresh = create.data
  const tokenId = fresh?.id ?? chosen
  const held = (tokens.data?.tokens ?? []).filter((t) => t.inKeychain)
  const error = [tokens.error, create.error]
    .map((e) => (e instanceof ApiError ? e.data : null))
    .find((e) => e !== null)

  return (
    <StepFrame step={step}>
      <h3 className="ob-sub">Which Okta app</h3>
      <div className="ob-apps" role="radiogroup" aria-label="Okta app">
        {APP_KINDS.map((id) => (
          <label key={id} className={`ob-app ${app === id ? 'ob-app-on' : ''}`}>
            <input
              type="radio"
              name="okta-app"
              value={id}
              data-testid={`ob-app-${id}`}
              checked={app === id}
              onChange={() => setApp(id)}
            />
            <span>
              <strong>{oktaTokenAdvice(id).appName}</strong>
              <span className="muted small">
                {' '}
                Token field “{oktaTokenAdvice(id).fieldName}”: paste {oktaTokenAdvice(id).pasteWhat}
                .
              </span>
            </span>
          </label>
        ))}
      </div>
      <p className="muted small">
        In Okta: <strong>Applications → Browse App Catalog</strong>, search for “
        {oktaTokenAdvice(app).appName}”, <strong>Add Integration</strong>, and hide it from users
        (they sign in with the SAML app).
      </p>

      <h3 className="ob-sub">Base URL and token</h3>
      <dl className="fields">
        <div className="field-pair">
          <dt>
            SCIM 2.0 Base URL<span className="okta-field">Provisioning → Integration</span>
          </dt>
          <dd className="copy-row">
            <code className="value" data-testid="ob-scim-base-url">
              {status.scimBaseUrl}
            </code>
            <CopyButton text={status.scimBaseUrl} label="SCIM base URL" testId="ob-copy-base-url" />
          </dd>
        </div>
      </dl>
      <CloudReachabilityNote
        url={status.scimBaseUrl}
        what="SCIM base URL"
        testId="ob-base-url-unreachable"
      />

      {fresh ? (
        <div className="ob-token" data-testid="ob-new-token" data-token-id={fresh.id}>
          <p>
            Token “{fresh.label}”: shown this once. The console keeps it in the keychain; the
            backend has only its SHA-256.
          </p>
          <TokenPasteAdvice kind={app} secret={fresh.secret} testIdPrefix="ob-token" />
        </div>
      ) : (
        <form
          className="ob-token-form"
          onSubmit={(e) => {
            e.preventDefault()
            create.mutate(label.trim())
          }}
        >
          <input
            className="text-input"
            aria-label="Token label"
            data-testid="ob-token-label"
            value={label}
            maxLength={200}
            onChange={(e) => setLabel(e.target.value)}
          />
          <button
            type="submit"
            className="button button-primary"
            data-testid="ob-token-generate"
            disabled={create.isPending || label.trim() === ''}
          >
            {create.isPending ? 'Generating…' : 'Generate token'}
          </button>
          {held.length > 0 ? (
            <select
              className="text-input"
              aria-label="Or use a token this console holds"
              data-testid="ob-token-existing"
              value={chosen ?? ''}
              onChange={(e) => setChosen(e.target.value || null)}
            >
              <option value="">or use a token already in the keychain…</option>
              {held.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.label} ({t.hashPrefix})
                </option>
              ))}
            </select>
          ) : null}
        </form>
      )}
      {error ? <ErrorPanel error={error} testId="ob-scim-error" /> : null}

      <OktaSteps
        title="In Okta: the SCIM app’s settings"
        items={[
          <>
            <strong>Sign On → Credentials Details</strong>: Application username format{' '}
            <strong>Email</strong>.
          </>,
          <>
            <strong>Provisioning → Configure API Integration</strong>: tick Enable API integration,
            paste the base URL and the token, press <strong>Test API Credentials</strong>, then
            Save.
          </>,
          <>
            Unique identifier field for users: <strong>userName</strong> (the email).
          </>,
          <>
            <strong>Provisioning → To App → Edit</strong>: enable <strong>Create Users</strong>,{' '}
            <strong>Update User Attributes</strong> and <strong>Deactivate Users</strong>. “To Okta”
            (import) is not needed.
          </>,
          <>
            <strong>Push Groups</strong> (optional): Push Groups → Find groups by name. A renamed
            group must be pushed again.
          </>,
        ]}
      />

      <div className="ob-confirm">
        <button
          type="button"
          className="button button-primary"
          data-testid="ob-scim-confirm"
          disabled={busy || !tokenId}
          onClick={() => tokenId && onConfirm({ tokenId, oktaApp: app })}
        >
          Token and base URL are in Okta
        </button>
      </div>
    </StepFrame>
  )
}
