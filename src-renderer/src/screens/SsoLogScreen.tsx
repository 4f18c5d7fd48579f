import { useQuery } from '@tanstack/react-query'
import { useId, useState } from 'react'
import { ApiError, unwrap } from '../api-error.ts'
import { useApi } from '../api-context.tsx'
import { ErrorPanel } from '../components/ErrorPanel.tsx'
import { SamlInspector } from '../components/sso/SamlInspector.tsx'
import { SignInStoryPanel } from '../components/sso/SignInStoryPanel.tsx'
import { SsoEventDetail } from '../components/sso/SsoEventDetail.tsx'
import { SsoEventTable } from '../components/sso/SsoEventTable.tsx'
import { useActiveTarget } from '../use-connections.ts'
import '../components/sso/sso.css'

/** New attempts show up without a reload; the ACS writes them as people sign in. */
const REFRESH_MS = 5000

/**
 * The tenant's sign-in attempts, one user's story with its diagnosis (sso.explain), and the
 * offline SAML inspector.
 */
export function SsoLogScreen() {
  const api = useApi()
  const { target, list } = useActiveTarget()
  const searchId = useId()
  const [draft, setDraft] = useState('')
  const [user, setUser] = useState<string | null>(null)
  const [selected, setSelected] = useState<number | null>(null)
  const events = useQuery({
    queryKey: ['sso.events', target?.connection, target?.tenantId],
    queryFn: () => unwrap(api['sso.events']({ ...target!, limit: 100 })),
    enabled: target !== null,
    refetchInterval: REFRESH_MS,
  })
  const story = useQuery({
    queryKey: ['sso.explain', target?.connection, target?.tenantId, user],
    queryFn: () => unwrap(api['sso.explain']({ ...target!, user: user! })),
    enabled: target !== null && user !== null,
  })
  const error =
    [list.error, events.error, story.error]
      .map((e) => (e instanceof ApiError ? e.data : null))
      .find((e) => e !== null) ?? null

  return (
    <div className="screen screen-wide" data-testid="sso-log-screen">
      <header className="screen-header">
        <h1>Sign-in log</h1>
        <p className="lede">
          Every SAML sign-in that reached the tenant’s ACS, why a refused one was refused, and how
          to fix it in Okta or Entra.
        </p>
      </header>
      {error ? <ErrorPanel error={error} /> : null}
      {!target ? (
        <p className="empty-note">Choose a connection and tenant first (Connection).</p>
      ) : (
        <>
          <section className="card" aria-labelledby={`${searchId}-h`}>
            <h2 className="section-title" id={`${searchId}-h`}>
              Why can’t this user sign in?
            </h2>
            <form
              className="sso-search"
              role="search"
              onSubmit={(e) => {
                e.preventDefault()
                const q = draft.trim()
                setUser(q === '' ? null : q)
              }}
            >
              <label className="field-label" htmlFor={searchId}>
                userName or e-mail
              </label>
              <input
                id={searchId}
                className="text-input"
                data-testid="sso-story-user"
                value={draft}
                onChange={(e) => setDraft(e.target.value)}
                placeholder="ada@example.com"
              />
              <button type="submit" className="button button-primary" data-testid="sso-story-go">
                Explain
              </button>
            </form>
            {story.isFetching ? (
              <p className="pending" role="status">
                Reading the sign-in and provisioning logs…
              </p>
            ) : null}
            {story.data ? <SignInStoryPanel story={story.data} /> : null}
          </section>

          <section className="card" aria-label="Sign-in attempts">
            <h2 className="section-title">Sign-in attempts</h2>
            {events.data ? (
              <SsoEventTable
                events={events.data.items}
                selected={selected}
                onSelect={(seq) => setSelected(seq === selected ? null : seq)}
              />
            ) : (
              <p className="pending">Loading…</p>
            )}
            {selected !== null ? <SsoEventDetail target={target} seq={selected} /> : null}
          </section>
        </>
      )}
      <SamlInspector target={target} />
    </div>
  )
}
