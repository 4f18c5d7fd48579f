import { ApiError } from '../../api-error.ts'
import { useExportReport, type ExportFormat } from '../../use-conformance-run.ts'
import { ErrorPanel } from '../ErrorPanel.tsx'
import './conformance.css'
import './conformance-results.css'

const formats: { id: ExportFormat; label: string; title: string }[] = [
  { id: 'json', label: 'JSON', title: 'The versioned report, for tools' },
  { id: 'junit', label: 'JUnit', title: 'JUnit XML, for CI' },
  { id: 'html', label: 'HTML', title: 'A self-contained page to attach to a ticket' },
  { id: 'har', label: 'HAR', title: 'Every request and response, for browser dev tools' },
]

/** Reports are written in main (token already redacted) and downloaded here. */
export function ExportButtons({ runId }: { runId: string }) {
  const exporting = useExportReport(runId)
  return (
    <div className="conf-export" data-testid="conf-export">
      <span className="muted">Export</span>
      {formats.map((f) => (
        <button
          key={f.id}
          type="button"
          className="button small-button"
          title={f.title}
          data-testid={`conf-export-${f.id}`}
          disabled={exporting.isPending}
          onClick={() => exporting.mutate(f.id)}
        >
          {f.label}
        </button>
      ))}
      {exporting.error instanceof ApiError ? (
        <ErrorPanel error={exporting.error.data} testId="conf-export-error" />
      ) : null}
    </div>
  )
}
