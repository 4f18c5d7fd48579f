import {
  sourceOf,
  type EventSource,
  type EventSourceIdp,
  type ProvisioningEvent,
} from '../../../../src-shared/provisioning-event.ts'
import { sourceLabel } from '../../lib/event-source.ts'
import { toneClass } from '../../lib/tone.ts'
import './source-badge.css'

/** An event or a log row: both say who sent the request. */
interface SourceOf {
  source?: EventSource | undefined
  sourceIdp?: EventSourceIdp | null | undefined
  runId?: string | null | undefined
}

/** "Okta", "Entra", "Test run", "Replay", "Other": who sent the request, as the backend decided. */
export function SourceBadge({ event }: { event: SourceOf }) {
  const source = sourceOf(event)
  const label = sourceLabel(source, event.sourceIdp)
  const run = event.runId ? ` ${event.runId}` : ''
  return (
    <span
      className={`source-badge ${toneClass(label.tone, 'fill')}`}
      data-testid="source-badge"
      data-source={source}
      title={`${label.long}${run}`}
    >
      {label.short}
    </span>
  )
}

/** The detail view's rows: the source, the harness run or replay id, and the User-Agent. */
export function SourceFields({ event }: { event: ProvisioningEvent }) {
  const source = sourceOf(event)
  return (
    <>
      <dt>Source</dt>
      <dd data-testid="detail-source" data-source={source}>
        <SourceBadge event={event} />
        {sourceLabel(source, event.sourceIdp).long}
      </dd>
      {event.runId ? (
        <>
          <dt>{source === 'replay' ? 'Replay' : 'Test run'}</dt>
          <dd>
            <code data-testid="detail-run-id">{event.runId}</code>
          </dd>
        </>
      ) : null}
      {event.userAgent ? (
        <>
          <dt>User-Agent</dt>
          <dd>
            <code className="source-ua" data-testid="detail-user-agent">
              {event.userAgent}
            </code>
          </dd>
        </>
      ) : null}
    </>
  )
}
