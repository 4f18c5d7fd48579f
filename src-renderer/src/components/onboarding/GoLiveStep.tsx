import type { OnboardingStatus } from '../../../../src-shared/channels/onboarding.ts'
import { oktaScimSetup, oktaSetupPathOf } from '../../../../src-shared/okta-setup-paths.ts'
import { useLogUi } from '../../use-log-ui.ts'
import { useUiStore } from '../../use-ui-store.ts'
import { OktaSteps, StepFrame } from './StepFrame.tsx'
import './onboarding.css'

export function GoLiveStep({
  status,
  busy,
  onBegin,
}: {
  status: OnboardingStatus
  busy: boolean
  onBegin: () => void
}) {
  const step = status.steps.find((s) => s.id === 'golive')!
  const setScreen = useUiStore((s) => s.setScreen)
  const { startedAt, firstUser, events } = status.goLive
  const aiw = status.scim.oktaApp !== null && oktaSetupPathOf(status.scim.oktaApp) === 'aiw'
  return (
    <StepFrame step={step} ownResult>
      {/* Path-specific: with SCIM on the SAML app itself there is no second app to keep in step. */}
      <div
        className={`ob-reminder tone-fill ${aiw ? 'tone-info' : 'tone-warn'}`}
        role="note"
        data-testid="ob-sso-reminder"
        data-path={aiw ? 'aiw' : 'catalog'}
      >
        {oktaScimSetup(status.scim.oktaApp ?? 'header', status.scimBaseUrl).assignment}
      </div>
      <OktaSteps
        title="In Okta"
        items={[
          <>
            {aiw ? 'The SAML app' : 'The SCIM app'} →{' '}
            <strong>Assignments → Assign → Assign to People</strong> (or to Groups): start with one
            test user.
          </>,
          <>Okta provisions at once; watch the requests arrive below.</>,
        ]}
      />
      {startedAt === null ? (
        <div className="actions">
          <button
            type="button"
            className="button button-primary"
            data-testid="ob-golive-begin"
            disabled={busy || step.status === 'blocked'}
            onClick={onBegin}
          >
            Go live: watch for Okta’s first requests
          </button>
        </div>
      ) : (
        <>
          {firstUser ? (
            <div className="status-banner tone-good" role="status" data-testid="ob-first-user">
              <strong>First user arrived: {firstUser.userName}</strong>
              <span className="status-sub">
                {new Date(firstUser.time).toLocaleString()} · event #{firstUser.seq}. The tenant is
                live; assign the rest of your users and groups in Okta.
              </span>
            </div>
          ) : (
            <p className="pending ob-waiting" role="status" data-testid="ob-golive-waiting">
              Waiting for Okta since {new Date(startedAt).toLocaleTimeString()}… assign a user to
              the {aiw ? 'SAML' : 'SCIM'} app in Okta.
            </p>
          )}
          {events.length > 0 ? (
            <ol className="ob-arrivals" data-testid="ob-arrivals">
              {events.map((e) => (
                <li key={e.seq} data-testid="ob-arrival" data-status={e.status}>
                  <span className="ob-arrival-time">{new Date(e.time).toLocaleTimeString()}</span>
                  <span>{e.meaning}</span>
                  <code className="muted small">
                    {e.method} {e.status}
                  </code>
                </li>
              ))}
            </ol>
          ) : null}
          <div className="actions">
            {firstUser ? (
              <button
                type="button"
                className="button"
                data-testid="ob-open-story"
                onClick={() => {
                  // The log screen's user story: every request Okta sent for this user.
                  useLogUi.getState().openStory(firstUser.userName)
                  setScreen('log')
                }}
              >
                See {firstUser.userName} in the provisioning log
              </button>
            ) : (
              <button type="button" className="button" onClick={() => setScreen('log')}>
                Open the provisioning log
              </button>
            )}
          </div>
        </>
      )}
    </StepFrame>
  )
}
