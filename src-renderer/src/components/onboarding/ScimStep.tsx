import { useState } from 'react'
import type { OktaApp, OnboardingStatus } from '../../../../src-shared/channels/onboarding.ts'
import { oktaTokenAdvice } from '../../../../src-shared/okta-token-advice.ts'
import {
  OKTA_SETUP_PATH_NAMES,
  oktaScimSetup,
  oktaSetupPathOf,
} from '../../../../src-shared/okta-setup-paths.ts'
import { ApiError } from '../../api-error.ts'
import type { ActiveTarget } from '../../use-connections.ts'
import { useCreateToken, useTokenList } from '../../use-tokens.ts'
import { CopyButton } from '../CopyButton.tsx'
import { ErrorPanel } from '../ErrorPanel.tsx'
import { TokenPasteAdvice } from '../NewTokenPanel.tsx'
import { OktaSteps, StepFrame } from './StepFrame.tsx'
import './onboarding.css'
import { CloudReachabilityNote } from '../CloudReachabilityNote.tsx'

/** The catalog apps the vendors' Okta guides use on the OIN path. */
const CATALOG_APPS: OktaApp[] = ['header', 'oauth']

/**
 * The two setup paths of the vendors' guides, one radio each; the catalog path then asks which
 * catalog app. Each option's name and token field come from src-shared.
 */
function PathChooser({ app, onChange }: { app: OktaApp; onChange: (app: OktaApp) => void }) {
  const path = oktaSetupPathOf(app)
  const option = (id: OktaApp, title: string, detail: string) => (
    <label key={id} className={`ob-app ${app === id ? 'ob-app-on' : ''}`}>
      <input
        type="radio"
        name="okta-app"
        value={id}
        data-testid={`ob-app-${id}`}
        checked={app === id}
        onChange={() => onChange(id)}
      />
      <span>
        <strong>{title}</strong>
        <span className="muted small"> {detail}</span>
      </span>
    </label>
  )
  const field = (id: OktaApp) =>
    `Token field “${oktaTokenAdvice(id).fieldName}”: paste ${oktaTokenAdvice(id).pasteWhat}.`
  return (
    <div className="ob-paths" role="radiogroup" aria-label="Okta setup path">
      <fieldset className={`ob-path ${path === 'catalog' ? 'ob-path-on' : ''}`}>
        <legend>{OKTA_SETUP_PATH_NAMES.catalog}</legend>
        <div className="ob-apps">
          {CATALOG_APPS.map((id) => option(id, oktaTokenAdvice(id).appName, field(id)))}
        </div>
      </fieldset>
      <fieldset className={`ob-path ${path === 'aiw' ? 'ob-path-on' : ''}`}>
        <legend>{OKTA_SETUP_PATH_NAMES.aiw}</legend>
        <div className="ob-apps">
          {option(
            'aiw-http-header',
            'Enable SCIM provisioning, Authentication Mode “HTTP Header”',
            field('aiw-http-header'),
          )}
        </div>
      </fieldset>
    </div>
  )
}

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
  const setup = oktaScimSetup(app, status.scimBaseUrl)
  const fresh = create.data
  const tokenId = fresh?.id ?? chosen
  const held = (tokens.data?.tokens ?? []).filter((t) => t.inKeychain)
  const error = [tokens.error, create.error]
    .map((e) => (e instanceof ApiError ? e.data : null))
    .find((e) => e !== null)

  return (
    <StepFrame step={step}>
      <h3 className="ob-sub">How Okta provisions: choose one path</h3>
      <PathChooser app={app} onChange={setApp} />
      <p className="muted small" data-testid="ob-scim-path-summary" data-path={setup.path}>
        {setup.path === 'aiw'
          ? 'The SAML app people sign in with also provisions them: assigning a person to it does both.'
          : 'A second app, hidden from users, provisions them; people keep signing in with the SAML app.'}
      </p>

      <h3 className="ob-sub">Base URL and token</h3>
      <dl className="fields">
        <div className="field-pair">
          <dt data-testid="ob-base-url-field">
            {setup.baseUrlField}
            <span className="okta-field">{setup.baseUrlWhere}</span>
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
        title={
          setup.path === 'aiw'
            ? 'In Okta: enable SCIM on the SAML app'
            : `In Okta: the “${oktaTokenAdvice(app).appName}” app`
        }
        testId="ob-okta-scim-steps"
        items={setup.steps.map((s) => (
          <>
            <strong>{s.where}</strong>: {s.what}
          </>
        ))}
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
