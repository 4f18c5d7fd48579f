import { useState } from 'react'
import type { ChannelOutput } from '../../../src-shared/contract.ts'
import { ApiError } from '../api-error.ts'
import { formatDateTime } from '../lib/format-time.ts'
import { noIdpUseText } from '../lib/idp-use.ts'
import type { ActiveTarget } from '../use-connections.ts'
import { useRevealToken, useRevokeToken, useTokenList } from '../use-tokens.ts'
import { ErrorPanel } from './ErrorPanel.tsx'
import { SecretCopyButton } from './SecretCopyButton.tsx'
import '../screens/tokens.css'

type Token = ChannelOutput<'tokens.list'>['tokens'][number]
type RevokedToken = ChannelOutput<'tokens.list'>['revoked'][number]

/** Revoked tokens stay visible: when each went, and which token replaced it. */
function RevokedTokens({ revoked }: { revoked: RevokedToken[] }) {
  if (revoked.length === 0) return null
  return (
    <details className="revoked-tokens" data-testid="revoked-tokens">
      <summary>
        {revoked.length} revoked token{revoked.length === 1 ? '' : 's'}
      </summary>
      <table className="table">
        <thead>
          <tr>
            <th>Label</th>
            <th>Revoked</th>
            <th>Last used</th>
            <th>Replaced by</th>
          </tr>
        </thead>
        <tbody>
          {revoked.map((t) => (
            <tr
              key={t.id}
              data-testid="revoked-token-row"
              data-token-id={t.id}
              data-label={t.label}
            >
              <td>
                <div className="token-label">{t.label}</div>
                <code className="muted small">sha256 {t.hashPrefix}…</code>
              </td>
              <td className="when" data-testid="revoked-at">
                <When iso={t.revokedAt} />
              </td>
              <td className="when">
                {t.lastUsedAt ? <When iso={t.lastUsedAt} /> : <span className="muted">Never</span>}
              </td>
              <td data-testid="revoked-replaced-by">
                {t.replacedBy ? t.replacedBy.label : <span className="muted">No newer token</span>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  )
}

/** Date and time that wrap between the two on a narrow window, never inside either. */
function When({ iso }: { iso: string | null }) {
  const [date, time] = formatDateTime(iso).split(', ')
  return (
    <time dateTime={iso ?? undefined} title={iso ?? undefined}>
      <span className="nowrap">{time === undefined ? date : `${date},`}</span>
      {time === undefined ? null : (
        <>
          {' '}
          <span className="nowrap">{time}</span>
        </>
      )}
    </time>
  )
}

export function TokenTable({
  target,
  tokens,
  idpWindow,
  onRotate,
  rotating,
}: {
  target: ActiveTarget
  tokens: Token[]
  /** The IdP requests `lastIdpRequestAt` was looked for in. */
  idpWindow: ChannelOutput<'tokens.list'>['idpWindow']
  onRotate: (tokenId: string) => void
  rotating: boolean
}) {
  const revoke = useRevokeToken(target)
  const reveal = useRevealToken(target)
  const [confirm, setConfirm] = useState<string | null>(null)
  const [revealed, setRevealed] = useState<{ id: string; secret: string } | null>(null)
  const revoked = useTokenList(target).data?.revoked ?? []
  const error =
    (revoke.error instanceof ApiError ? revoke.error.data : null) ??
    (reveal.error instanceof ApiError ? reveal.error.data : null)

  if (tokens.length === 0) {
    return (
      <>
        <p className="muted" data-testid="no-tokens">
          {revoked.length > 0 ? 'No live tokens.' : 'No tokens yet.'}
        </p>
        <RevokedTokens revoked={revoked} />
      </>
    )
  }
  return (
    <>
      <table className="table" data-testid="token-table">
        <thead>
          <tr>
            <th>Label</th>
            <th>Created</th>
            <th title="Any request with the token, the console’s own tests included">Last used</th>
            <th title="The IdP’s own requests only: what shows it uses this token">
              Last used by the IdP
            </th>
            <th>Keychain</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {tokens.map((t) => (
            <tr key={t.id} data-testid="token-row" data-token-id={t.id} data-label={t.label}>
              <td>
                <div className="token-label">{t.label}</div>
                <code className="muted small" title="First 8 hex digits of the token’s SHA-256">
                  sha256 {t.hashPrefix}…
                </code>
                {revealed?.id === t.id ? (
                  <div className="secret-row">
                    <code className="secret-value" data-testid="revealed-secret">
                      {revealed.secret}
                    </code>
                    <SecretCopyButton text={revealed.secret} label="token" />
                    <button
                      type="button"
                      className="button small-button"
                      onClick={() => setRevealed(null)}
                    >
                      Hide
                    </button>
                  </div>
                ) : null}
              </td>
              <td className="when">
                <When iso={t.createdAt} />
              </td>
              <td className="when" data-testid="token-last-used">
                {t.lastUsedAt ? <When iso={t.lastUsedAt} /> : <span className="muted">Never</span>}
              </td>
              <td className="when" data-testid="token-idp-use">
                {t.lastIdpRequestAt ? (
                  <When iso={t.lastIdpRequestAt} />
                ) : (
                  <span className="muted">{noIdpUseText(idpWindow)}</span>
                )}
              </td>
              <td data-testid="token-in-keychain">
                {t.inKeychain ? (
                  <span className="tag tone-fill tone-good">stored</span>
                ) : (
                  <span className="tag" title="Made elsewhere, or its keychain entry was removed">
                    not here
                  </span>
                )}
              </td>
              <td>
                <div className="row-actions">
                  {t.inKeychain && revealed?.id !== t.id ? (
                    <button
                      type="button"
                      className="button small-button"
                      data-testid="token-reveal"
                      disabled={reveal.isPending}
                      onClick={() =>
                        reveal.mutate(t.id, {
                          onSuccess: (r) => setRevealed({ id: t.id, secret: r.secret }),
                        })
                      }
                    >
                      Reveal
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="button small-button"
                    data-testid="token-rotate"
                    disabled={rotating}
                    onClick={() => onRotate(t.id)}
                  >
                    Rotate
                  </button>
                  {confirm === t.id ? (
                    <span className="confirm" data-testid="revoke-confirm-box">
                      <span className="small">Okta gets 401 with this token from now on.</span>
                      <button
                        type="button"
                        className="button small-button button-danger"
                        data-testid="token-revoke-confirm"
                        disabled={revoke.isPending}
                        onClick={() =>
                          revoke.mutate(t.id, {
                            onSettled: () => setConfirm(null),
                            onSuccess: () => setRevealed(null),
                          })
                        }
                      >
                        Revoke
                      </button>
                      <button
                        type="button"
                        className="button small-button"
                        onClick={() => setConfirm(null)}
                      >
                        Keep
                      </button>
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="button small-button"
                      data-testid="token-revoke"
                      onClick={() => setConfirm(t.id)}
                    >
                      Revoke…
                    </button>
                  )}
                </div>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <RevokedTokens revoked={revoked} />
      {error ? <ErrorPanel error={error} testId="token-action-error" /> : null}
    </>
  )
}
