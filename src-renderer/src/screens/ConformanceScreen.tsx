import { ApiError } from '../api-error.ts'
import { CleanupSummary } from '../components/conformance/CleanupSummary.tsx'
import { ExportButtons } from '../components/conformance/ExportButtons.tsx'
import { ResultsByArea } from '../components/conformance/ResultsByArea.tsx'
import { RunForm } from '../components/conformance/RunForm.tsx'
import { RunOutcomeBanner } from '../components/conformance/RunOutcomeBanner.tsx'
import { RunProgressBar } from '../components/conformance/RunProgressBar.tsx'
import { StatusCounts } from '../components/conformance/StatusCounts.tsx'
import { ErrorPanel } from '../components/ErrorPanel.tsx'
import { countStatuses } from '../lib/harness-progress.ts'
import { useActiveTarget } from '../use-connections.ts'
import { useConformanceRun } from '../use-conformance-run.ts'
import { useTokenList } from '../use-tokens.ts'
import '../components/conformance/conformance.css'
import '../components/conformance/conformance-results.css'

export function ConformanceScreen() {
  const { target } = useActiveTarget()
  const tokens = useTokenList(target)
  const run = useConformanceRun()
  const report = run.report
  // While running, results come from the stream; once done, from the report (with exchanges).
  const checks = report?.checks ?? run.progress.results
  const keychainTokens = (tokens.data?.tokens ?? []).filter((t) => t.inKeychain)
  const tokensError = tokens.error instanceof ApiError ? tokens.error.data : null

  return (
    <div className="screen" data-testid="conformance-screen">
      <header className="screen-header">
        <h1>SCIM conformance</h1>
        <p className="lede">
          Send the requests Okta or Entra ID will send, before they do, and see what will break and
          how to fix it. Everything the run creates is named <code>scimc-…</code> and deleted at the
          end.
        </p>
      </header>

      <RunForm
        defaultUrl={tokens.data?.scimBaseUrl ?? null}
        target={target}
        tokens={keychainTokens}
        running={run.running}
        starting={run.starting}
        stopping={run.stopping}
        onStart={(input) => void run.start(input)}
        onStop={run.stop}
      />

      {tokensError ? (
        <p className="field-help" data-testid="conf-tenant-unavailable">
          The tenant’s URL and keychain tokens are not available ({tokensError.message}); enter the
          URL and paste a token.
        </p>
      ) : null}
      {run.startError ? <ErrorPanel error={run.startError} testId="conf-start-error" /> : null}
      {run.reportError ? <ErrorPanel error={run.reportError} testId="conf-report-error" /> : null}

      {run.running ? <RunProgressBar progress={run.progress} stopping={run.stopping} /> : null}

      {report ? (
        <div className="conf-result-head">
          <RunOutcomeBanner report={report} />
          {report.outcome !== 'could_not_run' && run.runId ? (
            <div className="conf-toolbar">
              <StatusCounts counts={countStatuses(report.checks)} testId="conf-total-counts" />
              <ExportButtons runId={run.runId} />
            </div>
          ) : null}
        </div>
      ) : null}

      {report ? <CleanupSummary cleanup={report.cleanup} /> : null}
      {run.runId ? (
        <ResultsByArea checks={checks} exchanges={report ? report.exchanges : undefined} />
      ) : null}
    </div>
  )
}
