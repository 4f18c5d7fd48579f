import type { Finding } from '../../../src-shared/metadata.ts'
import { sortBySeverity } from '../lib/format.ts'
import { severityTone, toneClass } from '../lib/tone.ts'

const severityLabel = { error: 'Error', warning: 'Warning', info: 'Note' } as const

export function FindingsList({ findings }: { findings: readonly Finding[] }) {
  if (findings.length === 0) {
    return (
      <p className="empty-note" data-testid="no-findings">
        No problems found.
      </p>
    )
  }
  return (
    <ul className="findings" data-testid="findings">
      {sortBySeverity(findings).map((f, i) => (
        <li
          key={`${f.code}-${i}`}
          className={`finding ${toneClass(severityTone(f.severity), 'edge')}`}
          data-testid="finding"
          data-severity={f.severity}
          data-code={f.code}
        >
          <span className={`severity ${toneClass(severityTone(f.severity), 'fill')}`}>
            {severityLabel[f.severity]}
          </span>
          <div className="finding-body">
            <p className="finding-message">{f.message}</p>
            <p className="finding-hint">{f.hint}</p>
            <p className="finding-meta">
              <code>{f.code}</code>
              {f.subject ? <span className="finding-subject">{f.subject}</span> : null}
            </p>
          </div>
        </li>
      ))}
    </ul>
  )
}
