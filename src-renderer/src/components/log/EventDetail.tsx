import { useEffect, useRef } from 'react'
import { ApiError } from '../../api-error.ts'
import { formatDuration, prettyBody, readablePath, statusTone } from '../../lib/log-format.ts'
import { formatDateTime } from '../../lib/format-time.ts'
import type { ActiveTarget } from '../../use-connections.ts'
import { useCopyCurl, useLogEvent } from '../../use-log-detail.ts'
import { ErrorPanel } from '../ErrorPanel.tsx'
import { methodTone, outcomeTone, toneClass } from '../../lib/tone.ts'
import { SourceFields } from './SourceBadge.tsx'
import './log.css'
import './log-detail.css'

/** One event: the request and response as the backend recorded them (redacted), and curl. */
export function EventDetail({
  target,
  seq,
  onStory,
  onClose,
}: {
  target: ActiveTarget | null
  seq: number
  onStory: (query: string) => void
  onClose: () => void
}) {
  const detail = useLogEvent(target, seq)
  const curl = useCopyCurl(target)
  const error =
    [detail.error, curl.error].map((e) => (e instanceof ApiError ? e.data : null)).find(Boolean) ??
    null
  const e = detail.data?.event
  const heading = useRef<HTMLHeadingElement>(null)
  // Opening an event moves focus into it, so a keyboard or screen-reader user lands on what opened.
  useEffect(() => heading.current?.focus(), [])
  return (
    <aside
      className="card log-detail"
      data-testid="event-detail"
      data-seq={seq}
      aria-labelledby={`event-detail-${seq}`}
      onKeyDown={(k) => {
        if (k.key === 'Escape') {
          k.preventDefault()
          onClose()
        }
      }}
    >
      <div className="log-detail-head">
        <h2 className="section-title" id={`event-detail-${seq}`} tabIndex={-1} ref={heading}>
          Event {seq}
        </h2>
        <button type="button" className="button small-button" onClick={onClose}>
          Close
        </button>
      </div>
      {detail.isPending ? <p className="pending">Loading…</p> : null}
      {error ? <ErrorPanel error={error} testId="event-detail-error" /> : null}
      {e ? (
        <>
          <div className="log-request-line">
            <span className={`method ${toneClass(methodTone(e.method), 'text')}`}>{e.method}</span>
            <code className="log-path-full">{readablePath(e.path)}</code>
            <span
              className={`status-code ${toneClass(statusTone(e.status), 'text')}`}
              data-testid="detail-status"
            >
              {e.status}
            </span>
          </div>
          <dl className="fields log-fields">
            <dt>Time</dt>
            <dd>{formatDateTime(e.time)}</dd>
            <dt>Duration</dt>
            <dd>{formatDuration(e.durationMs)}</dd>
            <SourceFields event={e} />
            <dt>Outcome</dt>
            <dd>
              <span
                className={`outcome outcome-${e.outcome} ${toneClass(outcomeTone(e.outcome), 'text')}`}
              >
                {e.outcome.replace('_', ' ')}
              </span>
            </dd>
            <dt>User</dt>
            <dd>
              {e.userName ? (
                <button
                  type="button"
                  className="link-button"
                  data-testid="detail-user-story"
                  onClick={() => onStory(e.userName!)}
                >
                  {e.userName} — open story
                </button>
              ) : (
                <span className="muted">none named</span>
              )}
            </dd>
            {e.resourceId ? (
              <>
                <dt>Resource</dt>
                <dd>
                  {e.resourceType} <code>{e.resourceId}</code>
                </dd>
              </>
            ) : null}
            {e.error ? (
              <>
                <dt>Error</dt>
                <dd className="log-error-detail" data-testid="detail-error">
                  {e.error.scimType ? <code>{e.error.scimType}</code> : null} {e.error.detail}
                </dd>
              </>
            ) : null}
          </dl>
          <h3 className="log-sub">Request headers</h3>
          <table className="table compact log-headers">
            <tbody>
              {detail.data!.requestHeaders.map((h) => (
                <tr key={h.name}>
                  <td className="mono">{h.name}</td>
                  <td className="mono">{h.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <p className="field-help">
            The backend records no other headers; the token shows as its hash prefix only.
          </p>
          <Body title="Request body" body={e.requestBody} testId="detail-request-body" />
          <Body title="Response body" body={e.responseBody} testId="detail-response-body" />
          <div className="actions">
            <button
              type="button"
              className="button"
              data-testid="copy-curl"
              disabled={curl.isPending}
              onClick={() => curl.mutate(seq)}
            >
              {curl.isSuccess ? 'Copied curl' : 'Copy as curl'}
            </button>
            <span className="field-help log-curl-help">
              The token is read from <code>$SCIM_TOKEN</code>; it is never in the command.
            </span>
          </div>
        </>
      ) : null}
    </aside>
  )
}

function Body({ title, body, testId }: { title: string; body: unknown; testId: string }) {
  const text = prettyBody(body)
  return (
    <>
      <h3 className="log-sub">{title}</h3>
      {text ? (
        // Focusable, so a long body can be scrolled from the keyboard.
        <pre className="log-body" data-testid={testId} tabIndex={0} aria-label={title}>
          {text}
        </pre>
      ) : (
        <p className="muted small">No body.</p>
      )}
    </>
  )
}
