import type { SsoEventView } from '../../../../src-shared/channels/sso-signin.ts'
import { formatEventTime } from '../../lib/log-format.ts'
import './sso.css'

/** The tenant's sign-in attempts, newest first; a row opens its explanation. */
export function SsoEventTable({
  events,
  selected,
  onSelect,
}: {
  events: SsoEventView[]
  selected: number | null
  onSelect: (seq: number) => void
}) {
  if (events.length === 0) {
    return (
      <p className="empty-note" data-testid="sso-events-empty">
        No sign-in attempt has reached this tenant’s ACS yet.
      </p>
    )
  }
  return (
    <table className="table sso-events" data-testid="sso-events" aria-label="Sign-in attempts">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Time (UTC)</th>
          <th scope="col">User</th>
          <th scope="col">Result</th>
          <th scope="col">Reason</th>
          <th scope="col">
            <span className="visually-hidden">Details</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {events.map((e) => (
          <tr
            key={e.seq}
            data-testid="sso-event-row"
            data-seq={e.seq}
            data-outcome={e.outcome}
            className={selected === e.seq ? 'sso-row-selected' : undefined}
          >
            <td>{e.seq}</td>
            <td className="nowrap" title={e.time} data-testid="sso-event-time">
              {formatEventTime(e.time)}
            </td>
            <td>{e.userName ?? '-'}</td>
            <td>
              <span
                className={`tag tone-fill ${e.outcome === 'success' ? 'tone-good' : 'tone-bad'}`}
              >
                {e.outcome === 'success' ? 'signed in' : 'refused'}
              </span>
            </td>
            <td>
              {e.reason ? <code>{e.reason}</code> : null}
              {e.outcome === 'success' ? (
                <span className="small muted">
                  {e.scimUser ? `SCIM user ${e.scimUser.userName}` : 'not provisioned by SCIM'}
                </span>
              ) : null}
            </td>
            <td>
              <button
                type="button"
                className="link-button small"
                aria-label={`Details of attempt ${e.seq}`}
                aria-expanded={selected === e.seq}
                onClick={() => onSelect(e.seq)}
              >
                Details
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}
