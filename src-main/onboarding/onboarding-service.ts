import type {
  OktaApp,
  OnboardingStatus,
  SignInResult,
} from '../../src-shared/channels/onboarding.ts'
import { AppError } from '../../src-shared/errors.ts'
import type { HarnessReport } from '../../src-shared/harness.ts'
import { redact, registerSecret } from '../../src-shared/redact.ts'
import type { ProvisioningEvent } from '../backend/admin-client.ts'
import type { TenantOverview } from '../backend/tenant-overview.ts'
import type { BackendAccess } from '../connections/backend-access.ts'
import type { HarnessService } from '../harness/harness-service.ts'
import type { TokenList } from '../secrets/token-service.ts'
import type { SsoSignIn } from '../sso/sso-signin.ts'
import { deriveChecklist } from './checklist.ts'
import { firstArrivals, type Arrival } from './first-arrivals.ts'
import { onboardingHtml } from './onboarding-html.ts'
import {
  freshState,
  type OnboardingStore,
  type TenantKey,
  type TenantOnboarding,
} from './onboarding-store.ts'

/** Events read per page while looking for the IdP's first requests, and pages at most. */
const EVENT_PAGE = 200
const EVENT_PAGES = 10
/** Clock skew between this machine and a remote backend, allowed for in the `since` query. */
const SKEW_MS = 10 * 60_000
const SHOWN_ARRIVALS = 50

export interface OnboardingServiceOptions {
  /** Where the checklist is kept (onboarding.json in the app's data folder). */
  store: OnboardingStore
  /** The backend door: the tenant, its tokens and events, the keychain's token secrets. */
  access: () => Promise<BackendAccess>
  /** The embedded backend's connection name while it runs (the checklist marks it as local). */
  embeddedName: () => string | null
  /** The process's one harness: the pre-go-live run streams on `harness.progress` like any run. */
  harness: HarnessService
  /** The sign-in test's login URL and the tenant's SSO events; absent, a started test waits. */
  ssoSignIn?: Pick<SsoSignIn, 'testSignIn' | 'events' | 'explainEvent'>
  now?: () => Date
}

interface Live {
  state: TenantOnboarding
  overview: TenantOverview
  tokens: TokenList
  /** The IdP's requests since go-live began, oldest first (the first few are what matter). */
  arrivals: Arrival[]
}

/**
 * The onboarding flow over the existing services: it records what the person confirmed, reads
 * what the backend says, runs the pre-go-live test with the keychain's token (the secret stays in
 * main) and watches for the IdP's first requests once go-live begins.
 */
export class OnboardingService {
  readonly store: OnboardingStore
  readonly #access: () => Promise<BackendAccess>
  readonly #embeddedName: () => string | null
  readonly #harness: HarnessService
  readonly #ssoSignIn: OnboardingServiceOptions['ssoSignIn']
  readonly #now: () => Date
  /** Runs of this process, by run id, until their report is saved. */
  readonly #running = new Map<string, Promise<void>>()

  constructor(opts: OnboardingServiceOptions) {
    this.store = opts.store
    this.#access = opts.access
    this.#embeddedName = opts.embeddedName
    this.#harness = opts.harness
    this.#ssoSignIn = opts.ssoSignIn
    this.#now = opts.now ?? (() => new Date())
  }

