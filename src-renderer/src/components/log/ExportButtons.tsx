import type { EventFilter } from '../../../../src-shared/provisioning-event.ts'
import { ApiError } from '../../api-error.ts'
import type { ActiveTarget } from '../../use-connections.ts'
import { useLogExport } from '../../use-log-detail.ts'
import { ErrorPanel } from '../ErrorPanel.tsx'
import './log.css'
import './log-detail.css'

const FORMATS = [
  { id: 'jsonl', label: 'JSON lines' },
  { id: 'csv', label: 'CSV' },
  { id: 'har', label: 'HAR' },
] as const

/** Exports what the filters show, redacted, as a file for a ticket. */
export function ExportButtons({
  target,
  filter,
  disabled,
}: {
  target: ActiveTarget | null
  filter: EventFilter
  disabled: boolean
}) {
  const exp = useLogExport(target)
  const error = exp.error instanceof ApiError ? exp.error.data : null
  return (
    <div className="log-export">
      <span className="muted small">Export filtered</span>
      {FORMATS.map((f) => (
        <button
          key={f.id}
          type="button"
          className="button small-button"
          data-testid={`export-${f.id}`}
          disabled={disabled || exp.isPending}
          onClick={() => exp.mutate({ filter, format: f.id })}
        >
          {f.label}
        </button>
      ))}
      {exp.data ? (
        <span className="muted small" data-testid="export-done">
          {exp.data.count} events → {exp.data.fileName}
        </span>
      ) : null}
      {error ? <ErrorPanel error={error} testId="export-error" /> : null}
    </div>
  )
}
