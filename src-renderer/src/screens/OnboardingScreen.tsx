import { useState } from 'react'
import type { OnboardingStepId } from '../../../src-shared/channels/onboarding.ts'
import { ApiError } from '../api-error.ts'
import { ConnectStep } from '../components/onboarding/ConnectStep.tsx'
import { GoLiveStep } from '../components/onboarding/GoLiveStep.tsx'
import { OnboardingChecklist } from '../components/onboarding/OnboardingChecklist.tsx'
import { ScimStep } from '../components/onboarding/ScimStep.tsx'
import { SsoStep } from '../components/onboarding/SsoStep.tsx'
import { TestStep } from '../components/onboarding/TestStep.tsx'
import { ErrorPanel } from '../components/ErrorPanel.tsx'
import { useActiveTarget } from '../use-connections.ts'
import { useOnboardingActions, useOnboardingStatus } from '../use-onboarding.ts'
import { useUiStore } from '../use-ui-store.ts'
import { toneClass } from '../lib/tone.ts'
import '../components/onboarding/onboarding.css'

/**
 * The path an IT admin walks to connect a tenant to Okta, as one checklist. The open step follows
 * the tenant's current step until the person opens another one; finishing a step moves on.
 */
export function OnboardingScreen() {
  const { target, list, test, current: connection } = useActiveTarget()
  const status = useOnboardingStatus(target)
  const actions = useOnboardingActions(target)
  const [picked, setPicked] = useState<OnboardingStepId | null>(null)
  const setScreen = useUiStore((s) => s.setScreen)
  const data = status.data
  const open: OnboardingStepId = picked ?? data?.current ?? 'golive'
  const follow = { onSuccess: () => setPicked(null) }
  const busy =
    actions.confirmConnect.isPending ||
    actions.confirmSso.isPending ||
    actions.confirmScim.isPending ||
    actions.beginGoLive.isPending
  const error =
    [
      list.error,
      test.error,
      status.error,
      actions.confirmConnect.error,
      actions.confirmSso.error,
      actions.confirmScim.error,
      actions.beginGoLive.error,
      actions.exportHtml.error,
      actions.reset.error,
    ]
      .map((e) => (e instanceof ApiError ? e.data : null))
      .find((e) => e !== null) ?? null
  const startError =
    actions.startTest.error instanceof ApiError ? actions.startTest.error.data : null

  return (
    <div className="screen screen-wide" data-testid="onboarding-screen">
      <header className="screen-header ob-header">
        <div>
          <h1>Onboard a tenant onto Okta</h1>
          <p className="lede">
            Single sign-on first, then SCIM provisioning, a thorough test, and the first real user.
            Your progress is saved with the tenant: come back to any step at any time.
          </p>
        </div>
        {data ? (
          <div className="ob-header-actions">
            <span
              className={`ob-pill ${toneClass(data.complete ? 'good' : 'warn', 'fill')}`}
              data-testid="ob-overall"
              data-complete={data.complete}
            >
              {data.complete
                ? 'Onboarded'
                : `${data.steps.filter((s) => s.status === 'done').length} of 5 done`}
            </span>
            <button
              type="button"
              className="button"
              data-testid="ob-export"
              disabled={actions.exportHtml.isPending}
              onClick={() => actions.exportHtml.mutate()}
            >
              Export checklist and report (HTML)
            </button>
          </div>
        ) : null}
      </header>

      {error ? <ErrorPanel error={error} testId="ob-error" /> : null}
      {!target ? (
        list.isPending || test.isPending ? (
          <p className="pending" role="status">
            Connecting to the backend…
          </p>
        ) : (
          <div className="card">
            <p>No backend tenant to onboard yet.</p>
            <button type="button" className="button" onClick={() => setScreen('connection')}>
              Open the Connection screen
            </button>
          </div>
        )
      ) : null}

      {target && data ? (
        <div className="ob-layout">
          <aside className="ob-side">
            <p className="muted small ob-tenant">
              Tenant <strong>{data.tenantName}</strong> on <strong>{data.connection}</strong>
            </p>
            <OnboardingChecklist steps={data.steps} open={open} onOpen={setPicked} />
            <button
              type="button"
              className="button small-button ob-reset"
              data-testid="ob-reset"
              onClick={() => {
                if (
                  window.confirm(
                    'Forget this tenant’s onboarding checklist? The backend is left as it is.',
                  )
                )
                  actions.reset.mutate(undefined, follow)
              }}
            >
              Start the checklist over
            </button>
          </aside>
          <div className="ob-main">
            {open === 'connect' ? (
              <ConnectStep
                status={data}
                adminBaseUrl={connection?.adminBaseUrl ?? null}
                busy={busy}
                onConfirm={() => actions.confirmConnect.mutate(undefined, follow)}
              />
            ) : open === 'sso' ? (
              <SsoStep
                status={data}
                busy={busy}
                onConfirm={() => actions.confirmSso.mutate(undefined, follow)}
                onPin={(pinned) => setPicked(pinned ? 'sso' : null)}
              />
            ) : open === 'scim' ? (
              <ScimStep
                status={data}
                target={target}
                busy={busy}
                onConfirm={(vars) => actions.confirmScim.mutate(vars, follow)}
              />
            ) : open === 'test' ? (
              <TestStep
                status={data}
                starting={actions.startTest.isPending}
                startError={startError}
                onStart={() => {
                  // Stay on the result: a fast pass must not jump to go-live unseen.
                  setPicked('test')
                  actions.startTest.mutate()
                }}
                onContinue={() => setPicked('golive')}
              />
            ) : (
              <GoLiveStep
                status={data}
                busy={busy}
                onBegin={() => actions.beginGoLive.mutate(undefined, follow)}
              />
            )}
          </div>
        </div>
      ) : target && status.isPending ? (
        <p className="pending" role="status">
          Reading the tenant…
        </p>
      ) : null}
    </div>
  )
}
