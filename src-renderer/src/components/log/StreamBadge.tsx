import type { StreamState } from '../../../../src-shared/provisioning-event.ts'
import { describeStreamState } from '../../lib/log-format.ts'
import { toneClass } from '../../lib/tone.ts'
import './log.css'

export function StreamBadge({ state }: { state: StreamState | null }) {
  const d = describeStreamState(state)
  return (
    <span
      className="log-stream"
      data-testid="stream-state"
      data-state={state?.state ?? 'connecting'}
    >
      <span
        className={`log-dot ${toneClass(d.tone)} ${state?.state === 'live' ? 'log-dot-live' : ''}`}
        aria-hidden="true"
      />
      <strong>{d.label}</strong>
      {d.detail ? (
        <span className="muted small" data-testid="stream-detail">
          {d.detail}
        </span>
      ) : null}
    </span>
  )
}
