import { useState } from 'react'
import {
  oktaTokenAdvice,
  oktaTokenAdviceText,
  oktaTokenAppKinds,
  type OktaTokenAppKind,
} from '../../../src-shared/okta-token-advice.ts'
import { useActiveTarget } from '../use-connections.ts'
import { useOnboardingStatus } from '../use-onboarding.ts'
import { SecretCopyButton } from './SecretCopyButton.tsx'
import '../screens/tokens.css'

/**
 * The token advice for one Okta app kind and the exact value to paste, the same component on the
 * tokens screen and in the onboarding wizard (the text comes from src-shared/okta-token-advice.ts).
 */
export function TokenPasteAdvice({
  kind,
  secret,
  testIdPrefix,
}: {
  kind: OktaTokenAppKind
  secret: string
  testIdPrefix: string
}) {
  const pasted = oktaTokenAdvice(kind).valueToPaste(secret)
  return (
    <>
      <p data-testid={`${testIdPrefix}-advice`} data-kind={kind}>
        {oktaTokenAdviceText(kind)}
      </p>
      <div className="secret-row">
        <code className="secret-value" data-testid={`${testIdPrefix}-paste`}>
          {pasted}
        </code>
        <SecretCopyButton text={pasted} label="token for Okta" testId={`${testIdPrefix}-copy`} />
      </div>
    </>
  )
}

/** A just-made token, on screen once: after "Done" only its label and hash prefix remain. */
export function NewTokenPanel({
  token,
  rotatedFrom,
  onDone,
}: {
  token: { id: string; label: string; secret: string; hashPrefix: string }
  rotatedFrom?: string | undefined
  onDone: () => void
}) {
  const { target } = useActiveTarget()
  const saved = useOnboardingStatus(target).data?.scim.oktaApp ?? null
  const [picked, setPicked] = useState<OktaTokenAppKind | null>(null)
  const kind = picked ?? saved ?? 'header'
  return (
    <section className="card secret-card" data-testid="new-token" data-token-id={token.id}>
      <h2 className="card-title">
        {rotatedFrom ? 'New token, alongside the old one' : 'New SCIM token'}: {token.label}
      </h2>
      <p>
        Copy it now into Okta. This is the only time the console shows it unasked; it is kept in the
        keychain, and the backend has only its SHA-256.
      </p>
      <label className="field-label" htmlFor="new-token-app">
        Okta app
        {saved && picked === null ? ' (the one chosen in onboarding)' : ''}
      </label>
      <select
        id="new-token-app"
        className="text-input"
        data-testid="new-token-app"
        value={kind}
        onChange={(e) => setPicked(e.target.value as OktaTokenAppKind)}
      >
        {oktaTokenAppKinds.map((k) => (
          <option key={k} value={k}>
            {oktaTokenAdvice(k).appName}
          </option>
        ))}
      </select>
      <TokenPasteAdvice kind={kind} secret={token.secret} testIdPrefix="new-token" />
      <p className="muted small">The token itself (for the CLI or a script):</p>
      <div className="secret-row">
        <code className="secret-value" data-testid="new-token-secret">
          {token.secret}
        </code>
        <SecretCopyButton text={token.secret} label="token" testId="copy-new-token" />
      </div>
      {rotatedFrom ? (
        <p className="rotate-note tone-fill tone-info" data-testid="rotate-note">
          Both tokens work now. Put the new one into Okta, then watch “Last used by the IdP” below:
          once the new token shows a recent time (and the old one stops changing), revoke the old
          one. The console’s own tests count only in “Last used”.
        </p>
      ) : null}
      <div className="actions">
        <button type="button" className="button" data-testid="new-token-done" onClick={onDone}>
          Done, hide it
        </button>
      </div>
    </section>
  )
}
