import type { HarnessReport } from '../../../../src-shared/harness.ts'
import { focusIfLost } from '../../use-focus-management.ts'
import './conformance.css'
import './conformance-results.css'

const idpName = { okta: 'Okta', entra: 'Entra ID', rfc: 'the SCIM RFCs' } as const

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`
}

/** The verdict first: ready or not for this IdP, or why nothing could be checked. */
export function RunOutcomeBanner({ report }: { report: HarnessReport }) {
  const s = report.summary
  const who = idpName[report.profile]
  const sub = [
    plural(s.pass, 'check') + ' passed',
    plural(s.warn, 'warning'),
    plural(s.fail + s.error, 'failure'),
    `${(report.durationMs / 1000).toFixed(1)} s`,
    report.readOnly ? 'read-only: writes not tested' : null,
  ]
    .filter(Boolean)
    .join(' · ')

  if (report.outcome === 'could_not_run') {
    const code = report.error?.code ?? 'internal'
    // The report carries the error as plain data (its code is any string), hence not ErrorPanel.
    return (
      <div
        ref={focusIfLost}
        tabIndex={-1}
        className="error-panel conf-could-not-run"
        role="alert"
        data-testid="conf-could-not-run"
        data-code={code}
      >
        <strong
          className="conf-could-not-run-title"
          data-testid="conf-outcome"
          data-outcome="could_not_run"
        >
          Could not run the checks against <code>{report.baseUrl}</code>
        </strong>
        <div className="conf-could-not-run-message" data-testid="conf-could-not-run-message">
          {report.error?.message ?? 'The harness stopped before its first check.'}
        </div>
        {report.error?.hint ? (
          <div className="error-hint" data-testid="conf-could-not-run-hint">
            {report.error.hint}
          </div>
        ) : null}
        <code className="error-code">{code}</code>
      </div>
    )
  }
  if (report.outcome === 'cancelled') {
    const ran = report.checks.filter((c) => c.status !== 'skip').length
    return (
      <div
        ref={focusIfLost}
        tabIndex={-1}
        className="status-banner tone-neutral"
        data-testid="conf-outcome"
        data-outcome="cancelled"
      >
        <strong>Stopped: {plural(ran, 'check')} ran before the stop, the rest were skipped</strong>
        <span className="status-sub">{sub}</span>
      </div>
    )
  }
  const failed = report.outcome === 'failed'
  return (
    <div
      ref={focusIfLost}
      tabIndex={-1}
      className={`status-banner ${failed ? 'tone-bad' : 'tone-good'}`}
      data-testid="conf-outcome"
      data-outcome={report.outcome}
    >
      <strong>
        {failed
          ? `${plural(s.fail + s.error, 'check')} failed: ${who} provisioning will break here`
          : report.profile === 'rfc'
            ? 'No failures: the endpoint follows the SCIM RFCs'
            : `No failures: ready for ${who} provisioning`}
      </strong>
      <span className="status-sub">{sub}</span>
    </div>
  )
}