  /**
   * Waits for the reports of this process's runs to be saved. The app calls it on quit after the
   * harness cancelled them (a cancelled run's report is saved too), before the backend goes.
   */
  async close(): Promise<void> {
    await Promise.allSettled(this.#running.values())
  }

  async status(key: TenantKey): Promise<OnboardingStatus> {
    const live = await this.#live(key)
    return this.#statusOf(key, live)
  }

  async confirmConnect(key: TenantKey): Promise<OnboardingStatus> {
    // Reading the tenant proves the backend answers with this key before the step is ticked.
    await this.#live(key)
    await this.store.update(key, (s) => ({ ...s, connectedAt: s.connectedAt ?? this.#iso() }))
    return this.status(key)
  }

  async confirmSso(key: TenantKey): Promise<OnboardingStatus> {
    const live = await this.#live(key)
    if (!live.overview.sso.configured) {
      throw new AppError('onboarding.blocked', 'The tenant has no IdP metadata yet.', {
        hint: 'Import Okta’s IdP metadata, review the findings and push it to the tenant first; then confirm the SP values are in Okta.',
      })
    }
    await this.store.update(key, (s) => ({
      ...s,
      sso: { copiedAt: this.#iso(), entityId: live.overview.sso.entityId },
    }))
    return this.status(key)
  }

  /** Starts a sign-in test; `status` then watches the tenant's SSO events for its attempt. */
  async startSignInTest(key: TenantKey): Promise<{ loginUrl: string; startedAt: string }> {
    if (!this.#ssoSignIn) {
      throw new AppError('onboarding.blocked', 'This console cannot run a sign-in test here.', {
        hint: 'Skip the test for now and give the reason.',
      })
    }
    const test = await this.#ssoSignIn.testSignIn(key)
    await this.store.update(key, (s) => ({
      ...s,
      signInTest: { startedAt: test.startedAt, afterSeq: test.afterSeq, result: null },
    }))
    return { loginUrl: test.loginUrl, startedAt: test.startedAt }
  }

  async skipSignInTest(key: TenantKey, reason: string): Promise<OnboardingStatus> {
    await this.#live(key)
    await this.store.update(key, (s) => ({ ...s, signInSkipped: { reason, at: this.#iso() } }))
    return this.status(key)
  }

  async confirmScim(key: TenantKey, tokenId: string, oktaApp: OktaApp): Promise<OnboardingStatus> {
    const live = await this.#live(key)
    const token = live.tokens.tokens.find((t) => t.id === tokenId)
    if (!token || !token.inKeychain) {
      throw new AppError(
        'secrets.not_found',
        token
          ? `The secret of token “${token.label}” is not in this console’s keychain.`
          : `The tenant has no token ${tokenId}.`,
        {
          hint: 'Generate a token in this step (the console keeps it in the keychain), put it into Okta, then confirm.',
        },
      )
    }
    await this.store.update(key, (s) => ({
      ...s,
      scim: { tokenId, tokenLabel: token.label, oktaApp, confirmedAt: this.#iso() },
    }))
    return this.status(key)
  }

  async startTest(key: TenantKey): Promise<{ runId: string }> {
    const live = await this.#live(key)
    const scim = live.state.scim
    const token = scim ? live.tokens.tokens.find((t) => t.id === scim.tokenId) : undefined
    if (!scim || !token?.inKeychain) {
      throw new AppError('onboarding.blocked', 'The test needs the SCIM token Okta uses.', {
        hint: 'Finish step 3 (generate the token and confirm it is in Okta); the test then reads it from the keychain.',
      })
    }
    const previous = live.state.test
    if (previous && previous.report === null && this.#running.has(previous.runId)) {
      return { runId: previous.runId }
    }
    const access = await this.#access()
    const secret = await access.revealTokenFor(
      key.connection,
      key.tenantId,
      scim.tokenId,
      live.tokens.scimBaseUrl,
    )
    registerSecret(secret)
    const { runId } = this.#harness.start({
      baseUrl: live.tokens.scimBaseUrl,
      token: secret,
      profile: 'okta',
    })
    await this.store.update(key, (s) => ({
      ...s,
      test: {
        runId,
        tokenId: scim.tokenId,
        tokenLabel: scim.tokenLabel,
        startedAt: this.#iso(),
        report: null,
      },
    }))
    const saved = this.#harness
      .wait(runId)
      .then((report) => this.#saveReport(key, runId, report))
      .catch(() => undefined)
      .finally(() => this.#running.delete(runId))
    this.#running.set(runId, saved)
    return { runId }
  }

  /** Resolves once the run's report is saved with the tenant (tests, the CLI). */
  async waitForTest(runId: string): Promise<void> {
    await this.#running.get(runId)
  }

  async beginGoLive(key: TenantKey): Promise<OnboardingStatus> {
    const live = await this.#live(key)
    const status = this.#statusOf(key, live)
    const golive = status.steps.find((s) => s.id === 'golive')!
    if (golive.blockedBy) {
      throw new AppError('onboarding.blocked', golive.blockedBy, {
        hint: 'Finish the steps the checklist marks as not done, then begin go-live again.',
      })
    }
    if (!live.state.goLive) {
      const client = await (await this.#access()).client(key.connection)
      const newest = (await client.listEvents(key.tenantId, { limit: 1 })).items[0]
      await this.store.update(key, (s) => ({
        ...s,
        goLive: s.goLive ?? { startedAt: this.#iso(), afterSeq: newest?.seq ?? 0, firstUser: null },
      }))
    }
    return this.status(key)
  }

  async reset(key: TenantKey): Promise<OnboardingStatus> {
    await this.store.remove(key)
    return this.status(key)
  }

  async exportHtml(key: TenantKey): Promise<{ fileName: string; mimeType: string; text: string }> {
    const live = await this.#live(key)
    const status = this.#statusOf(key, live)
    const stamp = this.#iso().slice(0, 19).replace(/[:T]/g, '-')
    return {
      fileName: `onboarding-${key.tenantId}-${stamp}.html`,
      mimeType: 'text/html',
      text: onboardingHtml(status, live.state.test?.report ?? null, this.#iso()),
    }
  }

  async #saveReport(key: TenantKey, runId: string, report: HarnessReport): Promise<void> {
    const clean = redact(report)
    await this.store.update(key, (s) =>
      s.test?.runId === runId ? { ...s, test: { ...s.test, report: clean } } : s,
    )
  }

  /** The saved state plus what the backend says now; during go-live, the IdP's requests. */
  async #live(key: TenantKey): Promise<Live> {
    const access = await this.#access()
    const [overview, tokens] = await Promise.all([
      access.tenantOverview(key.connection, key.tenantId),
      access.listTokens(key.connection, key.tenantId),
    ])
    // Looking does not write: a tenant gets a saved state with its first confirmed step.
    let state = (await this.store.get(key)) ?? freshState(key, this.#iso())
    let arrivals: Arrival[] = []
    const watching = state.signInTest
    if (watching && watching.result?.outcome !== 'success' && this.#ssoSignIn) {
      // A backend that cannot list SSO events (older, or down for a moment) leaves the test
      // waiting; the checklist itself must still load.
      const result = await this.#signInAttempt(key, watching.afterSeq, watching.result).catch(
        () => null,
      )
      if (result) {
        state = await this.store.update(key, (s) =>
          s.signInTest?.startedAt === watching.startedAt
            ? { ...s, signInTest: { ...s.signInTest, result } }
            : s,
        )
      }
    }
    if (state.goLive) {
      const found = firstArrivals(await this.#eventsSince(key, state.goLive))
      arrivals = found.arrivals.slice(0, SHOWN_ARRIVALS)
      const firstUser = found.firstUser
      if (firstUser && !state.goLive.firstUser) {
        state = await this.store.update(key, (s) =>
          s.goLive
            ? { ...s, goLive: { ...s.goLive, firstUser: s.goLive.firstUser ?? firstUser } }
            : s,
        )
      }
    }
    return { state, overview, tokens, arrivals }
  }

  /**
   * The newest attempt since the test began, when it is newer than the one already seen: a
   * refusal, fixed in the IdP and tried again, is replaced by the next attempt.
   */
  async #signInAttempt(
    key: TenantKey,
    afterSeq: number,
    seen: SignInResult | null,
  ): Promise<SignInResult | null> {
    const sso = this.#ssoSignIn!
    const page = await sso.events({ ...key, afterSeq, limit: 20 })
    const e = page.items[0]
    if (!e || e.seq === seen?.seq) return null
    const explanation =
      e.outcome === 'failure' ? (await sso.explainEvent({ ...key, seq: e.seq })).explanation : null
    return {
      seq: e.seq,
      time: e.time,
      outcome: e.outcome,
      reason: e.reason,
      message: e.message,
      hint: e.hint,
      userName: e.userName,
      nameId: e.assertion?.nameId ?? null,
      attributes: (e.assertion?.attributes ?? []).map((a) => ({ name: a.name, values: a.values })),
      scimUser: e.scimUser,
      explanation,
    }
  }

  async #eventsSince(
    key: TenantKey,
    goLive: NonNullable<TenantOnboarding['goLive']>,
  ): Promise<ProvisioningEvent[]> {
    const client = await (await this.#access()).client(key.connection)
    const since = new Date(Date.parse(goLive.startedAt) - SKEW_MS).toISOString()
    const out: ProvisioningEvent[] = []
    let cursor: string | undefined
    for (let page = 0; page < EVENT_PAGES; page++) {
      const res = await client.listEvents(key.tenantId, {
        since,
        limit: EVENT_PAGE,
        ...(cursor ? { cursor } : {}),
      })
      out.push(...res.items.filter((e) => e.seq > goLive.afterSeq))
      const oldest = res.items.at(-1)?.seq
      if (!res.nextCursor || oldest === undefined || oldest <= goLive.afterSeq) break
      cursor = res.nextCursor
    }
    return out
  }

  #statusOf(key: TenantKey, live: Live): OnboardingStatus {
    const { state, overview, tokens } = live
    const chosen = state.scim ? tokens.tokens.find((t) => t.id === state.scim!.tokenId) : undefined
    const test = state.test
    const testRunning = test !== null && test.report === null && this.#running.has(test.runId)
    // A revoked step-3 token keeps a trace on the backend: the checklist says when and what replaced it.
    const gone = state.scim ? tokens.revoked.find((t) => t.id === state.scim!.tokenId) : undefined
    const checklist = deriveChecklist(state, {
      connection: key.connection,
      tenantName: overview.tenant.name,
      ssoConfigured: overview.sso.configured,
      tokenInKeychain: chosen?.inKeychain ?? false,
      testRunning,
      tokenLive: chosen !== undefined,
      tokenRevokedAt: gone?.revokedAt ?? null,
      tokenReplacedBy: gone?.replacedBy?.label ?? null,
    })
    const report = test?.report ?? null
    return {
      connection: key.connection,
      tenantId: key.tenantId,
      tenantName: overview.tenant.name,
      embedded: this.#embeddedName() === key.connection,
      complete: checklist.complete,
      current: checklist.current,
      steps: checklist.steps,
      scimBaseUrl: tokens.scimBaseUrl,
      sp: overview.sso.sp,
      sso: {
        configured: overview.sso.configured,
        entityId: overview.sso.entityId,
        copiedAt: state.sso?.copiedAt ?? null,
        signInTest: state.signInTest,
        signInSkipped: state.signInSkipped,
      },
      scim: {
        tokenId: state.scim?.tokenId ?? null,
        tokenLabel: state.scim?.tokenLabel ?? null,
        tokenInKeychain: chosen?.inKeychain ?? false,
        oktaApp: state.scim?.oktaApp ?? null,
        confirmedAt: state.scim?.confirmedAt ?? null,
      },
      test: test
        ? {
            runId: test.runId,
            tokenLabel: test.tokenLabel,
            startedAt: test.startedAt,
            running: testRunning,
            finishedAt: report?.finishedAt ?? null,
            outcome: report?.outcome ?? null,
            summary: report?.summary ?? null,
            error: report?.error
              ? {
                  code: report.error.code,
                  message: report.error.message,
                  hint: report.error.hint ?? '',
                }
              : !report && !testRunning
                ? {
                    code: 'onboarding.interrupted',
                    message: 'The app closed while this test ran, so it has no result.',
                    hint: 'Run the test again.',
                  }
                : null,
            problems: (report?.checks ?? [])
              .filter((c) => c.status === 'fail' || c.status === 'error' || c.status === 'warn')
              .map((c) => ({
                id: c.id,
                title: c.title,
                status: c.status,
                message: c.message,
                idpImpact: c.idpImpact ?? null,
                fix: c.fix ?? null,
              })),
            leftovers: (report?.cleanup.leftovers ?? []).map((l) => `${l.type} ${l.name}`),
          }
        : null,
      goLive: {
        startedAt: state.goLive?.startedAt ?? null,
        events: live.arrivals,
        firstUser: state.goLive?.firstUser ?? null,
      },
    }
  }

  #iso(): string {
    return this.#now().toISOString()
  }
}
