import { SecretCopyButton } from './SecretCopyButton.tsx'
import '../screens/tokens.css'

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
  return (
    <section className="card secret-card" data-testid="new-token" data-token-id={token.id}>
      <h2 className="card-title">
        {rotatedFrom ? 'New token, alongside the old one' : 'New SCIM token'}: {token.label}
      </h2>
      <p>
        Copy it now into Okta (the SCIM app’s Provisioning tab, “API Token”). This is the only time
        the console shows it unasked; it is kept in the keychain, and the backend has only its
        SHA-256.
      </p>
      <div className="secret-row">
        <code className="secret-value" data-testid="new-token-secret">
          {token.secret}
        </code>
        <SecretCopyButton text={token.secret} label="token" testId="copy-new-token" />
      </div>
      {rotatedFrom ? (
        <p className="rotate-note tone-fill tone-info" data-testid="rotate-note">
          Both tokens work now. Put the new one into Okta, then watch “Last used” below: once the
          new token shows a recent time (and the old one stops changing), revoke the old one.
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
