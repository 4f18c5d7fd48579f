import {
  oktaAppSchema,
  type OktaApp,
  type OnboardingStep,
  type OnboardingStepId,
} from '../../src-shared/channels/onboarding.ts'
import type { HarnessReport } from '../../src-shared/harness.ts'
import { oktaTokenAdvice } from '../../src-shared/okta-token-advice.ts'
import type { TenantOnboarding } from './onboarding-store.ts'

/** Okta's app names, as the vendors' guides spell them (test/fixtures/seeds). */
export const OKTA_APP_NAMES = Object.fromEntries(
  oktaAppSchema.options.map((k) => [k, oktaTokenAdvice(k).appName]),
) as Record<OktaApp, string>

/** What the backend says right now, next to what the person confirmed. */
export interface ChecklistFacts {
  connection: string
  tenantName: string
  ssoConfigured: boolean
  /** The step-3 token is still known to the backend and its secret is in this keychain. */
  tokenInKeychain: boolean
  testRunning: boolean
  /** The step-3 token is live on the backend (not revoked); absent: taken from tokenInKeychain. */
  tokenLive?: boolean
  /** When the step-3 token was revoked, if the backend says so. */
  tokenRevokedAt?: string | null
  /** The live token created after it (its likely replacement), by label. */
  tokenReplacedBy?: string | null
}

const TITLES: Record<OnboardingStepId, string> = {
  connect: 'Connect to the backend',
  sso: 'Single sign-on: IdP metadata in, SP values into Okta',
  scim: 'SCIM: token and base URL into Okta',
  test: 'Pre-go-live test (Okta profile)',
  golive: 'Go live: first user from Okta',
}

/**
 * SSO is done once a test sign-in succeeded, or the person skipped the test and said why (the
 * reason stays in the summary, so the skip is visible later).
 */
function ssoDone(state: TenantOnboarding): string | null {
  const trusted = `IdP ${state.sso?.entityId ?? '(pushed)'} trusted`
  const result = state.signInTest?.result
  if (result?.outcome === 'success') {
    const scim = result.scimUser
      ? `SCIM user ${result.scimUser.userName}${result.scimUser.active ? '' : ' (inactive)'}`
      : 'not provisioned by SCIM yet'
    return `${trusted}; test sign-in as ${result.userName ?? result.nameId ?? '?'} (${scim})`
  }
  if (state.signInSkipped) return `${trusted}; test sign-in skipped: ${state.signInSkipped.reason}`
  return null
}

/** No failing or erroring check, and the run got to the end. Warnings do not block. */
export function testPassed(report: HarnessReport | null | undefined): boolean {
  return report?.outcome === 'passed' && report.summary.fail === 0 && report.summary.error === 0
}

/**
 * The five steps' statuses. A step is done only while what it set up still holds (SSO still
 * configured on the backend, the token still in the keychain, the test run with that token), so
 * a change elsewhere reopens it rather than leaving a stale tick.
 */
