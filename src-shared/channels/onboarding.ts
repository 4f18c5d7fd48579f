import { z } from 'zod'
import { runOutcomeSchema, summarySchema } from '../harness.ts'
import { oktaTokenAppKinds } from '../okta-token-advice.ts'
import { connectionSchemas, tenantTarget } from './connections.ts'

/**
 * The guided onboarding of one tenant: a checklist of five steps an IT admin walks to connect Okta
 * (connect, SSO, SCIM, pre-go-live test, go live). Main keeps the state per tenant and derives
 * each step's status from it and from what the backend says, so the flow resumes at any step.
 */

export const onboardingStepIds = ['connect', 'sso', 'scim', 'test', 'golive'] as const
export const onboardingStepIdSchema = z.enum(onboardingStepIds)
export type OnboardingStepId = z.infer<typeof onboardingStepIdSchema>

/**
 * `current`: the first step not done, where the person should be. `ready`: can be done now, out
 * of order. `blocked`: waits for another step (or a failed test), `blockedBy` says which and why.
 */
export const stepStatusSchema = z.enum(['done', 'current', 'ready', 'blocked'])
export type StepStatus = z.infer<typeof stepStatusSchema>

/**
 * The Okta app that holds the token: one of the two catalog apps, or the SAML app with SCIM
 * enabled ("HTTP Header"); they differ in what goes into the token field (okta-token-advice.ts).
 */
export const oktaAppSchema = z.enum(oktaTokenAppKinds)
export type OktaApp = z.infer<typeof oktaAppSchema>

const step = z.strictObject({
  id: onboardingStepIdSchema,
  n: z.number().int(),
  title: z.string(),
  status: stepStatusSchema,
  /** Why the step cannot be done yet (null unless blocked). */
  blockedBy: z.string().nullable(),
  /** One line on what was done (null until done). */
  summary: z.string().nullable(),
  /** Why a step once confirmed is no longer done (a revoked token, a test with another token). */
  changed: z.string().nullable().optional(),
})
export type OnboardingStep = z.infer<typeof step>

/** A failed or warning check of the pre-go-live test, with its fix: what blocks go-live. */
const testProblem = z.strictObject({
  id: z.string(),
  title: z.string(),
  status: z.string(),
  message: z.string(),
  idpImpact: z.string().nullable(),
  fix: z.string().nullable(),
})

const testState = z.strictObject({
  runId: z.string(),
  tokenLabel: z.string(),
  startedAt: z.string(),
  running: z.boolean(),
  finishedAt: z.string().nullable(),
  outcome: runOutcomeSchema.nullable(),
  summary: summarySchema.nullable(),
  /** The run's error when it could not run at all (unreachable, 401...). */
  error: z.strictObject({ code: z.string(), message: z.string(), hint: z.string() }).nullable(),
  problems: z.array(testProblem),
  /** Leftovers the harness could not delete, by name. */
  leftovers: z.array(z.string()),
})

/** A provisioning request of the IdP seen after go-live began (harness traffic excluded). */
const arrival = z.strictObject({
  seq: z.number(),
  time: z.string(),
  method: z.string(),
  path: z.string(),
  status: z.number(),
  outcome: z.string(),
  userName: z.string().nullable(),
  /** What Okta was doing, in its own terms ("Test API Credentials", "matching a user"...). */
  meaning: z.string(),
})

/** The attempt a sign-in test saw: who signed in, with what, and whether SCIM knows them. */
export const signInResultSchema = z.strictObject({
  seq: z.number(),
  time: z.string(),
  outcome: z.enum(['success', 'failure']),
  reason: z.string().nullable(),
  message: z.string(),
  hint: z.string().nullable(),
  userName: z.string().nullable(),
  nameId: z.string().nullable(),
  attributes: z.array(z.strictObject({ name: z.string(), values: z.array(z.string()) })),
  scimUser: z
    .strictObject({ id: z.string(), userName: z.string(), active: z.boolean() })
    .nullable(),
  /** A refusal explained, with the fix in Okta's and Entra's terms. */
  explanation: z
    .strictObject({
      title: z.string(),
      explanation: z.string(),
      evidence: z.array(z.string()),
      fix: z.strictObject({ okta: z.string(), entra: z.string() }),
    })
    .nullable(),
})
export type SignInResult = z.infer<typeof signInResultSchema>

