import type { ChannelOutput } from '../../../src-shared/contract.ts'
import { formatDateTime } from '../lib/format-time.ts'
import { toneClass } from '../lib/tone.ts'
import { useTestTrafficCount, type ActiveTarget } from '../use-connections.ts'
import { useLogUi } from '../use-log-ui.ts'
import { useUiStore } from '../use-ui-store.ts'
import { SourceBadge } from './log/SourceBadge.tsx'

type Overview = ChannelOutput<'connections.overview'>
type LastRequest = NonNullable<Overview['idp']['lastRequest']>

/** "Okta", "Entra ID", or "the IdP" for one the backend does not name or did not record. */
function idpName(e: LastRequest): string {
  if (e.source === 'idp' && e.sourceIdp === 'okta') return 'Okta'
  if (e.source === 'idp' && e.sourceIdp === 'entra') return 'Entra ID'
  return 'the IdP'
}

/**
 * The tenant's recent requests as the log shows them by default: the IdP's (and other clients'),
 * without the console's own test runs and replays, whose expected 400/404/409s would read as the
 * IdP failing. The IdP's last request is told from its own traffic only; how many test requests
 * were left out is said, with one click to see them in the log.
 */
export function IdpActivityCard({
  overview,
  target,
  refresh,
}: {
  overview: Overview
  target: ActiveTarget
  refresh: number
}) {
  const last = overview.idp.lastRequest
  const tests = useTestTrafficCount(target, refresh)
  const hidden = tests.data ?? 0
  const setScreen = useUiStore((s) => s.setScreen)
  const showTestTraffic = () => {
    const log = useLogUi.getState()
    log.openStory(null)
    log.setFilter({})
    log.setShowTestTraffic(true)
    setScreen('log')
  }
  return (
    <section className="card" data-testid="overview-activity">
      <h2 className="card-title">Recent provisioning activity</h2>
      <p data-testid="overview-last-idp-request" data-seq={last?.seq ?? ''}>
        {last ? (
          <>
            Last request from {idpName(last)}: {formatDateTime(last.time)} ·{' '}
            <code>
              {last.method} {last.path}
            </code>{' '}
            <span
              className={`status-code ${toneClass(last.status >= 400 ? 'bad' : 'good', 'text')}`}
            >
              {last.status}
            </span>{' '}
            {last.outcome}
          </>
        ) : (
          <span className="muted">
            No request from the IdP yet: its requests show here once provisioning is on and users
            are assigned.
          </span>
        )}
      </p>
      {overview.recentEvents.length === 0 ? (
        <p className="muted">No SCIM requests yet.</p>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th>Time</th>
              <th>Source</th>
              <th>Request</th>
              <th>User</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {overview.recentEvents.map((e) => (
              <tr
                key={e.seq}
                data-testid="recent-event"
                data-status={e.status}
                data-source={e.source}
              >
                <td className="nowrap">{formatDateTime(e.time)}</td>
                <td>
                  <SourceBadge event={e} />
                </td>
                <td className="recent-request">
                  <code>
                    {e.method} {e.path}
                  </code>
                </td>
                <td>{e.userName ?? <span className="muted">—</span>}</td>
                <td>
                  <span
                    className={`status-code ${toneClass(e.status >= 400 ? 'bad' : 'good', 'text')}`}
                  >
                    {e.status}
                  </span>{' '}
                  {e.outcome}
                  {e.errorDetail ? <div className="muted small">{e.errorDetail}</div> : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hidden > 0 ? (
        <p className="muted small" data-testid="overview-test-traffic" data-count={hidden}>
          {hidden.toLocaleString('en')} test-run request{hidden === 1 ? '' : 's'} not shown (the
          pre-go-live test and “replay this user”).{' '}
          <button
            type="button"
            className="button small-button"
            data-testid="overview-show-test-traffic"
            onClick={showTestTraffic}
          >
            Show them in the log
          </button>
        </p>
      ) : null}
    </section>
  )
}