export function deriveChecklist(
  state: TenantOnboarding,
  facts: ChecklistFacts,
): { steps: OnboardingStep[]; current: OnboardingStepId | null; complete: boolean } {
  const done: Record<OnboardingStepId, string | null> = {
    connect: state.connectedAt ? `Using ${facts.connection} · tenant ${facts.tenantName}` : null,
    sso: state.sso && facts.ssoConfigured ? ssoDone(state) : null,
    scim:
      state.scim && facts.tokenInKeychain
        ? `Token “${state.scim.tokenLabel}” in ${OKTA_APP_NAMES[state.scim.oktaApp]}`
        : null,
    test:
      state.test &&
      state.scim &&
      facts.tokenInKeychain &&
      state.test.tokenId === state.scim.tokenId &&
      testPassed(state.test.report)
        ? `Passed: ${state.test.report!.summary.pass} checks passed, ${state.test.report!.summary.warn} warnings`
        : null,
    golive: null,
  }
  // Go-live stays done only while what it rests on holds: the first user arrived AND Okta's token
  // still works and passed the test (a revoked token stops the next requests).
  done.golive =
    state.goLive?.firstUser && done.scim && done.test
      ? `First user arrived: ${state.goLive.firstUser.userName}`
      : null
  const changed = whatChanged(state, facts, done)

  const ssoBlocker = (): string | null => {
    if (!done.connect) return 'Step 1: connect to the backend first.'
    return null
  }
  const blockers: Record<OnboardingStepId, () => string | null> = {
    connect: () => null,
    sso: ssoBlocker,
    scim: () => (done.connect ? null : 'Step 1: connect to the backend first.'),
    test: () => {
      if (!done.scim) return 'Step 3: put a SCIM token into Okta first; the test uses that token.'
      return null
    },
    golive: () => {
      const reasons: string[] = []
      if (!done.sso)
        reasons.push(
          state.sso && facts.ssoConfigured
            ? 'step 2 (SSO) has no successful test sign-in (or a recorded skip): users would arrive but might not log in'
            : 'step 2 (SSO) is not done: users would arrive but could not log in',
        )
      if (!done.scim) reasons.push('step 3 (SCIM token in Okta) is not done')
      if (!done.test) {
        const report = state.test?.report
        if (facts.testRunning) reasons.push('the pre-go-live test is still running')
        else if (report && !testPassed(report)) {
          const n = report.summary.fail + report.summary.error
          reasons.push(
            report.outcome === 'could_not_run'
              ? 'the pre-go-live test could not run'
              : `the pre-go-live test failed ${n} check${n === 1 ? '' : 's'}: fix them and run it again`,
          )
        } else reasons.push('the pre-go-live test has not passed yet')
      }
      return reasons.length ? `Go-live waits: ${reasons.join('; ')}.` : null
    },
  }

  const ids: OnboardingStepId[] = ['connect', 'sso', 'scim', 'test', 'golive']
  const current = ids.find((id) => done[id] === null) ?? null
  const steps = ids.map((id, i): OnboardingStep => {
    const summary = done[id]
    const blockedBy = summary === null ? blockers[id]() : null
    return {
      id,
      n: i + 1,
      title: TITLES[id],
      status:
        summary !== null
          ? 'done'
          : blockedBy !== null
            ? 'blocked'
            : id === current
              ? 'current'
              : 'ready',
      blockedBy,
      summary,
      changed: changed[id],
    }
  })
  return { steps, current, complete: current === null }
}

/**
 * Why a step that was confirmed is no longer done: the fact that changed since, in one sentence,
 * so a reopened step never comes back without a reason. null for steps nothing undid.
 */
function whatChanged(
  state: TenantOnboarding,
  facts: ChecklistFacts,
  done: Record<OnboardingStepId, string | null>,
): Record<OnboardingStepId, string | null> {
  const scim = state.scim
  const live = facts.tokenLive ?? facts.tokenInKeychain
  let tokenGone: string | null = null
  if (scim && !facts.tokenInKeychain) {
    const when = facts.tokenRevokedAt
      ? ` on ${facts.tokenRevokedAt.slice(0, 16).replace('T', ' ')} UTC`
      : ''
    const by = facts.tokenReplacedBy ? ` (the newer token is “${facts.tokenReplacedBy}”)` : ''
    tokenGone = live
      ? `the token “${scim.tokenLabel}” is no longer in this computer’s keychain`
      : `the token “${scim.tokenLabel}” was revoked${when}${by}`
  }
  const passed = state.test && testPassed(state.test.report)
  let test: string | null = null
  if (!done.test && passed && scim) {
    if (state.test!.tokenId !== scim.tokenId) {
      test = `The test passed with the token “${state.test!.tokenLabel}”, not with “${scim.tokenLabel}” that Okta now uses: run it again.`
    } else if (tokenGone) {
      test = `The test passed, but ${tokenGone}: Okta’s requests with it now get 401. Put a live token into Okta (step 3) and run the test again.`
    }
  }
  let golive: string | null = null
  if (!done.golive && state.goLive?.firstUser) {
    const why = tokenGone
      ? `${tokenGone}, so Okta’s next requests fail`
      : !done.test
        ? 'the pre-go-live test no longer holds for the token Okta uses'
        : 'step 3 no longer holds'
    golive = `The first user (${state.goLive.firstUser.userName}) arrived, but ${why}.`
  }
  return {
    connect: null,
    sso:
      state.sso && !done.sso
        ? 'SSO was confirmed, but the backend no longer has the IdP’s metadata: import and push it again.'
        : null,
    scim:
      scim && tokenGone
        ? `Reopened: ${tokenGone}. Generate a new token, put it into Okta, and confirm again.`
        : null,
    test,
    golive,
  }
}