export const signInSkipSchema = z.strictObject({ reason: z.string(), at: z.string() })

export const onboardingStatusSchema = z.strictObject({
  connection: z.string(),
  tenantId: z.string(),
  tenantName: z.string(),
  embedded: z.boolean(),
  complete: z.boolean(),
  /** The step to land on: the first one not done; null when complete. */
  current: onboardingStepIdSchema.nullable(),
  steps: z.array(step),
  scimBaseUrl: z.string(),
  sp: connectionSchemas.spValues,
  sso: z.strictObject({
    configured: z.boolean(),
    entityId: z.string().nullable(),
    /** When the person confirmed the SP values are in Okta. */
    copiedAt: z.string().nullable(),
    /** The last sign-in test: waiting while `result` is null or a refusal it may still fix. */
    signInTest: z
      .strictObject({
        startedAt: z.string(),
        afterSeq: z.number(),
        result: signInResultSchema.nullable(),
      })
      .nullable(),
    /** "Skip for now", with the reason the person gave; shown until a test succeeds. */
    signInSkipped: signInSkipSchema.nullable(),
  }),
  scim: z.strictObject({
    tokenId: z.string().nullable(),
    tokenLabel: z.string().nullable(),
    /** The chosen token's secret is still in this console's keychain (the test needs it). */
    tokenInKeychain: z.boolean(),
    oktaApp: oktaAppSchema.nullable(),
    confirmedAt: z.string().nullable(),
  }),
  test: testState.nullable(),
  goLive: z.strictObject({
    startedAt: z.string().nullable(),
    events: z.array(arrival),
    firstUser: z
      .strictObject({ userName: z.string(), time: z.string(), seq: z.number() })
      .nullable(),
  }),
})
export type OnboardingStatus = z.infer<typeof onboardingStatusSchema>

const statusOutput = onboardingStatusSchema

export const onboardingChannels = {
  /** Where the tenant stands; during go-live it also reads the IdP's first requests. */
  'onboarding.status': { input: tenantTarget, output: statusOutput },
  /** Step 1: the person chose this backend and tenant (the embedded one, or a saved one). */
  'onboarding.confirmConnect': { input: tenantTarget, output: statusOutput },
  /** Step 2: SSO is configured on the backend and the SP values are in Okta. */
  'onboarding.confirmSso': { input: tenantTarget, output: statusOutput },
  /**
   * Step 2 ends with a sign-in test: the SP-initiated login URL to open (sso.openLogin); later
   * `onboarding.status` calls read the tenant's SSO events for the attempt.
   */
  'onboarding.startSignInTest': {
    input: tenantTarget,
    output: z.strictObject({ loginUrl: z.string(), startedAt: z.string() }),
  },
  /** Step 2 without a test sign-in: recorded with the reason, shown until a test succeeds. */
  'onboarding.skipSignInTest': {
    input: tenantTarget.extend({ reason: z.string().trim().min(3).max(500) }).strict(),
    output: statusOutput,
  },
  /** Step 3: this token (held in the keychain) and base URL are in this Okta app. */
  'onboarding.confirmScim': {
    input: tenantTarget
      .extend({ tokenId: z.string().min(1).max(200), oktaApp: oktaAppSchema })
      .strict(),
    output: statusOutput,
  },
  /**
   * Step 4: the harness in the okta profile against the tenant's SCIM base URL with the step-3
   * token, read from the keychain in main. Progress is the `harness.progress` stream.
   */
  'onboarding.startTest': {
    input: tenantTarget,
    output: z.strictObject({ runId: z.string() }),
  },
  /** Step 5: from now on, the tenant's provisioning events are the IdP's first requests. */
  'onboarding.beginGoLive': { input: tenantTarget, output: statusOutput },
  /** Forgets the onboarding of this tenant (the backend is left as it is). */
  'onboarding.reset': { input: tenantTarget, output: statusOutput },
  /** The go-live checklist and the last test report as one self-contained HTML file. */
  'onboarding.export': {
    input: tenantTarget,
    output: z.strictObject({ fileName: z.string(), mimeType: z.string(), text: z.string() }),
  },
} as const
