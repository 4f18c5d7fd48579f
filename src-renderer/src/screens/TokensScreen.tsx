import { useState } from 'react'
import { ApiError } from '../api-error.ts'
import { CopyButton } from '../components/CopyButton.tsx'
import { ErrorPanel } from '../components/ErrorPanel.tsx'
import { NewTokenPanel } from '../components/NewTokenPanel.tsx'
import { TokenTable } from '../components/TokenTable.tsx'
import { useActiveTarget } from '../use-connections.ts'
import { useCreateToken, useRotateToken, useTokenList } from '../use-tokens.ts'
import { focusHeadingIfLost } from '../use-focus-management.ts'
import './tokens.css'

export function TokensScreen() {
  const { target, list } = useActiveTarget()
  const tokens = useTokenList(target, { live: true })
  const create = useCreateToken(target)
  const rotate = useRotateToken(target)
  const [label, setLabel] = useState('')
  // Which mutation's secret is on screen; cleared by "Done" (and gone when leaving the screen).
  const [shown, setShown] = useState<'create' | 'rotate' | null>(null)
  const fresh = shown === 'create' ? create.data : shown === 'rotate' ? rotate.data : undefined
  const error =
    [list.error, tokens.error, create.error, rotate.error]
      .map((e) => (e instanceof ApiError ? e.data : null))
      .find((e) => e !== null) ?? null

  return (
    <div className="screen" data-testid="tokens-screen">
      <header className="screen-header">
        <h1>SCIM tokens</h1>
        <p className="lede">
          Bearer tokens Okta uses to provision users into the tenant. The console makes them, keeps
          them in the OS keychain and registers only their SHA-256 with the backend.
        </p>
      </header>

      {target ? (
        <div className="tenant-heading">
          <span className="muted">
            Tenant <code>{target.tenantId}</code> on <strong>{target.connection}</strong>
          </span>
          {tokens.data ? (
            <span className="copy-row">
              <span className="muted">SCIM base URL</span>
              <code data-testid="tokens-scim-base-url">{tokens.data.scimBaseUrl}</code>
              <CopyButton text={tokens.data.scimBaseUrl} label="SCIM base URL" />
            </span>
          ) : null}
        </div>
      ) : list.isPending ? (
        <p className="pending">Connecting…</p>
      ) : null}

      {fresh ? (
        // A wrapper, so the new token's heading takes the focus the Generate button lost.
        <div ref={focusHeadingIfLost} key={fresh.id}>
          <NewTokenPanel
            token={fresh}
            rotatedFrom={shown === 'rotate' ? rotate.data?.replaces : undefined}
            onDone={() => {
              setShown(null)
              create.reset()
              rotate.reset()
            }}
          />
        </div>
      ) : null}

      <form
        className="card inline generate-form"
        onSubmit={(e) => {
          e.preventDefault()
          rotate.reset()
          create.mutate(label, {
            onSuccess: () => {
              setLabel('')
              setShown('create')
            },
          })
        }}
      >
        <label className="field-label" htmlFor="token-label">
          New token
        </label>
        <input
          id="token-label"
          className="text-input"
          data-testid="token-label"
          placeholder="Label, e.g. Okta production"
          value={label}
          maxLength={200}
          onChange={(e) => setLabel(e.target.value)}
        />
        <button
          type="submit"
          className="button button-primary"
          data-testid="token-generate"
          disabled={!target || create.isPending || label.trim() === ''}
        >
          {create.isPending ? 'Generating…' : 'Generate'}
        </button>
      </form>

      {error ? <ErrorPanel error={error} testId="tokens-error" /> : null}

      {target && tokens.data ? (
        <section className="card">
          <h2 className="section-title">
            Tokens <span className="count">{tokens.data.tokens.length}</span>
          </h2>
          <TokenTable
            target={target}
            tokens={tokens.data.tokens}
            idpWindow={tokens.data.idpWindow}
            rotating={rotate.isPending}
            onRotate={(id) => {
              create.reset()
              rotate.mutate(id, { onSuccess: () => setShown('rotate') })
            }}
          />
          <p className="muted small rotate-help">
            Rotate makes a new token alongside the old one; both work until you revoke the old one.
            Revoke it once Okta’s requests show the new token in “Last used by the IdP”.
          </p>
          {tokens.data.orphanedKeychainEntries > 0 ? (
            <p className="muted small">
              {tokens.data.orphanedKeychainEntries} keychain entr
              {tokens.data.orphanedKeychainEntries === 1 ? 'y belongs' : 'ies belong'} to tokens the
              backend no longer knows (revoked elsewhere).
            </p>
          ) : null}
        </section>
      ) : null}
    </div>
  )
}
