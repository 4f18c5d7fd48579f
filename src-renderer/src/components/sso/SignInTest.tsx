import { useMutation, useQueryClient } from '@tanstack/react-query'
import { useEffect, useId, useState } from 'react'
import type { OnboardingStatus } from '../../../../src-shared/channels/onboarding.ts'
import { ApiError, unwrap } from '../../api-error.ts'
import { useApi } from '../../api-context.tsx'
import { ErrorPanel } from '../ErrorPanel.tsx'
import { SignInResultCard } from './SignInResultCard.tsx'
import './sso.css'

/** How often the status is re-read while a test waits for its attempt. */
const POLL_MS = 1000

/**
 * The end of the SSO step: opens the tenant's SP-initiated login in the system browser and
 * watches the tenant's SSO events (through onboarding.status) until the attempt arrives. The
 * step is done after a successful sign-in, or a skip with its reason.
 */
export function SignInTest({
  status,
  disabled,
  onPin,
}: {
  status: OnboardingStatus
  disabled: boolean
  /** The screen keeps the SSO step open from the start of a test until "Continue". */
  onPin?: ((pinned: boolean) => void) | undefined
}) {
  const api = useApi()
  const client = useQueryClient()
  const target = { connection: status.connection, tenantId: status.tenantId }
  const [loginUrl, setLoginUrl] = useState<string | null>(null)
  const [reason, setReason] = useState('')
  const reasonId = useId()
  const test = status.sso.signInTest
  const result = test?.result ?? null
  const waiting = test !== null && result?.outcome !== 'success'
  const refresh = () => client.invalidateQueries({ queryKey: ['onboarding.status'] })

  useEffect(() => {
    if (!waiting) return undefined
    const timer = setInterval(() => void refresh(), POLL_MS)
    return () => clearInterval(timer)
  }, [waiting])

  const start = useMutation({
    mutationFn: async () => {
      onPin?.(true)
      const started = await unwrap(api['onboarding.startSignInTest'](target))
      setLoginUrl(started.loginUrl)
      await unwrap(api['sso.openLogin']({ ...target, url: started.loginUrl }))
      return started
    },
    onSettled: () => void refresh(),
  })
  const skip = useMutation({
    mutationFn: () => unwrap(api['onboarding.skipSignInTest']({ ...target, reason })),
    onSuccess: () => void refresh(),
  })
  const error = [start.error, skip.error]
    .map((e) => (e instanceof ApiError ? e.data : null))
    .find((e) => e !== null)

  return (
    <section className="sso-signin" aria-labelledby={`${reasonId}-h`} data-testid="sso-signin">
      <h3 className="ob-sub" id={`${reasonId}-h`}>
        Test sign-in
      </h3>
      <p className="muted small">
        Opens the tenant’s sign-in page in your browser: sign in to Okta as a test user assigned to
        the SAML app. The console watches the tenant’s sign-in attempts and shows who arrived.
      </p>
      <div className="sso-actions">
        <button
          type="button"
          className="button button-primary"
          data-testid="sso-signin-start"
          disabled={disabled || !status.sso.configured || start.isPending}
          onClick={() => start.mutate()}
        >
          {test ? 'Test sign-in again' : 'Test sign-in'}
        </button>
        {loginUrl ? (
          <a className="small" href={loginUrl} target="_blank" rel="noreferrer noopener">
            Browser did not open? Open the sign-in page
          </a>
        ) : null}
      </div>
      {!status.sso.configured ? (
        <p className="muted small">Push the IdP metadata first: the test signs in against it.</p>
      ) : null}
      {waiting ? (
        <p className="pending" role="status" data-testid="sso-signin-waiting">
          Waiting for the sign-in to reach the tenant (started {test.startedAt})…
        </p>
      ) : null}
      {result ? <SignInResultCard result={result} /> : null}
      {result?.outcome === 'success' && onPin ? (
        <button
          type="button"
          className="button button-primary"
          data-testid="sso-signin-continue"
          onClick={() => onPin(false)}
        >
          Continue to step 3
        </button>
      ) : null}
      {error ? <ErrorPanel error={error} testId="sso-signin-error" /> : null}

      {result?.outcome === 'success' ? null : status.sso.signInSkipped ? (
        <p className="ob-reminder tone-fill tone-warn" role="note" data-testid="sso-signin-skipped">
          Test sign-in skipped on {status.sso.signInSkipped.at}: {status.sso.signInSkipped.reason}
        </p>
      ) : (
        <form
          className="sso-skip"
          onSubmit={(e) => {
            e.preventDefault()
            skip.mutate()
          }}
        >
          <label className="field-label" htmlFor={reasonId}>
            Or skip the test for now, and say why (shown with the checklist)
          </label>
          <input
            id={reasonId}
            className="text-input"
            data-testid="sso-signin-skip-reason"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
            placeholder="e.g. no Okta test user yet"
          />
          <button
            type="submit"
            className="button"
            data-testid="sso-signin-skip"
            disabled={disabled || skip.isPending || reason.trim().length < 3}
          >
            Skip for now
          </button>
        </form>
      )}
    </section>
  )
}
