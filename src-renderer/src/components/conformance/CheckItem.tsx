import type { CheckResult, CheckStatus, Exchange } from '../../../../src-shared/harness.ts'
import { ExchangeInspector } from './ExchangeInspector.tsx'
import { checkTone, toneClass } from '../../lib/tone.ts'
import './conformance.css'
import './conformance-results.css'

const statusLabel: Record<CheckStatus, string> = {
  pass: 'Pass',
  fail: 'Fail',
  warn: 'Warn',
  info: 'Info',
  skip: 'Skipped',
  error: 'Error',
}

/**
 * One check: a line that opens into what was expected, what came back, what the IdP will do,
 * how to fix it, and the HTTP exchanges behind it (those arrive with the report, at the end).
 */
export function CheckItem({
  check,
  exchanges,
  open,
  onToggle,
}: {
  check: CheckResult
  /** Undefined while the run is going: the exchanges come with the report. */
  exchanges: Exchange[] | undefined
  open: boolean
  onToggle(): void
}) {
  const detailsId = `conf-check-${check.id}`
  return (
    <li
      className={`conf-check conf-check-${check.status}`}
      data-testid="conf-check"
      data-check-id={check.id}
      data-status={check.status}
    >
      <button
        type="button"
        className="conf-check-line"
        aria-expanded={open}
        aria-controls={detailsId}
        data-testid="conf-check-toggle"
        onClick={onToggle}
      >
        <span className={`conf-status ${toneClass(checkTone(check.status), 'fill')}`}>
          {statusLabel[check.status]}
        </span>
        <span className="conf-check-title">{check.title}</span>
        <code className="conf-check-id">{check.id}</code>
        <span className="conf-chevron" aria-hidden="true">
          {open ? '▾' : '▸'}
        </span>
      </button>
      {open ? (
        <div className="conf-check-details" id={detailsId} data-testid="conf-check-details">
          {check.message ? <p className="conf-message">{check.message}</p> : null}
          <dl className="fields conf-fields">
            <dt>Spec</dt>
            <dd>{check.spec}</dd>
            <dt>Severity</dt>
            <dd>
              <span className="tag">{check.severity}</span>{' '}
              <span className="muted">in this profile</span>
            </dd>
            {check.protects ? (
              <>
                <dt>Protects</dt>
                <dd>{check.protects}</dd>
              </>
            ) : null}
            {check.expected !== undefined ? (
              <>
                <dt>Expected</dt>
                <dd>
                  <code className="conf-wrap">{check.expected}</code>
                </dd>
              </>
            ) : null}
            {check.actual !== undefined ? (
              <>
                <dt>Actual</dt>
                <dd>
                  <code className="conf-wrap">{check.actual}</code>
                </dd>
              </>
            ) : null}
            {check.idpImpact ? (
              <>
                <dt>What the IdP does</dt>
                <dd data-testid="conf-check-impact">{check.idpImpact}</dd>
              </>
            ) : null}
            {check.fix ? (
              <>
                <dt>How to fix</dt>
                <dd data-testid="conf-check-fix">{check.fix}</dd>
              </>
            ) : null}
            {check.notes.length > 0 ? (
              <>
                <dt>Notes</dt>
                <dd>
                  <ul className="conf-notes">
                    {check.notes.map((n) => (
                      <li key={n}>{n}</li>
                    ))}
                  </ul>
                </dd>
              </>
            ) : null}
          </dl>
          <h3 className="conf-subtitle">
            Requests <span className="count">{check.exchangeIds.length}</span>
          </h3>
          {exchanges ? (
            <ExchangeInspector exchanges={exchanges} />
          ) : (
            <p className="empty-note">The requests appear when the run has finished.</p>
          )}
        </div>
      ) : null}
    </li>
  )
}
