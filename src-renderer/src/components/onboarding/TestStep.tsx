import type { OnboardingStatus } from '../../../../src-shared/channels/onboarding.ts'
import type { AppErrorData } from '../../../../src-shared/errors.ts'
import { useTestProgress } from '../../use-onboarding.ts'
import { ErrorPanel } from '../ErrorPanel.tsx'
import { StepFrame } from './StepFrame.tsx'
import { toneClass } from '../../lib/tone.ts'
import './onboarding.css'

const OUTCOME: Record<string, string> = {
  passed: 'Passed: Okta’s requests will work',
  failed: 'Failed: fix these before go-live',
  cancelled: 'Cancelled',
  could_not_run: 'Could not run',
}

export function TestStep({
  status,
  starting,
  startError,
  onStart,
  onContinue,
}: {
  status: OnboardingStatus
  starting: boolean
  startError: AppErrorData | null
  onStart: () => void
  onContinue: () => void
}) {
  const step = status.steps.find((s) => s.id === 'test')!
  const test = status.test
  const progress = useTestProgress(test?.running ? test.runId : null)
  const blocking = test?.problems.filter((p) => p.status !== 'warn') ?? []
  const warnings = test?.problems.filter((p) => p.status === 'warn') ?? []
  return (
    <StepFrame step={step} ownResult>
      <p>
        Far more than Okta’s “Test API Credentials”: the conformance harness sends Okta’s own
        request sequence (match by <code>userName eq</code>, create, PUT and PATCH updates,
        deactivate, group push) to <code>{status.scimBaseUrl}</code> with the token Okta uses, read
        from the keychain. It only touches users and groups it creates (prefix <code>scimc-</code>)
        and deletes them afterwards.
      </p>
      <div className="actions">
        <button
          type="button"
          className="button button-primary"
          data-testid="ob-test-start"
          disabled={starting || test?.running === true || step.status === 'blocked'}
          onClick={onStart}
        >
          {test?.running ? 'Testing…' : test ? 'Run the test again' : 'Run the pre-go-live test'}
        </button>
      </div>
      {startError ? <ErrorPanel error={startError} testId="ob-test-error" /> : null}
      {test?.running ? (
        <div className="ob-progress" role="status" data-testid="ob-test-running">
          <progress max={progress.total || 1} value={progress.done} />
          <span className="muted small">
            {progress.total ? `${progress.done} of ${progress.total} checks` : 'Starting…'}
          </span>
        </div>
      ) : null}
      {test && !test.running ? (
        <div
          className="ob-test-result"
          data-testid="ob-test-result"
          data-outcome={test.outcome ?? ''}
        >
          <div className={`status-banner ${test.outcome === 'passed' ? 'tone-good' : 'tone-bad'}`}>
            <strong>{test.outcome ? OUTCOME[test.outcome] : 'No result'}</strong>
            {test.summary ? (
              <span className="status-sub">
                {test.summary.pass} passed · {test.summary.fail} failed · {test.summary.error}{' '}
                errors · {test.summary.warn} warnings · token “{test.tokenLabel}” ·{' '}
                {test.finishedAt ? new Date(test.finishedAt).toLocaleString() : ''}
              </span>
            ) : null}
          </div>
          {test.error ? (
            <ErrorPanel
              error={{
                code: 'scim.http_error',
                message: test.error.message,
                hint: test.error.hint,
              }}
              testId="ob-test-could-not-run"
            />
          ) : null}
          {[...blocking, ...warnings].length > 0 ? (
            <ul className="ob-problems" data-testid="ob-test-problems">
              {[...blocking, ...warnings].map((p) => (
                <li key={p.id} className={`ob-problem ob-problem-${p.status}`}>
                  <span
                    className={`ob-pill ${toneClass(p.status === 'warn' ? 'warn' : 'bad', 'fill')}`}
                  >
                    {p.status}
                  </span>{' '}
                  <strong>{p.title}</strong>
                  <div>{p.message}</div>
                  {p.idpImpact ? <div className="muted small">Okta: {p.idpImpact}</div> : null}
                  {p.fix ? <div className="ob-fix">Fix: {p.fix}</div> : null}
                </li>
              ))}
            </ul>
          ) : null}
          {step.status === 'done' ? (
            <div className="actions">
              <button
                type="button"
                className="button button-primary"
                data-testid="ob-test-continue"
                onClick={onContinue}
              >
                Continue: go live
              </button>
            </div>
          ) : null}
          {test.leftovers.length > 0 ? (
            <p className="muted small">
              Could not delete: {test.leftovers.join(', ')}. Delete them by hand.
            </p>
          ) : null}
        </div>
      ) : null}
    </StepFrame>
  )
}
